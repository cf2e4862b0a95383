"""Measure results kept whole at ingest (engine/kept.py): the rows a page is served from a
kept result are exactly the rows the live query gives (values and types), for whole periods
and for a last period cut short; anything else is worked out live; a refresh keeps them in
step with the extracts."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from scorecard import ingest
from scorecard.engine import calendar as cal
from scorecard.engine import catalogue, db, frames, kept, measures
from scorecard.engine.filters import Filters

from support import MINI, ROOT, build

SAMPLE = ROOT / "data" / "sample"
RANGES = [
    Filters("month", date(2024, 4, 1), date(2026, 9, 30)),  # whole months
    Filters("month", date(2025, 1, 1), date(2026, 9, 14)),  # September cut short
    Filters("quarter", date(2024, 4, 1), date(2026, 9, 30)),  # whole quarters
    Filters("quarter", date(2025, 7, 1), date(2026, 8, 20)),  # the last quarter so far
    Filters("year", date(2024, 4, 1), date(2026, 3, 31)),  # whole financial years
    Filters("year", date(2024, 4, 1), date(2026, 9, 30)),  # 2026/27 so far
]


def _bound(measure, filters, by=None) -> dict:
    params = measures.query_params(measure, filters) | ({"by": by} if by else {})
    return {k: params[k] for k in sorted(db.parameters(measure.sql))}


def _live(database, measure, bound):
    cursor = database._con.cursor()
    try:
        # as the engine reads a live result (text columns as Python objects: frames.named)
        return frames.named(cursor.execute(db.sql_text(measure.sql), bound).df())
    finally:
        cursor.close()


def _same(got, live) -> bool:
    """The same rows, types and order: to the last digit where the live query's values are
    whole (counts), to rounding (1 part in 10^12) where they are sums of fractions (survey
    weights, service returns), which DuckDB's own parallel sums give differently from run to
    run in their last digits."""
    if (
        list(got.columns) != list(live.columns)
        or list(got.dtypes) != list(live.dtypes)
        or not got.index.equals(live.index)
    ):
        return False
    for name in live.columns:
        a, b = got[name].to_numpy(), live[name].to_numpy()
        if live[name].dtype.kind == "f" and not np.array_equal(b, np.round(b), equal_nan=True):
            if not np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True):
                return False
        elif not got[name].equals(live[name]):
            return False
    return True


def _kept(database, measure, bound):
    sql = db.sql_text(measure.sql)
    table = database._kept_table(measure.sql, sql, bound)
    assert table is not None, f"{measure.id}: no kept result for {bound}"
    cursor = database._con.cursor()
    try:
        return kept.rows(cursor, table, sql, bound)
    finally:
        cursor.close()


def _by_period(cat) -> list:
    """The measures whose queries go by period (all but the action plan's)."""
    periodic = [m for m in cat.values() if kept.keepable(db.parameters(m.sql))]
    others = {m.id for m in cat.values()} - {m.id for m in periodic}
    assert others == {m.id for m in cat.values() if m.sql.startswith("measures/plan/")}
    return periodic


def _asked(ranges=RANGES) -> list:
    """What a page asks of a measure for each range: its own rows, by service, by channel."""
    return [(filters, by) for filters in ranges for by in (None, *kept.SPLITS)]


def _same_rows(database, cat, ranges=RANGES) -> int:
    compared = 0
    for measure in _by_period(cat):
        for filters, by in _asked(ranges):
            bound = _bound(measure, filters, by)
            live, got = _live(database, measure, bound), _kept(database, measure, bound)
            assert list(got.dtypes) == list(live.dtypes), (measure.id, bound)
            assert _same(got, live), (measure.id, bound)
            compared += 1
    return compared


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    s, _ = build(SAMPLE, tmp_path_factory.mktemp("kept-sample"))
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    yield database, catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    database.close()


def test_every_measure_s_kept_rows_are_its_live_rows_on_the_sample(sample):
    database, cat = sample
    assert _same_rows(database, cat) == len(_by_period(cat)) * len(RANGES) * 3
    # each grain; own, by service, by channel (the own query is by service unless the
    # catalogue says otherwise: one table for both)
    keys = {kept.key(sql, bound) for sql, bound in measures.kept_queries(cat)}
    assert len(kept.index(database._con)) == len(keys) >= len(_by_period(cat)) * 3 * 2


def test_every_measure_s_kept_rows_are_its_live_rows_on_the_hand_made_extracts(mini_db, catalogue_):
    assert _same_rows(mini_db, catalogue_) == len(_asked()) * len(_by_period(catalogue_))


def test_what_is_not_kept_is_worked_out_live(mini_db, catalogue_):
    m = catalogue_["calls_answered_60s"]
    sql = db.sql_text(m.sql)
    whole = Filters("month", date(2026, 4, 1), date(2026, 9, 30))
    assert mini_db._kept_table(m.sql, sql, _bound(m, whole)) is not None
    chosen = Filters("month", date(2026, 4, 1), date(2026, 9, 30), ("Housing",))
    pooled = Filters("month", date(2026, 4, 1), date(2026, 9, 30))
    other = m.__class__(**{**m.__dict__, "params": {**m.params, "numerator_count": "answered"}})
    assert mini_db._kept_table(m.sql, sql, _bound(m, chosen)) is None  # a service chosen
    phone = replace(whole, channels=("phone",))
    assert mini_db._kept_table(m.sql, sql, _bound(m, phone)) is None  # a channel chosen
    span = _bound(m, pooled) | {"grain": "span"}
    assert mini_db._kept_table(m.sql, sql, span) is None  # pooled over months: not kept
    assert mini_db._kept_table(m.sql, sql, _bound(other, whole)) is None  # catalogue changed
    changed = sql.rstrip() + "\nlimit 1000000\n"
    assert mini_db._kept_table(m.sql, changed, _bound(m, whole)) is None  # query changed
    noted = "-- a comment line added\n" + sql
    assert mini_db._kept_table(m.sql, noted, _bound(m, whole)) is not None  # comment only
    table = mini_db._kept_table(m.sql, sql, _bound(m, whole))
    mid_month = _bound(m, whole) | {"start": date(2026, 4, 15)}
    assert kept.rows(mini_db._con, table, sql, mid_month) is None  # not a period's start


def test_a_database_without_kept_results_is_served_live(mini_settings, mini_db, catalogue_):
    m = catalogue_["calls_answered_60s"]
    bound = _bound(m, RANGES[0])
    path = mini_settings.cache_dir / ingest.current(mini_settings)["database"]
    con = db.connect(path)
    try:
        assert kept.index(con)  # the build kept them
    finally:
        con.close()
    con = duckdb.connect()
    try:
        assert kept.index(con) == {}  # a database built before: nothing kept, nothing fails
    finally:
        con.close()
    assert mini_db.query(m.sql, **bound).equals(_live(mini_db, m, bound))


def test_a_refresh_keeps_the_results_in_step_with_the_extracts(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, _ = build(data, tmp_path / "cache")
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    m = cat["complaints_upheld"]
    bound = _bound(m, Filters("month", date(2025, 4, 1), date(2026, 9, 30)))

    def served():
        database = db.Database(s.cache_dir / ingest.current(s)["database"])
        try:
            assert database._kept_table(m.sql, db.sql_text(m.sql), bound) is not None
            _same_rows(database, cat)  # every measure's kept rows, read or kept again
            return database.query(m.sql, **bound), _live(database, m, bound)
        finally:
            database.close()

    before, _ = served()
    complaints = data / "complaints.csv"
    lines = complaints.read_text().splitlines(keepends=True)
    complaints.write_text("".join(lines[:1] + lines[2:]))  # one complaint fewer
    result = ingest.refresh(s)
    assert result.reread == ["complaints"]  # an incremental refresh: complaint measures kept
    # again, the others (which do not read complaints) kept from the database it copied
    after, live = served()
    assert after.equals(live)
    assert not after.equals(before)


def test_a_refresh_that_moves_the_as_at_date_keeps_every_measure_again(tmp_path):
    """A later contact moves the data's as-at date, which complaint measures read (is an
    acknowledgement overdue yet?): their kept rows must move with it, although complaints
    did not change."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, _ = build(data, tmp_path / "cache")
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    contacts = data / "contacts.csv"
    later = "C99,2026-11-20 09:00:00,phone,Housing,Contact Centre,30,200,N,N,Y,N\n"
    contacts.write_text(contacts.read_text() + later)
    result = ingest.refresh(s)
    assert result.reread == ["contacts"]
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        assert database.query("tables/coverage")["as_at_date"].iloc[0].date() == date(2026, 11, 20)
        m = cat["complaints_acknowledged_5wd"]
        whole = _bound(m, Filters("month", date(2026, 9, 1), date(2026, 9, 30)))
        assert database.query(m.sql, **whole).equals(_live(database, m, whole))
        _same_rows(database, cat)
        # kept to the new as-at date, 20 November: ranges ending on it, before it part-way
        # through November, and after it (whole periods the data does not reach)
        ends = (date(2026, 11, 20), date(2026, 11, 10), date(2026, 11, 30), date(2027, 3, 31))
        around = [Filters(g, date(2025, 4, 1), end) for g in kept.GRAINS for end in ends]
        assert _same_rows(database, cat, around) == len(_asked(around)) * len(_by_period(cat))
        # the current period, to the as-at date, is read from the kept rows alone (the new
        # contact's call is November's only one)
        calls = cat["calls_answered_60s"]
        for grain in kept.GRAINS:
            bound = _bound(calls, Filters(grain, date(2025, 4, 1), date(2026, 11, 20)))
            found = database._kept_table(calls.sql, db.sql_text(calls.sql), bound)
            rows = kept.rows(database._con, found, "select error('worked out live')", bound)
            assert rows.equals(_live(database, calls, bound))
            latest = rows["period_start"].max().date()
            assert latest == cal.period_start(date(2026, 11, 20), grain)
    finally:
        database.close()


def test_a_period_kept_part_way_is_read_only_to_the_day_it_was_kept_to():
    """Rows kept to 20 November: a range ending that day is read from them alone; one
    ending on another day works November out live (the kept row is not November whole)."""
    to, start = date(2026, 11, 20), date(2026, 9, 1)
    sql = (
        "select d::DATE as period_start, NULL::VARCHAR as service, $end::DATE as seen_to, "
        "$grain as grain from generate_series($start::DATE, $end::DATE, interval 1 month) t(d)"
    )
    con = duckdb.connect()
    try:
        kept_to = {"grain": "month", "start": start, "end": to}
        con.execute(f"create table kept_rows as {sql}", kept_to)

        def seen(end):
            bound = {"grain": "month", "start": start, "end": end}
            return [d.date() for d in kept.rows(con, ("kept_rows", to), sql, bound)["seen_to"]]

        assert seen(to) == [to, to, to]  # September and October whole, November to the 20th
        assert seen(date(2026, 11, 30)) == [to, to, date(2026, 11, 30)]
        assert seen(date(2026, 11, 10)) == [to, to, date(2026, 11, 10)]
        assert seen(date(2026, 10, 31)) == [to, to]
    finally:
        con.close()


def test_large_extracts_keep_each_channel_chosen_alone_too(tmp_path):
    """From `keep_channels_from` rows (here every extract counts as large), each measure that
    follows the channel filter and does not add up is kept with each channel chosen alone,
    and read back exactly as the live query gives it (one that adds up is summed from its
    cube: the test above); a measure the channel filter does not reach is not."""
    s, _ = build(MINI, tmp_path / "cache", keep_channels_from=0)
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        follows = [m for m in _by_period(cat) if "channel" in m.dimensions]
        assert 0 < len(follows) < len(_by_period(cat))
        cubed = [m for m in follows if kept.additive(db.sql_text(m.sql), "period")]
        phone = replace(RANGES[0], channels=("phone",))
        assert cubed and not any(database.kept(m.sql, **_bound(m, phone)) for m in cubed)
        follows = [m for m in follows if m not in cubed]
        assert {m.id for m in follows} >= {"days_to_resolve_median", "days_to_resolve_p90"}
        for measure in follows:
            for channel in ("phone", "letter"):  # the most used, and one with no contacts
                for filters in RANGES:
                    bound = _bound(measure, replace(filters, channels=(channel,)))
                    got = _kept(database, measure, bound)
                    assert got.equals(_live(database, measure, bound)), (measure.id, bound)
        survey = next(m for m in _by_period(cat) if "channel" not in m.dimensions)
        bound = _bound(survey, replace(RANGES[0], channels=("phone",)))
        assert bound == _bound(survey, RANGES[0])  # the filter does not reach it: kept as is
        two = _bound(follows[0], replace(RANGES[0], channels=("phone", "web")))
        assert database._kept_table(follows[0].sql, db.sql_text(follows[0].sql), two) is None
    finally:
        database.close()


def test_only_measures_that_read_a_large_extract_keep_each_channel_alone(tmp_path):
    """The threshold is an extract's: with contacts (12 rows) at it and complaints (10) under
    it, a measure reading contacts that does not add up (complaints per 1,000 contacts) is
    kept with each channel chosen alone and a complaint measure is not (one that adds up is
    summed from its cube, whatever its extract's size); a refresh of complaints alone keeps
    again only what reads them, channels alone only where contacts are read."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, result = build(data, tmp_path / "cache", keep_channels_from=12)
    loaded = {r.extract: r.loaded for r in result.reports}
    assert loaded["contacts"] == 12 and loaded["complaints"] == 10
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    phone = replace(RANGES[0], channels=("phone",))

    def kept_alone(database, measure):
        bound = _bound(measure, phone)
        found = database._kept_table(measure.sql, db.sql_text(measure.sql), bound)
        if found is not None:
            assert _kept(database, measure, bound).equals(_live(database, measure, bound))
        return found is not None

    def check():
        database = db.Database(s.cache_dir / ingest.current(s)["database"])
        try:
            assert kept_alone(database, cat["complaints_per_1000_contacts"])
            for measure in (
                "complaints_upheld",
                "stage1_on_time",
                "calls_answered_60s",
                "average_speed_of_answer",
            ):
                m = cat[measure]
                assert not kept_alone(database, m)
                # summed from its cube: the same figure
                assert database.query(m.sql, **_bound(m, phone)).equals(
                    _live(database, m, _bound(m, phone))
                )
        finally:
            database.close()

    check()
    complaints = data / "complaints.csv"
    lines = complaints.read_text().splitlines(keepends=True)
    complaints.write_text("".join(lines[:1] + lines[2:]))  # one complaint fewer
    assert ingest.refresh(s).reread == ["complaints"]
    check()
    jobs = list(measures.kept_queries(cat, ["complaints"], kept.CHANNELS, {"contacts"}))
    plain = list(measures.kept_queries(cat, ["complaints"]))
    reads = [m for m in _by_period(cat) if "complaints" in m.sources]
    per_measure = len(kept.GRAINS) * (1 + len(kept.SPLITS))
    cubes = [m for m in reads if kept.additive(db.sql_text(m.sql), "period")]
    assert len(cubes) == len(reads) - 1  # all but complaints per 1,000 contacts
    assert len(plain) == len(reads) * per_measure + len(cubes)
    assert sum(bound.get("by") == kept.CUBE for _, bound in plain) == len(cubes)
    assert len(jobs) - len(plain) == len(kept.GRAINS) * len(kept.CHANNELS)  # per 1,000 only


SELECTIONS = [
    ("Council Tax", "Benefits"),
    ("Housing", "Waste and Recycling", "Planning"),
    ("Housing", "No such service"),
]


def _additive(cat) -> list:
    return [m for m in _by_period(cat) if db.additive(m.sql) and "service" in m.dimensions]


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_a_selection_of_services_is_summed_exactly_from_every_service_s_rows(
    data, sample, mini_db, catalogue_
):
    database, cat = sample if data == "sample" else (mini_db, catalogue_)
    compared = 0
    for measure in _additive(cat):
        for whole in RANGES:
            for chosen in SELECTIONS:
                for channels in ((), ("phone",)):
                    filters = replace(whole, services=chosen, channels=channels)
                    every = _live(
                        database, measure, _bound(measure, filters, "service") | {"services": None}
                    )
                    live = _live(database, measure, _bound(measure, filters))
                    got = kept.summed_selection(every, chosen)
                    assert got is not None, (measure.id, filters)
                    got = frames.frame(got)  # its columns, as the engine reads them
                    assert list(got.dtypes) == list(live.dtypes), (measure.id, filters)
                    assert _same(got, live), (measure.id, filters)
                    compared += 1
    assert len(_additive(cat)) >= 10
    assert compared == len(_additive(cat)) * len(RANGES) * len(SELECTIONS) * 2


def test_figures_for_several_services_are_the_same_summed_or_asked(sample, monkeypatch):
    database, cat = sample
    targets = measures.Targets(database.query("tables/targets"))
    additive = _additive(cat)
    filters = replace(RANGES[1], services=("Council Tax", "Benefits", "Housing"))
    summed_calls = []
    summed = kept.summed_selection
    monkeypatch.setattr(kept, "summed_selection", lambda *a: summed_calls.append(a) or summed(*a))
    database.cache.clear()
    got = {m.id: measures._compute(database, m, filters, targets, 10) for m in additive}
    assert len(summed_calls) == len(additive)  # each summed, none asked
    monkeypatch.setattr(db, "additive", lambda name: False)
    database.cache.clear()
    for measure in additive:
        asked = measures._compute(database, measure, filters, targets, 10)
        assert got[measure.id].frame.equals(asked.frame), measure.id
        assert got[measure.id].series.equals(asked.series), measure.id
        assert got[measure.id].sentence == asked.sentence, measure.id
        assert got[measure.id].by_service.equals(asked.by_service), measure.id
    assert len(summed_calls) == len(additive)


def test_a_new_data_version_is_read_in_and_taken_out_of_the_collector(mini_db):
    """app_state.settle, once per data version: the kept results read into memory before a
    page asks, and every object then alive frozen out of Python's cyclic collector (full
    collections walked them all: about 100 ms at random in one page of a few)."""
    import gc

    from scorecard.ui import app_state

    gc.unfreeze()
    mini_db._reference.pop(("kept results",), None)
    try:
        app_state.settle(mini_db)
        assert ("kept results",) in mini_db._reference  # read in, not on a page's query
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the modules and the data version, at least
        app_state.settle(mini_db)  # the next data version: the last one's let go first
        assert abs(gc.get_freeze_count() - frozen) < frozen // 10
        assert mini_db in db.OPEN
    finally:
        gc.unfreeze()


def test_additive_quarters_and_years_are_summed_from_the_kept_months(tmp_path, monkeypatch):
    """A query whose header says it adds up over periods has its months by service and by
    channel kept as sums of its cube, and its quarters and years as sums of its kept months
    (no second pass over the records), fractions too; one that adds up by service
    alone (complaints per 1,000 contacts: a month's complaints count against that month's
    contacts only) is run again. The rows are the live query's either
    way: the tests above compare every kept result with it."""
    summed, sum_months = [], kept._sum_months
    monkeypatch.setattr(
        kept,
        "_sum_months",
        lambda con, name, *a: summed.append(sum_months(con, name, *a)) or summed[-1],
    )
    from_cube, sum_cube = [], kept._sum_cube
    monkeypatch.setattr(
        kept,
        "_sum_cube",
        lambda con, name, *a: from_cube.append(sum_cube(con, name, *a)) or from_cube[-1],
    )
    s, _ = build(MINI, tmp_path / "cache")
    cat = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    by_period = [m for m in cat.values() if kept.additive(db.sql_text(m.sql), over="period")]
    assert {m.id for m in by_period} >= {"cases_within_standard", "stage1_on_time"}
    assert "complaints_per_1000_contacts" not in {m.id for m in by_period}
    assert kept.additive(db.sql_text(cat["complaints_per_1000_contacts"].sql))  # by service
    # every one: quarter and year, by service and by channel, summed from its months
    assert summed == [True] * (2 * 2 * len(by_period))
    # and its months by service and by channel summed from its cube, fractions too (the
    # survey shares' weights, service returns)
    assert from_cube == [True] * (2 * len(by_period))
    assert any(m.survey for m in by_period) and any("returns" in m.sources for m in by_period)


SPANS = [
    (date(2024, 4, 1), date(2026, 9, 30)),  # whole months to the as-at date
    (date(2025, 10, 1), date(2026, 9, 14)),  # the last month cut short: that part live
    (date(2026, 3, 1), date(2026, 3, 31)),  # one month
]


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_an_additive_figure_pooled_over_months_is_summed_from_the_kept_months(
    data, sample, mini_db, catalogue_, monkeypatch
):
    database, cat = sample if data == "sample" else (mini_db, catalogue_)
    over_periods = [m for m in _by_period(cat) if kept.additive(db.sql_text(m.sql), "period")]
    summed = _counting_cube(monkeypatch)
    compared = 0
    for measure in over_periods:
        for start, end in SPANS:
            for chosen in ((), *SELECTIONS[:2]):
                for by in ("service", "channel"):
                    filters = Filters("month", start, end, chosen)
                    bound = _bound(measure, filters, by) | {"grain": "span"}
                    live = _live(database, measure, bound)
                    database.cache.clear()
                    got = database.query(measure.sql, **bound)
                    assert list(got.dtypes) == list(live.dtypes), (measure.id, bound)
                    assert _same(got, live), (measure.id, bound)
                    compared += 1
    assert len(over_periods) >= 10
    assert compared == len(over_periods) * len(SPANS) * 3 * 2
    # summed from the cube, not asked, by service and by channel for every selection
    assert len(summed) == compared


def _counting_cube(monkeypatch) -> list:
    """Record each result summed from a cube (kept.from_cube giving rows, not None)."""
    summed, from_cube = [], kept.from_cube
    monkeypatch.setattr(
        kept,
        "from_cube",
        lambda rows, bound: (lambda got: got if got is None else summed.append(1) or got)(
            from_cube(rows, bound)
        ),
    )
    return summed


CHANNEL_CHOICES = [("phone",), ("web", "email"), ("letter",), ("phone", "No such channel")]


def _under_any_filters(chosen_measures):
    """(measure, bound parameters) for each measure under every range, selection of channels
    and of services (none, one, several, one unknown), by service and by channel."""
    for measure in chosen_measures:
        for filters in RANGES:
            for channels in CHANNEL_CHOICES:
                for services in ((), ("Housing",), SELECTIONS[0], SELECTIONS[2]):
                    for by in kept.SPLITS:
                        wanted = replace(filters, services=services, channels=channels)
                        yield measure, _bound(measure, wanted, by)


def _as_live(database, measure, bound):
    """The engine's rows for these parameters (nothing cached) are the live query's: values,
    types and order."""
    live = _live(database, measure, bound)
    database.cache.clear()
    got = database.query(measure.sql, **bound)
    assert list(got.dtypes) == list(live.dtypes), (measure.id, bound)
    assert _same(got, live), (measure.id, bound)
    return got


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_an_additive_query_under_any_filters_is_summed_exactly_from_its_cube(
    data, sample, mini_db, catalogue_, monkeypatch
):
    """Every additive query's rows for channels chosen (with or without services), by
    service or by channel, by month, quarter and year, whole or cut short, are its cube's
    rows summed: the live query's to the last digit, types and order included, no query
    run."""
    database, cat = sample if data == "sample" else (mini_db, catalogue_)
    cubed = [
        m
        for m in _by_period(cat)
        if kept.additive(db.sql_text(m.sql), "period") and "by" in db.parameters(m.sql)
    ]
    assert {m.sources[0] for m in cubed} >= {
        "contacts",
        "cases",
        "complaints",
        "returns",
        "satisfaction",
    }
    summed, ways = _counting_cube(monkeypatch), {m.id: set() for m in cubed}
    ran = []
    execute = database._execute
    monkeypatch.setattr(
        database,
        "_execute",
        lambda sql, bound, found=None, columns=False: (
            (ran.append(bound) if found is None and bound.get("by") != kept.CUBE else None)
            or execute(sql, bound, found, columns)
        ),
    )
    compared = 0
    for measure, bound in _under_any_filters(cubed):
        before = len(summed)
        _as_live(database, measure, bound)
        if not database.kept(measure.sql, **bound):  # else: kept as asked
            ways[measure.id].add(len(summed) - before)
        compared += 1
    assert compared == len(cubed) * len(RANGES) * len(CHANNEL_CHOICES) * 4 * 2
    # each summed from the cube, never asked (kept as asked: a filter that does not reach
    # the measure, the returns' channels; the resident survey's, council-wide, every time)
    assert ways == {m.id: {1} if m.dimensions else set() for m in cubed} and not ran
    assert sum(1 for m in cubed if m.survey and m.dimensions) >= 3


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_a_quantile_under_any_filters_is_worked_out_exactly_from_its_histogram(
    data, sample, mini_db, catalogue_, monkeypatch
):
    """Every quantile query's rows (the median and 90th percentile of working days) for any
    services and channels, by service or by channel, by month, quarter and year, whole or
    cut short, are worked out from its histogram kept by month where that is held whole (no
    query run) and are the live query's to the last digit, types and order included."""
    database, cat = sample if data == "sample" else (mini_db, catalogue_)
    quantiles = [m for m in _by_period(cat) if kept.histogram_of(db.sql_text(m.sql))]
    assert {m.id for m in quantiles} == {"days_to_resolve_median", "days_to_resolve_p90"}
    worked_out = []
    histogram = kept.from_histogram
    monkeypatch.setattr(
        kept,
        "from_histogram",
        lambda rows, bound: worked_out.append(bound) or histogram(rows, bound),
    )
    compared = from_histogram = 0
    for measure, bound in _under_any_filters(quantiles):
        worked_out.clear()
        _as_live(database, measure, bound)
        held = database._histogram(db.sql_text(measure.sql), bound) is not None
        kept_as_asked = database.kept(measure.sql, **bound)
        assert bool(worked_out) == (held and not kept_as_asked), bound
        assert database.in_memory(measure.sql, **bound) == (held or kept_as_asked)
        from_histogram += bool(worked_out)
        compared += 1
    assert compared == len(quantiles) * len(RANGES) * len(CHANNEL_CHOICES) * 4 * 2
    assert from_histogram >= compared // 2  # the rest: kept as asked, or a month cut short
    # made ready with the data version's figures (at settle), not by the first page asking
    fresh = db.Database(database.path)
    measures.keep_figures(fresh, cat, 10)
    assert [key[0] for key in fresh._reference if key[0] == "histogram"] == ["histogram"]
    fresh.close()


@pytest.fixture(scope="module")
def sample_by_channel(tmp_path_factory):
    """The sample with each channel chosen alone kept for every extract (as for a large
    council's contacts, cases and survey answers)."""
    s, _ = build(SAMPLE, tmp_path_factory.mktemp("kept-channels"), keep_channels_from=0)
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    yield database, catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    database.close()


def test_one_service_s_rows_by_channel_are_read_from_each_channel_s_kept_rows(
    sample_by_channel, monkeypatch
):
    """The rows by channel for one service, that suppression is decided over when a channel
    is chosen, are put together from the kept rows of each channel chosen alone: the same
    as the live query's, values, types and order, for every measure that can, and asked
    live where a record has no channel (a 'Not recorded' group)."""
    database, cat = sample_by_channel
    follows = [
        m
        for m in _by_period(cat)
        if {"service", "channel"} <= set(m.dimensions) and "by" in db.parameters(m.sql)
    ]
    recorded = [m for m in follows if measures._channels_recorded(database, m)]
    assert {"contacts", "cases"} <= {s for m in recorded for s in m.sources}
    # one that adds up is summed from its cube (test above): not read from channels alone
    cubed = [m for m in recorded if kept.additive(db.sql_text(m.sql), "period")]
    chosen = replace(RANGES[0], services=("Housing",), channels=("phone",))
    assert cubed and not any(measures._one_service_by_channel(database, m, chosen) for m in cubed)
    alone = [m for m in recorded if m not in cubed]
    compared = 0
    for measure in alone:
        for filters in RANGES:
            for service in ("Housing", "Council Tax", "No such service"):
                chosen = replace(filters, services=(service,), channels=("phone",))
                got = measures._one_service_by_channel(database, measure, chosen)
                assert got is not None, (measure.id, chosen)
                got = frames.frame(got)  # its columns, as the engine reads them
                params = measures._breakdown_params(measure, chosen, "channel")
                live = _live(database, measure, {k: params[k] for k in db.parameters(measure.sql)})
                assert list(got.dtypes) == list(live.dtypes), (measure.id, chosen)
                assert _same(got, live), (measure.id, chosen)
                compared += 1
    assert compared == len(alone) * len(RANGES) * 3 >= 3 * len(RANGES) * 3
    # a measure reading survey answers, some with no channel (the resident survey), is asked
    unrecorded = [m for m in follows if m not in recorded]
    assert unrecorded and all("satisfaction" in m.sources for m in unrecorded)
    chosen = replace(RANGES[0], services=("Housing",), channels=("phone",))
    assert measures._one_service_by_channel(database, unrecorded[0], chosen) is None
    assert any(p.get("by") == "channel" for p in measures.asked(database, unrecorded[0], chosen))
    assert not any(p.get("by") == "channel" for p in measures.asked(database, alone[0], chosen))


def _same_result(got, asked) -> None:
    """Two results of one measure: the same figures, checks, verdict and words."""
    where = got.measure.id, got.filters
    for part in ("series", "frame", "groups", "spc"):
        a, b = getattr(got, part), getattr(asked, part)
        assert (a is None) == (b is None), (where, part)
        if a is not None:
            a, b = (frames.frame(x) if isinstance(x, frames.Columns) else x for x in (a, b))
            pd.testing.assert_frame_equal(
                a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True, obj=part
            )
    for part in ("latest", "vs_previous", "vs_last_year", "distance", "variation", "sentence"):
        assert repr(getattr(got, part)) == repr(getattr(asked, part)), (where, part)
    assert got.notes == asked.notes, where


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_figures_worked_out_once_per_data_version_are_those_of_each_filter_change(
    data, sample, mini_db, catalogue_, monkeypatch
):
    """measures.keep_figures (at settle): the values, suppression and hidden marks of every
    kept result (and each channel's figures summed from a cube) worked out once, then
    sliced on a filter change. Every measure's result is
    the one worked out afresh, with no service, one, several, a channel, whole periods and
    a last period cut short (worked out live), at the minimum base the figures were kept
    for and at another (worked out afresh)."""
    database, cat = sample if data == "sample" else (mini_db, catalogue_)
    fresh, held = db.Database(database.path), db.Database(database.path)
    targets = measures.Targets(database.query("tables/targets"))
    assert measures.keep_figures(held, cat, 10) >= len(_by_period(cat)) * len(kept.GRAINS) * 2
    cubed = {  # each channel's figures summed from the measure's cube
        m.id
        for m in _by_period(cat)
        if "channel" in m.dimensions
        and "by" in db.parameters(m.sql)
        and kept.additive(db.sql_text(m.sql), over="period")
    }
    worked_out = []
    values = measures._values
    monkeypatch.setattr(
        measures,
        "_values",
        lambda rows, m, *a, **k: worked_out.append(m.id) or values(rows, m, *a, **k),
    )
    jobs = [
        replace(whole, services=chosen, channels=channels)
        for whole in RANGES
        for chosen in ((), ("Housing",), SELECTIONS[0])
        for channels in ((), ("phone",))
    ]
    for min_base in (10, 3):
        for filters in jobs:
            pairs = [(m, filters) for m in cat.values()]
            asked = measures.compute_many(fresh, pairs, targets, min_base)
            worked_out.clear()
            got = measures.compute_many(held, pairs, targets, min_base)
            for a, b in zip(got, asked, strict=True):
                _same_result(a, b)
            if min_base != 10:
                continue
            if filters == RANGES[0]:  # nothing worked out but the plan's (not kept)
                assert set(worked_out) == set(cat) - {m.id for m in _by_period(cat)}
            if filters == replace(RANGES[0], channels=("phone",)):  # summed from cubes
                assert cubed and not set(worked_out) & cubed
    fresh.close()
    held.close()


def test_a_figure_that_fails_ahead_is_worked_out_when_a_page_asks(
    mini_db, catalogue_, monkeypatch, caplog
):
    """keep_figures never stops a data version being served: a measure whose figures fail
    ahead (at settle) is passed over, logged, and worked out when a page asks for it."""
    measure = catalogue_["calls_answered_60s"]
    values = measures._values

    def failing(rows, m, *args, **kwargs):
        if m.id == measure.id:
            raise ValueError("a damaged kept result")
        return values(rows, m, *args, **kwargs)

    held, fresh = db.Database(mini_db.path), db.Database(mini_db.path)
    every = measures.keep_figures(fresh, catalogue_, 10)  # (thrown away: the count)
    monkeypatch.setattr(measures, "_values", failing)
    with caplog.at_level("WARNING", logger="scorecard"):
        kept_ahead = measures.keep_figures(held, catalogue_, 10)
    assert 0 < kept_ahead < every
    assert (
        "Figures of measures/shared/contacts_share_by_period" in caplog.text
        and "ValueError" in caplog.text
    )
    monkeypatch.setattr(measures, "_values", values)
    targets = measures.Targets(mini_db.query("tables/targets"))
    got = measures.compute(held, measure, RANGES[0], targets, 10)
    _same_result(got, measures.compute(fresh, measure, RANGES[0], targets, 10))
    assert not got.absent and got.latest is not None
    held.close()
    fresh.close()
