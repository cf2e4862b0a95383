"""The action plan: actions by pillar and status, overdue first, and what each should move."""

import streamlit as st

from scorecard.plan import actions as plan_actions
from scorecard.ui import components as ui
from scorecard.ui import plan

INTRO = (
    "What the council is doing to deliver the strategy: every action, overdue ones "
    "first, and how the measures each is meant to move stand now."
)


def render(ctx, filters) -> None:
    """Counts by status, a timeline, the actions table and the measures they should move."""
    ui.page_header("Action plan", INTRO, ctx, filters)
    if plan.not_supplied(ctx):
        return
    plan.scope_note(filters)
    everything = plan_actions.load(ctx.database, ctx.strategy)
    chosen = plan.choose(ctx, everything)
    plan.status_metrics(plan_actions.counts(ctx.database, chosen["pillars"]))
    actions = plan_actions.load(ctx.database, ctx.strategy, **chosen)
    if actions.empty:
        st.info("No actions match the pillar and status chosen.")
        return
    judged = plan.results(ctx, actions, filters)
    plan.timeline_block(ctx, actions)
    plan.overdue_block(ctx, actions, judged)
    plan.table_block(ctx, actions, judged)
    plan.links_block(ctx, actions, judged)
