"""Figures for the pillar sections: shares over time, calls, demand, reasons, ranges, backlog.

Same rules as `charts`: pure functions returning new figures on the shared "scorecard"
template, colour-blind-safe palette, every series also told apart by name, shape or label.
"""

from __future__ import annotations

import plotly.graph_objects as go

from . import fmt
from .charts import (
    AXIS_TITLES,
    GRID,
    INK,
    LIMIT_GREY,
    PALETTE,
    RAG_COLOURS,
    SIGNAL_COLOURS,
    _finish,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")


def stacked_shares(frame, x: str, group: str, value: str, labels=None,
                   height: int = 380) -> go.Figure:
    """Each group's share of the total in each period, stacked to 100%."""
    fig = go.Figure()
    for i, (name, rows) in enumerate(frame.groupby(group, sort=False)):
        fig.add_trace(go.Scatter(
            x=[str(v) for v in rows[x]], y=rows[value], name=(labels or {}).get(name, name),
            mode="lines", stackgroup="one", groupnorm="percent",
            line=dict(width=0.8, color=PALETTE[i % len(PALETTE)]),
            hovertemplate="%{fullData.name}: %{y:.1f}%<extra></extra>"))
    fig = _finish(fig, "percent", height)
    fig.update_yaxes(range=[0, 100])
    return fig


def calls(frame, height: int = 400) -> go.Figure:
    """Calls answered within 60 seconds, answered later and abandoned (stacked bars) with the
    service level as a line on a second axis."""
    fig = go.Figure()
    x = [str(v) for v in frame["period_start"]]
    for column, name, colour in (("answered_within_60s", "Answered within 60 seconds",
                                  PALETTE[0]),
                                 ("answered_later", "Answered after 60 seconds", PALETTE[4]),
                                 ("abandoned", "Abandoned", PALETTE[1])):
        fig.add_trace(go.Bar(x=x, y=frame[column], name=name, marker_color=colour,
                             hovertemplate=f"{name}: %{{y:,}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=frame["service_level"], name="Service level (right axis)",
                             yaxis="y2", mode="lines+markers",
                             line=dict(color=INK, width=2), marker=dict(symbol="diamond"),
                             hovertemplate="Service level: %{y:.1f}%<extra></extra>"))
    fig = _finish(fig, "count", height)
    fig.update_layout(barmode="stack", margin=dict(r=80),
                      yaxis=dict(title_text="Calls offered"),
                      yaxis2=dict(overlaying="y", side="right", range=[0, 100],
                                  tickmode="linear", tick0=0, dtick=20,
                                  ticksuffix="%", showgrid=False,
                                  title_text="Answered within 60 seconds"))
    return fig


def heatmap(frame, height: int = 360) -> go.Figure:
    """Average contacts per day by weekday and hour (darker = busier), values written in."""
    hours = sorted(frame["hour_of_day"].unique())
    grid = frame.pivot_table(index="weekday", columns="hour_of_day", values="per_day",
                             fill_value=0).reindex(index=range(1, 8), columns=hours, fill_value=0)
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[f"{h:02d}:00" for h in hours], y=list(WEEKDAYS),
        colorscale="Blues", colorbar=dict(title="Per day"),
        text=[[f"{v:.0f}" if v >= 1 else "" for v in row] for row in grid.to_numpy()],
        texttemplate="%{text}", hovertemplate="%{y} %{x}: %{z:.1f} a day<extra></extra>"))
    fig.update_layout(height=height, template="scorecard", hovermode="closest",
                      margin=dict(l=110))
    fig.update_yaxes(autorange="reversed", gridcolor="white", automargin=True)
    fig.update_xaxes(title_text="Hour of the day")
    return fig


def stacked_bars(frame, category: str, group: str, value: str, unit: str = "count",
                 height: int | None = None) -> go.Figure:
    """Horizontal stacked bars: each category split by group (e.g. services by reason)."""
    fig = go.Figure()
    order = frame.groupby(category)[value].sum().sort_values().index.tolist()
    for i, (name, rows) in enumerate(frame.groupby(group, sort=False)):
        rows = rows.set_index(category).reindex(order)
        fig.add_trace(go.Bar(y=order, x=rows[value].fillna(0), name=name, orientation="h",
                             marker=dict(color=PALETTE[i % len(PALETTE)],
                                         pattern_shape=("", "/", ".", "x", "-", "|")[i % 6]),
                             hovertemplate=f"%{{y}}, {name}: %{{x:,.1f}}<extra></extra>"))
    fig.update_layout(barmode="stack", height=height or max(260, 36 * len(order) + 110),
                      template="scorecard", margin=dict(l=10, r=20, t=40, b=40))
    fig.update_xaxes(title_text=AXIS_TITLES.get(unit, ""), automargin=True,
                     ticksuffix="%" if unit == "percent" else "")
    fig.update_yaxes(automargin=True)
    return fig


def ranges(frame, category: str, low: str, high: str, unit: str, low_name: str,
           high_name: str, height: int | None = None) -> go.Figure:
    """A dot for the typical value and a line out to the slow end, per group (e.g. the
    median and 90th percentile of working days to resolve, by service)."""
    frame = frame.iloc[::-1]
    fig = go.Figure()
    for _, row in frame.iterrows():
        fig.add_trace(go.Scatter(x=[row[low], row[high]], y=[row[category]] * 2, mode="lines",
                                 line=dict(color=GRID, width=6), showlegend=False,
                                 hoverinfo="skip"))
    for column, name, symbol, colour in ((low, low_name, "circle", PALETTE[0]),
                                         (high, high_name, "diamond", PALETTE[1])):
        fig.add_trace(go.Scatter(
            x=frame[column], y=frame[category], mode="markers", name=name,
            marker=dict(size=12, symbol=symbol, color=colour),
            hovertemplate=f"%{{y}}: {name} %{{x:.1f}}<extra></extra>"))
    fig.update_layout(height=height or max(260, 34 * len(frame) + 110), template="scorecard",
                      margin=dict(l=10, r=20, t=40, b=40), hovermode="closest")
    fig.update_xaxes(title_text=AXIS_TITLES.get(unit, ""), automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def lines(series: dict, unit: str = "percent", height: int = 380, events=None) -> go.Figure:
    """Several measures over time on one axis, told apart by colour, marker and dash."""
    from .charts import add_events
    fig = go.Figure()
    for i, (name, frame) in enumerate(series.items()):
        shown = frame[frame["value"].notna()]
        fig.add_trace(go.Scatter(
            x=[str(p) for p in shown["period_start"]], y=shown["value"], name=name,
            mode="lines+markers", line=dict(color=PALETTE[i], width=2.5,
                                            dash=("solid", "dash", "dot", "dashdot")[i % 4]),
            marker=dict(symbol=MARKERS[i % len(MARKERS)], size=7),
            text=[fmt.value(v, unit, 1) for v in shown["value"]],
            hovertemplate=f"{name}: %{{text}}<extra></extra>"))
    add_events(fig, events)
    return _finish(fig, unit, height)


def backlog(frame, height: int | None = None) -> go.Figure:
    """Open cases by service, stacked by how long they have been open (older = darker)."""
    shades = ("#C6DBEF", "#9ECAE1", "#4292C6", "#2171B5", "#08306B")
    fig = go.Figure()
    order = frame.groupby("service")["open_cases"].sum().sort_values().index.tolist()
    bands = frame.drop_duplicates("age_band").sort_values("band_order")
    for (band, rank), shade in zip(zip(bands["age_band"], bands["band_order"]), shades):
        rows = frame[frame["age_band"] == band].set_index("service").reindex(order)
        # a gap (NaN) would restart the stack for later bands: count it as none open
        fig.add_trace(go.Bar(y=order, x=rows["open_cases"].fillna(0), name=f"{band} working days",
                             orientation="h", marker=dict(color=shade, line=dict(
                                 color=INK if rank >= 4 else LIMIT_GREY, width=0.5)),
                             hovertemplate=f"%{{y}}, open {band} working days: "
                                           "%{x:,}<extra></extra>"))
    fig.update_layout(barmode="stack", height=height or max(260, 36 * len(order) + 110),
                      template="scorecard", margin=dict(l=10, r=20, t=40, b=40))
    fig.update_xaxes(title_text="Open cases")
    fig.update_yaxes(automargin=True)
    return fig


def grouped_bars(frame, category: str, value: str, unit: str, colour_by: str | None = None,
                 height: int | None = None) -> go.Figure:
    """Simple horizontal bars with value labels (largest at the top)."""
    frame = frame.sort_values(value)
    colours = [RAG_COLOURS.get(c, PALETTE[0]) for c in frame[colour_by]] if colour_by else \
        PALETTE[0]
    fig = go.Figure(go.Bar(
        y=frame[category], x=frame[value], orientation="h", marker_color=colours,
        text=[fmt.value(v, unit, 0 if unit == "count" else 1) for v in frame[value]],
        textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_layout(height=height or max(220, 40 * len(frame) + 90), template="scorecard",
                      showlegend=False, margin=dict(l=10, r=60, t=30, b=40))
    fig.update_xaxes(title_text=AXIS_TITLES.get(unit, ""), automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


__all__ = ["stacked_shares", "calls", "heatmap", "stacked_bars", "ranges", "lines", "backlog",
           "grouped_bars", "SIGNAL_COLOURS"]
