"""The measure charts: a measure over time as an XmR (SPC) chart with its target and
events, and a measure by service, channel or group as bars or intervals. Each is one pure
function returning a new figure on the shared theme (`theme`); charts never classify figures
(the engine and `spc` decide, charts draw).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..engine import fmt, glossary
from .theme import (
    GRID,
    INK,
    PALETTE,
    RAG_COLOURS,
    event_marks,
    figure,
    finish,
    horizontal_axes,
    plain_floats,
    vline,
)


def alt_text(measure, series) -> str:
    """A screen-reader description of a trend chart: range, latest figure and target."""
    shown = series.dropna(subset=["value"])
    if shown.empty:
        return f"Line chart of {measure.title}: no data in the periods shown."
    first, last = shown.iloc[0], shown.iloc[-1]
    low, high = shown["value"].min(), shown["value"].max()
    u, d = measure.unit, measure.decimals
    text = (
        f"Line chart of {measure.title} from {first['label']} to {last['label']}: "
        f"{fmt.value(first['value'], u, d)} at the start, {fmt.value(last['value'], u, d)} "
        f"at the end, ranging from {fmt.value(low, u, d)} to {fmt.value(high, u, d)}."
    )
    if not fmt.missing(last["target"]):
        text += f" The latest target is {fmt.value(last['target'], u, d)}."
    return text


SIGNAL_COLOURS = {
    "improvement": "#0072B2",
    "concern": "#D55E00",
    "neutral": "#7B3294",
    "common": "#6B6B6B",
}


SIGNAL_WORDS = glossary.POINTS


LIMIT_GREY = "#8C8C8C"


def _segments(frame) -> list[np.ndarray]:
    """Each segment's rows (positions in `frame`), segments in order, rows in theirs; rows
    with no segment left out."""
    segment = np.asarray(frame["segment"])
    at = np.flatnonzero(~pd.isna(segment))
    at = at[np.argsort(segment[at], kind="stable")]
    breaks = np.flatnonzero(segment[at][1:] != segment[at][:-1]) + 1
    return np.split(at, breaks) if len(at) else []


def _segment_line(x, frame, parts, column):
    """A limit line per segment, broken between segments (None) so it never joins them."""
    values = frame[column].tolist()
    xs, ys = [], []
    for part in parts:
        xs += [x[i] for i in part] + [None]
        ys += [values[i] for i in part] + [None]
    return xs, ys


def spc(
    series, spc_frame, measure, events=None, height: int = 420, run_chart: bool = False
) -> go.Figure:
    """Making Data Count XmR chart: values, mean, process limits, 2-sigma lines, target,
    and special-cause points marked by colour and shape (triangles point the way it moved).
    Survey measures get 95% interval whiskers. A run chart (data too coarse for limits)
    draws the median instead, and no limits."""
    x = [str(p) for p in series["period_start"]]
    has_limits = spc_frame["upper"].notna().any()
    lines = [
        ("centre", glossary.MEDIAN if run_chart else glossary.AVERAGE, dict(color=INK, width=1.5))
    ]
    if has_limits:
        lines += [
            ("upper", glossary.LIMITS, dict(color=LIMIT_GREY, width=1.5, dash="dash")),
            ("lower", None, dict(color=LIMIT_GREY, width=1.5, dash="dash")),
            ("near_upper", glossary.INNER, dict(color=GRID, width=1, dash="dot")),
            ("near_lower", None, dict(color=GRID, width=1, dash="dot")),
        ]
    data, parts = [], _segments(spc_frame)
    for column, name, line in lines:
        xs, ys = _segment_line(x, spc_frame, parts, column)
        data.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                name=name or column,
                line=line,
                showlegend=name is not None,
                legendgroup=column.split("_")[-1],
                hoverinfo="skip",
            )
        )
    if series["target"].notna().any():
        data.append(
            dict(
                type="scatter",
                x=x,
                y=plain_floats(series["target"]),
                name="Target",
                mode="lines",
                line=dict(color=RAG_COLOURS["red"], width=2, dash="longdash", shape="hv"),
                hoverinfo="skip",
            )
        )
    data += _spc_points(x, series, spc_frame, measure)
    layout = event_marks(events)
    if len(x):  # the series' own span: an event label near the end never stretches it
        ends = pd.to_datetime([x[0], x[-1]])
        layout["xaxis"] = {
            "range": [ends[0] - pd.Timedelta(days=20), ends[1] + pd.Timedelta(days=20)]
        }
    return finish(data, measure.unit, height, from_zero=False, **layout)


def _spc_points(x, series, frame, measure) -> list[dict]:
    """The values as a line, then one marker trace per signal so the legend explains them."""
    has = frame["value"].notna().to_numpy()
    values = frame["value"].to_numpy(dtype=float, na_value=float("nan"))
    data = [
        dict(
            type="scatter",
            x=[v for v, keep in zip(x, has) if keep],
            y=values[has].tolist(),
            mode="lines",
            name=measure.title,
            line=dict(color=PALETTE[0], width=2),
            hoverinfo="skip",
            showlegend=False,
        )
    ]
    error = None
    if series["low"].notna().any():
        error = dict(
            type="data",
            symmetric=False,
            color=LIMIT_GREY,
            thickness=1.2,
            array=(series["high"] - series["value"]).to_numpy(dtype=float),
            arrayminus=(series["value"] - series["low"]).to_numpy(dtype=float),
        )
    signals = frame["signal"].to_numpy()
    limits = frame["upper"].notna().any()
    directions = frame["direction"].to_numpy()
    labels = series["label"].to_numpy()
    for signal in ("common", "improvement", "concern", "neutral"):
        mask = (signals == signal) & has
        name = "Figure" if signal == "common" and not limits else SIGNAL_WORDS[signal]
        if not mask.any():
            continue
        symbols = [
            "circle" if signal == "common" else ("triangle-up" if d == "high" else "triangle-down")
            for d in directions[mask]
        ]
        text = [
            f"{lab}: {fmt.value(v, measure.unit, measure.decimals)}"
            for lab, v in zip(labels[mask], values[mask])
        ]
        trace = dict(
            type="scatter",
            x=[v for v, keep in zip(x, mask) if keep],
            y=values[mask].tolist(),
            mode="markers",
            name=name,
            text=text,
            marker=dict(
                size=8 if signal == "common" else 12,
                symbol=symbols,
                color=SIGNAL_COLOURS[signal],
                line=dict(width=1, color="white"),
            ),
            hovertemplate="%{text}<extra>" + name + "</extra>",
        )
        if error is not None:
            trace["error_y"] = dict(
                error,
                array=plain_floats(error["array"][mask]),
                arrayminus=plain_floats(error["arrayminus"][mask]),
            )
        data.append(trace)
    return data


def spc_alt_text(measure, series, spc_frame, variation_words: str) -> str:
    """Screen-reader description of an SPC chart: the trend, the limits and the verdict."""
    text = alt_text(measure, series).replace("Line chart", "Statistical process control chart")
    last = spc_frame[spc_frame["value"].notna()]
    if len(last) and not fmt.missing(last["upper"].iloc[-1]):
        u, d = measure.unit, measure.decimals
        text += (
            f" The average is {fmt.value(last['centre'].iloc[-1], u, d)}, with process "
            f"limits from {fmt.value(last['lower'].iloc[-1], u, d)} to "
            f"{fmt.value(last['upper'].iloc[-1], u, d)}."
        )
    specials = int(spc_frame["special"].sum())
    return f"{text} {specials} points show special cause variation. {variation_words}."


def bars(table, category: str, measure, height: int | None = None) -> go.Figure:
    """Horizontal bars of a measure by group (best at the top), RAG by colour and symbol, the
    target as a line; suppressed groups keep their row, labelled rather than drawn."""
    table = table.iloc[::-1]  # plotly draws the first row at the bottom
    labels = [f"{c} (suppressed)" if s else c for c, s in zip(table[category], table["suppressed"])]
    rags = list(table["rag"]) if "rag" in table else ["none"] * len(table)
    data = [
        dict(
            type="bar",
            y=labels,
            x=plain_floats(table["value"]),
            orientation="h",
            marker=dict(color=[RAG_COLOURS[r] for r in rags]),
            text=[
                ("" if fmt.missing(v) else fmt.value(v, measure.unit, measure.decimals))
                for v in table["value"]
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    ]
    layout = horizontal_axes(measure.unit, len(table), 60, height=height)
    targets = table["target"].dropna() if "target" in table else []
    if len(targets):
        # under the bars, so it never runs through a bar's value label
        layout |= vline(
            float(targets.iloc[0]), dict(color=INK, width=2, dash="dash"), "Target", layer="below"
        )
    return figure(data, layout)


def intervals(
    table,
    category: str,
    unit: str = "percent",
    overall: float | None = None,
    height: int | None = None,
) -> go.Figure:
    """Dots with 95% interval whiskers per group; groups that differ from the rest are
    marked by colour and shape; suppressed groups are listed but not drawn."""
    table = table.iloc[::-1]
    shapes = {
        "lower": ("triangle-left", SIGNAL_COLOURS["concern"]),
        "higher": ("triangle-right", SIGNAL_COLOURS["improvement"]),
        "": ("circle", SIGNAL_COLOURS["common"]),
    }
    labels = [f"{c} (suppressed)" if s else c for c, s in zip(table[category], table["suppressed"])]
    data = [
        dict(
            type="scatter",
            y=labels,
            x=plain_floats(table["value"]),
            mode="markers",
            marker=dict(
                size=12,
                symbol=[shapes[v][0] for v in table["versus_rest"]],
                color=[shapes[v][1] for v in table["versus_rest"]],
            ),
            error_x=dict(
                type="data",
                symmetric=False,
                array=plain_floats(table["high"] - table["value"]),
                arrayminus=plain_floats(table["value"] - table["low"]),
                color=LIMIT_GREY,
            ),
            text=[
                f"{fmt.value(v, unit, 1)} (95% interval {fmt.value(lo, unit, 1)} to "
                f"{fmt.value(hi, unit, 1)})"
                for v, lo, hi in zip(table["value"], table["low"], table["high"])
            ],
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    ]
    layout = horizontal_axes(unit, len(table), 20, height=height)
    if overall is not None:
        layout |= vline(overall, dict(color=INK, width=1.5, dash="dash"), "All respondents")
    return figure(data, layout)
