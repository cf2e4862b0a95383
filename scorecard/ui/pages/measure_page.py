"""One measure in detail: its card, SPC chart, how each service compares, and how the council
compares with similar councils."""

import streamlit as st

from scorecard.ui import components as ui
from scorecard.ui import link_check, peers, views


def render(ctx, filters) -> None:
    """The measure chosen in the URL (?measure=<title>), or picked here."""
    titles = {m.title: m for m in ctx.catalogue.values()}
    link_check.check({"measure": link_check.Choice("measure", list(titles), next(iter(titles)))})
    chosen = st.selectbox("Measure", list(titles), key="measure", bind="query-params")
    measure = titles[chosen]
    pillar = ctx.strategy.home_pillar(measure.id)
    ui.page_header(measure.title, measure.definition, ctx, filters)
    result = ui.results_for(ctx, [measure.id], filters)[0]
    views.measure_detail(ctx, filters, result, pillar.id if pillar else None)
    peers.section(ctx, filters, measure)
