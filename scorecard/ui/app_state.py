"""What every page shares: settings, strategy, the served database, and the filter bar.

The database is a cached resource per data version; a refresh check runs at most every
30 seconds and only rebuilds when an extract changed. Filters are widgets bound to the URL
(`bind="query-params"`), so a pasted link reproduces the view and values survive page
switches.
"""

from __future__ import annotations

import atexit
import gc
import os
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from urllib.parse import urlencode, urlsplit

import duckdb
import streamlit as st

from .. import ingest
from ..contracts import CHANNEL_WORDS
from ..engine import calendar as cal
from ..engine import catalogue, coverage, measures
from ..engine.db import Database
from ..engine.filters import Filters
from ..governance import access, commentary
from ..governance.appdb import AppDatabase
from ..settings import Settings, load
from . import errors, link_check, signin

LINK_KEYS = ("grain", "period", "from", "service", "channel", "present", "slide")
PAGE_KEYS = {
    "": ("layout",),
    "measure": ("measure",),
    "service": ("service_view",),
    "actions": ("plan_pillar", "plan_status"),
}  # widgets only that page has


@dataclass
class Context:
    """The shared, cached state a page needs."""

    settings: Settings
    strategy: catalogue.Strategy
    catalogue: dict[str, catalogue.Measure]
    database: Database
    targets: measures.Targets
    services: list[str]
    first_date: date
    as_at: date
    refresh: dict
    coverage: coverage.Coverage
    visitor: access.Visitor = signin.LOCAL

    @cached_property
    def app(self) -> AppDatabase:
        """The app's own database: commentary written here and the audit log."""
        return AppDatabase(self.settings.state_dir)

    @cached_property
    def notes(self) -> commentary.Notes:
        """The commentary this visitor may see (approved only in public mode)."""
        return commentary.Notes(
            self.database, self.app, self.settings.public, self.settings.link_domains
        )

    def measure(self, measure_id: str) -> catalogue.Measure:
        """A catalogue entry by id."""
        return self.catalogue[measure_id]


@st.cache_resource(ttl=30, show_spinner="Checking the extracts for new data...")
def _refresh(settings: Settings) -> dict:
    """Rebuild the database if an extract changed (at most every 30 seconds)."""
    return ingest.refresh(settings).__dict__ | {"reports": []}


def check_for_new_data() -> None:
    """Forget the last refresh check so the next run looks at the extracts again."""
    _refresh.clear()
    st.rerun()


@st.cache_resource(max_entries=3)
def _database(path: str) -> Database:
    """The database of a data version, shared by every session, with its bounded result
    cache (engine/db.py's `LruCache`: each caller handed a copy of its own)."""
    return Database(path)


@st.cache_resource(max_entries=3)
def _reference(path: str, settings: Settings):
    """Targets, services and coverage for a data version; its kept results read in and
    the server's heap settled (`settle`) before its first page is drawn."""
    database = _database(path)
    services = database.query("tables/services")["service"].tolist()
    reference = measures.targets_for(database, settings), services, coverage.load(database)
    catalogued = catalogue.load_catalogue(settings.catalogue_file, settings.digital_channels)
    settle(database, catalogued, settings.min_base)
    return reference


def settle(database: Database, catalogued: dict | None = None, min_base: int = 0) -> None:
    """Read a new data version's kept results into memory, work out the figures of the
    `catalogued` measures' kept rows once (measures.keep_figures: a filter change then
    slices them), and take everything then alive
    out of Python's cyclic garbage collection (`gc.freeze`, after one collection, the
    last data version's objects let go first): the modules, the kept rows and the caches
    then number a few hundred thousand objects, which every full collection walked, about
    100 ms added at random to one page in a few (measured at scale 50: the service view
    175 ms, or 300 with a full collection in it; with them frozen a full collection takes
    about 9 ms). Objects no longer used are still freed as ever (reference counting)."""
    database.kept_results()
    if catalogued:
        measures.keep_figures(database, catalogued, min_base)
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    atexit.unregister(gc.unfreeze)
    atexit.register(gc.unfreeze)  # at exit, collected as ever (connections closed cleanly)


def context() -> Context:
    """Settings, strategy and the current database; rebuilt only when something changed. A
    database that cannot be read is rebuilt from the extracts (the refresh repairs it)."""
    settings = load()
    refresh = _refresh(settings)
    path = str(settings.cache_dir / refresh["database"])
    try:
        targets, services, covered = _reference(path, settings)
    except duckdb.Error:
        for cached in (_refresh, _database, _reference):
            cached.clear()
        refresh = _refresh(settings)
        path = str(settings.cache_dir / refresh["database"])
        targets, services, covered = _reference(path, settings)
    return Context(
        settings=settings,
        strategy=catalogue.load_strategy(settings.strategy_file, settings.catalogue_file),
        catalogue=catalogue.load_catalogue(settings.catalogue_file, settings.digital_channels),
        database=_database(path),
        targets=targets,
        services=services,
        first_date=covered.first,
        as_at=covered.as_at,
        refresh=refresh,
        coverage=covered,
    )


GRAIN_BY_WORD = {word: grain for grain, word in cal.GRAIN_WORDS.items()}
CHANNEL_BY_WORD = {word: channel for channel, word in CHANNEL_WORDS.items()}


def period_labels(ctx: Context, grain: str) -> list[str]:
    """Period labels at a grain, newest first. Labels are what the URL holds, so a link
    reads ?grain=Quarter&period=Q2+2026/27 and stays valid as data is added."""
    starts = cal.periods(ctx.first_date, ctx.as_at, grain)
    return [cal.period_label(p, grain) for p in reversed(starts)]


def _on_grain_change() -> None:
    """Keep the chosen periods when the grain changes: map each to the period containing it."""
    grain = GRAIN_BY_WORD.get(st.session_state.get("grain"), "month")
    for key in ("period", "from"):
        start = cal.parse_label(st.session_state.get(key))
        if start:
            st.session_state[key] = cal.period_label(cal.period_start(start, grain), grain)


def _or_stop(make):
    """`make()`, or a short message with a log reference (never a traceback) and stop."""
    try:
        return make()
    except Exception as exc:
        if os.environ.get("SCORECARD_STRICT"):
            raise
        st.error(
            errors.message("The dashboard's data", errors.report("the data", exc)),
            icon=":material/bug_report:",
        )
        st.stop()


def context_or_stop() -> Context:
    """Who the visitor is (signing them in, or refusing them, before any data is read), then
    the context; a problem is a short message and a stop."""
    visitor = signin.visitor_or_stop(_or_stop(load))
    ctx = _or_stop(context)
    ctx.visitor = visitor
    return ctx


def as_at_words(ctx: Context) -> str:
    """'data as at 30 September 2026', or that there is no dated activity yet."""
    when = f"{ctx.as_at.day} {ctx.as_at:%B %Y}"
    if not ctx.coverage.from_activity:
        return f"no dated activity yet (loaded {when})"
    demo = " (demonstration data for a fictional council)" if ctx.settings.demonstration else ""
    return f"data as at {when}{demo}"


PRESENT_WORDS = ("1", "true", "yes", "0", "false", "no")  # what ?present= may say


def check_link(ctx: Context) -> None:
    """Warn, above the page, about any filter the link asked for that does not exist. Run
    before the filter widgets are made: they would quietly show their defaults instead."""
    raw = link_check.asked(("grain", "period", "from", "service", "channel", "present"))
    word = st.session_state.get("grain") or (raw.get("grain") or ["Month"])[-1]
    word = word if word in GRAIN_BY_WORD else "Month"
    labels, unit = period_labels(ctx, GRAIN_BY_WORD[word]), word.lower()
    missing = f"which is not a {unit} in the data"
    choice = link_check.Choice
    link_check.warn(
        link_check.problems(
            raw,
            {
                "grain": choice("the grain", list(GRAIN_BY_WORD), "figures by Month"),
                "period": choice("the reporting period", labels, labels[0], missing),
                "from": choice("trend charts from", labels, f"trends from {labels[-1]}", missing),
                "service": choice(
                    "the service",
                    ctx.services,
                    "all services",
                    "which is not in the data",
                    many=True,
                ),
                "channel": choice("the channel", list(CHANNEL_BY_WORD), "all channels", many=True),
                "present": choice(
                    "presentation mode",
                    PRESENT_WORDS,
                    "the dashboard as normal",
                    'which is not a setting (use "1")',
                ),
            },
        )
    )


def filter_bar(ctx: Context) -> Filters:
    """Sidebar filters bound to the URL; returns the Filters every page uses. A link's
    filters that do not exist are named in a warning above the page."""
    check_link(ctx)
    with st.sidebar:
        words = as_at_words(ctx)
        st.caption(words[0].upper() + words[1:])
        word = st.segmented_control(
            "Show figures by",
            list(GRAIN_BY_WORD),
            default="Month",
            key="grain",
            bind="query-params",
            required=True,
            on_change=_on_grain_change,
        )
        grain = GRAIN_BY_WORD.get(word, "month")
        labels = period_labels(ctx, grain)
        period = st.selectbox(
            "Reporting period",
            labels,
            key="period",
            bind="query-params",
            help="The period the scorecard reports on; comparisons are with the period "
            "before and the same period a year earlier.",
        )
        start = st.selectbox(
            "Trend charts from", list(reversed(labels)), key="from", bind="query-params"
        )
        services = st.multiselect(
            "Service", ctx.services, key="service", bind="query-params", placeholder="All services"
        )
        channels = st.multiselect(
            "Channel",
            list(CHANNEL_BY_WORD),
            key="channel",
            bind="query-params",
            placeholder="All channels",
        )
    report = cal.parse_label(period or labels[0])
    first = min(cal.parse_label(start or labels[-1]), report)
    end = min(cal.period_end(report, grain), ctx.as_at)
    return Filters(grain, first, end, tuple(services), tuple(CHANNEL_BY_WORD[c] for c in channels))


def period_words(start: date, grain: str, as_at: date) -> str:
    """A period's label, marked 'so far' when the data stops part-way through it."""
    label = cal.period_label(start, grain)
    return (
        f"{label} (to {as_at.day} {as_at:%B %Y})" if cal.period_end(start, grain) > as_at else label
    )


def describe(filters: Filters, as_at: date) -> str:
    """The filters in words, for page captions and the committee pack."""
    period = period_words(filters.report_start, filters.grain, as_at)
    services = ", ".join(filters.services) if filters.services else "all services"
    channels = (
        ", ".join(CHANNEL_WORDS[c] for c in filters.channels)
        if filters.channels
        else "all channels"
    )
    return f"{period} · {services} · {channels}"


def link(page_path: str, **extra) -> str:
    """A link that reopens exactly this view: page, filters, measure, the service view's
    service, the action plan's filters, presentation, slide; `extra` sets or adds parameters
    (e.g. a measure to open)."""
    params = {}
    for key in LINK_KEYS + PAGE_KEYS.get(page_path, ()):
        value = st.session_state.get(key)
        if (key, value) in (("grain", "Month"), ("layout", "Cards")):
            continue  # the defaults stay out of the link, as they stay out of the URL
        if value not in (None, "", [], False):
            params[key] = "1" if value is True else value
    params.update(extra)
    base = urlsplit(st.context.url or "")
    origin = f"{base.scheme}://{base.netloc}" if base.netloc else ""
    query = urlencode(params, doseq=True)
    return f"{origin}/{page_path}" + (f"?{query}" if query else "")
