"""Complaints pillar sections (Complaint Handling Code), drawn below the measure cards: how
the clocks work, timeliness per stage, open complaints, where complaints go (flow,
outcomes, refusals, Ombudsman), where they come from (services, themes, contractors), what
is being done about them, and the annual report to download.
"""

from __future__ import annotations

import streamlit as st

from ..complaints import figures as cx
from ..complaints import learning as learn
from ..complaints import panels
from ..engine import fmt
from ..reports import annual_report, pdf
from . import components as ui


def show(panel: panels.Panel) -> None:
    """A panel as a chart block (title, chart with alt text, table, CSV) and its note; a
    panel without a chart keeps its title, table and CSV."""
    key = f"complaints-{panel.key}"
    if panel.figure is not None:
        ui.chart_block(panel.title, panel.figure, panel.table, panel.alt, key)
    else:
        with st.container(border=True, key=f"chart-{key}"):
            st.subheader(panel.title)
            if len(panel.table):
                st.dataframe(panel.table, hide_index=True)
                ui.download_csv(panel.table, key, key)
    if panel.note:
        st.caption(panel.note)


def clocks_note(ctx) -> None:
    """The Code's timescales and the day-0 convention, as set in config."""
    st.header("Complaint Handling Code")
    st.markdown(cx.convention(ctx.settings.complaint_day_zero))


def timeliness(ctx, scope) -> None:
    """On time per stage, without and with permitted extensions."""
    show(panels.timeliness_panel(ctx.database, scope, ctx.settings.min_base))


def open_now(ctx, scope) -> None:
    """Open complaints at the as-at date: counts, then ageing by stage and service."""
    st.header(f"Open complaints on {fmt.long_date(ctx.as_at)}")
    base = ctx.settings.min_base
    totals = panels.open_totals(cx.open_complaints(ctx.database, scope))
    cols = st.columns(3)
    cols[0].metric("Open", panels.count(totals["open_complaints"], "", min_base=base), border=True)
    cols[1].metric(
        ":material/schedule: Already overdue",
        panels.count(totals["overdue"], "", min_base=base),
        border=True,
    )
    cols[2].metric(
        ":material/event_upcoming: Due in the next 5 working days",
        panels.count(totals["due_within_5_days"], "", min_base=base),
        border=True,
    )
    show(panels.open_panel(ctx.database, scope, ctx.as_at, base))


def journey(ctx, scope) -> None:
    """Where complaints go: the flow, outcomes, refusals and Ombudsman decisions."""
    st.header("What happened to complaints")
    base = ctx.settings.min_base
    show(panels.flow_panel(ctx.database, scope, base))
    show(panels.outcomes_panel(ctx.database, scope, base))
    show(panels.refusals_panel(ctx.database, scope, base))
    show(panels.ombudsman_panel(ctx.database, scope, base))


def sources(ctx, scope, grain: str) -> None:
    """Where complaints come from: services, themes over time, contractors."""
    st.header("What complaints are about")
    base = ctx.settings.min_base
    show(learn.services_panel(ctx.database, scope, ctx.catalogue, base))
    show(learn.themes_panel(ctx.database, scope, grain, base))
    show(learn.contractors_panel(ctx.database, scope, base))


def learning(ctx, scope) -> None:
    """The top themes and what the action plan is doing about them."""
    st.header("Learning from complaints")
    show(learn.learning_panel(ctx.database, scope, ctx.settings.min_base))


def annual_report_block(ctx) -> None:
    """A year picker and downloads of the annual report (HTML, and PDF with Chromium)."""
    st.header("Annual complaints report")
    st.markdown(
        "The Code's annual complaints performance and service improvement report "
        "for a financial year, for all services and channels, ready for committee."
    )
    years = annual_report.years(
        ctx.coverage.extract("complaints").first or ctx.first_date, ctx.as_at
    )
    default = annual_report.latest_complete(ctx.as_at)
    year = st.selectbox(
        "Financial year",
        years,
        key="complaints-report-year",
        index=years.index(default) if default in years else 0,
        format_func=lambda y: (
            y
            if annual_report.year_span(y)[1] <= ctx.as_at
            else f"{y} (to {fmt.long_date(ctx.as_at)})"
        ),
    )
    html = _html_maker(ctx, year)
    cols = st.columns(2)
    with cols[0]:
        st.download_button(
            "Download the report (HTML)",
            html,
            mime="text/html",
            file_name=annual_report.file_name(year),
            on_click="ignore",
            icon=":material/description:",
            key="complaints-report-html",
        )
    with cols[1]:
        if pdf.chromium():
            st.download_button(
                "Download the report (PDF)",
                pdf.pdf_maker(html, "complaints-report"),
                mime="application/pdf",
                file_name=annual_report.file_name(year, "pdf"),
                on_click="ignore",
                icon=":material/picture_as_pdf:",
                key="complaints-report-pdf",
            )
        else:
            st.caption("PDF needs Chromium on the server; the HTML prints to PDF from any browser.")


def _html_maker(ctx, year: str):
    """The report is built when the button is pressed, not on every rerun."""

    def make() -> str:
        doc = annual_report.build(ctx.database, ctx.settings, ctx.catalogue, year, ctx.as_at)
        return doc.render()

    return make


def complaints_report(ctx, filters) -> None:
    """Every complaint section, in reading order, for the filters chosen."""
    scope = cx.Scope.from_filters(filters)
    clocks_note(ctx)
    st.caption(
        f"Figures below cover {panels.span(scope)}, by the date each is counted on "
        "(received, due or answered); open complaints are as at the data's date."
    )
    timeliness(ctx, scope)
    open_now(ctx, scope)
    journey(ctx, scope)
    sources(ctx, scope, filters.grain)
    learning(ctx, scope)
    annual_report_block(ctx)


SECTIONS: dict = {"complaints_report": complaints_report}
