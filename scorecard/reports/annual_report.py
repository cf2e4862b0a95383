"""The annual complaints performance and service improvement report (section 8 of the
Complaint Handling Code) for one financial year, as a self-contained HTML file and, where
Chromium is installed, a PDF: ready for a committee's agenda papers.

    python -m scorecard.reports.annual_report --year 2025/26 --out report.html [--pdf]
        [--data DIR] [--cache DIR]

Every figure comes from the same queries and panels as the Complaints page, for all services
and channels, so the report and the dashboard (at "Financial year") agree.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from .. import ingest
from ..complaints import figures as cx
from ..complaints import learning as learn
from ..complaints import panels
from ..engine import calendar as cal
from ..engine import catalogue as catalogue_
from ..engine import coverage, fmt, glossary, suppression
from ..engine.complaint_clock import RESPONSE_DAYS
from ..settings import Settings
from . import pdf
from .html_report import Document

TITLE = "Annual complaints performance and service improvement report"
YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def year_span(label: str) -> tuple[date, date]:
    """First and last day of a financial year label: '2025/26' -> 1 April 2025, 31 March 2026."""
    match = YEAR.match((label or "").strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"'{label}' is not a financial year; write it like 2025/26")
    start = date(int(match[1]), 4, 1)
    return start, cal.period_end(start, "year")


def years(first: date, as_at: date) -> list[str]:
    """Financial years with data, newest first."""
    return [cal.fy_label(s) for s in reversed(cal.periods(first, as_at, "year"))]


def latest_complete(as_at: date) -> str:
    """The latest financial year that has ended by the as-at date."""
    start = cal.fy_start(as_at)
    ended = as_at >= cal.period_end(start, "year")
    return cal.fy_label(start if ended else start - timedelta(days=1))


def _rate(numerator, denominator, min_base: int) -> str:
    """'72.4%', or 'fewer than 10 cases'."""
    words = cx.rate_words(int(numerator), int(denominator), min_base)
    return words.split(" (")[0]


def key_figures(database, scope, catalogue, min_base: int) -> list[tuple[str, str]]:
    """The headline figures for the summary: (figure, what it is)."""
    t = cx.timeliness(database, scope).set_index("stage")
    per_1000 = cx.measure_total(database, catalogue["complaints_per_1000_contacts"], scope)
    upheld = cx.measure_total(database, catalogue["complaints_upheld"], scope)
    escalated = cx.measure_total(database, catalogue["complaints_escalated"], scope)
    referred = cx.ombudsman(database, scope)
    items = [
        (
            panels.count(t.loc[s, "received"], "", min_base=min_base),
            f"complaints received at stage {s}",
        )
        for s in (1, 2)
    ]
    items.append(
        (
            "–" if not per_1000[1] else f"{1000 * per_1000[0] / per_1000[1]:.1f}",
            "new complaints per 1,000 contacts",
        )
    )
    for s in (1, 2):
        r = t.loc[s]
        items.append(
            (
                _rate(r.on_time, r.responses_due, min_base),
                f"of stage {s} responses within {RESPONSE_DAYS[s]} working days; "
                f"{_rate(r.on_time_with_extension, r.responses_due_with_extension, min_base)}"
                " with permitted extensions",
            )
        )
    items += [
        (_rate(*upheld, min_base), "of decisions upheld in full or in part"),
        (_rate(*escalated, min_base), "of stage 1 answers taken to stage 2"),
        (
            panels.count(referred["complaints"].sum(), "", min_base=min_base),
            "complaints referred to an Ombudsman",
        ),
    ]
    return items


def _cover(doc: Document, settings: Settings, year: str, as_at: date) -> None:
    start, end = year_span(year)
    lines = [
        f"Financial year {year}: {fmt.long_date(start)} to {fmt.long_date(end)}",
        f"Data as at {fmt.long_date(as_at)}",
    ]
    if as_at < end:
        lines.append(f"Part year: the data runs only to {fmt.long_date(as_at)}.")
    lines.append("Prepared under section 8 of the Complaint Handling Code.")
    doc.cover(lines, organisation=settings.council)


def _panel(doc: Document, panel: panels.Panel) -> None:
    """A panel as a numbered figure (or, without a chart, a table with its finding)."""
    if panel.figure is None:
        doc.heading(panel.title, 3)
        if panel.note:
            doc.paragraph(panel.note, "note")
        if len(panel.table):
            doc.table(_once(panel.table), panel.caption or panel.title)
        return
    doc.figure(panel.figure, panel.title, panel.alt, panel.table, panel.note)


def _once(table: pd.DataFrame) -> pd.DataFrame:
    """A theme's name and counts on its first row only, when it has several actions."""
    if "Theme" not in table:
        return table
    repeated = table["Theme"].duplicated()
    shown = table.astype(object)
    shown.loc[repeated, [c for c in table.columns[:3]]] = ""
    return shown


VOLUMES = ("Received in the year", "Answered in the year")


def _volumes(database, scope, min_base: int) -> pd.DataFrame:
    t = cx.timeliness(database, scope)
    answered = cx.outcomes(database, scope).groupby("stage")["complaints"].sum()
    return suppression.withhold(
        pd.DataFrame(
            {
                "Stage": [cx.STAGES[s] for s in t["stage"]],
                VOLUMES[0]: t["received"],
                VOLUMES[1]: [int(answered.get(s, 0)) for s in t["stage"]],
            }
        ),
        min_base,
        counts=VOLUMES,
    )


def _improvements(doc: Document, database) -> None:
    actions = database.query("complaints/improvement_actions")
    if actions.empty:
        doc.paragraph("The action plan lists no actions against complaint themes.")
        return
    table = pd.DataFrame(
        {
            "Action": actions["action_id"],
            "What is being done": actions["title"],
            "Complaint themes": actions["themes"],
            "Owner": actions["owner"],
            "Status": [cx.words(s, glossary.ACTION_STATUS) for s in actions["status"]],
            "Due": [fmt.long_date(pd.Timestamp(d).date()) for d in actions["due_on"]],
        }
    )
    doc.table(table, "Action plan items that answer complaint themes")


def _about(doc: Document, settings: Settings) -> None:
    doc.heading("About these figures")
    doc.bullets(
        [
            cx.convention(settings.complaint_day_zero),
            "Acknowledgements are counted by the date received; on-time responses by the date "
            "the response was due; outcomes, escalation and Ombudsman referrals by the date of "
            "the council's response; volumes and themes by the date received.",
            "On time with permitted extensions: an extension counts only up to the 10 (stage 1) "
            "or 20 (stage 2) extra working days the Code allows. Withdrawn complaints are left "
            "out of timeliness.",
            f"Counts of fewer than {settings.min_base} complaints, and rates on fewer than "
            f"{settings.min_base} cases, are not shown, so no one can be identified from a small "
            "group. No personal details appear in this report.",
            "The same figures are on the dashboard's Complaints page, with the period set to "
            "this financial year.",
        ]
    )


def _handling(doc: Document, database, scope, catalogue: dict, base: int) -> None:
    """Volumes, timeliness and outcomes."""
    year = cal.fy_label(scope.start)
    doc.heading("Volumes")
    doc.table(_volumes(database, scope, base), f"Complaints received and answered in {year}")
    _panel(doc, learn.services_panel(database, scope, catalogue, base))
    doc.heading("Timeliness")
    _panel(doc, panels.timeliness_panel(database, scope, base))
    doc.heading("Outcomes")
    _panel(doc, panels.outcomes_panel(database, scope, base))
    _panel(doc, panels.flow_panel(database, scope, base))


def _learning(doc: Document, database, scope, base: int) -> None:
    """Themes, refusals, the Ombudsman, and what has changed as a result."""
    doc.heading("Complaint themes")
    _panel(doc, learn.themes_panel(database, scope, "quarter", base))
    _panel(doc, learn.contractors_panel(database, scope, base))
    doc.heading("Refusals")
    _panel(doc, panels.refusals_panel(database, scope, base))
    doc.heading("Ombudsman")
    _panel(doc, panels.ombudsman_panel(database, scope, base))
    doc.heading("Learning and service improvement")
    _panel(doc, learn.learning_panel(database, scope, base))
    doc.heading("Improvements made and under way", 3)
    _improvements(doc, database)


def build(database, settings: Settings, catalogue: dict, year: str, as_at: date) -> Document:
    """The report for one financial year, as an HTML document (not yet written)."""
    scope = cx.Scope(*year_span(year))
    doc = Document(f"{TITLE} {year}")
    _cover(doc, settings, year, as_at)
    doc.heading("Summary")
    absent = coverage.absence(coverage.load(database), ("complaints",))
    if absent:
        doc.paragraph(
            f"{absent}. This report is built from the council's complaints "
            "extract; once it is supplied, the report sets out how complaints were "
            "handled, what they were about and what changed as a result."
        )
        return doc
    doc.paragraph(
        f"This report sets out how {settings.council or 'the council'} handled "
        f"complaints in "
        f"{year}, what they were about and what has changed as a result. The "
        "committee is asked to note the report and the improvements made."
    )
    doc.key_figures(key_figures(database, scope, catalogue, settings.min_base))
    _handling(doc, database, scope, catalogue, settings.min_base)
    _learning(doc, database, scope, settings.min_base)
    _about(doc, settings)
    return doc


def write(
    database,
    settings: Settings,
    catalogue: dict,
    year: str,
    as_at: date,
    out: Path | str,
    with_pdf: bool = False,
) -> tuple[Path, Path | None]:
    """Write the HTML report to `out` and, if asked and Chromium is present, a PDF beside it."""
    html_path = build(database, settings, catalogue, year, as_at).write(out)
    pdf_path = pdf.html_to_pdf(html_path, html_path.with_suffix(".pdf")) if with_pdf else None
    return html_path, pdf_path


def file_name(year: str, suffix: str = "html") -> str:
    """complaints-annual-report-2025-26.html"""
    return f"complaints-annual-report-{year.replace('/', '-')}.{suffix}"


def main(argv: list[str] | None = None) -> int:
    """Command line: refresh the database from the extracts, then write the report."""
    parser = argparse.ArgumentParser(
        prog="python -m scorecard.reports.annual_report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--year", help="financial year, e.g. 2025/26 (default: the latest complete year)"
    )
    parser.add_argument("--out", type=Path, help="HTML file to write")
    parser.add_argument("--pdf", action="store_true", help="also print a PDF with Chromium")
    ingest.add_source_arguments(parser)
    args = parser.parse_args(argv)
    return ingest.with_served_database(
        args, lambda settings, database: _run(args, settings, database)
    )


def _run(args, settings: Settings, database) -> int:
    as_at = coverage.load(database).as_at
    year = args.year or latest_complete(as_at)
    try:
        start, _ = year_span(year)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if start > as_at:
        print(
            f"error: no data for {year}: the data runs to {fmt.long_date(as_at)}", file=sys.stderr
        )
        return 2
    catalogue = catalogue_.load_catalogue(settings.catalogue_file, settings.digital_channels)
    out = args.out or Path(file_name(year))
    html_path, pdf_path = write(database, settings, catalogue, year, as_at, out, args.pdf)
    print(f"Wrote {html_path}")
    if args.pdf:
        print(
            f"Wrote {pdf_path}"
            if pdf_path
            else "Chromium is not installed, so no PDF was made; the HTML prints to PDF from "
            "any browser.",
            file=sys.stdout if pdf_path else sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
