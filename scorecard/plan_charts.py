"""Charts for the action plan and the service view, in the shared 'scorecard' template.

Each is a pure function returning a new figure. The callers decide what is overdue or
better than the council (`plan.state`, `service_view.versus`); these only draw it, by
colour and shape together so nothing depends on colour alone.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import fmt
from .charts import AXIS_TITLES, INK, MUTED, PALETTE, RAG_COLOURS, _finish

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
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _rows(groups: list, height_per: int, spacing_px: int = 60, shared: bool = False):
    """A stacked figure with one panel per group, panel heights by group size."""
    sizes = [max(len(g), 1) for _, g in groups]
    height = height_per * sum(sizes) + spacing_px * len(groups) + 135
    fig = make_subplots(rows=len(groups), cols=1, row_heights=sizes, shared_xaxes=shared,
                        vertical_spacing=min(spacing_px / height, 0.2),
                        subplot_titles=[title for title, _ in groups])
    for annotation in fig.layout.annotations:  # panel titles left-aligned, like headings
        annotation.update(x=0, xanchor="left", text=f"<b>{annotation.text}</b>",
                          font=dict(size=15, color=INK))
    return fig, height


def action_timeline(frame, as_at: date, pillar_order: list[str]) -> go.Figure:
    """Each action's due date in a panel per pillar, marked by state; overdue ones get a line
    from the due date to the as at date, which is drawn across every panel."""
    groups = [(p, frame[frame["pillar_title"] == p]) for p in pillar_order
              if (frame["pillar_title"] == p).any()]
    fig, height = _rows(groups, 30, 75, shared=True)
    for row, (_, rows) in enumerate(groups, start=1):
        labels = [_short(f"{a} {t}") for a, t in zip(rows["action_id"], rows["title"])]
        late = rows["overdue"].to_numpy()
        xs, ys = [], []
        for label, due in zip([lab for lab, x in zip(labels, late) if x],
                              rows.loc[late, "due_on"]):
            xs += [due, as_at, None]
            ys += [label, label, None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                 line=dict(color=RAG_COLOURS["red"], width=3),
                                 showlegend=False), row=row, col=1)
        for state, (words, colour, symbol) in STATE_STYLE.items():
            mask = (rows["state"] == state).to_numpy()
            if mask.any():
                fig.add_trace(_state_points(rows[mask], [lab for lab, m in zip(labels, mask)
                                                         if m], words, colour, symbol,
                                            groups, row), row=row, col=1)
        fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels,
                         autorange="reversed", row=row, col=1)
    fig.add_vline(x=str(as_at), line=dict(color=INK, width=2, dash="dash"), row="all", col=1)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"As at "
                             f"{fmt.long_date(as_at)}",
                             line=dict(color=INK, width=2, dash="dash")), row=1, col=1)
    _finish(fig, "", height)
    fig.update_layout(hovermode="closest", margin=dict(l=10, r=20, t=95, b=40),
                      legend=dict(yref="container", y=0.995, yanchor="top"))
    fig.update_yaxes(automargin=True, showgrid=False)
    # one date scale for every pillar, labelled on each panel so no panel needs the last
    fig.update_xaxes(showgrid=True, gridcolor="#EEEEEE", showticklabels=True)
    return fig


def _state_points(rows, labels, words, colour, symbol, groups, row) -> go.Scatter:
    """One state's markers in one panel; the legend lists each state once."""
    first = not any((g["state"] == rows["state"].iloc[0]).any() for _, g in groups[:row - 1])
    hover = [f"{a} {t}<br>Due {fmt.long_date(d.date())} · {s}" +
             (f" · {int(n)} days overdue" if o else "")
             for a, t, d, s, o, n in zip(rows["action_id"], rows["title"], rows["due_on"],
                                         rows["status_word"], rows["overdue"],
                                         rows["days_overdue"].fillna(0))]
    return go.Scatter(x=rows["due_on"], y=labels, mode="markers", name=words,
                      legendgroup=words, showlegend=first, text=hover,
                      hovertemplate="%{text}<extra></extra>",
                      marker=dict(size=13, color=colour, symbol=symbol,
                                  line=dict(width=2 if symbol in ("x", "circle-open") else 1,
                                            color=colour if symbol == "circle-open"
                                            else "white")))


def timeline_alt_text(frame, as_at: date) -> str:
    """Screen-reader description of the timeline: how many, and each overdue action."""
    overdue = frame[frame["overdue"]]
    text = (f"Timeline of {len(frame)} actions by due date, one panel per pillar, with a "
            f"dashed line at the as at date, {fmt.long_date(as_at)}. ")
    if overdue.empty:
        return text + "No action is overdue."
    return text + f"{len(overdue)} overdue: " + "; ".join(
        f"{a} {t}, due {fmt.long_date(d.date())}, {int(n)} days overdue"
        for a, t, d, n in zip(overdue["action_id"], overdue["title"], overdue["due_on"],
                              overdue["days_overdue"])) + "."


def service_vs_council(table, service: str) -> go.Figure:
    """Dumbbells of a service's figure against the council's, one panel per unit so every
    axis is in one unit; the service's marker says better, worse or level."""
    shown = table[table["versus"].isin(VERSUS_STYLE)].drop_duplicates("measure_id")
    groups = [(AXIS_TITLES.get(u, u), shown[shown["unit"] == u]) for u in UNIT_ORDER
              if (shown["unit"] == u).any()]
    fig, height = _rows(groups, 34, 75)
    for row, (_, rows) in enumerate(groups, start=1):
        labels = [_short(t) for t in rows["measure"]]
        _dumbbells(fig, rows, labels, service, row, first=row == 1)
        fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels,
                         autorange="reversed", row=row, col=1)
        unit = rows["unit"].iloc[0]
        fig.update_xaxes(ticksuffix="%" if unit == "percent" else "", rangemode="tozero",
                         row=row, col=1)
        if unit == "percent":
            fig.update_xaxes(range=[0, 102], row=row, col=1)
    fig.update_layout(height=height, template="scorecard", hovermode="closest",
                      margin=dict(l=10, r=20, t=95, b=40),
                      legend=dict(yref="container", y=0.995, yanchor="top"))
    fig.update_yaxes(automargin=True, showgrid=False)
    fig.update_xaxes(showgrid=True, gridcolor="#EEEEEE", zeroline=False)
    return fig


def _dumbbells(fig, rows, labels, service, row, first) -> None:
    """The council's diamond, the service's marker, and a line joining them."""
    xs, ys = [], []
    for label, own, council in zip(labels, rows["value"], rows["council"]):
        xs += [council, own, None]
        ys += [label, label, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#BBBBBB", width=4),
                             hoverinfo="skip", showlegend=False), row=row, col=1)
    text = [fmt.value(v, u, d) for v, u, d in zip(rows["council"], rows["unit"],
                                                   rows["decimals"])]
    fig.add_trace(go.Scatter(
        x=rows["council"], y=labels, mode="markers", name="Council (all services)",
        legendgroup="council", showlegend=first, text=text,
        hovertemplate="%{y}<br>Council: %{text}<extra></extra>",
        marker=dict(size=13, symbol="diamond", color=INK)), row=row, col=1)
    for versus, (words, colour, symbol) in VERSUS_STYLE.items():
        mask = (rows["versus"] == versus).to_numpy()
        if not mask.any():
            continue
        part = rows[mask]
        fig.add_trace(go.Scatter(
            x=part["value"], y=[lab for lab, m in zip(labels, mask) if m], mode="markers",
            name=f"{service}: {words}", legendgroup=versus,
            showlegend=not _in_legend(fig, f"{service}: {words}"),
            text=[fmt.value(v, u, d) for v, u, d in zip(part["value"], part["unit"],
                                                         part["decimals"])],
            hovertemplate="%{y}<br>" + service + ": %{text}<extra></extra>",
            marker=dict(size=14, symbol=symbol, color=colour,
                        line=dict(width=2, color=colour))), row=row, col=1)


def _in_legend(fig: go.Figure, name: str) -> bool:
    """True when a trace of this name already shows in the legend."""
    return any(t.name == name and t.showlegend is not False for t in fig.data)


def service_alt_text(table, service: str) -> str:
    """Screen-reader description of the service comparison: every pair of figures."""
    shown = table[table["versus"].isin(VERSUS_STYLE)].drop_duplicates("measure_id")
    if shown.empty:
        return f"Dot chart comparing {service} with the council: no figures to compare."
    pairs = "; ".join(
        f"{m}: {service} {fmt.value(v, u, d)}, council {fmt.value(c, u, d)} ({w})"
        for m, v, c, u, d, w in zip(shown["measure"], shown["value"], shown["council"],
                                    shown["unit"], shown["decimals"], shown["versus"]))
    return f"Dot chart comparing {service} with the council on {len(shown)} measures. " \
           f"{pairs}."
