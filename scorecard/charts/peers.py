"""The comparison with similar councils over time: the council's figure as a solid line with
filled circles (open where the figure is the dashboard's own, not a published one), the
peers' median as a dashed line with squares, and the middle half of the peers (lower to
upper quartile) as a shaded band. Each line is also labelled at its end, so colour is never
the only signal. One pure function; the engine decides every figure (engine/peers.py).
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from ..engine import fmt
from ..engine.peers import DEFINITION_NOTE, Comparison, group_words
from .theme import AXIS_TITLES, INK, MUTED, PALETTE, figure

BAND = "rgba(86, 180, 233, 0.28)"  # Okabe-Ito sky blue, light: the middle half
COUNCIL = PALETTE[0]


def _texts(values, m) -> list[str]:
    return ["no figure" if v is None else fmt.value(v, m.unit, m.decimals) for v in values]


def _label(x, y, text: str, colour: str, shift: int = 0) -> dict:
    """A line's name written beside its last point (moved up or down by `shift` pixels so
    two names never sit on top of each other)."""
    return dict(
        x=x,
        y=y,
        text=text,
        showarrow=False,
        xanchor="left",
        xshift=12,
        yshift=shift,
        font=dict(size=13, color=colour),
    )


def _labels(x, council, median, name: str, values) -> list[dict]:
    """The two lines' names at their last points; where the points are close (within a
    tenth of the values' range), the higher name goes up and the lower down."""
    if council is None:
        return [_label(x, median, "Median", INK)]
    span = max(values) - min(values) or 1.0
    apart = 0 if abs(council - median) >= span / 10 else 9
    up = 1 if council >= median else -1
    return [
        _label(x, median, "Median", INK, -up * apart),
        _label(x, council, name, COUNCIL, up * apart),
    ]


def _own_words(periods) -> str:
    """What the council's markers mean, in its legend entry, where any figure is not its
    published one (an open circle)."""
    own = [p.source != "published" for p in periods if p.council is not None]
    if not any(own):
        return ""
    return " (this dashboard's own figures)" if all(own) else " (open: this dashboard's own)"


def comparison(c: Comparison, height: int = 380) -> go.Figure:
    """The council against its peers, period by period."""
    m, periods = c.measure, c.periods
    x = [p.label for p in periods]
    name = html.escape(c.council_name)
    group = html.escape(group_words(periods[-1].peer_group))
    ours = [p.council for p in periods]
    medians = [p.median for p in periods]
    data = []
    if any(p.lower_quartile is not None for p in periods):
        upper = [p.upper_quartile for p in periods]
        lower = [p.lower_quartile for p in periods]
        data += [
            dict(
                type="scatter",
                x=x,
                y=upper,
                mode="lines",
                line=dict(width=0, color=BAND),
                showlegend=False,
                hoverinfo="skip",
                name="Upper quartile",
            ),
            dict(
                type="scatter",
                x=x,
                y=lower,
                mode="lines",
                line=dict(width=0, color=BAND),
                fill="tonexty",
                fillcolor=BAND,
                name=f"Middle half (quartiles) of {group}",
                text=[f"{a} to {b}" for a, b in zip(_texts(lower, m), _texts(upper, m))],
                hovertemplate="Middle half: %{text}<extra></extra>",
            ),
        ]
    data += [
        dict(
            type="scatter",
            x=x,
            y=medians,
            mode="lines+markers",
            name=f"Median of {group}",
            line=dict(color=MUTED, width=2, dash="dash"),
            marker=dict(symbol="square", size=9, color=MUTED),
            text=_texts(medians, m),
            hovertemplate="Median: %{text}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=x,
            y=ours,
            mode="lines+markers",
            name=name + _own_words(periods),
            line=dict(color=COUNCIL, width=3),
            marker=dict(
                symbol=["circle" if p.source == "published" else "circle-open" for p in periods],
                size=12,
                color=COUNCIL,
                line=dict(width=2, color=COUNCIL),
            ),
            text=[
                t + ("" if p.source == "published" else " (this dashboard's own)")
                for t, p in zip(_texts(ours, m), periods)
            ],
            hovertemplate=f"{name}: %{{text}}<extra></extra>",
        ),
    ]
    drawn = [v for trace in data for v in trace["y"] if v is not None]
    layout = {
        "height": height,
        "margin": dict(l=60, r=150, t=70, b=50),
        "xaxis": {"type": "category", "title": {"text": "Period"}},
        "yaxis": {  # zoomed to the figures, as the SPC charts are, so the gaps can be read
            "title": {"text": AXIS_TITLES.get(m.unit, "")},
            "ticksuffix": "%" if m.unit == "percent" else "",
            "rangemode": "normal",
        },
        "annotations": _labels(x[-1], ours[-1], medians[-1], name, drawn),
    }
    if not c.same_definition:
        layout["title"] = dict(
            text=f"{DEFINITION_NOTE}.",
            x=0,
            xanchor="left",
            y=0.99,
            yanchor="top",
            font=dict(size=14, color=INK),
        )
        layout["legend"] = dict(y=1.0, yanchor="bottom")
    return figure(data, layout)


def alt_text(c: Comparison) -> str:
    """A screen-reader description: the council's figures and the median, first and last,
    and the latest rank."""
    m, first, last = c.measure, c.periods[0], c.periods[-1]
    group = group_words(last.peer_group)

    def v(value) -> str:
        return "no figure" if value is None else fmt.value(value, m.unit, m.decimals)

    span = first.label if first is last else f"{first.label} to {last.label}"
    text = (
        f"Line chart of {m.title} for {c.council_name} and the median of {last.peers} "
        f"{group}, {span}: {c.council_name} {v(first.council)}"
        + ("" if first is last else f" then {v(last.council)}")
        + f"; median {v(first.median)}"
        + ("" if first is last else f" then {v(last.median)}")
        + "."
    )
    if last.lower_quartile is not None:
        text += (
            f" In {last.label} the middle half of {group} ranged from "
            f"{v(last.lower_quartile)} to {v(last.upper_quartile)}."
        )
    if not c.same_definition:
        text += f" {DEFINITION_NOTE}."
    return text
