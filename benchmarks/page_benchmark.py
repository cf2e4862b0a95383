"""Issue 16's benchmark: what a user waits for at a large council's scale, in one run.

    python benchmarks/page_benchmark.py [--scale 50] [--work /tmp/scorecard-bench] [--repeat 1]
        [--out benchmarks/RESULTS.md] [--parts FILE] [--skip ingest pages engine pandas browser]

Against the sample generated at `--scale` (50 = about 10 million contacts) it measures:

- ingest (ingest_benchmark.py): a cold load, DuckDB's raw `read_csv` over the same files, a
  one-row change to complaints and the Parquet export, each its CPU, wall and peak memory;
- pages: app.py in Streamlit's AppTest (the whole script: queries, the engine, Plotly figures,
  layout and serialisation of every element) for every page and the overview in
  presentation mode, after three filter changes, each timed cold (every cache emptied, as
  for a view nobody has opened yet), warm (every cache emptied, then the overview opened
  with the same filters, then the page: going from the scorecard to a page) and again as
  the floor (everything in memory: the cost of drawing alone); the time is the page's own,
  as it logs it in production;
- engine: every measure judged cold over the database file and over its Parquet copy, and
  the heavy measures against plain pandas computing them from frames already in memory;
- pandas: the overview's every measure worked out and judged in plain pandas from the
  extracts already read into memory (pandas_pages.py, checked to give the engine's figures),
  against the overview page cold under each filter change;
- browser (browser_benchmark.py): a server started on the same data, every page opened in
  headless Chromium: time to every chart visible and the websocket payload.

Prints one table of figure, goal and ratio (results.py) and writes it to `--out`; with
`--parts`, what each part measured is kept in that JSON file, so a part rerun later (the
others skipped) joins the same table. Asserts nothing: timings belong in a benchmark, not in
a unit test; a page that faults stops the run (SCORECARD_STRICT).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import benchmark as bench  # noqa: E402
import browser_benchmark as browser  # noqa: E402
import pandas_pages  # noqa: E402
import results as report  # noqa: E402
from benchmark import arguments, prepare  # noqa: E402
from ingest_benchmark import ingest_figures  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from scorecard import ingest  # noqa: E402
from scorecard.engine import calendar as cal  # noqa: E402
from scorecard.engine import catalogue, coverage, db, measures  # noqa: E402
from scorecard.ui import app_state, errors  # noqa: E402

# filter changes, as a user makes them in the sidebar: (label, grain, services, channels)
CHANGES = [
    ("Housing, by month", "Month", ["Housing"], []),
    ("phone, by quarter", "Quarter", [], ["Phone"]),
    ("two services, by financial year", "Financial year", ["Council Tax", "Benefits"], []),
]


def _clear_caches() -> None:
    """Empty every database's query and result cache: the next run computes from scratch."""
    for database in list(db.OPEN):  # (gc.get_objects() misses the app's: it is frozen)
        database.cache.clear()


def _go(at: AppTest, url_path: str) -> None:
    """Make `url_path` the page the next run shows (the filters stay as they are)."""
    pages = {info.get("url_pathname"): h for h, info in at._registered_pages.items()}
    at._page_hash = pages[url_path]


def _open(at: AppTest, url_path: str) -> AppTest:
    _go(at, url_path)
    return at.run()


def _apply(at: AppTest, grain: str, services: list, channels: list) -> None:
    at.segmented_control(key="grain").set_value(grain)
    at.multiselect(key="service").set_value(services)
    at.multiselect(key="channel").set_value(channels)


class _ServerTimes(logging.Handler):
    """The page's own server-side time, from the line every page run logs."""

    def __init__(self):
        super().__init__()
        self.last = float("nan")

    def emit(self, record):
        if record.name == "scorecard.pages":
            self.last = float(record.getMessage().split(" ran in ")[1].split(" ms")[0])


SERVER = _ServerTimes()


def _timed_run(at: AppTest) -> tuple[float, float]:
    """(whole run as AppTest sees it, the page's own server-side time), in ms."""
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")
    return elapsed, SERVER.last


def page_times(at: AppTest, url_path: str, repeat: int) -> dict[str, float]:
    """Median cold, warm and floor milliseconds for a page over the filter changes, whole run
    and server-side. Warm: every cache emptied, then the scorecard overview opened with the
    same filters (untimed), then the page, as a councillor goes from the scorecard to a
    pillar: what the overview worked out is reused, the rest is worked out then."""
    runs = {"cold": [], "warm": [], "floor": []}
    each: dict[str, list] = {}  # the cold server time of each filter change
    warm = url_path != ""  # the overview (and its slides) is where a councillor starts
    _open(at, url_path)
    for _ in range(repeat):
        for label, grain, services, channels in CHANGES:
            _apply(at, grain, services, channels)
            _clear_caches()
            runs["cold"].append(_timed_run(at))
            each.setdefault(label, []).append(runs["cold"][-1][1])
            runs["floor"].append(_timed_run(at))
            if warm:
                _clear_caches()
                _open(at, "")  # the overview, with the same filters: untimed
                _go(at, url_path)
                runs["warm"].append(_timed_run(at))
    _apply(at, "Month", [], [])
    return {
        f"{kind} {part}": statistics.median(r[i] for r in values)
        for kind, values in runs.items()
        if values
        for i, part in enumerate(("run", "server"))
    } | {f"cold server, {label}": statistics.median(v) for label, v in each.items()}


def page_rows(s, work: Path, repeat: int) -> list[tuple[str, dict]]:
    """Cold, warm and floor times for every page and for the overview in presentation mode."""
    os.environ.update(
        {
            "SCORECARD_DATA": str(s.data_dir),
            "SCORECARD_CACHE": str(s.cache_dir),
            "SCORECARD_SNAPSHOTS": str(work / "snapshots"),
            "SCORECARD_SETTLE_SECONDS": "0",
            "SCORECARD_STRICT": "1",
        }
    )  # a fault stops the run, never timed
    errors.LOG.addHandler(SERVER)
    errors.LOG.setLevel(logging.ERROR)  # keep the page lines out of the printed table
    errors.PAGES.setLevel(logging.INFO)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900).run()
    urls = [u for u in (info.get("url_pathname") for info in at._registered_pages.values())]
    rows = []
    for url in urls:
        rows.append((url or "overview", page_times(at, url, repeat)))
        print(url or "overview", {k: round(v) for k, v in rows[-1][1].items()}, flush=True)
    at.query_params["present"] = "1"  # the committee's deck: the overview as slides
    at.session_state["present"] = True
    rows.append(("presentation", page_times(at, "", repeat)))
    return rows


def engine_rows(s, parquet: Path | None, with_pandas: bool) -> list[tuple]:
    """Every measure judged cold under each filter change, over the database file and over
    its Parquet copy; and the heavy measures against plain pandas from frames in memory.
    Rows: (comparison, filter change, engine seconds, other seconds or None)."""
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    targets = measures.targets_for(database, s)
    rows = []
    over_file = bench.engine_times(database, cat, targets, list(cat))
    over_parquet = (
        bench.engine_times(db.Database(parquet), cat, targets, list(cat))
        if parquet and parquet.exists()
        else {}
    )
    for label, seconds in over_file.items():
        rows.append(("all measures: Parquet", label, seconds, over_parquet.get(label)))
    if with_pandas:
        heavy = bench.engine_times(database, cat, targets, list(bench.HEAVY))
        _, frames = bench.timed(lambda: bench.load_pandas(s.data_dir))
        for label, seconds in heavy.items():
            base, _ = bench.timed(lambda f=bench.FILTERS[label]: bench.pandas_baseline(frames, f))
            rows.append(("heavy measures: pandas", label, seconds, base))
    return rows


def pandas_page_rows(s) -> list[tuple[str, float]]:
    """The scorecard overview's measures worked out and judged in plain pandas
    (pandas_pages.py) from the extracts already read into memory, under each filter change
    as the sidebar sets it (the newest period, trends from the first): (change, seconds)."""
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    covered = coverage.load(database)
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    strategy = catalogue.load_strategy(s.strategy_file, s.catalogue_file)
    ids = list(dict.fromkeys([m for p in strategy.pillars for m in p.measures]))
    ids += [m for m in strategy.plan_measures if m not in ids]
    frames = pandas_pages.load(s.data_dir, s.digital_channels)
    rows = []
    for label, word, services, channels in CHANGES:
        grain = app_state.GRAIN_BY_WORD[word]
        chosen = tuple(app_state.CHANNEL_BY_WORD[c] for c in channels)
        f = measures.Filters(
            grain, cal.period_start(covered.first, grain), covered.as_at, tuple(services), chosen
        )
        seconds, _ = bench.timed(
            lambda f=f: pandas_pages.overview(
                frames, cat, ids, f, covered.as_at, s.min_base, s.default_targets
            )
        )
        rows.append((label, seconds))
        print(f"overview in plain pandas, {label}: {seconds:.1f} s", flush=True)
    return rows


def browser_rows(s, repeat: int) -> list[dict]:
    """Time to every chart visible and websocket payload per page, in headless Chromium,
    against a server started here on the same data."""
    port = "8611"
    env = os.environ | {
        "SCORECARD_DATA": str(s.data_dir),
        "SCORECARD_CACHE": str(s.cache_dir),
        "SCORECARD_SETTLE_SECONDS": "0",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            port,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://localhost:{port}"
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        browser.measure(url, [""], repeat=1)  # the server's start-up is not a page's time
        return browser.measure(url, browser.PATHS, repeat=repeat)
    finally:
        server.terminate()
        server.wait(30)


def main(argv=None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the filter changes")
    parser.add_argument("--out", type=Path, help="also write the table here (Markdown)")
    parser.add_argument(
        "--parts",
        type=Path,
        help="keep what each part measured in this JSON "
        "file, so a part run later joins the same table",
    )
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["ingest", "pages", "engine", "pandas", "browser"],
        help="parts not to run this time",
    )
    args = parser.parse_args(argv)
    s, build = prepare(args.work, args.scale)
    parts = json.loads(args.parts.read_text()) if args.parts and args.parts.exists() else {}
    if "ingest" not in args.skip:
        parts["ingest"] = ingest_figures(s.data_dir, args.work)
        print(parts["ingest"], flush=True)
    if "pages" not in args.skip:
        parts["pages"] = page_rows(s, args.work, args.repeat)
    if "engine" not in args.skip:
        parts["engine"] = engine_rows(s, args.work / "parquet", "pandas" not in args.skip)
        print(parts["engine"], flush=True)
    if "pandas" not in args.skip:
        parts["pandas pages"] = pandas_page_rows(s)
    if "browser" not in args.skip:
        parts["browser"] = browser_rows(s, max(args.repeat, 3))
        print(parts["browser"], flush=True)
    if args.parts:
        args.parts.write_text(json.dumps(parts, indent=1), encoding="utf-8")
    table = report.table(parts, args.scale, build)
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
