"""What every page shares: settings, strategy, the served database, and the filter bar.

The database is a cached resource per data version; a refresh check runs at most every
30 seconds and only rebuilds when an extract changed. Filters are widgets bound to the URL
(`bind="query-params"`), so a pasted link reproduces the view and values survive page
switches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from . import calendar as cal
from . import catalogue, ingest, measures
from .contracts import CHANNELS
from .db import Database
from .settings import Settings, load

CHANNEL_WORDS = {"phone": "Phone", "web": "Website", "email": "Email",
                 "face_to_face": "Face to face", "webchat": "Webchat", "letter": "Letter",
                 "social": "Social media", "app": "App"}


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

    def measure(self, measure_id: str) -> catalogue.Measure:
        """A catalogue entry by id."""
        return self.catalogue[measure_id]


@st.cache_resource(ttl=30, show_spinner="Checking the extracts for new data...")
def _refresh(settings: Settings) -> dict:
    """Rebuild the database if an extract changed (at most every 30 seconds)."""
    return ingest.refresh(settings).__dict__ | {"reports": []}


@st.cache_resource(max_entries=3)
def _database(path: str) -> Database:
    return Database(path)


@st.cache_resource(max_entries=3)
def _reference(path: str):
    """Targets, services and coverage for a data version."""
    database = _database(path)
    coverage = database.query("tables/coverage").iloc[0]
    services = database.query("tables/services")["service"].tolist()
    return (measures.Targets(database.query("tables/targets")), services,
            pd.Timestamp(coverage["first_date"]).date(),
            pd.Timestamp(coverage["as_at_date"]).date())


def context() -> Context:
    """Settings, strategy and the current database; rebuilt only when something changed."""
    settings = load()
    refresh = _refresh(settings)
    path = str(settings.cache_dir / refresh["database"])
    targets, services, first_date, as_at = _reference(path)
    return Context(
        settings=settings,
        strategy=catalogue.load_strategy(settings.strategy_file, settings.catalogue_file),
        catalogue=catalogue.load_catalogue(settings.catalogue_file),
        database=_database(path), targets=targets, services=services,
        first_date=first_date, as_at=as_at, refresh=refresh,
    )


def _period_options(ctx: Context, grain: str) -> list[str]:
    """Period starts at a grain, newest first, as ISO strings (stable in URLs)."""
    starts = cal.periods(ctx.first_date, ctx.as_at, grain)
    return [p.isoformat() for p in reversed(starts)]


def period_words(iso: str, grain: str, as_at: date) -> str:
    """A period's label, marked 'so far' when the data stops part-way through it."""
    start = date.fromisoformat(iso)
    label = cal.period_label(start, grain)
    return f"{label} (so far)" if cal.period_end(start, grain) > as_at else label


def _on_grain_change() -> None:
    """Keep the chosen periods when the grain changes: map each to the period containing it."""
    grain = st.session_state.get("grain") or "month"
    for key in ("period", "from"):
        if st.session_state.get(key):
            start = cal.period_start(date.fromisoformat(st.session_state[key]), grain)
            st.session_state[key] = start.isoformat()


def filter_bar(ctx: Context) -> measures.Filters:
    """Sidebar filters bound to the URL; returns the Filters every page uses."""
    with st.sidebar:
        st.caption(f"Data as at {ctx.as_at.day} {ctx.as_at:%B %Y}")
        grain = st.segmented_control(
            "Show figures by", cal.GRAINS, format_func=cal.GRAIN_WORDS.get, default="month",
            key="grain", bind="query-params", required=True, on_change=_on_grain_change)
        options = _period_options(ctx, grain)
        period = st.selectbox(
            "Reporting period", options, key="period", bind="query-params",
            format_func=lambda p: period_words(p, grain, ctx.as_at),
            help="The period the scorecard reports on; comparisons are with the period "
                 "before and the same period a year earlier.")
        start = st.selectbox(
            "Trend charts from", list(reversed(options)), key="from", bind="query-params",
            format_func=lambda p: cal.period_label(date.fromisoformat(p), grain))
        services = st.multiselect("Service", ctx.services, key="service", bind="query-params",
                                  placeholder="All services")
        channels = st.multiselect("Channel", CHANNELS, key="channel", bind="query-params",
                                  format_func=CHANNEL_WORDS.get, placeholder="All channels")
    report = date.fromisoformat(period or options[0])
    first = min(date.fromisoformat(start or options[-1]), report)
    end = min(cal.period_end(report, grain), ctx.as_at)
    return measures.Filters(grain, first, end, tuple(services), tuple(channels))


def describe(filters: measures.Filters, as_at: date) -> str:
    """The filters in words, for page captions and the committee pack."""
    period = period_words(filters.report_start.isoformat(), filters.grain, as_at)
    services = ", ".join(filters.services) if filters.services else "all services"
    channels = ", ".join(CHANNEL_WORDS[c] for c in filters.channels) if filters.channels \
        else "all channels"
    return f"{period} · {services} · {channels}"
