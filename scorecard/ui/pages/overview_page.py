"""Scorecard overview: the plan on a page, every pillar with its measure cards (or one table)."""

import streamlit as st

from scorecard.ui import committee, link_check, presentation
from scorecard.ui import components as ui

LAYOUTS = ["Cards", "Table"]


def render(ctx, filters) -> None:
    """The whole strategy: status counts, then each pillar's cards."""
    if presentation.presenting():
        measure_ids = [m for p in ctx.strategy.pillars for m in p.measures]
        return presentation.show(ctx, filters, measure_ids, f"Scorecard: {ctx.strategy.title}")
    link_check.check({"layout": link_check.Choice("the layout", LAYOUTS, "the scorecard as Cards")})
    ui.page_header(f"Scorecard: {ctx.strategy.title}", ctx.strategy.vision, ctx, filters)
    # every pillar's measures and the plan's asked together: the queries not kept all start
    # at once, while the kept ones are judged (asked pillar by pillar, the last pillar's
    # waited until the others were judged)
    *found, plan = ui.results_in_groups(
        ctx, [p.measures for p in ctx.strategy.pillars] + [ctx.strategy.plan_measures], filters
    )
    pillars = list(zip(ctx.strategy.pillars, found))
    everything = [r for _, results in pillars for r in results]
    revised = committee.reported_note(ctx, filters, everything)
    ui.summary_and_attention(ctx, [(p.title, results) for p, results in pillars])
    committee.panel(ctx, filters, everything, revised)
    layout = st.segmented_control(
        "Show the scorecard as",
        LAYOUTS,
        default="Cards",
        key="layout",
        bind="query-params",
        required=True,
    )
    if layout == "Table":
        sections = [(p.title, results) for p, results in pillars]
        ui.scorecard_table(ctx, sections + [("Action plan", plan)] if plan else sections, revised)
        return ui.owners_commentary(ctx, everything)
    seen: set[str] = set()  # a measure under two pillars: its second card keyed apart
    for pillar, results in pillars:
        st.header(pillar.title, anchor=pillar.id)
        st.caption(pillar.aim)
        ui.card_grid(
            ctx, results, columns=3, compact=True, revised=revised, place=pillar.id, seen=seen
        )
        st.page_link(
            ui.page_path(pillar.id),
            label=f"More on {pillar.title.lower()}",
            icon=":material/arrow_forward:",
        )
    if plan:
        st.header("Delivering the action plan", anchor="plan")
        ui.card_grid(ctx, plan, columns=3)
    ui.owners_commentary(ctx, everything)
