"""One strategy pillar: its aim, its measure cards, the headline trend and its own charts."""

import streamlit as st

from scorecard.ui import committee, presentation, views
from scorecard.ui import components as ui


def render(ctx, filters, pillar_id: str) -> None:
    """A pillar page, rendered from the strategy config."""
    pillar = ctx.strategy.pillar(pillar_id)
    if presentation.presenting():
        return presentation.show(ctx, filters, pillar.measures, pillar.title, pillar.id)
    ui.page_header(pillar.title, pillar.aim, ctx, filters)
    results = ui.results_for(ctx, pillar.measures, filters)
    revised = committee.reported_note(ctx, filters, results)
    ui.summary_and_attention(ctx, [(pillar.title, results)], grouped=False)
    ui.card_grid(ctx, results, columns=3, revised=revised)
    st.header("The picture over time")
    headline = next(r for r in results if r.measure.id == (pillar.headline or pillar.measures[0]))
    views.spc_block(ctx, headline, pillar.id)
    views.pillar_sections(ctx, filters, pillar)
    ui.owners_commentary(ctx, results)
