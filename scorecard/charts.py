"""Chart builders: each chart kind is one pure function returning a new Plotly figure.

All figures share one registered template ("scorecard"): the Okabe-Ito colour-blind-safe
palette, dark text on white (WCAG 2.2 AA), and large enough type to read on a projector.
Target lines, RAG markers and event markers are parameters; charts never classify figures
(the engine and `spc` decide, charts draw).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from . import fmt, glossary

# Okabe-Ito, reordered so the first colours are the most distinct; all pass 3:1 on white
# as graphical objects except yellow, kept last and never used for text.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000",
           "#F0E442"]
INK, MUTED, GRID = "#1A1A1A", "#505050", "#D9D9D9"
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


def add_events(fig: go.Figure, events) -> go.Figure:
    """Mark dated events (new telephony, a cash office closing) as labelled vertical lines."""
    if events is None or len(events) == 0:
        return fig
    # one layout update for every event (add_vline per event is slow in Plotly)
    marks = list(events.itertuples(index=False))
    fig.update_layout(
        shapes=list(fig.layout.shapes) + [
            dict(type="line", xref="x", yref="paper", x0=str(e.date), x1=str(e.date), y0=0,
                 y1=1, line=dict(color=MUTED, width=1, dash="dot")) for e in marks],
        annotations=list(fig.layout.annotations) + [
            dict(x=str(e.date), y=1 - 0.08 * (i % 3), yref="paper", text=e.label,
                 showarrow=False, xanchor="left", font=dict(size=12, color=MUTED),
                 bgcolor="rgba(255,255,255,0.85)") for i, e in enumerate(marks)])
    return fig


def _finish(fig: go.Figure, unit: str, height: int, from_zero: bool = True) -> go.Figure:
    fig.update_layout(height=height, template="scorecard")
    if not from_zero:  # SPC charts zoom to the data so the limits can be read
        fig.update_yaxes(rangemode="normal")
    fig.update_yaxes(title_text=AXIS_TITLES.get(unit, ""),
                     ticksuffix="%" if unit == "percent" else "")
    fig.update_xaxes(type="date", tickformat="%b %Y", dtick=_month_step(fig))
    return fig


def _month_step(fig: go.Figure):
    """A tick a month (or a quarter) on a short date axis, where Plotly would otherwise tick
    every few days and print each month's label several times; Plotly's choice otherwise."""
    xs = [getattr(trace, "x", None) for trace in fig.data]  # tuples, lists or numpy arrays
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
    fig = go.Figure()
    x = [str(p) for p in series["period_start"]]
    has_limits = spc_frame["upper"].notna().any()
    lines = [("centre", glossary.MEDIAN if run_chart else glossary.AVERAGE,
              dict(color=INK, width=1.5))]
    if has_limits:
        lines += [("upper", glossary.LIMITS, dict(color=LIMIT_GREY, width=1.5, dash="dash")),
                  ("lower", None, dict(color=LIMIT_GREY, width=1.5, dash="dash")),
                  ("near_upper", glossary.INNER, dict(color=GRID, width=1, dash="dot")),
                  ("near_lower", None, dict(color=GRID, width=1, dash="dot"))]
    for column, name, line in lines:
        xs, ys = _segments(x, spc_frame, column)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name or column, line=line,
                                 showlegend=name is not None, legendgroup=column.split("_")[-1],
                                 hoverinfo="skip"))
    if series["target"].notna().any():
        fig.add_trace(go.Scatter(x=x, y=series["target"], name="Target", mode="lines",
                                 line=dict(color=RAG_COLOURS["red"], width=2, dash="longdash",
                                           shape="hv"), hoverinfo="skip"))
    _spc_points(fig, x, series, spc_frame, measure)
    add_events(fig, events)
    fig = _finish(fig, measure.unit, height, from_zero=False)
    if len(x):  # the series' own span: an event label near the end never stretches it
        ends = pd.to_datetime([x[0], x[-1]])
        fig.update_xaxes(range=[ends[0] - pd.Timedelta(days=20), ends[1] + pd.Timedelta(days=20)])
    return fig


def _spc_points(fig, x, series, frame, measure) -> None:
    """The values as a line, then one marker trace per signal so the legend explains them."""
    has = frame["value"].notna().to_numpy()
    xs = [v for v, keep in zip(x, has) if keep]
    fig.add_trace(go.Scatter(x=xs, y=frame.loc[has, "value"], mode="lines", name=measure.title,
                             line=dict(color=PALETTE[0], width=2), hoverinfo="skip",
                             showlegend=False))
    error = None
    if series["low"].notna().any():
        error = dict(type="data", symmetric=False, color=LIMIT_GREY, thickness=1.2,
                     array=(series["high"] - series["value"]).to_numpy(),
                     arrayminus=(series["value"] - series["low"]).to_numpy())
    for signal in ("common", "improvement", "concern", "neutral"):
        mask = (frame["signal"] == signal).to_numpy() & has
        name = "Figure" if signal == "common" and not frame["upper"].notna().any() else \
            SIGNAL_WORDS[signal]
        if not mask.any():
            continue
        symbols = ["circle" if signal == "common" else
                   ("triangle-up" if d == "high" else "triangle-down")
                   for d in frame.loc[mask, "direction"]]
        labels = series.loc[mask, "label"]
        text = [f"{lab}: {fmt.value(v, measure.unit, measure.decimals)}"
                for lab, v in zip(labels, frame.loc[mask, "value"])]
        fig.add_trace(go.Scatter(
            x=[v for v, keep in zip(x, mask) if keep], y=frame.loc[mask, "value"],
            mode="markers", name=name, text=text,
            marker=dict(size=8 if signal == "common" else 12, symbol=symbols,
                        color=SIGNAL_COLOURS[signal], line=dict(width=1, color="white")),
            error_y=None if error is None else dict(
                error, array=error["array"][mask], arrayminus=error["arrayminus"][mask]),
            hovertemplate="%{text}<extra>" + name + "</extra>"))


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


def bars(table, category: str, measure, height: int | None = None) -> go.Figure:
    """Horizontal bars of a measure by group (best at the top), RAG by colour and symbol, the
    target as a line; suppressed groups keep their row, labelled rather than drawn."""
    table = table.iloc[::-1]  # plotly draws the first row at the bottom
    labels = [f"{c} (suppressed)" if s else c
              for c, s in zip(table[category], table["suppressed"])]
    rags = list(table["rag"]) if "rag" in table else ["none"] * len(table)
    fig = go.Figure(go.Bar(
        y=labels, x=table["value"], orientation="h",
        marker=dict(color=[RAG_COLOURS[r] for r in rags]),
        text=[("" if fmt.missing(v) else fmt.value(v, measure.unit, measure.decimals))
              for v in table["value"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>"))
    targets = table["target"].dropna() if "target" in table else []
    if len(targets):
        # under the bars, so it never runs through a bar's value label
        fig.add_vline(x=float(targets.iloc[0]), line=dict(color=INK, width=2, dash="dash"),
                      annotation_text="Target", annotation_position="top", layer="below")
    fig.update_layout(height=height or max(220, 34 * len(table) + 100), showlegend=False,
                      template="scorecard", margin=dict(l=10, r=60, t=30, b=50))
    fig.update_xaxes(title_text=AXIS_TITLES.get(measure.unit, ""), automargin=True,
                     title_standoff=12, ticksuffix="%" if measure.unit == "percent" else "")
    fig.update_yaxes(automargin=True)
    return fig


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
    fig = go.Figure(go.Scatter(
        y=labels, x=table["value"], mode="markers",
        marker=dict(size=12, symbol=[shapes[v][0] for v in table["versus_rest"]],
                    color=[shapes[v][1] for v in table["versus_rest"]]),
        error_x=dict(type="data", symmetric=False, array=table["high"] - table["value"],
                     arrayminus=table["value"] - table["low"], color=LIMIT_GREY),
        text=[f"{fmt.value(v, unit, 1)} (95% interval {fmt.value(lo, unit, 1)} to "
              f"{fmt.value(hi, unit, 1)})" for v, lo, hi in
              zip(table["value"], table["low"], table["high"])],
        hovertemplate="%{y}: %{text}<extra></extra>"))
    if overall is not None:
        fig.add_vline(x=overall, line=dict(color=INK, width=1.5, dash="dash"),
                      annotation_text="All respondents", annotation_position="top")
    fig.update_layout(height=height or max(220, 34 * len(table) + 100), showlegend=False,
                      template="scorecard", margin=dict(l=10, r=20, t=30, b=50))
    fig.update_xaxes(title_text=AXIS_TITLES.get(unit, ""), automargin=True, title_standoff=12,
                     ticksuffix="%" if unit == "percent" else "")
    fig.update_yaxes(automargin=True)
    return fig
