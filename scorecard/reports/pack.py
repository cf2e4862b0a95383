"""The committee pack: one self-contained HTML file (and a PDF where Chromium is installed)
for the agenda papers: a cover, the scorecard with its status counts, a section per pillar
(each measure's figure, sentence, commentary and SPC chart with its data), the action plan
exceptions and notes on the data.

    python -m scorecard.reports.pack --period "Q2 2026/27" --out pack.html [--pdf]
        [--service Housing] [--channel phone] [--from 2024-04] [--data DIR] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from .. import ingest
from ..charts import measure as charts
from ..contracts import CHANNEL_WORDS
from ..engine import calendar as cal
from ..engine import catalogue as catalogue_
from ..engine import (
    coverage,
    fmt,
    glossary,
    measures,
    method,
    peers,
    sentences,
    summary,
    tables,
)
from ..engine.filters import Filters
from ..engine.measures import RAG_WORDS
from ..governance import commentary
from ..governance.appdb import AppDatabase
from ..plan import actions as plan_actions
from ..plan import strategy_map
from ..settings import Settings
from . import pdf, snapshots
from .html_report import Document

TITLE = "Customer service performance report"


def grain_of(label: str) -> str:
    """The grain a period label names: 'Q2 2026/27' quarter, '2026/27' year, else month."""
    if label.strip().startswith("Q"):
        return "quarter"
    return "year" if "/" in label else "month"


def filters_for(
    label: str, as_at: date, first: date, services=(), channels=(), start: date | None = None
) -> Filters:
    """The Filters a pack for a period label reports on (trend from `start` or the start)."""
    grain = grain_of(label)
    period = cal.parse_label(label)
    if period is None:
        raise ValueError(
            f"'{label}' is not a period: use e.g. 'September 2026', 'Q2 2026/27' or '2026/27'"
        )
    end = min(cal.period_end(period, grain), as_at)
    return Filters(grain, min(start or first, period), end, tuple(services), tuple(channels))


def describe(filters: Filters, as_at: date) -> str:
    """The view in words, for the cover."""
    label = cal.period_label(filters.report_start, filters.grain)
    services = ", ".join(filters.services) or "all services"
    channels = ", ".join(CHANNEL_WORDS.get(c, c) for c in filters.channels) or "all channels"
    return f"{label} · {services} · {channels}"


class Pack:
    """Builds the pack from a database, the strategy and one set of filters."""

    def __init__(self, database, settings: Settings, filters: Filters, as_at: date):
        self.database, self.settings, self.filters, self.as_at = (
            database,
            settings,
            filters,
            as_at,
        )
        self.catalogue = catalogue_.load_catalogue(
            settings.catalogue_file, settings.digital_channels
        )
        self.strategy = catalogue_.load_strategy(settings.strategy_file, settings.catalogue_file)
        self.targets = measures.targets_for(database, settings)
        self.notes = commentary.Notes(
            database, AppDatabase(settings.state_dir), True, settings.link_domains
        )

    def result(self, measure_id: str) -> measures.MeasureResult:
        """The engine's judgement of one measure for the pack's filters."""
        return measures.compute(
            self.database,
            self.catalogue[measure_id],
            self.filters,
            self.targets,
            self.settings.min_base,
        )

    def build(self, revised: dict | None = None) -> Document:
        """The whole pack as a document (not yet written)."""
        period = cal.period_label(self.filters.report_start, self.filters.grain)
        doc = Document(f"{TITLE}: {period}")
        doc.cover(
            [
                self.strategy.title,
                describe(self.filters, self.as_at),
                f"Data as at {fmt.long_date(self.as_at)}",
                f"Prepared {fmt.long_date(date.today())}",
            ],
            self.settings.council,
        )
        for note in snapshots.unfreezes(self.settings, self.filters):
            doc.paragraph(snapshots.unfrozen_words(note), "note")
        results = {p.id: [self.result(m) for m in p.measures] for p in self.strategy.pillars}
        self._scorecard(doc, results, revised or {})
        for pillar in self.strategy.pillars:
            self._pillar(doc, pillar, results[pillar.id])
        self._actions(doc)
        self._gaps(doc, results)
        self._notes(doc)
        return doc

    def _scorecard(self, doc: Document, results: dict, revised: dict) -> None:
        doc.heading("The scorecard")
        every = [r for rs in results.values() for r in rs]
        counts = summary.tally(every)
        doc.key_figures([(str(counts[rag]), RAG_WORDS[rag]) for rag in RAG_WORDS])
        apart = summary.without_figures(every)
        if apart:
            doc.paragraph(apart.replace(" (listed with the cards)", ""), "note")
        doc.paragraph(
            "Status is shown in words as well as colour. 'Real change' uses NHS "
            "Making Data Count process limits; survey changes use 95% intervals."
        )
        frame = summary.table(
            self.notes, [(p.title, results[p.id]) for p in self.strategy.pillars], revised
        )
        # commentary is printed with each measure below; the table has no column for it
        frame = frame.drop(columns=["measure_id", "rag", "Commentary"])
        doc.table(
            frame,
            "Every measure: figure, target, status and whether it is really changing",
            row_headers=False,
        )

    def _pillar(self, doc: Document, pillar, results) -> None:
        doc.heading(pillar.title)
        doc.paragraph(pillar.aim)
        for reason, titles in summary.absent_groups(results).items():
            doc.paragraph(f"{reason}: {'; '.join(titles)}.", "note")
        for r in results:
            if r.absent:
                continue
            doc.heading(r.measure.title, level=3)
            doc.paragraph(r.sentence)
            doc.key_figures(
                [
                    (summary.figure(r), "Latest figure"),
                    (summary.target(r), "Target"),
                    (summary.standing(r), "Status"),
                    (summary.variation(r), "Variation"),
                ]
            )
            for caveat in r.notes:  # last available, provisional, small base, not split by
                doc.paragraph(caveat, "note")
            compared = peers.for_result(self.database, r, self.targets, self.settings)
            for i, line in enumerate(peers.card_lines(compared)):  # as on the card
                doc.paragraph(
                    line if i else f"Compared with similar councils: {line}", "note" if i else ""
                )
            note = self.notes.for_result(r)
            if note:  # approved only, sanitised: the same HTML the screen shows
                doc.sanitised(self.notes.html(note))
            self._chart(doc, r, pillar.id)

    def _chart(self, doc: Document, r, pillar_id: str) -> None:
        if r.spc is None or r.series["value"].notna().sum() == 0:
            return
        events = self.database.query("tables/events", pillar=pillar_id, measure=r.measure.id)
        words = tables.spc_words(r)
        alt = charts.spc_alt_text(r.measure, r.series, r.spc, words)
        doc.figure(
            charts.spc(r.series, r.spc, r.measure, events, height=360, run_chart=bool(r.coarse)),
            sentences.headline(r),
            alt,
            paper_table(tables.spc_table(r)),
            print_last=PRINTED_PERIODS,
        )

    def _actions(self, doc: Document) -> None:
        doc.heading("Action plan exceptions")
        absent = coverage.absence(coverage.load(self.database), ("actions",))
        if absent:
            doc.paragraph(f"{absent}.")
            return
        frame = self.database.query("pack/action_plan_exceptions")
        if frame.empty:
            doc.paragraph("No action is overdue, at risk or delayed.")
            return
        titles = {p.id: p.title for p in self.strategy.pillars}
        doc.table(
            pd.DataFrame(
                {
                    "Action": frame["action_id"],
                    "Pillar": frame["pillar"].map(lambda p: titles.get(p, f"Unknown pillar {p}")),
                    "What": frame["title"],
                    "Owner": frame["owner"],
                    "Due": [fmt.long_date(pd.Timestamp(d).date()) for d in frame["due_on"]],
                    "Status": frame["status"].str.replace("_", " ").str.capitalize(),
                    "Days overdue": [
                        int(d) if o else "" for d, o in zip(frame["days_overdue"], frame["overdue"])
                    ],
                }
            ),
            f"Actions overdue, at risk or delayed at {fmt.long_date(self.as_at)}",
        )

    def _gaps(self, doc: Document, results: dict) -> None:
        """The strategy map's gaps (plan/strategy_map.py): a heading per kind, each gap in
        words, or why that kind could not be checked."""
        doc.heading("Strategy gaps")
        judged = {r.measure.id: strategy_map.judge(r) for rs in results.values() for r in rs}
        for m in strategy_map.measure_ids(self.strategy):
            if m not in judged:  # a commitment's measure on no pillar's scorecard
                judged[m] = strategy_map.judge(self.result(m))
        absent = coverage.absence(coverage.load(self.database), ("actions",))
        actions = None if absent else plan_actions.load(self.database, self.strategy)
        found = strategy_map.build(self.strategy, self.catalogue, judged, actions, absent or "")
        doc.paragraph(
            "Where the strategy's commitments, the measures that show whether each is kept "
            "and the actions that deliver it do not join up (the dashboard's Strategy map "
            "page). Measures are judged for this pack's period and filters; commitments and "
            "actions are council-wide."
        )
        for heading, lines in strategy_map.sections(found):
            doc.heading(heading, level=3)
            doc.bullets(lines)

    def _notes(self, doc: Document) -> None:
        doc.heading("Notes on the data")
        loads = self.database.table("loads")
        doc.table(
            pd.DataFrame(
                {
                    "Extract": loads["extract"],
                    "Rows read": loads["rows_read"],
                    "Loaded": loads["loaded"],
                    "Rejected": loads["rejected"],
                    "From": loads["first_date"].fillna(""),
                    "To": loads["last_date"].fillna(""),
                }
            ),
            "The extracts behind these figures",
            row_headers=False,
        )
        doc.bullets(
            [f"{topic}: {rule}" for topic, rule in method.rules(self.settings)]
            + ["Rows that broke the data contract are listed on the Data and definitions page."]
        )
        doc.table(
            glossary.frame(), "Words used for status, change and variation", row_headers=False
        )


PRINTED_PERIODS = 8  # a chart's table prints its latest periods; the file keeps them all
PAPER_COLUMNS = ("Period", "Base", "Status", "Variation")


def paper_table(table: pd.DataFrame) -> pd.DataFrame:
    """A chart's data table for the papers: period, figure, base, target, status and
    variation (the dashboard's CSV has every column); a figure not shown reads '–'."""
    keep = [
        c
        for c in table.columns
        if c in PAPER_COLUMNS
        or c.startswith(table.columns[2].split(" (")[0])
        or c.startswith("Target")
    ]
    return table[keep]


def render(
    database, settings: Settings, filters: Filters, as_at: date, revised: dict | None = None
) -> str:
    """The pack as one HTML string."""
    return Pack(database, settings, filters, as_at).build(revised).render()


def main(argv: list[str] | None = None) -> int:
    """Command line: refresh the database if the extracts changed, then write the pack."""
    parser = argparse.ArgumentParser(
        prog="python -m scorecard.reports.pack",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--period", required=True, help="'September 2026', 'Q2 2026/27' or '2026/27'"
    )
    parser.add_argument("--out", type=Path, required=True, help="HTML file to write")
    parser.add_argument("--pdf", action="store_true", help="also print a PDF with Chromium")
    parser.add_argument("--service", action="append", default=[], help="repeat for several")
    parser.add_argument("--channel", action="append", default=[], help="e.g. phone, web")
    parser.add_argument("--from", dest="start", help="trend charts from, e.g. 2024-04")
    ingest.add_source_arguments(parser)
    args = parser.parse_args(argv)
    return ingest.with_served_database(
        args, lambda settings, database: _run(args, settings, database)
    )


def _run(args, settings: Settings, database) -> int:
    covered = coverage.load(database)
    try:
        start = date.fromisoformat(args.start + "-01") if args.start else None
        filters = filters_for(
            args.period, covered.as_at, covered.first, args.service, args.channel, start
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    html_text = render(database, settings, filters, covered.as_at)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(html_text, encoding="utf-8")
    print(f"Wrote {args.out} ({len(html_text.encode()) / 1e6:.1f} MB)")
    if args.pdf:
        made = pdf.html_to_pdf(args.out, args.out.with_suffix(".pdf"))
        print(f"Wrote {made}" if made else "Chromium is not installed, so no PDF was made.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
