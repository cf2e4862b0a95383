"""Data and definitions: what each extract holds, what was rejected, how each figure is made."""

import streamlit as st

from scorecard.ui import app_state, definitions
from scorecard.ui import components as ui


def render(ctx, filters) -> None:
    """Coverage, freshness and rejects per extract; each measure's definition and SQL."""
    # about every extract, whatever the filters: the heading names no period or service
    ui.page_header("Data and definitions", definitions.INTRO, ctx, None)
    st.header("The extracts")
    if definitions.refresh_button(ctx):
        app_state.check_for_new_data()
    st.dataframe(definitions.extract_table(ctx), hide_index=True)
    st.header("Rows rejected")
    definitions.rejects_section(ctx)
    if ctx.visitor.can_administer:
        st.header("Audit log")
        definitions.audit_section(ctx)
    st.header("Rows excluded by design")
    definitions.exclusions_section(ctx)
    st.header("References the configuration does not know")
    definitions.warnings_section(ctx)
    st.header("Words used", anchor="words-used")
    definitions.glossary_section()
    st.header("How figures are judged")
    definitions.judging_section(ctx)
    st.header("How each measure is calculated")
    definitions.measure_definitions(ctx)
    st.header("What each extract must contain")
    definitions.contract_tables()
