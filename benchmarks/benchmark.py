"""Benchmark: how fast the dashboard answers a filter change at "large council" scale.

    python benchmarks/benchmark.py [--scale 50] [--work /tmp/scorecard-bench]

Generates the sample at the given scale (50 = about 10 million contacts, 2 million cases,
2 million survey answers, 200 thousand complaints) unless it is already there, builds the
database, then times, for several filter changes, what each page asks of the engine, with
nothing cached. Side by side, a plain-pandas baseline computes the same heavy measures from
DataFrames already in memory. Prints figures; asserts nothing (see DESIGN.md section 6).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecard import ingest, settings  # noqa: E402
from scorecard.engine import catalogue, db, measures  # noqa: E402
from tools import sample  # noqa: E402

FILTERS = {
    "all services, by month": measures.Filters("month", date(2022, 4, 1), date(2026, 9, 30)),
    "Housing, by month": measures.Filters(
        "month", date(2022, 4, 1), date(2026, 9, 30), ("Housing",)
    ),
    "phone only, by quarter": measures.Filters(
        "quarter", date(2022, 4, 1), date(2026, 9, 30), (), ("phone",)
    ),
    "two services, by year": measures.Filters(
        "year", date(2022, 4, 1), date(2026, 9, 30), ("Council Tax", "Benefits")
    ),
}
HEAVY = (
    "calls_answered_60s",
    "call_abandonment",
    "average_speed_of_answer",
    "digital_takeup",
    "cases_within_standard",
    "days_to_resolve_median",
    "days_to_resolve_p90",
    "post_contact_satisfaction",
)


def arguments(doc: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: the sample's scale and the work folder."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=50)
    parser.add_argument("--work", type=Path, default=Path("/tmp/scorecard-bench"))
    return parser


def timed(fn):
    """Seconds taken by fn() and its result."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def prepare(work: Path, scale: float) -> tuple[settings.Settings, float]:
    """Generate (if needed) and load the extracts; returns settings and build seconds."""
    data = work / f"scale-{scale:g}"
    if not (data / "contacts.csv.gz").exists():
        seconds, _ = timed(lambda: sample.generate(data, scale=scale))
        print(f"generated scale {scale:g} sample in {seconds:.1f} s")
    s = settings.load(
        {"data_dir": data, "cache_dir": work / f"cache-{scale:g}", "settle_seconds": 0}
    )
    seconds, result = timed(lambda: ingest.refresh(s))
    for r in result.reports:
        print(f"  {r.extract:<13} {r.rows_read:>12,} rows read, {r.loaded:>12,} loaded")
    return s, seconds if result.rebuilt else float("nan")


def engine_times(database, cat, targets, ids) -> dict[str, float]:
    """Uncached seconds to judge the given measures under each filter change, as a page
    judges them (measures.compute_many: live queries side by side on the server's pool)."""
    out = {}
    for label, filters in FILTERS.items():
        database.cache.clear()  # a filter change: nothing reused from the last view
        out[label], _ = timed(
            lambda f=filters: measures.compute_many(database, [(cat[m], f) for m in ids], targets)
        )
    return out


def load_pandas(data: Path) -> dict[str, pd.DataFrame]:
    """The raw extracts as DataFrames, for the baseline."""
    contacts = pd.read_csv(data / "contacts.csv.gz", parse_dates=["received_at"])
    cases = pd.read_csv(data / "cases.csv.gz", parse_dates=["opened_at", "closed_at"])
    answers = pd.read_csv(data / "satisfaction.csv.gz", parse_dates=["responded_on"])
    bank = [
        np.datetime64(d)
        for d in holidays.country_holidays("GB", subdiv="ENG", years=range(2020, 2030))
    ]
    closed = cases[cases["status"] == "closed"].copy()
    closed["days"] = np.busday_count(
        closed["opened_at"].dt.date.to_numpy("datetime64[D]") + 1,
        closed["closed_at"].dt.date.to_numpy("datetime64[D]") + 1,
        holidays=bank,
    )
    return {"contacts": contacts, "closed": closed, "answers": answers}


def _period(series: pd.Series, grain: str) -> pd.Series:
    if grain == "month":
        return series.dt.to_period("M")
    if grain == "quarter":
        return series.dt.to_period("Q")
    return (series - pd.DateOffset(months=3)).dt.year


def pandas_baseline(frames, filters: measures.Filters) -> None:
    """The HEAVY measures per period and service, in plain pandas."""
    c = frames["contacts"]
    c = c[
        c["received_at"].between(
            pd.Timestamp(filters.start), pd.Timestamp(filters.end) + pd.Timedelta(days=1)
        )
    ]
    if filters.services:
        c = c[c["service"].isin(filters.services)]
    if filters.channels:
        c = c[c["channel"].isin(filters.channels)]
    period = _period(c["received_at"], filters.grain)
    calls = c[c["channel"] == "phone"]
    answered = (calls["abandoned"] == "N") & (calls["wait_seconds"] <= 60)
    answered.groupby([period[calls.index], calls["service"]]).mean()
    (calls["abandoned"] == "Y").groupby([period[calls.index], calls["service"]]).mean()
    calls[calls["abandoned"] == "N"].groupby([period, "service"])["wait_seconds"].mean()
    digital = c["channel"].isin(["web", "app"]) | (c["assisted_digital"] == "Y")
    digital.groupby([period, c["service"]]).mean()
    k = frames["closed"]
    if filters.services:
        k = k[k["service"].isin(filters.services)]
    kp = _period(k["closed_at"], filters.grain)
    (k["days"] <= k["standard_days"]).groupby([kp, k["service"]]).mean()
    k.groupby([kp, "service"])["days"].quantile(0.5)
    k.groupby([kp, "service"])["days"].quantile(0.9)
    a = frames["answers"]
    a = a[a["survey"] == "post_contact"]
    if filters.services:
        a = a[a["service"].isin(filters.services)]
    w = a["weight"].fillna(1)
    (w * (a["score"] >= 4)).groupby([_period(a["responded_on"], filters.grain), a["service"]]).sum()


def main(argv=None) -> int:
    """Run the benchmark and print the figures."""
    args = arguments(__doc__).parse_args(argv)
    s, build_seconds = prepare(args.work, args.scale)
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    cat = catalogue.load_catalogue(s.catalogue_file)
    strategy = catalogue.load_strategy(s.strategy_file, s.catalogue_file)
    targets = measures.Targets(database.query("tables/targets"))
    size = (s.cache_dir / ingest.current(s)["database"]).stat().st_size / 1e6
    print(f"\nscale {args.scale:g}: database build {build_seconds:.1f} s, file {size:,.0f} MB")
    every = [m for p in strategy.pillars for m in p.measures] + list(strategy.plan_measures)
    pages = {
        "overview (all measures)": every,
        **{f"pillar: {p.title}": list(p.measures) for p in strategy.pillars},
        "heavy measures only": list(HEAVY),
    }
    load_seconds, frames = timed(lambda: load_pandas(s.data_dir))
    print(f"pandas baseline: reading the extracts into memory took {load_seconds:.1f} s\n")
    print(f"{'page':<42}{'filter change':<26}{'engine s':>9}{'pandas s':>10}")
    for page, ids in pages.items():
        times = engine_times(database, cat, targets, ids)
        for label, seconds in times.items():
            base = ""
            if page == "heavy measures only":
                base = f"{timed(lambda f=FILTERS[label]: pandas_baseline(frames, f))[0]:>10.3f}"
            print(f"{page:<42}{label:<26}{seconds:>9.3f}{base}")
        print(f"{'':<42}{'median':<26}{statistics.median(times.values()):>9.3f}")

    def overview():
        return [
            measures.compute(database, cat[m], FILTERS["Housing, by month"], targets) for m in every
        ]

    first, _ = timed(overview)
    repeat, _ = timed(overview)
    print(
        f"\noverview, Housing by month: {first:.3f} s first time, {repeat:.3f} s again "
        "(result cache: switching pages and back)"
    )
    detail = replace(FILTERS["all services, by month"])
    seconds, _ = timed(
        lambda: [
            measures.breakdown(database, cat["calls_answered_60s"], detail, targets, by)
            for by in ("service", "channel", "site")
        ]
    )
    print(f"measure detail breakdowns (service, channel, site): {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
