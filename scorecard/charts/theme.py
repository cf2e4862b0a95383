"""The one chart theme: colours, type, axes and the figure factory every chart uses.

Figures are built as plain trace and layout dictionaries and made a figure once
(`figure`): Plotly's object model checks every property as it is set, which cost more than
the queries on a page of charts. Tests switch the check back on (`VALIDATE`), so a mistyped
property still fails there.

All figures share one registered template ("scorecard"): the Okabe-Ito colour-blind-safe
palette, dark text on white (WCAG 2.2 AA), and large enough type to read on a projector.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..engine import fmt

# Okabe-Ito, reordered so the first colours are the most distinct; all pass 3:1 on white
# as graphical objects except yellow, kept last and never used for text.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#F0E442"]


INK, MUTED, GRID = "#1A1A1A", "#505050", "#D9D9D9"


VALIDATE = False  # check every property against Plotly's schema (tests set it)


RAG_COLOURS = {"green": "#007A3D", "amber": "#B35C00", "red": "#C4122F", "none": "#6B6B6B"}


RAG_SYMBOLS = {"green": "circle", "amber": "diamond", "red": "x", "none": "circle-open"}


TARGET_COLOUR = "#000000"


TICK_FORMAT = {"percent": ".0f", "per_1000": ".0f"}


AXIS_TITLES = {
    "percent": "Per cent",
    "per_1000": "Per 1,000 contacts",
    "seconds": "Seconds",
    "minutes": "Minutes",
    "working_days": "Working days",
    "count": "Number",
}


def register_template() -> None:
    """Register the shared 'scorecard' template and make it the default."""
    template = go.layout.Template()
    template.layout = go.Layout(
        font=dict(family="Source Sans Pro, Arial, sans-serif", size=15, color=INK),
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=20, t=30, b=50),
        hovermode="x unified",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, font=dict(size=14)),
        xaxis=dict(showgrid=False, linecolor=MUTED, ticks="outside", tickcolor=MUTED),
        yaxis=dict(gridcolor=GRID, zeroline=False, linecolor=MUTED, rangemode="tozero"),
        hoverlabel=dict(font=dict(size=14)),
    )
    pio.templates["scorecard"] = template
    pio.templates.default = "scorecard"


def _value_text(values, unit: str, decimals: int) -> list[str]:
    return [fmt.value(v, unit, decimals) for v in values]


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, on the shared template."""
    return go.Figure({"data": data, "layout": layout}, _validate=VALIDATE)


def merged(base: dict, extra: dict) -> dict:
    """`base` updated by `extra`, nested dicts merged (as Plotly's update does); a None in
    `extra` removes the key."""
    out = dict(base)
    for key, value in extra.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def event_marks(events) -> dict:
    """Dated events (new telephony, a cash office closing) as labelled vertical lines: the
    layout's shapes and annotations."""
    if events is None or len(events) == 0:
        return {}
    marks = list(events.itertuples(index=False))
    return {
        "shapes": [
            dict(
                type="line",
                xref="x",
                yref="paper",
                x0=str(e.date),
                x1=str(e.date),
                y0=0,
                y1=1,
                line=dict(color=MUTED, width=1, dash="dot"),
            )
            for e in marks
        ],
        "annotations": [
            dict(
                x=str(e.date),
                y=1 - 0.08 * (i % 3),
                yref="paper",
                text=e.label,
                showarrow=False,
                xanchor="left",
                font=dict(size=12, color=MUTED),
                bgcolor="rgba(255,255,255,0.85)",
            )
            for i, e in enumerate(marks)
        ],
    }


def vline(x, line: dict, text: str, layer: str | None = None) -> dict:
    """A labelled vertical line across the plot (a target, the all-respondents figure): the
    layout's shape and annotation, as Plotly's add_vline draws them."""
    shape = dict(type="line", xref="x", x0=x, x1=x, yref="y domain", y0=0, y1=1, line=line)
    if layer:
        shape["layer"] = layer
    return {
        "shapes": [shape],
        "annotations": [
            dict(
                x=x,
                xref="x",
                y=1,
                yref="y domain",
                text=text,
                showarrow=False,
                xanchor="center",
                yanchor="bottom",
            )
        ],
    }


def axes(data: list[dict], unit: str, height: int, from_zero: bool = True) -> dict:
    """The layout every time chart shares: its height, the unit's axis title and suffix, and
    a date axis ticked by month (or quarter) where that reads best."""
    yaxis = {
        "title": {"text": AXIS_TITLES.get(unit, "")},
        "ticksuffix": "%" if unit == "percent" else "",
    }
    if not from_zero:  # SPC charts zoom to the data so the limits can be read
        yaxis["rangemode"] = "normal"
    xaxis = {"type": "date", "tickformat": "%b %Y"}
    step = month_step(data)
    if step is not None:
        xaxis["dtick"] = step
    return {"height": height, "xaxis": xaxis, "yaxis": yaxis}


def finish(data: list[dict], unit: str, height: int, from_zero: bool = True, **layout) -> go.Figure:
    """A time chart: the traces on the shared axes, with any layout of its own on top."""
    return figure(data, merged(axes(data, unit, height, from_zero), layout))


def month_step(data: list[dict]):
    """A tick a month (or a quarter) on a short date axis, where Plotly would otherwise tick
    every few days and print each month's label several times; Plotly's choice otherwise."""
    xs = [trace.get("x") for trace in data]  # lists or numpy arrays
    days = sorted(
        {
            str(x)[:10]
            for values in xs
            if values is not None
            for x in values
            if x is not None and not (isinstance(x, float) and x != x)
        }
    )
    if len(days) < 2:
        return "M1"
    try:
        span = (pd.Timestamp(days[-1]) - pd.Timestamp(days[0])).days
    except ValueError:  # named periods ("Q4 2025/26"): the caller makes the axis categories
        return None
    return "M1" if span <= 400 else ("M3" if span <= 1100 else None)


def plain_floats(values) -> list:
    """A column as a plain list of numbers (None where missing), ready for the chart."""
    return [None if v is None or v is pd.NA or v != v else float(v) for v in values]


NOT_SHOWN = "not shown"  # a withheld figure's hover text (the table beside it says why)


def stacked(values, number: str = ",.0f", suffix: str = "") -> tuple[list, list]:
    """A series for stacked bars: lengths, a withheld (blank) figure drawn as none so the
    stack above it stays in place, and hover text that says it is not shown, never 0."""
    floats = plain_floats(values)
    return (
        [0.0 if v is None else v for v in floats],
        [NOT_SHOWN if v is None else f"{v:{number}}{suffix}" for v in floats],
    )


def stacked_bar(x, values, name: str, colour: str, number: str = ",.0f") -> dict:
    """One group's bars in a stack over `x` (see `stacked`: a withheld count is no bar and
    says 'not shown' on hover)."""
    y, text = stacked(values, number)
    return dict(
        type="bar",
        x=x,
        y=y,
        name=name,
        text=text,
        textposition="none",
        marker=dict(color=colour),
        hovertemplate=f"{name}: %{{text}}<extra></extra>",
    )


def horizontal_axes(
    unit: str, rows: int, right: int, legend: bool = False, height: int | None = None
) -> dict:
    """The layout of a chart of horizontal bars or dots by group: height by rows, the unit
    on the value axis, labels never cut off."""
    return {
        "height": height or max(220, 34 * rows + 100),
        "showlegend": legend,
        "margin": dict(l=10, r=right, t=30, b=50),
        "xaxis": {
            "title": {"text": AXIS_TITLES.get(unit, ""), "standoff": 12},
            "automargin": True,
            "ticksuffix": "%" if unit == "percent" else "",
        },
        "yaxis": {"automargin": True},
    }


register_template()
