"""The change digest: what changed on the scorecard since the period before, as a short
plain-English HTML page and a plain-text email, each item linking back to its dashboard view.

It compares the period chosen with the one before it at the same grain and lists: measures
whose status changed; new special-cause signals; actions that became overdue; and red or
amber measures still without approved commentary. Nothing to report is said in a sentence.

    python -m scorecard.digest [--period "Q2 2026/27" | --grain quarter] [--service Housing]
        [--channel phone] [--out digest.html] [--send] [--data DIR] [--cache DIR]

Exit status: 0 done; 1 no database; 2 a period, service, channel or mail setting that cannot
be used; 3 the mail server could not be reached or refused the message (files still written).
"""

from __future__ import annotations

import argparse
import html
import os
import smtplib
import ssl
import sys
from dataclasses import dataclass, replace
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from .. import ingest
from ..contracts import CHANNEL_WORDS
from ..engine import calendar as cal
from ..engine import catalogue as catalogue_
from ..engine import coverage, fmt, glossary, measures, sentences, summary
from ..engine.filters import Filters
from ..engine.measures import MeasureResult
from ..governance import commentary
from ..governance.appdb import AppDatabase
from ..plan import actions as plan_actions
from ..settings import Settings, SettingsError
from .html_report import Document
from .pack import describe, filters_for

PASSWORD_ENV = "SCORECARD_SMTP_PASSWORD"  # the mail password: from the environment only
EXIT_CODES = {
    0: "the digest was written (and sent, with --send)",
    1: "no database could be built from the extracts",
    2: "a period, service, channel or mail setting that cannot be used",
    3: "the mail server could not be reached or refused the message",
}
NO_LINKS = (
    "Links back to the dashboard are left out: set dashboard_url in config/settings.toml "
    "(or SCORECARD_DASHBOARD_URL) to the dashboard's address to add them."
)


@dataclass(frozen=True)
class Item:
    """One line of the digest: what it is about, what happened, and the view to open."""

    subject: str
    words: str
    link: str | None = None


@dataclass(frozen=True)
class Section:
    """A heading, its items, and the sentence said when it has none."""

    heading: str
    items: tuple[Item, ...]
    none: str


@dataclass(frozen=True)
class Digest:
    """The digest of one period against the one before, ready to write as HTML or text."""

    title: str
    lines: tuple[str, ...]  # under the title: the view, the data's date
    council: str
    lead: str  # the one sentence that says what happened (or that nothing did)
    sections: tuple[Section, ...]  # empty when there is nothing to report
    apart: tuple[Item, ...]  # measures not compared: a figure shown in one period only
    notes: tuple[str, ...]
    home: str | None  # the scorecard for this view

    @property
    def empty(self) -> bool:
        """True when there is nothing to report."""
        return not self.sections


# --- the four lists: pure functions of the scorecard's own results -------------------------


def shown(r: MeasureResult) -> bool:
    """True when the scorecard shows a figure for the period itself: supplied, not withheld,
    not an earlier period's (the figures its status tally counts)."""
    return summary.counted(r) and not r.latest["suppressed"]


def status_changes(before: list[MeasureResult], after: list[MeasureResult]) -> list[tuple]:
    """(before, after) for each measure whose status differs between the two periods; a
    measure without a figure shown in either is not comparable, never a change."""
    return [(b, a) for b, a in zip(before, after) if shown(b) and shown(a) and b.rag != a.rag]


def not_comparable(before: list[MeasureResult], after: list[MeasureResult]) -> list[tuple]:
    """(before, after) for each measure with a figure shown in one period but not the other."""
    return [(b, a) for b, a in zip(before, after) if shown(b) != shown(a)]


def signal(r: MeasureResult) -> str:
    """The special-cause signal at the period's own point ('improvement', 'concern',
    'neutral'), or 'common': no signal, no process limits, or no figure shown for it."""
    if not (r.is_current and sentences.has_limits(r)):
        return "common"
    return glossary.signal(r.variation)


def new_signals(before: list[MeasureResult], after: list[MeasureResult]) -> list[tuple]:
    """(before, after) for each measure whose point in the period is a special cause that
    the scorecard for the period before did not show (none there, or another kind)."""
    return [(b, a) for b, a in zip(before, after) if signal(a) not in ("common", signal(b))]


def became_overdue(plan: pd.DataFrame, since: date, until: date) -> pd.DataFrame:
    """The actions overdue as at `until` that were not as at `since`. The plan's own rule
    (plan.actions: open, and due before the day; its `overdue` column is as at the data's
    date, which `until` never passes) makes that: due on or after `since`, before `until`."""
    due = pd.to_datetime(plan["due_on"]).dt.date
    return plan[plan["overdue"].astype(bool) & (due >= since) & (due < until)]


def without_commentary(notes: commentary.Notes, results: list[MeasureResult]) -> list:
    """The red and amber measures for the period with no approved commentary (the rule the
    scorecard's list for measure owners uses: commentary.Notes.needs_commentary)."""
    return [r for r in results if notes.needs_commentary(r)]


# --- links back to the dashboard -----------------------------------------------------------


def link(base: str, page: str, filters: Filters, **extra) -> str | None:
    """The dashboard view for these filters, in the URL parameters the app reads (grain,
    period, service, channel; the page's own, such as measure), or None without a base."""
    if not base:
        return None
    params: dict = dict(extra)
    if filters.grain != "month":  # Month is the app's default and stays out of its links
        params["grain"] = cal.GRAIN_WORDS[filters.grain]
    params["period"] = cal.period_label(filters.report_start, filters.grain)
    if filters.services:
        params["service"] = list(filters.services)
    if filters.channels:
        params["channel"] = [CHANNEL_WORDS.get(c, c) for c in filters.channels]
    return f"{base.rstrip('/')}/{page}?{urlencode(params, doseq=True)}"


def measure_link(base: str, r: MeasureResult) -> str | None:
    """The measure's detail page for the digest's view."""
    return link(base, "measure", r.filters, measure=r.measure.title)


# --- words ---------------------------------------------------------------------------------


def _label(r: MeasureResult) -> str:
    return cal.period_label(r.filters.report_start, r.filters.grain)


def _standing(r: MeasureResult) -> str:
    return f"{summary.standing(r)} ({summary.figure(r)})"


def _missing_words(r: MeasureResult) -> str:
    """Why a period has no figure shown, with no count: 'no figure for August 2026'."""
    if r.absent:
        return f"{r.absent.split(':')[0].lower()} for {_label(r)}"
    if r.has_figure and r.is_current:
        return f"not shown for {_label(r)}, as the numbers are small"
    return f"no figure for {_label(r)}"


def _scope(r: MeasureResult) -> str:
    """'; not split by service' for a figure that ignores a filter that is on, else ''."""
    return f"; not split by {summary.not_split_by(r)}" if r.ignored_filters else ""


def change_item(base: str, b: MeasureResult, a: MeasureResult) -> Item:
    """'Near target (76.0%) in August 2026; now Off target (50.0%)'."""
    words = f"{_standing(b)} in {_label(b)}; now {_standing(a)} in {_label(a)}{_scope(a)}"
    return Item(a.measure.title, words, measure_link(base, a))


def signal_item(base: str, b: MeasureResult, a: MeasureResult) -> Item:
    """'Getting worse; this is a real concern: the latest point is below the lower ...'."""
    words = f"{glossary.variation(a.variation)}; {sentences.verdict(a)}"
    if signal(b) != "common":
        words += f" (in {_label(b)}: {glossary.variation(b.variation).lower()})"
    return Item(a.measure.title, words + _scope(a), measure_link(base, a))


def action_item(base: str, filters: Filters, action) -> Item:
    """'A3 Publish service standards online: Access · Head of Digital · due ...'."""
    return Item(
        f"{action.action_id} {action.title}",
        plan_actions.overdue_caption(action),
        link(base, "actions", filters, plan_status=plan_actions.OVERDUE),
    )


def commentary_item(base: str, r: MeasureResult) -> Item:
    """'Off target: 50.0% (target at least 80%); no significant change over time'."""
    words = f"{summary.standing(r)}: {summary.attention_words(r)}{_scope(r)}"
    return Item(r.measure.title, words, measure_link(base, r))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lead(since: str, counts: dict, actions_absent: str) -> str:
    """The digest in one sentence: what happened since the period before, or that nothing
    did (an action plan that was not supplied is said so, never counted as no change)."""
    words = {
        "changes": ("measure changed status", "measures changed status"),
        "signals": ("new special-cause signal", "new special-cause signals"),
        "actions": ("action became overdue", "actions became overdue"),
        "uncommented": (
            "red or amber measure has no approved commentary",
            "red or amber measures have no approved commentary",
        ),
    }
    listed = [_count(counts[key], *words[key]) for key in words if counts.get(key)]
    if not listed:
        plan = (
            f"the action plan cannot be checked ({actions_absent[0].lower()}{actions_absent[1:]})"
            if actions_absent
            else "no action became overdue"
        )
        return (
            f"Nothing to report since {since}: no measure changed status, no new "
            f"special-cause signal, {plan}, and every red or amber measure has approved "
            "commentary."
        )
    joined = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"
    return f"Since {since}: {joined}."


# --- the digest ----------------------------------------------------------------------------


def previous(filters: Filters) -> Filters:
    """The same view for the period before, at the same grain."""
    start = cal.shift(filters.report_start, filters.grain, -1)
    return replace(filters, end=cal.period_end(start, filters.grain))


def scorecard_ids(strategy) -> list[str]:
    """Every measure on the scorecard once, in strategy order: the pillars', then the plan's."""
    every = [m for p in strategy.pillars for m in p.measures] + list(strategy.plan_measures)
    return list(dict.fromkeys(every))


def build(database, settings: Settings, filters: Filters, as_at: date) -> Digest:
    """The digest for a view: the engine's results for its period and the one before, the
    action plan and the approved commentary, as sections of linked items."""
    strategy = catalogue_.load_strategy(settings.strategy_file, settings.catalogue_file)
    catalogue = catalogue_.load_catalogue(settings.catalogue_file, settings.digital_channels)
    ids, earlier = scorecard_ids(strategy), previous(filters)
    pillars = {m for p in strategy.pillars for m in p.measures}  # as the overview's owners list
    results = measures.compute_many(
        database,
        [(catalogue[m], f) for f in (earlier, filters) for m in ids],
        measures.targets_for(database, settings),
        settings.min_base,
    )
    before, after = results[: len(ids)], results[len(ids) :]
    notes = commentary.Notes(database, AppDatabase(settings.state_dir), True, settings.link_domains)
    base, since = settings.dashboard_url, cal.period_label(earlier.report_start, earlier.grain)
    absent = coverage.absence(coverage.load(database), ("actions",)) or ""
    overdue = pd.DataFrame()
    if not absent:
        until = min(cal.period_end(filters.report_start, filters.grain), as_at)
        overdue = became_overdue(plan_actions.load(database, strategy), earlier.end, until)
    lists = {
        "changes": [change_item(base, b, a) for b, a in status_changes(before, after)],
        "signals": [signal_item(base, b, a) for b, a in new_signals(before, after)],
        "actions": [action_item(base, filters, a) for a in overdue.itertuples()],
        "uncommented": [
            commentary_item(base, r)
            for r in without_commentary(notes, [r for r in after if r.measure.id in pillars])
        ],
    }
    return Digest(
        title=f"Scorecard digest: {cal.period_label(filters.report_start, filters.grain)}",
        lines=_lines(settings, strategy, filters, since, as_at),
        council=settings.council,
        lead=lead(since, {k: len(v) for k, v in lists.items()}, absent),
        sections=_sections(lists, absent) if any(lists.values()) else (),
        apart=tuple(
            Item(a.measure.title, _missing_words(b if shown(a) else a))
            for b, a in not_comparable(before, after)
        ),
        notes=_notes(settings, filters, as_at, absent),
        home=link(base, "", filters),
    )


def _lines(settings, strategy, filters: Filters, since: str, as_at: date) -> tuple[str, ...]:
    demo = " (demonstration data for a fictional council)" if settings.demonstration else ""
    return (
        strategy.title,
        f"{describe(filters, as_at)}, compared with {since}",
        f"Data as at {fmt.long_date(as_at)}{demo}",
    )


HEADINGS = {
    "changes": ("Measures that changed status", "No measure changed status."),
    "signals": ("New special-cause signals", "No new special-cause signal."),
    "actions": ("Actions that became overdue", "No action became overdue."),
    "uncommented": (
        "Red and amber measures without approved commentary",
        "Every red or amber measure has approved commentary.",
    ),
}


def _sections(lists: dict, absent: str) -> tuple[Section, ...]:
    out = []
    for key, (heading, none) in HEADINGS.items():
        if key == "actions" and absent:
            none = f"{absent}, so overdue actions cannot be listed."
        out.append(Section(heading, tuple(lists[key]), none))
    return tuple(out)


def _notes(settings, filters: Filters, as_at: date, absent: str) -> tuple[str, ...]:
    out = [
        "Status is the scorecard's: On, Near or Off target, or Not rated. A special-cause "
        "signal is a real change by NHS Making Data Count process limits, judged only where "
        "a measure's chart has them (13 or more periods)."
    ]
    if not absent:
        scope = (
            " Actions have no service or channel, so the filters do not narrow them."
            if filters.services or filters.channels
            else ""
        )
        out.append(
            f"Actions are as the action plan stood on {fmt.long_date(as_at)}: overdue means "
            f"due before the day and neither complete nor withdrawn.{scope}"
        )
    if not settings.dashboard_url:
        out.append(NO_LINKS)
    return tuple(out)


# --- HTML and text -------------------------------------------------------------------------


def _item_html(item: Item) -> str:
    subject = html.escape(item.subject)
    if item.link:
        subject = f'<a href="{html.escape(item.link, quote=True)}">{subject}</a>'
    return f"<li>{subject}: {html.escape(item.words)}</li>"


def _list_html(items) -> str:
    return "<ul>" + "".join(_item_html(i) for i in items) + "</ul>"


NOT_COMPARED = "Not compared, as only one of the two periods has a figure shown:"


def to_html(d: Digest) -> str:
    """The digest as one self-contained, accessible HTML page (no script, no images)."""
    doc = Document(d.title)
    doc.cover(list(d.lines), d.council)
    doc.paragraph(d.lead)
    if d.home:
        home = html.escape(d.home, quote=True)
        doc.sanitised(f'<p><a href="{home}">Open this view of the scorecard</a></p>')
    for section in d.sections:
        doc.heading(section.heading)
        if section.items:
            doc.sanitised(_list_html(section.items))
        else:
            doc.paragraph(section.none)
    doc.heading("About this digest")
    if d.apart:
        doc.paragraph(NOT_COMPARED, "note")
        doc.sanitised(_list_html(d.apart))
    for note in d.notes:
        doc.paragraph(note, "note")
    doc.contents.clear()  # a page this short needs no table of contents
    return doc.render()


def _list_text(items) -> list[str]:
    return [
        line
        for item in items
        for line in (f"- {item.subject}: {item.words}", f"  {item.link}" if item.link else "")
        if line
    ]


def _heading_text(text: str) -> list[str]:
    return ["", text, "-" * len(text)]


def to_text(d: Digest) -> str:
    """The digest as plain text, for the email's text part: the same words and links."""
    lines = [line for line in (d.council, d.title, *d.lines) if line] + ["", d.lead]
    if d.home:
        lines.append(f"Open this view of the scorecard: {d.home}")
    for section in d.sections:
        lines += _heading_text(section.heading)
        lines += _list_text(section.items) if section.items else [section.none]
    lines += _heading_text("About this digest")
    if d.apart:
        lines += [NOT_COMPARED, *_list_text(d.apart)]
    return "\n".join([*lines, *d.notes]) + "\n"


# --- email ---------------------------------------------------------------------------------


def subject(d: Digest) -> str:
    """The email's subject: the council, the title, and whether there is anything new."""
    council = f"{d.council}: " if d.council else ""
    return f"{council}{d.title}" + (" (nothing to report)" if d.empty else "")


def mail_problem(settings: Settings) -> str:
    """Why the digest cannot be sent with these settings, or ''."""
    missing = [
        name
        for name, value in (
            ("smtp_host", settings.smtp_host),
            ("smtp_from", settings.smtp_from),
            ("digest_to", settings.digest_to),
        )
        if not value
    ]
    if missing:
        return (
            f"to send the digest, set {', '.join(missing)} (in config/settings.toml, or as "
            "SCORECARD_<NAME> in the environment)"
        )
    if settings.smtp_user and not os.environ.get(PASSWORD_ENV):
        return (
            f"smtp_user is set, so the mail password must be in the environment as {PASSWORD_ENV}"
        )
    return ""


def message(d: Digest, settings: Settings) -> EmailMessage:
    """The digest as an email: plain text, with the HTML page as its alternative."""
    mail = EmailMessage()
    mail["Subject"] = subject(d)
    mail["From"] = settings.smtp_from
    mail["To"] = ", ".join(settings.digest_to)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=parseaddr(settings.smtp_from)[1].rpartition("@")[2])
    mail.set_content(to_text(d))
    mail.add_alternative(to_html(d), subtype="html")
    return mail


def send(mail: EmailMessage, settings: Settings) -> None:
    """Send through the configured server: TLS from the start on port 465, else STARTTLS
    unless smtp_starttls is off; sign in when smtp_user is set (the password from the
    environment only, never a file or the command line)."""
    context = ssl.create_default_context()
    if settings.smtp_port == 465:
        server = smtplib.SMTP_SSL(settings.smtp_host, 465, context=context, timeout=60)
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=60)
    with server:
        if settings.smtp_port != 465 and settings.smtp_starttls:
            server.starttls(context=context)
        if settings.smtp_user:
            server.login(settings.smtp_user, os.environ[PASSWORD_ENV])
        server.send_message(mail)


# --- command line --------------------------------------------------------------------------


def choose(label: str, covered, services, channels, known_services) -> Filters:
    """The digest's view from the command line, or ValueError saying what is wrong."""
    start = cal.parse_label(label)
    if start is not None and start > covered.as_at:
        raise ValueError(
            f"'{label}' is after the data's as-at date ({fmt.long_date(covered.as_at)})"
        )
    unknown = [s for s in services if s not in known_services]
    unknown += [c for c in channels if c not in CHANNEL_WORDS]
    if unknown:
        raise ValueError(
            f"not in the data: {', '.join(unknown)} (channels are {', '.join(CHANNEL_WORDS)})"
        )
    return filters_for(label, covered.as_at, covered.first, services, channels)


def latest_complete(as_at: date, grain: str) -> str:
    """The latest period whose last day the data reaches (a scheduled digest runs after a
    month ends, when the data holds a day or so of the next)."""
    start = cal.period_start(as_at, grain)
    if cal.period_end(start, grain) > as_at:
        start = cal.shift(start, grain, -1)
    return cal.period_label(start, grain)


def main(argv: list[str] | None = None) -> int:
    """Command line: refresh the database if the extracts changed, then write or send."""
    parser = argparse.ArgumentParser(
        prog="python -m scorecard.digest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--period", help="'September 2026', 'Q2 2026/27' or '2026/27'")
    parser.add_argument(
        "--grain",
        choices=tuple(cal.GRAIN_WORDS),
        default="month",
        help="without --period: the latest complete month, quarter or year in the data",
    )
    parser.add_argument("--service", action="append", default=[], help="repeat for several")
    parser.add_argument("--channel", action="append", default=[], help="e.g. phone, web")
    parser.add_argument("--out", type=Path, help="HTML file to write (and the text as .txt)")
    parser.add_argument("--send", action="store_true", help="email it (settings: docs/digest.md)")
    ingest.add_source_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return ingest.with_served_database(
            args, lambda settings, database: _run(args, settings, database)
        )
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args, settings: Settings, database) -> int:
    problem = mail_problem(settings) if args.send else ""
    covered = coverage.load(database)
    label = args.period or latest_complete(covered.as_at, args.grain)
    try:
        if problem:
            raise ValueError(problem)
        known = database.query("tables/services")["service"].tolist()
        filters = choose(label, covered, args.service, args.channel, known)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    digest = build(database, settings, filters, covered.as_at)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(to_html(digest), encoding="utf-8")
        args.out.with_suffix(".txt").write_text(to_text(digest), encoding="utf-8")
        print(f"Wrote {args.out} and {args.out.with_suffix('.txt')}")
    if args.send:
        try:
            send(message(digest, settings), settings)
        except (OSError, smtplib.SMTPException) as exc:
            print(
                f"error: the mail server {settings.smtp_host} did not take the digest "
                f"({type(exc).__name__}: {exc})",
                file=sys.stderr,
            )
            return 3
        print(f"Sent the digest to {len(settings.digest_to)} recipient(s)")
    if not args.out and not args.send:
        print(to_text(digest), end="")
    return 0
