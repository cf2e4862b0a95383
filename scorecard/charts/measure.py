"""Chart builders: each chart kind is one pure function returning a new Plotly figure.

Figures are built as plain trace and layout dictionaries and made a figure once
(`figure`): Plotly's object model checks every property as it is set, which cost more than
the queries on a page of charts. Tests switch the check back on (`VALIDATE`), so a mistyped
property still fails there.

All figures share one registered template ("scorecard"): the Okabe-Ito colour-blind-safe
palette, dark text on white (WCAG 2.2 AA), and large enough type to read on a projector.
Target lines, RAG markers and event markers are parameters; charts never classify figures
(the engine and `spc` decide, charts draw).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..engine import fmt, glossary

# Okabe-Ito, reordered so the first colours are the most distinct; all pass 3:1 on white
# as graphical objects except yellow, kept last and never used for text.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000",
           "#F0E442"]
INK, MUTED, GRID = "#1A1A1A", "#505050", "#D9D9D9"
VALIDATE = False  # check every property against Plotly's schema (tests set it)
RAG_COLOURS = {"green": "#007A3D", "amber": "#B35C00", "red": "#C4122F", "none": "#6B6B6B"}
RAG_SYMBOLS = {"green": "circle", "amber": "diamond", "red": "x", "none": "circle-open"}
TARGET_COLOUR = "#000000"
TICK_FORMAT = {"percent": ".0f", "per_1000": ".0f"}
AXIS_TITLES = {"percent": "Per cent", "per_1000": "Per 1,000 contacts", "seconds": "Seconds",
               "minutes": "Minutes", "working_days": "Working days", "count": "Number"}


def register_template() -> None:
    """Register the shared 'scorecard' template and make it the default."""
    template = go.layout.Template()
    template.layout = go.Layout(
        font=dict(family="Source Sans Pro, Arial, sans-serif", size=15, color=INK),
        colorway=PALETTE, paper_bgcolor="white", plot_bgcolor="white",
        margin=dict(l=60, r=20, t=30, b=50), hovermode="x unified",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, font=dict(size=14)),
        xaxis=dict(showgrid=False, linecolor=MUTED, ticks="outside", tickcolor=MUTED),
        yaxis=dict(gridcolor=GRID, zeroline=False, linecolor=MUTED, rangemode="tozero"),
        hoverlabel=dict(font=dict(size=14)),
    )
    pio.templates["scorecard"] = template
    pio.templates.default = "scorecard"


register_template()


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
        "shapes": [dict(type="line", xref="x", yref="paper", x0=str(e.date), x1=str(e.date),
                        y0=0, y1=1, line=dict(color=MUTED, width=1, dash="dot"))
                   for e in marks],
        "annotations": [dict(x=str(e.date), y=1 - 0.08 * (i % 3), yref="paper", text=e.label,
                             showarrow=False, xanchor="left", font=dict(size=12, color=MUTED),
                             bgcolor="rgba(255,255,255,0.85)") for i, e in enumerate(marks)]}


def vline(x, line: dict, text: str, layer: str | None = None) -> dict:
    """A labelled vertical line across the plot (a target, the all-respondents figure): the
    layout's shape and annotation, as Plotly's add_vline draws them."""
    shape = dict(type="line", xref="x", x0=x, x1=x, yref="y domain", y0=0, y1=1, line=line)
    if layer:
        shape["layer"] = layer
    return {"shapes": [shape],
            "annotations": [dict(x=x, xref="x", y=1, yref="y domain", text=text,
                                 showarrow=False, xanchor="center", yanchor="bottom")]}


def axes(data: list[dict], unit: str, height: int, from_zero: bool = True) -> dict:
    """The layout every time chart shares: its height, the unit's axis title and suffix, and
    a date axis ticked by month (or quarter) where that reads best."""
    yaxis = {"title": {"text": AXIS_TITLES.get(unit, "")},
             "ticksuffix": "%" if unit == "percent" else ""}
    if not from_zero:  # SPC charts zoom to the data so the limits can be read
        yaxis["rangemode"] = "normal"
    xaxis = {"type": "date", "tickformat": "%b %Y"}
    step = _month_step(data)
    if step is not None:
        xaxis["dtick"] = step
    return {"height": height, "xaxis": xaxis, "yaxis": yaxis}


def _finish(data: list[dict], unit: str, height: int, from_zero: bool = True,
            **layout) -> go.Figure:
    """A time chart: the traces on the shared axes, with any layout of its own on top."""
    return figure(data, merged(axes(data, unit, height, from_zero), layout))


def _month_step(data: list[dict]):
    """A tick a month (or a quarter) on a short date axis, where Plotly would otherwise tick
    every few days and print each month's label several times; Plotly's choice otherwise."""
    xs = [trace.get("x") for trace in data]  # lists or numpy arrays
    days = sorted({str(x)[:10] for values in xs if values is not None for x in values
                   if x is not None and not (isinstance(x, float) and x != x)})
    if len(days) < 2:
        return "M1"
    try:
        span = (pd.Timestamp(days[-1]) - pd.Timestamp(days[0])).days
    except ValueError:  # named periods ("Q4 2025/26"): the caller makes the axis categories
        return None
    return "M1" if span <= 400 else ("M3" if span <= 1100 else None)


def alt_text(measure, series) -> str:
    """A screen-reader description of a trend chart: range, latest figure and target."""
    shown = series.dropna(subset=["value"])
    if shown.empty:
        return f"Line chart of {measure.title}: no data in the periods shown."
    first, last = shown.iloc[0], shown.iloc[-1]
    low, high = shown["value"].min(), shown["value"].max()
    u, d = measure.unit, measure.decimals
    text = (f"Line chart of {measure.title} from {first['label']} to {last['label']}: "
            f"{fmt.value(first['value'], u, d)} at the start, {fmt.value(last['value'], u, d)} "
            f"at the end, ranging from {fmt.value(low, u, d)} to {fmt.value(high, u, d)}.")
    if not fmt.missing(last["target"]):
        text += f" The latest target is {fmt.value(last['target'], u, d)}."
    return text


SIGNAL_COLOURS = {"improvement": "#0072B2", "concern": "#D55E00", "neutral": "#7B3294",
                  "common": "#6B6B6B"}
SIGNAL_WORDS = glossary.POINTS
LIMIT_GREY = "#8C8C8C"


def _segments(x, frame, column):
    """A limit line per segment, broken between segments (None) so it never joins them."""
    xs, ys = [], []
    for _, part in frame.assign(x=x).groupby("segment", sort=True):
        xs += list(part["x"]) + [None]
        ys += list(part[column]) + [None]
    return xs, ys


def spc(series, spc_frame, measure, events=None, height: int = 420,
        run_chart: bool = False) -> go.Figure:
    """Making Data Count XmR chart: values, mean, process limits, 2-sigma lines, target,
    and special-cause points marked by colour and shape (triangles point the way it moved).
    Survey measures get 95% interval whiskers. A run chart (data too coarse for limits)
    draws the median instead, and no limits."""
    x = [str(p) for p in series["period_start"]]
    has_limits = spc_frame["upper"].notna().any()
    lines = [("centre", glossary.MEDIAN if run_chart else glossary.AVERAGE,
              dict(color=INK, width=1.5))]
    if has_limits:
        lines += [("upper", glossary.LIMITS, dict(color=LIMIT_GREY, width=1.5, dash="dash")),
                  ("lower", None, dict(color=LIMIT_GREY, width=1.5, dash="dash")),
                  ("near_upper", glossary.INNER, dict(color=GRID, width=1, dash="dot")),
                  ("near_lower", None, dict(color=GRID, width=1, dash="dot"))]
    data = []
    for column, name, line in lines:
        xs, ys = _segments(x, spc_frame, column)
        data.append(dict(type="scatter", x=xs, y=ys, mode="lines", name=name or column,
                         line=line, showlegend=name is not None,
                         legendgroup=column.split("_")[-1], hoverinfo="skip"))
    if series["target"].notna().any():
        data.append(dict(type="scatter", x=x, y=_floats(series["target"]), name="Target",
                         mode="lines", line=dict(color=RAG_COLOURS["red"], width=2,
                                                 dash="longdash", shape="hv"),
                         hoverinfo="skip"))
    data += _spc_points(x, series, spc_frame, measure)
    layout = event_marks(events)
    if len(x):  # the series' own span: an event label near the end never stretches it
        ends = pd.to_datetime([x[0], x[-1]])
        layout["xaxis"] = {"range": [ends[0] - pd.Timedelta(days=20),
                                     ends[1] + pd.Timedelta(days=20)]}
    return _finish(data, measure.unit, height, from_zero=False, **layout)


def _floats(values) -> list:
    """A column as a plain list of numbers (None where missing), ready for the chart."""
    return [None if v is None or v is pd.NA or v != v else float(v) for v in values]


NOT_SHOWN = "not shown"  # a withheld figure's hover text (the table beside it says why)


def stacked(values, number: str = ",.0f", suffix: str = "") -> tuple[list, list]:
    """A series for stacked bars: lengths, a withheld (blank) figure drawn as none so the
    stack above it stays in place, and hover text that says it is not shown, never 0."""
    floats = _floats(values)
    return ([0.0 if v is None else v for v in floats],
            [NOT_SHOWN if v is None else f"{v:{number}}{suffix}" for v in floats])


def _spc_points(x, series, frame, measure) -> list[dict]:
    """The values as a line, then one marker trace per signal so the legend explains them."""
    has = frame["value"].notna().to_numpy()
    values = frame["value"].to_numpy(dtype=float, na_value=float("nan"))
    data = [dict(type="scatter", x=[v for v, keep in zip(x, has) if keep],
                 y=values[has].tolist(), mode="lines", name=measure.title,
                 line=dict(color=PALETTE[0], width=2), hoverinfo="skip", showlegend=False)]
    error = None
    if series["low"].notna().any():
        error = dict(type="data", symmetric=False, color=LIMIT_GREY, thickness=1.2,
                     array=(series["high"] - series["value"]).to_numpy(dtype=float),
                     arrayminus=(series["value"] - series["low"]).to_numpy(dtype=float))
    signals = frame["signal"].to_numpy()
    limits = frame["upper"].notna().any()
    directions = frame["direction"].to_numpy()
    labels = series["label"].to_numpy()
    for signal in ("common", "improvement", "concern", "neutral"):
        mask = (signals == signal) & has
        name = "Figure" if signal == "common" and not limits else SIGNAL_WORDS[signal]
        if not mask.any():
            continue
        symbols = ["circle" if signal == "common" else
                   ("triangle-up" if d == "high" else "triangle-down")
                   for d in directions[mask]]
        text = [f"{lab}: {fmt.value(v, measure.unit, measure.decimals)}"
                for lab, v in zip(labels[mask], values[mask])]
        trace = dict(type="scatter", x=[v for v, keep in zip(x, mask) if keep],
                     y=values[mask].tolist(), mode="markers", name=name, text=text,
                     marker=dict(size=8 if signal == "common" else 12, symbol=symbols,
                                 color=SIGNAL_COLOURS[signal],
                                 line=dict(width=1, color="white")),
                     hovertemplate="%{text}<extra>" + name + "</extra>")
        if error is not None:
            trace["error_y"] = dict(error, array=_floats(error["array"][mask]),
                                    arrayminus=_floats(error["arrayminus"][mask]))
        data.append(trace)
    return data


def spc_alt_text(measure, series, spc_frame, variation_words: str) -> str:
    """Screen-reader description of an SPC chart: the trend, the limits and the verdict."""
    text = alt_text(measure, series).replace("Line chart", "Statistical process control chart")
    last = spc_frame[spc_frame["value"].notna()]
    if len(last) and not fmt.missing(last["upper"].iloc[-1]):
        u, d = measure.unit, measure.decimals
        text += (f" The average is {fmt.value(last['centre'].iloc[-1], u, d)}, with process "
                 f"limits from {fmt.value(last['lower'].iloc[-1], u, d)} to "
                 f"{fmt.value(last['upper'].iloc[-1], u, d)}.")
    specials = int(spc_frame["special"].sum())
    return f"{text} {specials} points show special cause variation. {variation_words}."


def _horizontal_axes(unit: str, rows: int, right: int, legend: bool = False,
                     height: int | None = None) -> dict:
    """The layout of a chart of horizontal bars or dots by group: height by rows, the unit
    on the value axis, labels never cut off."""
    return {"height": height or max(220, 34 * rows + 100), "showlegend": legend,
            "margin": dict(l=10, r=right, t=30, b=50),
            "xaxis": {"title": {"text": AXIS_TITLES.get(unit, ""), "standoff": 12},
                      "automargin": True, "ticksuffix": "%" if unit == "percent" else ""},
            "yaxis": {"automargin": True}}


def bars(table, category: str, measure, height: int | None = None) -> go.Figure:
    """Horizontal bars of a measure by group (best at the top), RAG by colour and symbol, the
    target as a line; suppressed groups keep their row, labelled rather than drawn."""
    table = table.iloc[::-1]  # plotly draws the first row at the bottom
    labels = [f"{c} (suppressed)" if s else c
              for c, s in zip(table[category], table["suppressed"])]
    rags = list(table["rag"]) if "rag" in table else ["none"] * len(table)
    data = [dict(type="bar", y=labels, x=_floats(table["value"]), orientation="h",
                 marker=dict(color=[RAG_COLOURS[r] for r in rags]),
                 text=[("" if fmt.missing(v) else fmt.value(v, measure.unit, measure.decimals))
                       for v in table["value"]], textposition="outside", cliponaxis=False,
                 hovertemplate="%{y}: %{text}<extra></extra>")]
    layout = _horizontal_axes(measure.unit, len(table), 60, height=height)
    targets = table["target"].dropna() if "target" in table else []
    if len(targets):
        # under the bars, so it never runs through a bar's value label
        layout |= vline(float(targets.iloc[0]), dict(color=INK, width=2, dash="dash"),
                        "Target", layer="below")
    return figure(data, layout)


def intervals(table, category: str, unit: str = "percent", overall: float | None = None,
              height: int | None = None) -> go.Figure:
    """Dots with 95% interval whiskers per group; groups that differ from the rest are
    marked by colour and shape; suppressed groups are listed but not drawn."""
    table = table.iloc[::-1]
    shapes = {"lower": ("triangle-left", SIGNAL_COLOURS["concern"]),
              "higher": ("triangle-right", SIGNAL_COLOURS["improvement"]),
              "": ("circle", SIGNAL_COLOURS["common"])}
    labels = [f"{c} (suppressed)" if s else c
              for c, s in zip(table[category], table["suppressed"])]
    data = [dict(
        type="scatter", y=labels, x=_floats(table["value"]), mode="markers",
        marker=dict(size=12, symbol=[shapes[v][0] for v in table["versus_rest"]],
                    color=[shapes[v][1] for v in table["versus_rest"]]),
        error_x=dict(type="data", symmetric=False,
                     array=_floats(table["high"] - table["value"]),
                     arrayminus=_floats(table["value"] - table["low"]), color=LIMIT_GREY),
        text=[f"{fmt.value(v, unit, 1)} (95% interval {fmt.value(lo, unit, 1)} to "
              f"{fmt.value(hi, unit, 1)})" for v, lo, hi in
              zip(table["value"], table["low"], table["high"])],
        hovertemplate="%{y}: %{text}<extra></extra>")]
    layout = _horizontal_axes(unit, len(table), 20, height=height)
    if overall is not None:
        layout |= vline(overall, dict(color=INK, width=1.5, dash="dash"), "All respondents")
    return figure(data, layout)
