"""Larger page sections: a measure's detail (SPC chart and breakdowns) and the pillar charts
named in the strategy config. Each section is title (the finding) -> chart -> table -> CSV.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from ..charts import measure as charts
from ..engine import coverage, fmt, glossary, groups, measures, tables
from ..engine.measures import RAG_WORDS, MeasureResult
from ..engine.sentences import headline
from . import app_state, commentary_panel, errors, sections
from . import complaints as complaints_views
from . import components as ui

BY_WORDS = {"service": "service", "channel": "channel", "site": "site", "contractor": "contractor"}
SPC_HELP = (
    "**How to read this chart.** The solid line is the average. The dashed grey lines are the "
    f"{glossary.LIMITS.lower()}: with no real change, nearly every point falls between "
    "them; the dotted lines are the inner lines, two-thirds of the way out. A point outside "
    "the range, seven points in a row on one side of the average, seven rising or falling, or "
    "two of three beyond an inner line, is a real change, marked with a coloured triangle "
    "pointing the way it moved: blue where the measure is "
    f"{glossary.VARIATION['improvement'].lower()}, orange where it is "
    f"{glossary.VARIATION['concern'].lower()}. Grey circles are "
    f"{glossary.POINTS['common'].lower()}: {glossary.NO_SIGNIFICANT_CHANGE.lower()}. The red "
    "dashed line is the target. Limits restart where the process changed (a rebase), and are "
    "not drawn until there are 13 points. Every term is explained under 'Words used' on the "
    "Data and definitions page."
)


def _events(ctx, pillar_id, measure_id) -> pd.DataFrame:
    """The dated events to mark on a measure's trend chart: reference data, read once per
    data version like the process changes they include (measures.rebase_dates), each chart
    handed a copy of its own."""
    held = ctx.database.reference(
        ("events", pillar_id, measure_id),
        lambda: ctx.database.query("tables/events", pillar=pillar_id, measure=measure_id),
    )
    return held.copy(deep=False)


def spc_block(
    ctx,
    result: MeasureResult,
    pillar_id: str | None,
    height: int = 420,
    compact: bool = False,
    font_size: int | None = None,
    level: int = 3,
) -> None:
    """The measure over time as an XmR chart with target and events, table and CSV (on a
    slide, `font_size` set: large type, no toolbar)."""
    m = result.measure
    if result.spc is None:
        return
    words = tables.spc_words(result)
    figure = charts.spc(
        result.series,
        result.spc,
        m,
        _events(ctx, pillar_id, m.id),
        height,
        run_chart=bool(result.coarse),
    )
    if font_size:  # presentation mode: readable from the back of the room, and as tall as
        # the slide leaves room for (the style sheet sizes it from the viewport)
        figure.update_layout(
            font_size=font_size,
            legend_font_size=font_size - 2,
            height=None,
            autosize=True,
            margin=dict(t=30, b=40),
        )
    ui.chart_block(
        headline(result),
        figure,
        tables.spc_table(result),
        charts.spc_alt_text(m, result.series, result.spc, words),
        f"spc-{m.id}",
        show_title=not compact,
        stretch=bool(font_size),
        level=level,
        toolbar=not font_size,
    )
    if not compact:
        with st.expander("How to read this chart"):
            st.markdown(SPC_HELP)


def service_headline(result: MeasureResult) -> str:
    """'4 of 10 services on target; furthest off: Housing (59.2%)'."""
    table = result.by_service[~result.by_service["suppressed"]]
    m = result.measure
    if table.empty:
        return f"{m.title} by service"
    rated = table[table["rag"] != "none"]
    worst = table.iloc[-1]
    lead = (
        f"{(rated['rag'] == 'green').sum()} of {len(rated)} services on target"
        if len(rated)
        else f"{m.title} by service"
    )
    return (
        f"{lead}; {'lowest' if m.better == 'higher' else 'highest'}: {worst['service']} "
        f"({fmt.value(worst['value'], m.unit, m.decimals)})"
    )


def service_block(result: MeasureResult, level: int = 3) -> None:
    """The measure for each service in the reporting period, best first, with targets."""
    m, table = result.measure, result.by_service
    if "service" not in m.dimensions or table.empty:
        return
    period = result.latest["label"] if result.latest is not None else ""
    alt = fmt.listing(
        f"Bar chart of {m.title} by service for {period}",
        (
            f"{svc} {fmt.value(v, m.unit, m.decimals)}"
            for svc, v in zip(table["service"], table["value"])
            if not fmt.missing(v)
        ),
    )
    ui.chart_block(
        f"{service_headline(result)} ({period})",
        charts.bars(table, "service", m),
        _group_table(table, m, "Service"),
        alt,
        f"services-{m.id}",
        level=level,
    )


def measure_detail(ctx, filters, result: MeasureResult, pillar_id: str | None) -> None:
    """Everything behind one measure: its card, the SPC chart, then the services, channels,
    sites or contractors compared, each with its figures as CSV."""
    ui.measure_card(result, link=False, notes=ctx.notes)
    commentary_panel.panel(ctx, result)
    if result.absent:
        return
    spc_block(ctx, result, pillar_id, level=2)  # the page's sections: no h2 above them
    service_block(result, level=2)
    for by in result.measure.breakdowns:
        if by != "service":
            breakdown_block(ctx, filters, result.measure.id, by, level=2)


def resident_groups(
    ctx, filters, params: dict, title: str, key: str, split: tuple = ("service", "channel")
) -> None:
    """A survey measure by age, disability, ethnicity, first language and deprivation, with
    intervals; groups that really differ from the rest are named in the title. It follows
    the service and channel filters where the survey is `split` by them, and says so where
    it is not."""
    table = groups.breakdown(ctx.database, filters, params, ctx.settings.min_base, split)
    ignores = {d: why for d, why in sections.council_wide(filters).items() if d not in split}
    if table.empty:
        st.info(f"No survey answers for {title.lower()} in the twelve months chosen.")
        return
    start, end = groups.span(filters)
    lower = table[table["versus_rest"] == "lower"]
    finding = (
        (
            "less satisfied than other respondents: "
            + ", ".join(
                groups.phrase(d, g) for d, g in zip(lower["dimension"], lower["resident_group"])
            )
        )
        if len(lower)
        else "no group is less satisfied than the rest beyond chance"
    )
    with st.container(border=True, key=f"groups-{key}"):
        st.subheader(f"{title}: {finding}")
        words = sections.span_words(ctx, "satisfaction", start, end)
        st.caption(
            f"{words[0].upper() + words[1:]}; 95% intervals; a group is "
            "called different only when its interval for the difference from everyone "
            "else excludes zero. Groups with fewer than "
            f"{ctx.settings.min_base} answers are suppressed."
        )
        quiet = groups.lower_but_not_flagged(table)
        if quiet:
            st.caption(
                f"Lower but not flagged: {'; '.join(quiet)}. Its interval is wider "
                "(fewer answers, or answers weighted more unevenly), so its "
                "difference from everyone else could be chance."
            )
        ui.not_split_note(ignores)
        tabs = st.tabs(list(groups.DIMENSIONS.values()))
        for tab, (dimension, label) in zip(tabs, groups.DIMENSIONS.items()):
            rows = table[table["dimension"] == dimension]
            with tab:
                st.plotly_chart(
                    charts.intervals(rows, "resident_group"),
                    theme=None,
                    key=f"fig-groups-{key}-{dimension}",
                    alt=_groups_alt(title, label, rows),
                )
        shown = _groups_table(table)
        with st.expander("Data table"):
            st.dataframe(shown, hide_index=True)
        ui.download_csv(shown, f"groups-{key}", f"groups-{key}", tuple(ignores))


def _groups_alt(title: str, label: str, rows: pd.DataFrame) -> str:
    parts = [
        f"{g} {'suppressed' if s else fmt.value(v, 'percent', 1)}"
        for g, v, s in zip(rows["resident_group"], rows["value"], rows["suppressed"])
    ]
    return fmt.listing(f"Dot chart of {title} by {label.lower()}", parts)


def _groups_table(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Dimension": [groups.DIMENSIONS[d] for d in table["dimension"]],
            "Group": table["resident_group"],
            "Satisfied (%)": table["value"].round(1),
            "Lower 95% (%)": table["low"].round(1),
            "Upper 95% (%)": table["high"].round(1),
            "Answers": table["base"].astype("Int64"),
            "Compared with everyone else": [
                "" if s else groups.VERSUS_WORDS[v]
                for v, s in zip(table["versus_rest"], table["suppressed"].astype(bool))
            ],
            "Suppressed": table["suppressed"].astype(bool),
            "Note": table["suppressed_reason"].map(lambda r: f"Suppressed: {r}" if r else ""),
        }
    )


GROUPS = {  # section -> (survey question, title, key, the filters the survey follows)
    "resident_groups": (
        {"survey": "resident_survey", "question": "satisfied_with_council"},
        "Residents satisfied with the council",
        "resident",
        (),
    ),
    "digital_groups": (
        {"survey": "post_contact", "question": "overall_satisfaction", "digital": True},
        "Satisfied with an online contact",
        "digital",
        ("service", "channel"),
    ),
}
GROUP_SECTIONS = {
    name: lambda ctx, filters, g=g: resident_groups(ctx, filters, g[0], g[1], g[2], g[3])
    for name, g in GROUPS.items()
}
GROUP_DATA = {
    name: lambda ctx, filters, g=g: groups.breakdown(
        ctx.database, filters, g[0], ctx.settings.min_base, g[3]
    )
    for name, g in GROUPS.items()
}


def registry(*parts: dict) -> dict:
    """One table of the named sections a strategy config may ask for, from the modules that
    draw them; a name drawn by two modules is a mistake, caught at start-up."""
    names = [name for part in parts for name in part]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"Section name(s) {', '.join(twice)} defined twice")
    return {name: draw for part in parts for name, draw in part.items()}


SECTIONS = registry(sections.SECTIONS, complaints_views.SECTIONS, GROUP_SECTIONS)
DATA = registry(sections.DATA, GROUP_DATA)  # the data steps started side by side

# What each named section is called and the data it needs: without it, the section says so
# in words rather than drawing nothing or an empty chart.
SECTION_DATA = {
    "channel_mix": ("How residents get in touch", ("contacts",), {"channels": "all"}),
    "calls_by_period": (
        "Calls offered, answered and abandoned",
        ("contacts",),
        {"channels": ["phone"], "columns": ["wait_seconds", "abandoned"]},
    ),
    "demand_heatmap": ("When residents get in touch", ("contacts",), {}),
    "service_centres": (
        "Service centres",
        ("contacts",),
        {"channels": ["face_to_face"], "columns": ["site"]},
    ),
    "avoidable_reasons": (
        "Why contact was avoidable",
        ("contacts",),
        {"columns": ["avoidable", "avoidable_reason"]},
    ),
    "guardrail": (
        "Digital take-up beside those it could leave behind",
        ("contacts", "satisfaction"),
        {"channels": "all", "surveys": ["post_contact"]},
    ),
    "resolution_days_by_service": ("Working days to resolve, by service", ("cases",), {}),
    "multi_vs_single": (
        "Cases needing several services",
        ("cases",),
        {"columns": ["services_involved"]},
    ),
    "backlog": ("Open cases", ("cases",), {}),
    "ward_table": ("Satisfaction by ward", ("satisfaction",), {"surveys": ["resident_survey"]}),
    "resident_groups": (
        "Residents satisfied with the council, by resident group",
        ("satisfaction",),
        {"surveys": ["resident_survey"]},
    ),
    "digital_groups": (
        "Satisfied with an online contact, by resident group",
        ("satisfaction",),
        {"surveys": ["post_contact"]},
    ),
    "complaints_report": ("Complaints", ("complaints",), {}),
}


def absent_block(title: str, reason: str) -> None:
    """A section the data cannot give: its name and why, in words."""
    with st.container(border=True):
        st.subheader(title)
        st.markdown(f":material/block: {reason}.")


def _section_absence(ctx, name: str):
    """(title, reason) when a pillar section cannot be drawn, else None."""
    kind, _, rest = name.partition(":")
    if kind in ("spc", "breakdown"):
        measure_id = rest.partition(":")[0]
        if measure_id not in ctx.catalogue:
            return None
        m = ctx.measure(measure_id)
        reason = coverage.measure_absence(ctx.coverage, m)
        return (m.title, reason) if reason else None
    if name not in SECTION_DATA:
        return None
    title, sources, needs = SECTION_DATA[name]
    reason = coverage.absence(ctx.coverage, sources, needs)
    return (title, reason) if reason else None


def breakdown_block(ctx, filters, measure_id: str, by: str, level: int = 3) -> None:
    """A measure compared across services, channels, sites or contractors (surveys pooled
    over twelve months so each group has enough answers)."""
    m = ctx.measure(measure_id)
    table = measures.breakdown(
        ctx.database,
        m,
        filters,
        ctx.targets,
        by,
        ctx.settings.min_base,
        months=12 if m.survey else None,
    )
    if table.empty:
        return
    words = BY_WORDS[by]
    if by == "channel":
        table["service"] = table["service"].map(lambda c: app_state.CHANNEL_WORDS.get(c, c))
    shown = table[~table["suppressed"]]
    lead = (
        (
            f"{m.title} by {words}: best {shown.iloc[0]['service']} "
            f"({fmt.value(shown.iloc[0]['value'], m.unit, m.decimals)}), "
            f"{'lowest' if m.better == 'higher' else 'highest'} {shown.iloc[-1]['service']} "
            f"({fmt.value(shown.iloc[-1]['value'], m.unit, m.decimals)})"
        )
        if len(shown) > 1
        else f"{m.title} by {words}"
    )
    figure = (
        charts.intervals(table.assign(versus_rest=""), "service", m.unit)
        if m.survey
        else charts.bars(table, "service", m)
    )
    ui.chart_block(
        f"{lead} ({table['label'].iloc[0]})",
        figure,
        _group_table(table, m, words.capitalize()),
        f"Chart of {m.title} by {words}. {lead}.",
        f"{by}-{m.id}",
        level=level,
    )


def _group_table(table: pd.DataFrame, m, label: str) -> pd.DataFrame:
    """A breakdown as tidy data: figure with its unit in the header, base, target, status;
    a suppressed group keeps its label, with blanks and a flag saying why."""
    hidden = table["suppressed"].astype(bool)
    out = pd.DataFrame(
        {
            label: table["service"],
            fmt.with_unit(m.title, m.unit): [
                None if fmt.missing(v) else round(v, m.decimals) for v in table["value"]
            ],
            "Base": pd.to_numeric(table["base"]).round().astype("Int64"),
            fmt.with_unit("Target", m.unit): table["target"],
            "Status": ["" if h else RAG_WORDS[g] for h, g in zip(hidden, table["rag"])],
            "Suppressed": hidden,
            "Suppressed because": [
                r if h else "" for h, r in zip(hidden, table["suppressed_reason"])
            ],
        }
    )
    if m.survey:
        out.insert(2, "Lower 95% (%)", table["low"].round(1))
        out.insert(3, "Upper 95% (%)", table["high"].round(1))
    return out


def _spc_section(ctx, filters, measure_id: str, pillar_id: str | None) -> None:
    spc_block(ctx, ui.results_for(ctx, [measure_id], filters)[0], pillar_id)


def pillar_sections(ctx, filters, pillar) -> None:
    """The pillar's own charts, as named in the strategy config (`charts = [...]`). The slow
    sections' data steps (`DATA`) start side by side first; each section waits for its own
    before it draws, from the rows that step fetched (a step that failed fails again in the
    section, inside its guard, and says so there)."""
    slow = [name for name in pillar.charts if name in DATA and not _section_absence(ctx, name)]
    started = measures.side_by_side(partial(DATA[name], ctx, filters) for name in slow)
    fetched = dict(zip(slow, started))
    for name in pillar.charts:
        with errors.guard(f"The chart '{name}'"):
            if name in fetched:
                fetched[name].exception()  # waits for it; never raises
            _pillar_section(ctx, filters, pillar, name)


def _pillar_section(ctx, filters, pillar, name: str) -> None:
    kind, _, rest = name.partition(":")
    gap = _section_absence(ctx, name)
    if gap:
        absent_block(*gap)
    elif kind == "spc" and rest in ctx.catalogue:
        _spc_section(ctx, filters, rest, pillar.id)
    elif kind == "breakdown" and rest.partition(":")[0] in ctx.catalogue:
        measure_id, _, by = rest.partition(":")
        breakdown_block(ctx, filters, measure_id, by or "service")
    elif name in SECTIONS:
        SECTIONS[name](ctx, filters)
    else:
        st.error(
            f"The strategy config names a chart '{name}' for {pillar.title} that does "
            f"not exist. Use spc:<measure>, breakdown:<measure>:<service|channel|site|"
            f"contractor> or one of: {', '.join(sorted(SECTIONS))}."
        )
