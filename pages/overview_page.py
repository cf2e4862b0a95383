"""Scorecard overview: the plan on a page, every pillar with its measure cards."""

import streamlit as st

from scorecard import committee, presentation
from scorecard import components as ui


def render(ctx, filters) -> None:
    """The whole strategy: status counts, then each pillar's cards."""
    if presentation.presenting():
        measure_ids = [m for p in ctx.strategy.pillars for m in p.measures]
        return presentation.show(ctx, filters, measure_ids, f"Scorecard: {ctx.strategy.title}")
    ui.page_header(f"Scorecard: {ctx.strategy.title}", ctx.strategy.vision, ctx, filters)
    pillars = [(p, ui.results_for(ctx, p.measures, filters)) for p in ctx.strategy.pillars]
    everything = [r for _, results in pillars for r in results]
    revised = committee.reported_note(ctx, filters, everything)
    committee.panel(ctx, filters, everything, revised)
    ui.status_counts(ctx, everything)
    for pillar, results in pillars:
        st.header(pillar.title, anchor=pillar.id)
        st.caption(pillar.aim)
        ui.card_grid(ctx, results, columns=3, compact=True, revised=revised)
        st.page_link(ui.page_path(pillar.id), label=f"More on {pillar.title.lower()}",
                     icon=":material/arrow_forward:")
    if ctx.strategy.plan_measures:
        st.header("Delivering the action plan", anchor="plan")
        ui.card_grid(ctx, ui.results_for(ctx, ctx.strategy.plan_measures, filters), columns=3)
