"""Figures for the pillar sections: shares over time, calls, demand, reasons, ranges, backlog.

Same rules as `charts`: pure functions returning new figures on the shared "scorecard"
template, colour-blind-safe palette, every series also told apart by name, shape or label.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.colors import get_colorscale

from ..engine import fmt
from .measure import LIMIT_GREY, SIGNAL_COLOURS
from .theme import (
    AXIS_TITLES,
    GRID,
    INK,
    NOT_SHOWN,
    PALETTE,
    RAG_COLOURS,
    event_marks,
    figure,
    finish,
    plain_floats,
    stacked,
    stacked_bar,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BLUES = get_colorscale("Blues")  # Plotly's own ColorBrewer scale (plotly.js has its own)
MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")


def stacked_shares(
    frame, x: str, group: str, value: str, labels=None, height: int = 380, normalise: bool = True
) -> go.Figure:
    """Each group's share of the total in each period, stacked to 100% (`normalise`), or
    shares already worked out (withheld ones blank, so not drawn)."""
    data = [
        dict(
            type="scatter",
            x=[str(v) for v in rows[x]],
            y=plain_floats(rows[value]),
            name=(labels or {}).get(name, name),
            mode="lines",
            stackgroup="one",
            line=dict(width=0.8, color=PALETTE[i % len(PALETTE)]),
            hovertemplate="%{fullData.name}: %{y:.1f}%<extra></extra>",
        )
        | ({"groupnorm": "percent"} if normalise else {})
        for i, (name, rows) in enumerate(frame.groupby(group, sort=False))
    ]
    return finish(data, "percent", height, yaxis={"range": [0, 100]})


def calls(frame, height: int = 400) -> go.Figure:
    """Calls answered within 60 seconds, answered later and abandoned (stacked bars) with the
    service level as a line on a second axis."""
    x = [str(v) for v in frame["period_start"]]
    data = [
        stacked_bar(x, frame[column], name, colour)
        for column, name, colour in (
            ("answered_within_60s", "Answered within 60 seconds", PALETTE[0]),
            ("answered_later", "Answered after 60 seconds", PALETTE[4]),
            ("abandoned", "Abandoned", PALETTE[1]),
        )
    ]
    data.append(
        dict(
            type="scatter",
            x=x,
            y=plain_floats(frame["service_level"]),
            name="Service level (right axis)",
            yaxis="y2",
            mode="lines+markers",
            line=dict(color=INK, width=2),
            marker=dict(symbol="diamond"),
            hovertemplate="Service level: %{y:.1f}%<extra></extra>",
        )
    )
    return finish(
        data,
        "count",
        height,
        barmode="stack",
        margin=dict(r=80),
        yaxis={"title": {"text": "Calls offered"}},
        yaxis2=dict(
            overlaying="y",
            side="right",
            range=[0, 100],
            tickmode="linear",
            tick0=0,
            dtick=20,
            ticksuffix="%",
            showgrid=False,
            title={"text": "Answered within 60 seconds"},
        ),
    )


def heatmap(frame, height: int = 360) -> go.Figure:
    """Average contacts per day by weekday and hour (darker = busier), values written in; a
    withheld hour (blank per_day) is left blank, an hour with no contacts is 0."""
    hours = sorted(frame["hour_of_day"].unique())
    cells = frame.set_index(["weekday", "hour_of_day"])["per_day"].astype(float)
    grid = cells.unstack().reindex(index=range(1, 8), columns=hours)
    seen = frame.assign(seen=1.0).set_index(["weekday", "hour_of_day"])["seen"].unstack()
    seen = seen.reindex(index=range(1, 8), columns=hours)
    z = grid.where(seen.notna(), 0.0).to_numpy(dtype=float)
    data = [
        dict(
            type="heatmap",
            z=[plain_floats(row) for row in z],
            x=[f"{h:02d}:00" for h in hours],
            y=list(WEEKDAYS),
            colorscale=BLUES,
            colorbar=dict(title=dict(text="Per day")),
            text=[[f"{v:.0f}" if v >= 1 else "" for v in row] for row in z],
            texttemplate="%{text}",
            hoverongaps=False,
            hovertemplate="%{y} %{x}: %{z:.1f} a day<extra></extra>",
        )
    ]
    return figure(
        data,
        {
            "height": height,
            "hovermode": "closest",
            "margin": dict(l=110),
            "yaxis": {"autorange": "reversed", "gridcolor": "white", "automargin": True},
            "xaxis": {"title": {"text": "Hour of the day"}},
        },
    )


def _by_group_layout(unit: str, rows: int, height: int | None, per_row: int = 36, **layout) -> dict:
    """Horizontal bars or dots by group: height by rows, the unit on the value axis."""
    return {
        "height": height or max(260, per_row * rows + 110),
        "margin": dict(l=10, r=20, t=40, b=40),
        "xaxis": {"title": {"text": AXIS_TITLES.get(unit, "")}, "automargin": True},
        "yaxis": {"automargin": True},
    } | layout


def stacked_bars(
    frame, category: str, group: str, value: str, unit: str = "count", height: int | None = None
) -> go.Figure:
    """Horizontal stacked bars: each category split by group (e.g. services by reason)."""
    order = frame.groupby(category)[value].sum().sort_values().index.tolist()
    data = []
    for i, (name, rows) in enumerate(frame.groupby(group, sort=False)):
        # a category without this group is none; one withheld stays blank (not shown)
        given = dict(zip(rows[category], rows[value]))
        x, text = stacked([given.get(c, 0.0) for c in order], ",.1f")
        data.append(
            dict(
                type="bar",
                y=order,
                x=x,
                name=name,
                text=text,
                textposition="none",
                orientation="h",
                marker=dict(
                    color=PALETTE[i % len(PALETTE)],
                    pattern=dict(shape=("", "/", ".", "x", "-", "|")[i % 6]),
                ),
                hovertemplate=f"%{{y}}, {name}: %{{text}}<extra></extra>",
            )
        )
    layout = _by_group_layout(unit, len(order), height, barmode="stack")
    layout["xaxis"]["ticksuffix"] = "%" if unit == "percent" else ""
    return figure(data, layout)


def ranges(
    frame,
    category: str,
    low: str,
    high: str,
    unit: str,
    low_name: str,
    high_name: str,
    height: int | None = None,
) -> go.Figure:
    """A dot for the typical value and a line out to the slow end, per group (e.g. the
    median and 90th percentile of working days to resolve, by service)."""
    frame = frame.iloc[::-1]
    data = [
        dict(
            type="scatter",
            x=[lo, hi],
            y=[name] * 2,
            mode="lines",
            line=dict(color=GRID, width=6),
            showlegend=False,
            hoverinfo="skip",
        )
        for name, lo, hi in zip(
            frame[category], plain_floats(frame[low]), plain_floats(frame[high])
        )
    ]
    data += [
        dict(
            type="scatter",
            x=plain_floats(frame[column]),
            y=list(frame[category]),
            mode="markers",
            name=name,
            marker=dict(size=12, symbol=symbol, color=colour),
            hovertemplate=f"%{{y}}: {name} %{{x:.1f}}<extra></extra>",
        )
        for column, name, symbol, colour in (
            (low, low_name, "circle", PALETTE[0]),
            (high, high_name, "diamond", PALETTE[1]),
        )
    ]
    return figure(data, _by_group_layout(unit, len(frame), height, per_row=34, hovermode="closest"))


def lines(series: dict, unit: str = "percent", height: int = 380, events=None) -> go.Figure:
    """Several measures over time on one axis, told apart by colour, marker and dash."""
    data = []
    for i, (name, frame) in enumerate(series.items()):
        shown = frame[frame["value"].notna()]
        data.append(
            dict(
                type="scatter",
                x=[str(p) for p in shown["period_start"]],
                y=plain_floats(shown["value"]),
                name=name,
                mode="lines+markers",
                line=dict(
                    color=PALETTE[i], width=2.5, dash=("solid", "dash", "dot", "dashdot")[i % 4]
                ),
                marker=dict(symbol=MARKERS[i % len(MARKERS)], size=7),
                text=[fmt.value(v, unit, 1) for v in shown["value"]],
                hovertemplate=f"{name}: %{{text}}<extra></extra>",
            )
        )
    return finish(data, unit, height, **event_marks(events))


def backlog(frame, height: int | None = None) -> go.Figure:
    """Open cases by service, stacked by how long they have been open (older = darker)."""
    shades = ("#C6DBEF", "#9ECAE1", "#4292C6", "#2171B5", "#08306B")
    order = frame.groupby("service")["open_cases"].sum().sort_values().index.tolist()
    bands = frame.drop_duplicates("age_band").sort_values("band_order")
    data = []
    for (band, rank), shade in zip(zip(bands["age_band"], bands["band_order"]), shades):
        rows = frame[frame["age_band"] == band]
        # a gap would restart the stack for later bands: a service without cases in the band
        # has none open, a withheld count is drawn as none and says it is not shown
        given = dict(zip(rows["service"], rows["open_cases"]))
        x, text = stacked([given.get(s, 0.0) for s in order])
        data.append(
            dict(
                type="bar",
                y=order,
                x=x,
                text=text,
                textposition="none",
                name=f"{band} working days",
                orientation="h",
                marker=dict(
                    color=shade, line=dict(color=INK if rank >= 4 else LIMIT_GREY, width=0.5)
                ),
                hovertemplate=f"%{{y}}, open {band} working days: %{{text}}<extra></extra>",
            )
        )
    layout = _by_group_layout("", len(order), height, barmode="stack")
    layout["xaxis"] = {"title": {"text": "Open cases"}}
    return figure(data, layout)


def grouped_bars(
    frame,
    category: str,
    value: str,
    unit: str,
    colour_by: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Simple horizontal bars with value labels (largest at the top)."""
    frame = frame.sort_values(value)
    colours = (
        [RAG_COLOURS.get(c, PALETTE[0]) for c in frame[colour_by]] if colour_by else PALETTE[0]
    )
    data = [
        dict(
            type="bar",
            y=list(frame[category]),
            x=plain_floats(frame[value]),
            orientation="h",
            marker=dict(color=colours),
            text=[
                NOT_SHOWN if fmt.missing(v) else fmt.value(v, unit, 0 if unit == "count" else 1)
                for v in frame[value]
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    ]
    return figure(
        data,
        {
            "height": height or max(220, 40 * len(frame) + 90),
            "showlegend": False,
            "margin": dict(l=10, r=60, t=30, b=40),
            "xaxis": {"title": {"text": AXIS_TITLES.get(unit, "")}, "automargin": True},
            "yaxis": {"automargin": True},
        },
    )


__all__ = [
    "stacked_shares",
    "calls",
    "heatmap",
    "stacked_bars",
    "ranges",
    "lines",
    "backlog",
    "grouped_bars",
    "SIGNAL_COLOURS",
]
