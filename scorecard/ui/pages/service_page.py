"""One service's measures against the council as a whole, and its rank among services."""

import streamlit as st

from scorecard.ui import components as ui
from scorecard.ui import service_view

INTRO = (
    "Choose a service to see every measure for it against the council as a whole, "
    "its own target, and where it ranks among the council's services."
)


def render(ctx, filters) -> None:
    """The service picker, its status counts, the comparison chart and a table per pillar."""
    ui.page_header("Service view", INTRO, ctx, filters)
    service = service_view.picker(ctx, filters)
    if service is None:
        st.info("There are no services in the extracts to choose from.")
        return
    table = service_view.compare(ctx, filters, service)
    service_view.rag_counts(ctx, filters, table, service)
    service_view.chart_block(table, service)
    service_view.pillar_tables(ctx, table, service)
    service_view.absent_note(ctx)
    service_view.council_only_note(ctx)
