"""Service view: one service's measures against the council as a whole, and its rank among
services. Pure functions build the comparison as a DataFrame (testable without Streamlit);
the render helpers at the end lay it out.

The service's figure, target and RAG come from the engine filtered to that service (so its
own targets apply); the council's figure from the engine with no service filter, whose
`by_service` table gives every service's figure for the same period, and so the rank.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from ..charts import plan as plan_charts
from ..engine import coverage, fmt, frames, measures
from ..engine.filters import Filters
from ..engine.fmt import ordinal
from ..engine.measures import RAG_ICONS, RAG_WORDS
from ..engine.suppression import hidden_text
from ..plan.actions import rag_text
from . import a11y, app_state, link_check
from . import components as ui

COLUMNS = [
    "pillar_id",
    "pillar",
    "measure_id",
    "measure",
    "unit",
    "decimals",
    "better",
    "period",
    "current",
    "value",
    "suppressed",
    "min_base",
    "council",
    "council_suppressed",
    "target",
    "rag",
    "rank",
    "ranked",
    "services",
    "tied",
    "versus",
    "gap",
    "relative_gap",
    "change",
    "change_label",
]
CHANGE_WORDS = {
    "better": "Better than",
    "worse": "Worse than",
    "no change": "No change from",
    "no real change": "No real change from",
}


def service_measures(strategy, catalogue: dict) -> list[tuple]:
    """(pillar, measure) for every measure on the scorecard that can be split by service."""
    return [
        (p, catalogue[m])
        for p in strategy.pillars
        for m in p.measures
        if "service" in catalogue[m].dimensions
    ]


def council_only(strategy, catalogue: dict) -> list:
    """Measures on the scorecard with no service dimension (resident survey, the plan)."""
    ids = dict.fromkeys(
        [m for p in strategy.pillars for m in p.measures] + list(strategy.plan_measures)
    )
    return [catalogue[m] for m in ids if "service" not in catalogue[m].dimensions]


def rank(figures, service: str, measure) -> tuple[int | None, int, bool]:
    """(position, services ranked, tied): 1 = best among services with a figure shown;
    a suppressed service gets no position. Figures are compared as shown (rounded).
    `figures` is a result's `service_figures` (columns, or a frame of them)."""
    shown = ~np.asarray(figures["suppressed"], dtype=bool)
    values = np.round(np.asarray(figures["value"], dtype=float)[shown], measure.decimals)
    mine = values[np.asarray(figures["service"], dtype=object)[shown] == service]
    if not len(mine):
        return None, len(values), False
    better = values > mine[0] if measure.better == "higher" else values < mine[0]
    return 1 + int(better.sum()), len(values), int((values == mine[0]).sum()) > 1


def versus(own, council, measure) -> str:
    """Better, worse or level with the council, by polarity, as the figures are shown."""
    if fmt.missing(own) or fmt.missing(council):
        return "not comparable"
    diff = round(float(own), measure.decimals) - round(float(council), measure.decimals)
    if abs(diff) < 1e-9:
        return "level"
    return "better" if (diff > 0) == (measure.better == "higher") else "worse"


def _figure(result, period=None) -> tuple[float | None, bool]:
    """(value, suppressed) for the latest period, or for `period` when given."""
    row = result.latest
    if period is not None:
        series = result.held("series")
        hit = np.flatnonzero(frames.values(series, "period_start") == period)
        row = frames.row(series, hit[0]) if len(hit) else row
    if row is None:
        return None, False
    return (None if row["suppressed"] else row["value"]), (
        hidden_text(row, result.min_base) if row["suppressed"] else False
    )


def _label(result) -> str:
    return "" if result.latest is None else result.latest["label"]


def _start(own, council):
    """The period the figures are for: the service's latest, else the council's."""
    latest = own.latest if own.latest is not None else council.latest
    return None if latest is None else latest["period_start"]


def row(pillar, own, council, service: str) -> dict:
    """One line of the comparison: the service, the council, target, RAG, rank, travel."""
    m, report = own.measure, own.filters.report_start
    value, suppressed = _figure(own)
    period = None if own.latest is None else own.latest["period_start"]
    council_value, council_suppressed = _figure(council, period)
    position, ranked, tied = rank(council.service_figures, service, m)
    gap = (
        None
        if fmt.missing(value) or fmt.missing(council_value)
        else (round(float(value), m.decimals) - round(float(council_value), m.decimals))
    )
    return dict(
        pillar_id=pillar.id,
        pillar=pillar.title,
        measure_id=m.id,
        measure=m.title,
        unit=m.unit,
        decimals=m.decimals,
        better=m.better,
        period=_label(own) or _label(council),
        value=value,
        current=_start(own, council) in (None, report),
        suppressed=suppressed,
        min_base=own.min_base,
        council=council_value,
        council_suppressed=council_suppressed,
        target=None if own.latest is None else own.latest["target"],
        rag=own.rag,
        rank=position,
        ranked=ranked,
        services=len(council.service_figures),
        tied=tied,
        versus=versus(value, council_value, m),
        gap=gap,
        relative_gap=None
        if gap is None or not council_value
        else abs(gap) / abs(float(council_value)),
        change=own.vs_previous.word,
        change_label=own.vs_previous.label,
    )


def comparison(
    database, strategy, catalogue: dict, targets, filters: Filters, service: str, min_base: int = 10
) -> pd.DataFrame:
    """Every service measure for one service against the council, grouped by pillar."""
    own_filters = replace(filters, services=(service,))
    council_filters = replace(filters, services=())
    absent = coverage.load(database)
    listed = [
        (pillar, m)
        for pillar, m in service_measures(strategy, catalogue)
        if not coverage.measure_absence(absent, m)
    ]  # absent: listed apart (absent_note)

    def compare():
        unique = list({m.id: m for _, m in listed}.values())  # under two pillars: once
        done = iter(
            measures.compute_many(
                database,
                [(m, f) for m in unique for f in (own_filters, council_filters)],
                targets,
                min_base,
                judged=False,  # the table shows figures, ranks and changes, no SPC
            )
        )
        judged = {m.id: (next(done), next(done)) for m in unique}
        rows = [row(pillar, *judged[m.id], service) for pillar, m in listed]
        return pd.DataFrame(rows, columns=COLUMNS)

    # the whole table kept once per data version, strategy, filters and service
    listing = tuple((pillar.id, pillar.title, m) for pillar, m in listed)
    return database.memo(("service comparison", listing, filters, service, min_base), compare)


def finding(table: pd.DataFrame, service: str) -> str:
    """'Housing is behind the council on 5 of 12 measures and ahead on 6; furthest behind
    on cases resolved within standard' (furthest = largest gap relative to the council)."""
    compared = table[table["versus"] != "not comparable"].drop_duplicates("measure_id")
    if compared.empty:
        return f"Too few figures to compare {service} with the council"
    behind = compared[compared["versus"] == "worse"]
    ahead = int((compared["versus"] == "better").sum())
    if behind.empty:
        return (
            f"{service} is level with or ahead of the council on all {len(compared)} "
            "measures compared"
        )
    worst = behind.sort_values("relative_gap", ascending=False).iloc[0]
    name = worst["measure"][0].lower() + worst["measure"][1:]
    pair = [
        fmt.value(v, worst["unit"], worst["decimals"]) for v in (worst["value"], worst["council"])
    ]
    return (
        f"{service} is behind the council on {len(behind)} of {len(compared)} measures "
        f"and ahead on {ahead}; furthest behind on {name} ({pair[0]} against {pair[1]})"
    )


def _words(value, suppressed: bool, r) -> str:
    if not suppressed and fmt.missing(value):
        return "no data"
    text = suppressed if suppressed else fmt.value(value, r.unit, r.decimals)
    # a survey wave or return from an earlier period says which period it is
    return text if r.current or not r.period else f"{text} ({r.period})"


def _gap_words(r) -> str:
    if r.versus == "not comparable":
        return ""
    if r.versus == "level":
        return "Level"
    direction = "higher" if r.gap > 0 else "lower"
    return f"{fmt.gap(r.gap, r.unit, r.decimals)} {direction} ({r.versus})"


def _rank_words(r) -> str:
    hidden = int(r.services) - int(r.ranked)
    small = f" ({hidden} too small to rank)" if hidden and r.ranked else ""
    if fmt.missing(r.rank) or r.rank is None:
        return "Not ranked" + (" (too few to show)" if r.suppressed else "")
    return f"{'joint ' if r.tied else ''}{ordinal(int(r.rank))} of {int(r.ranked)}{small}"


def _change_words(r) -> str:
    if r.change not in CHANGE_WORDS:
        return "No comparison"
    return f"{CHANGE_WORDS[r.change]} {r.change_label}"


def display(table: pd.DataFrame, service: str) -> pd.DataFrame:
    """The comparison in words and figures as shown, for the tables and the CSV."""
    rows = list(table.itertuples(index=False))
    return pd.DataFrame(
        {
            "Pillar": table["pillar"],
            "Measure": table["measure"],
            "Period": table["period"],
            service: [_words(r.value, r.suppressed, r) for r in rows],
            "Council": [_words(r.council, r.council_suppressed, r) for r in rows],
            "Difference from the council": [_gap_words(r) for r in rows],
            "Target": [
                "No target"
                if fmt.missing(r.target)
                else fmt.value(r.target, r.unit, 0 if float(r.target) % 1 == 0 else r.decimals)
                for r in rows
            ],
            "Against target": [rag_text(r.rag) for r in rows],
            "Rank among services": [_rank_words(r) for r in rows],
            "Since the previous period": [_change_words(r) for r in rows],
        }
    )


# Render helpers: thin Streamlit wrappers over the frames above.


def compare(ctx, filters, service: str) -> pd.DataFrame:
    """The comparison for the app's context."""
    return comparison(
        ctx.database,
        ctx.strategy,
        ctx.catalogue,
        ctx.targets,
        filters,
        service,
        ctx.settings.min_base,
    )


def picker(ctx, filters) -> str | None:
    """The service to show, bound to the URL; the sidebar's service when only one is set."""
    chosen = filters.single_service
    index = ctx.services.index(chosen) if chosen in ctx.services else 0
    shown = ctx.services[index] if ctx.services else "no service"
    link_check.check(
        {
            "service_view": link_check.Choice(
                "the service to view", ctx.services, shown, "which is not in the data"
            )
        }
    )
    return st.selectbox(
        "Service",
        ctx.services,
        index=index,
        key="service_view",
        bind="query-params",
        placeholder="Choose a service",
    )


def rag_counts(ctx, filters, table: pd.DataFrame, service: str) -> None:
    """What is compared with what, then how many of the service's measures are on target,
    near, off, or not rated (against the service's own targets)."""
    period = app_state.period_words(filters.report_start, filters.grain, ctx.as_at)
    st.caption(
        f"{service}'s own figures and targets for {period}, against the council as "
        f"a whole (all {len(ctx.services)} services) and ranked among them. Figures "
        "from an earlier period (survey waves, returns) say which period."
    )
    counts = table.drop_duplicates("measure_id")["rag"].value_counts()
    for col, rag in zip(st.columns(4), ("green", "amber", "red", "none")):
        col.metric(
            RAG_WORDS[rag],
            int(counts.get(rag, 0)),
            border=True,
            icon=f":material/{RAG_ICONS[rag]}:",
        )


def chart_block(table: pd.DataFrame, service: str) -> None:
    """The service against the council on every measure, as dumbbells by unit."""
    ui.chart_block(
        finding(table, service),
        plan_charts.service_vs_council(table, service),
        display(table, service),
        plan_charts.service_alt_text(table, service),
        "service-vs-council",
        level=2,
    )


def pillar_tables(ctx, table: pd.DataFrame, service: str) -> None:
    """Each pillar's measures for the service, the council, target, rank and travel."""
    shown = display(table, service)
    for pillar in ctx.strategy.pillars:
        rows = shown[(table["pillar_id"] == pillar.id).to_numpy()]
        if rows.empty:
            continue
        a11y.section_heading(pillar.title, f"service-{pillar.id}")
        # a static table wraps its text, so every column fits on screen and in print
        st.table(rows.drop(columns=["Pillar", "Period"]), hide_index=True, border="horizontal")


def absent_note(ctx) -> None:
    """The service measures the data cannot give, by reason."""
    groups: dict[str, list[str]] = {}
    for _, m in service_measures(ctx.strategy, ctx.catalogue):
        reason = coverage.measure_absence(ctx.coverage, m)
        if reason and m.title not in groups.get(reason, []):
            groups.setdefault(reason, []).append(m.title)
    for reason, titles in groups.items():
        st.markdown(f":material/block: **{reason}:** {'; '.join(titles)}.")


def council_only_note(ctx) -> None:
    """The scorecard measures that cannot be split by service, named."""
    names = [m.title for m in council_only(ctx.strategy, ctx.catalogue)]
    if names:
        a11y.section_heading("Council-wide only", "council-wide-only")
        st.markdown(
            "These measures are not recorded by service, so they are not shown "
            "here: " + "; ".join(names) + "."
        )
