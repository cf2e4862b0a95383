"""The Action plan page's parts: filters, status counts, the timeline, the table of
actions, overdue actions and the measures each should move. The figures come from
`plan.actions`; this module only draws them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..charts import plan as plan_charts
from ..engine import coverage, fmt
from ..engine.measures import RAG_ICONS, RAG_WORDS
from ..plan.actions import (
    OVERDUE,
    STATUS_ICONS,
    UNKNOWN_MEASURE,
    _dates,
    _days,
    headline,
    links,
    links_headline,
    measure_ids,
    overdue_caption,
    pillar_options,
    selection,
    status_options,
    table,
)
from . import a11y, link_check
from . import components as ui


def not_supplied(ctx) -> bool:
    """Say so, and return True, when there is no action plan to show."""
    reason = coverage.absence(ctx.coverage, ("actions",))
    if reason:
        st.info(
            f"{reason}. Once the council's action plan (actions.csv) is supplied, this "
            "page lists every action, overdue ones first, and the measures each should "
            "move.",
            icon=":material/block:",
        )
    return bool(reason)


def scope_note(filters) -> None:
    """Say plainly that actions have no service or channel when either filter is set."""
    if filters.services or filters.channels:
        st.caption(
            ":material/info: Actions are council-wide and have no service or channel, "
            "so the service and channel filters do not narrow this list; the measure "
            "statuses beside the actions do follow those filters."
        )


def choose(ctx, everything: pd.DataFrame) -> dict:
    """Pillar and status filters, bound to the URL; returns the query parameters."""
    link_check.check(
        {
            "plan_pillar": link_check.Choice(
                "the pillar", pillar_options(everything, ctx.strategy), "all pillars", many=True
            ),
            "plan_status": link_check.Choice(
                "the status", status_options(), "all statuses", many=True
            ),
        }
    )
    left, right = st.columns(2)
    pillars = left.multiselect(
        "Pillar",
        pillar_options(everything, ctx.strategy),
        key="plan_pillar",
        bind="query-params",
        placeholder="All pillars",
    )
    statuses = right.multiselect(
        "Status",
        status_options(),
        key="plan_status",
        bind="query-params",
        placeholder="All statuses",
        help="Overdue: due before the data's as at date and neither complete nor withdrawn, "
        "whatever its status says.",
    )
    return selection(pillars, statuses, everything)


def status_metrics(table_: pd.DataFrame) -> None:
    """Overdue, then each status: an icon, the word and the count (never colour alone)."""
    cells = [(OVERDUE, "overdue", int(table_["overdue"].sum()))] + list(
        zip(table_["word"], table_["status"], table_["actions"])
    )
    for col, (word, status, count) in zip(st.columns(len(cells)), cells):
        col.metric(word, count, border=True, icon=f":material/{STATUS_ICONS[status]}:")


def results(ctx, frame: pd.DataFrame, filters) -> dict:
    """The engine's figure and RAG for each known measure the actions name, by id (no
    process chart: the page shows none)."""
    ids = [m for m in measure_ids(frame) if m in ctx.catalogue]
    return dict(zip(ids, ui.results_for(ctx, ids, filters, judged=False)))


def timeline_block(ctx, frame: pd.DataFrame) -> None:
    """Due dates by pillar, overdue marked, with the as at date as a line."""
    order = pillar_options(frame, ctx.strategy)
    figure_ = plan_charts.action_timeline(frame, ctx.as_at, order)
    shown = pd.DataFrame(
        {
            "Ref": frame["action_id"],
            "Pillar": frame["pillar_title"],
            "Action": frame["title"],
            "Due": _dates(frame["due_on"]),
            "Status": frame["status_word"],
            "Days overdue": _days(frame["days_overdue"]),
        }
    )
    ui.chart_block(
        headline(frame),
        figure_,
        shown,
        plan_charts.timeline_alt_text(frame, ctx.as_at),
        "plan-timeline",
        level=2,
    )


def table_block(ctx, frame: pd.DataFrame, judged_: dict) -> None:
    """Every action chosen, overdue first, with its measures judged, and a CSV."""
    shown = table(frame, ctx.catalogue, judged_)
    if ctx.visitor.public:  # officers' running notes stay inside the council
        shown = shown.drop(columns=["Latest update"], errors="ignore")
    with st.container(border=True, key="plan-table"):
        a11y.section_heading(f"The actions, overdue first ({len(frame)} shown)", "actions")
        st.dataframe(
            shown,
            hide_index=True,
            height="content",
            column_config={
                "Action": st.column_config.TextColumn(width="large"),
                "Progress (%)": st.column_config.ProgressColumn(
                    "Progress", format="%d%%", min_value=0, max_value=100
                ),
                "Latest update": st.column_config.TextColumn(width="large"),
                "Measures it should move": st.column_config.TextColumn(width="large"),
            },
        )
        ui.download_csv(shown, "action-plan", "plan-table")


def overdue_block(ctx, frame: pd.DataFrame, judged_: dict) -> None:
    """Each overdue action in a card: owner, how late, the latest update, its measures."""
    overdue = frame[frame["overdue"]]
    if overdue.empty:
        return
    said = "" if ctx.visitor.public else ": what their owners last said"
    a11y.section_heading(f"Overdue actions{said} ({len(overdue)})", "overdue")
    columns = st.columns(2)
    for i, action in enumerate(overdue.itertuples()):
        with columns[i % 2], st.container(border=True, key=f"overdue-{action.action_id}"):
            st.markdown(f"**{action.action_id} {_plain(action.title)}**")
            st.caption(overdue_caption(action))
            if isinstance(action.update, str) and action.update and not ctx.visitor.public:
                st.markdown(_plain(action.update))
            st.markdown(badge_line(action.measure_ids, ctx.catalogue, judged_))


def badge_line(ids, catalogue: dict, results: dict) -> str:
    """Each measure an action should move with its RAG as an icon-and-word badge."""
    parts = []
    for m in ids:
        if m in results:
            rag = results[m].rag
            parts.append(
                f"{_plain(catalogue[m].title)} :{ui.BADGE_COLOURS[rag]}-badge"
                f"[:material/{RAG_ICONS[rag]}: {RAG_WORDS[rag]}]"
            )
        else:
            parts.append(_plain(catalogue[m].title if m in catalogue else f"{m} {UNKNOWN_MEASURE}"))
    return "  \n".join(parts)


_plain = fmt.plain  # officers' text shown as typed


def links_block(ctx, frame: pd.DataFrame, judged_: dict) -> None:
    """Each action beside the measures it should move and how those measures stand now."""
    shown = links(frame, ctx.catalogue, judged_)
    if shown.empty:
        return
    with st.container(border=True, key="plan-links"):
        a11y.section_heading(links_headline(shown), "measures-moved")
        st.caption(
            "The latest figure for each measure under the period, service and channel "
            "filters, judged against its target."
        )
        st.dataframe(shown, hide_index=True, height="content")
        ui.download_csv(shown, "action-plan-measures", "plan-links")
