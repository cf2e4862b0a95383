"""Charts for the action plan and the service view, in the shared 'scorecard' template.

Each is a pure function returning a new figure. The callers decide what is overdue or
better than the council (`plan.state`, `service_view.versus`); these only draw it, by
colour and shape together so nothing depends on colour alone.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from ..engine import fmt
from .theme import AXIS_TITLES, INK, MUTED, PALETTE, RAG_COLOURS, axes, figure

STATE_STYLE = {  # timeline state -> (legend words, colour, marker symbol)
    "overdue": ("Overdue", RAG_COLOURS["red"], "x"),
    "at_risk": ("At risk or delayed", RAG_COLOURS["amber"], "diamond"),
    "open": ("On track or not started", PALETTE[0], "circle"),
    "complete": ("Complete", RAG_COLOURS["green"], "square"),
    "withdrawn": ("Withdrawn", RAG_COLOURS["none"], "circle-open"),
}
VERSUS_STYLE = {  # service against the council -> (words, colour, marker symbol)
    "better": ("better than the council", PALETTE[0], "circle"),
    "worse": ("worse than the council", PALETTE[1], "square"),
    "level": ("level with the council", MUTED, "circle-open"),
}
UNIT_ORDER = ("percent", "per_1000", "seconds", "minutes", "working_days", "count")
LABEL_LENGTH = 48


def _short(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _panels(groups: list, height_per: int, spacing_px: int = 60, shared: bool = False):
    """A stacked layout with one panel per group (panel heights by group size, titles
    left-aligned like headings), as Plotly's make_subplots lays out one column: the layout,
    its height, and each panel's axis suffix ("", "2", ...)."""
    sizes = [max(len(g), 1) for _, g in groups]
    height = height_per * sum(sizes) + spacing_px * len(groups) + 135
    gap = min(spacing_px / height, 0.2)
    room = 1 - gap * (len(groups) - 1)
    layout, titles, top = {}, [], 1.0
    suffixes = [str(i) if i > 1 else "" for i in range(1, len(groups) + 1)]
    for (title, _), size, n in zip(groups, sizes, suffixes):
        bottom = top - size / sum(sizes) * room
        layout[f"xaxis{n}"] = {"anchor": f"y{n}", "domain": [0.0, 1.0]}
        if shared and n != suffixes[-1]:
            layout[f"xaxis{n}"]["matches"] = f"x{suffixes[-1]}"
        layout[f"yaxis{n}"] = {"anchor": f"x{n}", "domain": [max(bottom, 0.0), top]}
        titles.append(
            dict(
                x=0,
                y=top,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                text=f"<b>{title}</b>",
                font=dict(size=15, color=INK),
            )
        )
        top = bottom - gap
    layout["annotations"] = titles
    return layout, height, suffixes


def _every_axis(layout: dict, letter: str, **props) -> None:
    """Set properties on every x (or y) axis of a panelled layout."""
    for key in layout:
        if key.startswith(f"{letter}axis"):
            layout[key].update(props)


def _category_axis(labels: list[str]) -> dict:
    """A panel's axis of labels in the given order, first at the top."""
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels,
        "autorange": "reversed",
        "automargin": True,
        "showgrid": False,
    }


PANEL_MARGIN = dict(l=10, r=20, t=95, b=40)
PANEL_LEGEND = dict(yref="container", y=0.995, yanchor="top")


def action_timeline(frame, as_at: date, pillar_order: list[str]) -> go.Figure:
    """Each action's due date in a panel per pillar, marked by state; overdue ones get a line
    from the due date to the as at date, which is drawn across every panel."""
    groups = [
        (p, frame[frame["pillar_title"] == p])
        for p in pillar_order
        if (frame["pillar_title"] == p).any()
    ]
    layout, height, suffixes = _panels(groups, 30, 75, shared=True)
    data, shapes = [], []
    for row, ((_, rows), n) in enumerate(zip(groups, suffixes), start=1):
        labels = [_short(f"{a} {t}") for a, t in zip(rows["action_id"], rows["title"])]
        late = rows["overdue"].to_numpy()
        xs, ys = [], []
        for label, due in zip([lab for lab, x in zip(labels, late) if x], rows.loc[late, "due_on"]):
            xs += [str(due.date()), str(as_at), None]
            ys += [label, label, None]
        data.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                hoverinfo="skip",
                line=dict(color=RAG_COLOURS["red"], width=3),
                showlegend=False,
                xaxis=f"x{n}",
                yaxis=f"y{n}",
            )
        )
        for state, (words, colour, symbol) in STATE_STYLE.items():
            mask = (rows["state"] == state).to_numpy()
            if mask.any():
                data.append(
                    _state_points(
                        rows[mask],
                        [lab for lab, m in zip(labels, mask) if m],
                        words,
                        colour,
                        symbol,
                        groups,
                        row,
                    )
                    | dict(xaxis=f"x{n}", yaxis=f"y{n}")
                )
        layout[f"yaxis{n}"] |= _category_axis(labels)
        shapes.append(
            dict(
                type="line",
                x0=str(as_at),
                x1=str(as_at),
                xref=f"x{n}",
                y0=0,
                y1=1,
                yref=f"y{n} domain",
                line=dict(color=INK, width=2, dash="dash"),
            )
        )
    data.append(
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="lines",
            name=f"As at {fmt.long_date(as_at)}",
            line=dict(color=INK, width=2, dash="dash"),
            xaxis="x",
            yaxis="y",
        )
    )
    shared = axes(data, "", height)
    _every_axis(layout, "y", **shared["yaxis"])
    # one date scale for every pillar, labelled on each panel so no panel needs the last
    _every_axis(
        layout, "x", **shared["xaxis"], showgrid=True, gridcolor="#EEEEEE", showticklabels=True
    )
    return figure(
        data,
        layout
        | {
            "height": height,
            "shapes": shapes,
            "hovermode": "closest",
            "margin": PANEL_MARGIN,
            "legend": PANEL_LEGEND,
        },
    )


def _state_points(rows, labels, words, colour, symbol, groups, row) -> dict:
    """One state's markers in one panel; the legend lists each state once."""
    first = not any((g["state"] == rows["state"].iloc[0]).any() for _, g in groups[: row - 1])
    hover = [
        f"{a} {t}<br>Due {fmt.long_date(d.date())} · {s}"
        + (f" · {int(n)} days overdue" if o else "")
        for a, t, d, s, o, n in zip(
            rows["action_id"],
            rows["title"],
            rows["due_on"],
            rows["status_word"],
            rows["overdue"],
            rows["days_overdue"].fillna(0),
        )
    ]
    return dict(
        type="scatter",
        x=[str(d.date()) for d in rows["due_on"]],
        y=labels,
        mode="markers",
        name=words,
        legendgroup=words,
        showlegend=first,
        text=hover,
        hovertemplate="%{text}<extra></extra>",
        marker=dict(
            size=13,
            color=colour,
            symbol=symbol,
            line=dict(
                width=2 if symbol in ("x", "circle-open") else 1,
                color=colour if symbol == "circle-open" else "white",
            ),
        ),
    )


def timeline_alt_text(frame, as_at: date) -> str:
    """Screen-reader description of the timeline: how many, and each overdue action."""
    overdue = frame[frame["overdue"]]
    text = (
        f"Timeline of {len(frame)} actions by due date, one panel per pillar, with a "
        f"dashed line at the as at date, {fmt.long_date(as_at)}. "
    )
    if overdue.empty:
        return text + "No action is overdue."
    return text + fmt.listing(
        f"{len(overdue)} overdue",
        (
            f"{a} {t}, due {fmt.long_date(d.date())}, {int(n)} days overdue"
            for a, t, d, n in zip(
                overdue["action_id"], overdue["title"], overdue["due_on"], overdue["days_overdue"]
            )
        ),
    )


def service_vs_council(table, service: str) -> go.Figure:
    """Dumbbells of a service's figure against the council's, one panel per unit so every
    axis is in one unit; the service's marker says better, worse or level."""
    shown = table[table["versus"].isin(VERSUS_STYLE)].drop_duplicates("measure_id")
    groups = [
        (AXIS_TITLES.get(u, u), shown[shown["unit"] == u])
        for u in UNIT_ORDER
        if (shown["unit"] == u).any()
    ]
    layout, height, suffixes = _panels(groups, 34, 75)
    data, in_legend = [], set()
    for (_, rows), n in zip(groups, suffixes):
        labels = [_short(t) for t in rows["measure"]]
        for trace in _dumbbells(rows, labels, service, in_legend):
            data.append(trace | dict(xaxis=f"x{n}", yaxis=f"y{n}"))
        layout[f"yaxis{n}"] |= _category_axis(labels)
        unit = rows["unit"].iloc[0]
        layout[f"xaxis{n}"] |= {
            "ticksuffix": "%" if unit == "percent" else "",
            "rangemode": "tozero",
            "showgrid": True,
            "gridcolor": "#EEEEEE",
            "zeroline": False,
        }
        if unit == "percent":
            layout[f"xaxis{n}"]["range"] = [0, 102]
    return figure(
        data,
        layout
        | {
            "height": height,
            "hovermode": "closest",
            "margin": PANEL_MARGIN,
            "legend": PANEL_LEGEND,
        },
    )


def _dumbbells(rows, labels, service, in_legend: set) -> list[dict]:
    """The council's diamond, the service's marker, and a line joining them; each legend
    entry shown once (`in_legend` holds the names already shown)."""
    xs, ys = [], []
    council = [float(v) for v in rows["council"]]
    for label, own, theirs in zip(labels, rows["value"], council):
        xs += [theirs, float(own), None]
        ys += [label, label, None]
    text = [fmt.value(v, u, d) for v, u, d in zip(rows["council"], rows["unit"], rows["decimals"])]
    traces = [
        dict(
            type="scatter",
            x=xs,
            y=ys,
            mode="lines",
            line=dict(color="#BBBBBB", width=4),
            hoverinfo="skip",
            showlegend=False,
        ),
        dict(
            type="scatter",
            x=council,
            y=labels,
            mode="markers",
            name="Council (all services)",
            legendgroup="council",
            showlegend=_first(in_legend, "Council (all services)"),
            text=text,
            hovertemplate="%{y}<br>Council: %{text}<extra></extra>",
            marker=dict(size=13, symbol="diamond", color=INK),
        ),
    ]
    for versus, (words, colour, symbol) in VERSUS_STYLE.items():
        mask = (rows["versus"] == versus).to_numpy()
        if not mask.any():
            continue
        part = rows[mask]
        name = f"{service}: {words}"
        traces.append(
            dict(
                type="scatter",
                x=[float(v) for v in part["value"]],
                y=[lab for lab, m in zip(labels, mask) if m],
                mode="markers",
                name=name,
                legendgroup=versus,
                showlegend=_first(in_legend, name),
                text=[
                    fmt.value(v, u, d)
                    for v, u, d in zip(part["value"], part["unit"], part["decimals"])
                ],
                hovertemplate="%{y}<br>" + service + ": %{text}<extra></extra>",
                marker=dict(size=14, symbol=symbol, color=colour, line=dict(width=2, color=colour)),
            )
        )
    return traces


def _first(shown: set, name: str) -> bool:
    """True the first time a legend name is asked for (it is then counted as shown)."""
    if name in shown:
        return False
    shown.add(name)
    return True


def service_alt_text(table, service: str) -> str:
    """Screen-reader description of the service comparison: every pair of figures."""
    shown = table[table["versus"].isin(VERSUS_STYLE)].drop_duplicates("measure_id")
    if shown.empty:
        return f"Dot chart comparing {service} with the council: no figures to compare."
    pairs = "; ".join(
        f"{m}: {service} {fmt.value(v, u, d)}, council {fmt.value(c, u, d)} ({w})"
        for m, v, c, u, d, w in zip(
            shown["measure"],
            shown["value"],
            shown["council"],
            shown["unit"],
            shown["decimals"],
            shown["versus"],
        )
    )
    return f"Dot chart comparing {service} with the council on {len(shown)} measures. {pairs}."
