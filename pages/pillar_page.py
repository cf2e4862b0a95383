"""One strategy pillar: its aim, its measure cards and the trend behind any of them."""

import streamlit as st

from scorecard import components as ui


def render(ctx, filters, pillar_id: str) -> None:
    """A pillar page, rendered from the strategy config."""
    pillar = ctx.strategy.pillar(pillar_id)
    ui.page_header(pillar.title, pillar.aim, ctx, filters)
    results = ui.results_for(ctx, pillar.measures, filters)
    ui.status_counts(results)
    ui.card_grid(results, columns=3)
    st.header("Trend")
    chosen = ui.measure_picker(ctx, pillar)
    ui.trend_block(ctx, next(r for r in results if r.measure.id == chosen), pillar.id)
