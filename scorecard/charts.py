"""Chart builders: each chart kind is one pure function returning a new Plotly figure.

All figures share one registered template ("scorecard"): the Okabe-Ito colour-blind-safe
palette, dark text on white (WCAG 2.2 AA), and large enough type to read on a projector.
Target lines, RAG markers and event markers are parameters; charts never classify figures
(the engine and `spc` decide, charts draw).
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from . import fmt

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


def trend(series, measure, events=None, height: int = 360) -> go.Figure:
    """A measure over time: the values, markers shaped by RAG, the target as a step line."""
    fig = go.Figure()
    series = series[series["value"].notna() | series["target"].notna()]
    x = [str(p) for p in series["period_start"]]
    rags = list(series["rag"])
    fig.add_trace(go.Scatter(
        x=x, y=series["value"], name=measure.title, mode="lines+markers", connectgaps=True,
        line=dict(color=PALETTE[0], width=3),
        marker=dict(size=9, color=[RAG_COLOURS[r] for r in rags],
                    symbol=[RAG_SYMBOLS[r] for r in rags], line=dict(width=1, color="white")),
        customdata=list(zip(series["label"], _value_text(series["value"], measure.unit,
                                                         measure.decimals), rags)),
        hovertemplate="%{customdata[0]}: %{customdata[1]} (%{customdata[2]})<extra></extra>",
    ))
    if series["target"].notna().any():
        fig.add_trace(go.Scatter(
            x=x, y=series["target"], name="Target", mode="lines",
            line=dict(color=TARGET_COLOUR, width=2, dash="dash", shape="hv"),
            hovertemplate="Target: %{y}<extra></extra>",
        ))
    add_events(fig, events)
    return _finish(fig, measure.unit, height)


def add_events(fig: go.Figure, events) -> go.Figure:
    """Mark dated events (new telephony, a cash office closing) as labelled vertical lines."""
    if events is None or len(events) == 0:
        return fig
    for i, event in enumerate(events.itertuples(index=False)):
        fig.add_vline(x=str(event.date), line=dict(color=MUTED, width=1, dash="dot"))
        fig.add_annotation(x=str(event.date), y=1 - 0.08 * (i % 3), yref="paper",
                           text=event.label, showarrow=False, xanchor="left",
                           font=dict(size=12, color=MUTED), bgcolor="rgba(255,255,255,0.85)")
    return fig


def _finish(fig: go.Figure, unit: str, height: int) -> go.Figure:
    fig.update_layout(height=height, template="scorecard")
    fig.update_yaxes(title_text=AXIS_TITLES.get(unit, ""),
                     ticksuffix="%" if unit == "percent" else "")
    fig.update_xaxes(type="date", tickformat="%b %Y")
    return fig


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
