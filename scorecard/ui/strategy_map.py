"""The Strategy map page's parts: a tab per pillar with each commitment in the strategy's own
words, the measures that show whether it is kept (status as an icon and a word, linked to the
measure's page) and the actions that deliver it; then the gaps, and the map as tables. The map
and its gaps come from `plan.strategy_map`; this module only draws them.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from ..engine import coverage, fmt, glossary, measures
from ..engine.measures import RAG_ICONS
from ..plan import actions as plan_actions
from ..plan import strategy_map as smap
from . import a11y, app_state
from . import components as ui

# an action's badge: colour and icon beside its status word (never colour alone)
ACTION_COLOURS = {
    "not_started": "blue",
    "on_track": "blue",
    "at_risk": "orange",
    "delayed": "orange",
    "complete": "green",
    "withdrawn": "gray",
}
SCOPE = (
    ":material/info: Commitments and actions are council-wide: the service and channel "
    "filters do not narrow them. Each measure's status follows the period, service and "
    "channel filters, as on its card."
)


def load(ctx, filters) -> smap.StrategyMap:
    """The map for this view: measures judged by the engine under the filters, actions from
    the action plan (None when it was not supplied)."""
    absent = coverage.absence(ctx.coverage, ("actions",))
    # the action plan read on another thread while the measures are judged on this one
    reading = [] if absent else [partial(plan_actions.load, ctx.database, ctx.strategy)]
    started = measures.side_by_side(reading)
    ids = smap.measure_ids(ctx.strategy)
    found = ui.results_for(ctx, ids, filters, judged=False)  # status words: no process chart
    judged = {r.measure.id: smap.judge(r) for r in found}
    actions = started[0].result() if started else None
    return smap.build(ctx.strategy, ctx.catalogue, judged, actions, absent or "")


def summary(ctx, found: smap.StrategyMap) -> None:
    """What the map holds and how many gaps it has, in a sentence; the scope of the filters."""
    gaps = f"{smap.gap_sentence(found)} The gaps are listed under the map."
    if found.has_commitments:
        named = {a.id for r in found.rows for a in r.actions}
        measures = {m.id for r in found.rows for m in r.measures}
        st.markdown(
            f"{_count(len(found.rows), 'commitment')} under "
            f"{_count(len(ctx.strategy.pillars), 'pillar')}, naming "
            f"{_count(len(measures), 'measure')} and {_count(len(named), 'action')}. {gaps}"
        )
    else:
        st.markdown(gaps)
        st.info(
            "This strategy file has no commitments yet, so the map shows each pillar's "
            "measures and the actions that name them in the action plan. Commitments (the "
            "strategy's own promises, each linked to measures and actions) go under each "
            "pillar in the strategy file.",
            icon=":material/info:",
        )
    st.caption(SCOPE)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def pillar_tabs(ctx, found: smap.StrategyMap) -> None:
    """A tab per pillar: its aim, then each commitment with its measures and actions."""
    a11y.section_heading("Commitments, measures and actions", "map")
    pillars = ctx.strategy.pillars
    for pillar, tab in zip(pillars, st.tabs([p.title for p in pillars])):
        with tab:
            if pillar.aim:
                st.caption(fmt.plain(pillar.aim))
            rows = found.pillar_rows(pillar.id)
            if not rows:
                st.markdown("No commitments under this pillar yet.")
            for i, row in enumerate(rows):
                _row(row, f"{pillar.id}-{i}", found.actions_supplied)


def _row(row: smap.Row, key: str, supplied: bool) -> None:
    """One commitment (or, without commitments, one measure): measures left, actions right."""
    name = row.commitment.id if row.commitment else key
    with st.container(border=True, key=f"commitment-{name}"):
        if row.commitment:
            st.markdown(f"**\u201c{fmt.plain(row.commitment.text)}\u201d**")
        left, right = st.columns([3, 2], gap="medium")
        with left:
            if row.commitment:
                st.caption("Measures")
            st.markdown(
                "  \n".join(measure_line(m) for m in row.measures)
                or ":material/warning: No measure yet: nothing on the scorecard shows "
                "whether this is being kept."
            )
        with right:
            st.caption("Actions")
            st.markdown(
                "  \n".join(action_line(a) for a in row.actions)
                or (
                    "No action named."
                    if row.commitment
                    else "No action in the plan names this measure."
                    if supplied
                    else "The action plan was not supplied."
                )
            )


def measure_line(m: smap.MeasureLink) -> str:
    """A status badge (icon and word), the measure linked to its page, and its figure."""
    j = m.judged
    if j.has_figure:
        badge = f":{ui.BADGE_COLOURS[j.rag]}-badge[:material/{RAG_ICONS[j.rag]}: {j.standing}]"
    else:  # no figure: why, in grey, never rated (as on the measure's card)
        icon = "remove" if j.standing == "No data" else "block"
        badge = f":gray-badge[:material/{icon}: {j.standing}]"
    link = app_state.link("measure", measure=m.title)
    return f"{badge} [{fmt.plain(m.title)}]({link}): {fmt.plain(j.figure)}"


def action_line(a: smap.ActionLink) -> str:
    """A status badge (icon and word), overdue marked, then the reference, title and due."""
    if not a.found:
        return f":gray-badge[:material/help: {a.words.capitalize()}] **{fmt.plain(a.id)}**"
    word = glossary.ACTION_STATUS[a.status]
    icon = plan_actions.STATUS_ICONS[a.status]
    badge = f":{ACTION_COLOURS[a.status]}-badge[:material/{icon}: {word}]"
    if a.overdue:
        badge += f" :red-badge[:material/{plan_actions.STATUS_ICONS['overdue']}: Overdue]"
    return f"{badge} **{fmt.plain(a.id)}** {fmt.plain(a.title)} · {a.words}"


def gaps_block(found: smap.StrategyMap) -> None:
    """The gaps, a heading per kind with its count, each gap in words."""
    a11y.section_heading(smap.gaps_heading(found), "gaps")
    for kind, (heading, lines) in zip(smap.KINDS, smap.sections(found)):
        with st.container(border=True, key=f"gaps-{kind}"):
            st.subheader(heading)
            st.markdown("\n".join(f"- {fmt.plain(line)}" for line in lines))


def tables_block(ctx, found: smap.StrategyMap) -> None:
    """The map and the gaps as tables, each with a CSV download."""
    with st.expander("The map and its gaps as tables"):
        shown = smap.table(found, ctx.strategy)
        st.dataframe(shown, hide_index=True)
        ui.download_csv(shown, "strategy-map", "strategy-map")
        gaps = smap.gaps_table(found)
        if not gaps.empty:
            st.dataframe(gaps, hide_index=True)
            ui.download_csv(gaps, "strategy-gaps", "strategy-gaps")
