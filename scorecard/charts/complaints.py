"""Complaint figures: each a pure function returning a new Plotly figure in the shared
"scorecard" template, plus the words that go with it (alt text). Charts draw what
`scorecard.complaints.figures` counted; they never decide what is late or upheld.
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..engine import fmt
from .theme import (
    GRID,
    INK,
    MUTED,
    PALETTE,
    RAG_COLOURS,
    figure,
    finish,
    merged,
    stacked,
    stacked_bar,
)

OUTCOME_COLOURS = {
    "Upheld": PALETTE[1],
    "Partly upheld": PALETTE[5],
    "Not upheld": PALETTE[0],
    "Refused": RAG_COLOURS["none"],
    "Withdrawn": PALETTE[3],
    "Not yet answered": PALETTE[4],
}
DECISION_COLOURS = [PALETTE[1], PALETTE[0], RAG_COLOURS["none"], PALETTE[4]]
BAND_COLOURS = [PALETTE[4], PALETTE[0], PALETTE[5], PALETTE[1]]
STAGE_COLOURS = {"Stage 1": PALETTE[0], "Stage 2": PALETTE[1]}
OTHER = "#8C8C8C"


def _horizontal(
    data: list[dict],
    rows: int,
    axis_title: str,
    percent: bool = False,
    show_legend: bool = True,
    **layout,
) -> go.Figure:
    """Horizontal bar charts: height by rows, labels never cut off."""
    return figure(
        data,
        merged(
            {
                "height": max(220, 40 * rows + 110),
                "showlegend": show_legend,
                "margin": dict(l=10, r=70, t=40, b=50),
                "hovermode": "closest",
                "xaxis": {
                    "title": {"text": axis_title, "standoff": 12},
                    "ticksuffix": "%" if percent else "",
                    "automargin": True,
                    "gridcolor": GRID,
                    "showgrid": True,
                }
                | ({"range": [0, 105]} if percent else {}),
                "yaxis": {"automargin": True, "autorange": "reversed", "showgrid": False},
            },
            layout,
        ),
    )


def _values(values) -> list:
    return [None if fmt.missing(v) else v for v in values]


def hbars(
    labels, values, texts, axis_title: str, colour: str = PALETTE[0], percent: bool = False
) -> go.Figure:
    """One horizontal bar per label (first at the top), the value written at its end."""
    data = [
        dict(
            type="bar",
            y=list(labels),
            x=_values(values),
            orientation="h",
            marker=dict(color=colour),
            text=list(texts),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    ]
    return _horizontal(data, len(labels), axis_title, percent, show_legend=False)


def stacked_hbars(
    labels, series: dict, colours: dict, axis_title: str, percent: bool = False
) -> go.Figure:
    """Horizontal bars split into named parts (`series`: name -> values per label)."""
    data = []
    for name, values in series.items():  # a withheld part: drawn as none, hover 'not shown'
        x, text = stacked(values, f",.{1 if percent else 0}f", "%" if percent else "")
        data.append(
            dict(
                type="bar",
                y=list(labels),
                x=x,
                name=name,
                orientation="h",
                text=text,
                textposition="none",
                marker=dict(color=colours.get(name, OTHER), line=dict(color="white", width=1)),
                hovertemplate=f"%{{y}}: {name} %{{text}}<extra></extra>",
            )
        )
    layout = {"barmode": "stack", "legend": dict(traceorder="normal")}
    if percent:
        layout["xaxis"] = {"range": [0, 100]}
    return _horizontal(data, len(labels), axis_title, percent, **layout)


def grouped_rates(measures: list[str], stages: dict, texts: dict) -> go.Figure:
    """Per cent of each timeliness measure, one bar per stage; suppressed rates are left
    out of the drawing but keep their label in the text."""
    data = [
        dict(
            type="bar",
            y=measures,
            x=_values(values),
            name=stage,
            orientation="h",
            marker=dict(color=STAGE_COLOURS.get(stage, OTHER)),
            text=texts[stage],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{stage}: %{{y}} %{{text}}<extra></extra>",
        )
        for stage, values in stages.items()
    ]
    return _horizontal(data, len(measures) * len(stages), "Per cent", percent=True, barmode="group")


def trend_stack(periods, series: dict, colours: dict, labels=None, height: int = 380) -> go.Figure:
    """Counts over time, stacked by group (themes), one bar per period; with `labels`
    (quarters, years) the periods are named rather than placed on a date axis."""
    x = list(labels) if labels is not None else [str(p) for p in periods]
    data = [
        stacked_bar(x, values, name, colours.get(name, OTHER)) for name, values in series.items()
    ]
    named = {"xaxis": {"type": "category", "tickformat": None}} if labels is not None else {}
    return finish(
        data,
        "count",
        height,
        barmode="stack",
        hovermode="x unified",
        legend=dict(traceorder="normal"),
        **named,
    )


# The journey's columns: where each sits across, and where its nodes start down the chart.
# Ombudsman nodes sit below the stage 2 outcomes, so neighbouring labels never share a row.
FLOW_COLUMNS = {
    "s1": (0.001, 0.0),
    "s1:": (0.2, 0.0),
    "s2": (0.4, 0.0),
    "s2:": (0.6, 0.0),
    "omb:": (0.8, 0.55),
    "decision:": (0.999, 0.72),
}
FLOW_HEADINGS = ["Stage 1", "Outcome", "Stage 2", "Outcome", "Ombudsman", "Decision"]
FLOW_ORDER = [
    "upheld",
    "partly_upheld",
    "not_upheld",
    "not_investigated",
    "refused",
    "withdrawn",
    "open",
    "pending",
    "lgsco",
    "housing",
]
GAP_PX, MARGIN = 20, dict(l=10, r=10, t=50, b=10)


def _column(code: str) -> str:
    return code if code in FLOW_COLUMNS else code.split(":")[0] + ":"


def _node_colour(code: str) -> str:
    value = code.split(":")[-1]
    named = {"upheld": "Upheld", "partly_upheld": "Partly upheld", "not_upheld": "Not upheld"}
    if value in named:
        return OUTCOME_COLOURS[named[value]]
    return {"s1": INK, "s2": INK, "lgsco": PALETTE[3], "housing": PALETTE[3]}.get(value, MUTED)


def _order(code: str) -> int:
    value = code.split(":")[-1]
    return FLOW_ORDER.index(value) if value in FLOW_ORDER else len(FLOW_ORDER)


def _positions(codes: list[str], sizes: dict[str, int], plot_px: int) -> tuple[dict, int]:
    """Vertical centre of each node (0 = top of the plot area) and the pixels its columns
    run below the plot area. Plotly draws a node `plot_px / largest column total` pixels per
    complaint, whatever the gaps, so a column of many nodes runs on into the bottom margin."""
    columns = {
        col: sorted((c for c in codes if _column(c) == col), key=_order) for col in FLOW_COLUMNS
    }
    ky = plot_px / max(max(sum(sizes[c] for c in m), 1) for m in columns.values() if m)
    y, bottom = {}, plot_px
    for col, members in columns.items():
        top = FLOW_COLUMNS[col][1] * plot_px
        for code in members:
            y[code] = (top + sizes[code] * ky / 2) / plot_px
            top += sizes[code] * ky + GAP_PX
        bottom = max(bottom, top - GAP_PX)
    return y, int(bottom - plot_px)


def _flow_label(code: str, words: str, size: int) -> str:
    short = {
        "s1": "Received",
        "s2": "Escalated",
        "omb:lgsco": "LGSCO",
        "omb:housing": "Housing Ombudsman",
    }.get(code)
    return f"{short or words.split(': ')[-1].capitalize()} ({size:,})"


def sankey(links, plot_px: int = 440) -> go.Figure:
    """The complaint journey as a Sankey diagram in columns (stage 1, outcome, stage 2,
    outcome, Ombudsman, decision), each node labelled with its count."""
    codes = list(dict.fromkeys(list(links["source"]) + list(links["target"])))
    words = dict(zip(links["source"], links["from_words"])) | dict(
        zip(links["target"], links["to_words"])
    )
    into, out = {}, {}  # complaints arriving at and leaving each node
    for source, target, n in zip(links["source"], links["target"], links["complaints"]):
        out[source] = out.get(source, 0) + int(n)
        into[target] = into.get(target, 0) + int(n)
    sizes = {c: max(into.get(c, 0), out.get(c, 0)) for c in codes}
    (y, overflow), index = _positions(codes, sizes, plot_px), {c: i for i, c in enumerate(codes)}
    margin = MARGIN | {"b": MARGIN["b"] + overflow}
    data = [
        dict(
            type="sankey",
            arrangement="fixed",
            valueformat=",.0f",
            node=dict(
                label=[_flow_label(c, words[c], sizes[c]) for c in codes],
                pad=GAP_PX,
                thickness=14,
                x=[FLOW_COLUMNS[_column(c)][0] for c in codes],
                y=[y[c] for c in codes],
                color=[_node_colour(c) for c in codes],
                customdata=[words[c] for c in codes],
                hovertemplate="%{customdata}: %{value:,.0f}<extra></extra>",
            ),
            link=dict(
                source=[index[s] for s in links["source"]],
                target=[index[t] for t in links["target"]],
                value=[int(v) for v in links["complaints"]],
                color="rgba(80, 80, 80, 0.22)",
            ),
        )
    ]
    used = sorted({_column(c) for c in codes}, key=list(FLOW_COLUMNS).index)
    headings = []
    for col in used:
        x = FLOW_COLUMNS[col][0]
        headings.append(
            dict(
                x=x,
                y=1.0,
                xref="paper",
                yref="paper",
                yanchor="bottom",
                yshift=8,
                xanchor="left" if x < 0.5 else ("right" if x > 0.9 else "center"),
                text=f"<b>{FLOW_HEADINGS[list(FLOW_COLUMNS).index(col)]}</b>",
                showarrow=False,
                font=dict(size=13, color=INK),
            )
        )
    return figure(
        data,
        {
            "annotations": headings,
            "font": dict(size=12, color=INK),
            "margin": margin,
            "height": plot_px + margin["t"] + margin["b"],
        },
    )
