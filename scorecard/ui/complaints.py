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
from ..engine import fmt, measures
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


def panels_for(ctx, scope, grain: str) -> dict:
    """Every panel the sections draw, started side by side (each runs its queries, then
    builds its table and chart; while one waits on DuckDB, which works outside Python's
    lock, another is built): name -> a future, read in reading order as the page is drawn."""
    db, base = ctx.database, ctx.settings.min_base
    calls = {
        "timeliness": lambda: panels.timeliness_panel(db, scope, base),
        "open totals": lambda: panels.open_totals(cx.open_complaints(db, scope)),
        "open": lambda: panels.open_panel(db, scope, ctx.as_at, base),
        "flow": lambda: panels.flow_panel(db, scope, base),
        "outcomes": lambda: panels.outcomes_panel(db, scope, base),
        "refusals": lambda: panels.refusals_panel(db, scope, base),
        "ombudsman": lambda: panels.ombudsman_panel(db, scope, base),
        "services": lambda: learn.services_panel(db, scope, ctx.catalogue, base),
        "themes": lambda: learn.themes_panel(db, scope, grain, base),
        "contractors": lambda: learn.contractors_panel(db, scope, base),
        "learning": lambda: learn.learning_panel(db, scope, base),
    }
    return dict(zip(calls, measures.side_by_side(calls.values())))


def timeliness(made: dict) -> None:
    """On time per stage, without and with permitted extensions."""
    show(made["timeliness"].result())


def open_now(ctx, made: dict) -> None:
    """Open complaints at the as-at date: counts, then ageing by stage and service."""
    st.header(f"Open complaints on {fmt.long_date(ctx.as_at)}")
    base = ctx.settings.min_base
    totals = made["open totals"].result()
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
    show(made["open"].result())


def journey(made: dict) -> None:
    """Where complaints go: the flow, outcomes, refusals and Ombudsman decisions."""
    st.header("What happened to complaints")
    for name in ("flow", "outcomes", "refusals", "ombudsman"):
        show(made[name].result())


def sources(made: dict) -> None:
    """Where complaints come from: services, themes over time, contractors."""
    st.header("What complaints are about")
    for name in ("services", "themes", "contractors"):
        show(made[name].result())


def learning(made: dict) -> None:
    """The top themes and what the action plan is doing about them."""
    st.header("Learning from complaints")
    show(made["learning"].result())


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
    made = panels_for(ctx, scope, filters.grain)
    timeliness(made)
    open_now(ctx, made)
    journey(made)
    sources(made)
    learning(made)
    annual_report_block(ctx)


SECTIONS: dict = {"complaints_report": complaints_report}
