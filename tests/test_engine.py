"""The measure engine on the mini fixture: value, target, RAG, distance, direction, sentence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from scorecard.engine import measures, sentences, summary
from scorecard.engine.filters import Filters
from scorecard.engine.measures import rag

SEP_2026 = Filters("month", date(2025, 4, 1), date(2026, 9, 30))


def _compute(mini_db, catalogue_, targets, measure_id, filters=SEP_2026, min_base=1):
    return measures.compute(mini_db, catalogue_[measure_id], filters, targets, min_base)


@pytest.mark.parametrize(
    ("value", "target", "margin", "better", "expected"),
    [
        (80.0, 80, 5, "higher", "green"),  # meeting the target is green
        (78.0, 80, 5, "higher", "amber"),
        (75.0, 80, 5, "higher", "amber"),  # a miss of exactly the margin is still amber
        (74.9, 80, 5, "higher", "red"),
        (79.96, 80, 0, "higher", "green"),  # judged on the figure shown (80.0%)
        (6.0, 6, 1, "lower", "green"),
        (6.03, 6, 0, "lower", "green"),  # 62 of 1,028 calls abandoned: shown as 6.0%, at most 6%
        (6.06, 6, 0, "lower", "red"),  # shown as 6.1%
        (6.9, 6, 1, "lower", "amber"),
        (7.2, 6, 1, "lower", "red"),
        (None, 6, 1, "lower", "none"),
        (5.0, None, None, "lower", "none"),
    ],
)
def test_rag(value, target, margin, better, expected):
    assert rag(value, target, margin, better) == expected


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_figures_are_rated_as_rounded_for_the_page(decimals):
    """A whole series is rated at once; each figure is judged as Python's round shows it,
    halves included (2.675 is held as 2.67499..., so shown as 2.67), for every figure on
    a fine grid of halves and near-halves."""
    step = 0.5 / 10**decimals
    values = np.array([i * step for i in range(-2000, 2001)] + [2.675, 1.005, 0.125, 89.95])
    values = np.concatenate([values, np.nextafter(values, np.inf), np.nextafter(values, -np.inf)])
    shown = measures._as_shown(values, decimals)
    assert shown.tolist() == [round(v, decimals) for v in values.tolist()]
    for target in (0.0, 2.67, 2.68, 90.0):  # met as shown, or missed (no amber margin)
        rated = measures._rags(values, np.full(len(values), target), 0.0, "higher", decimals)
        met = [round(v, decimals) - target >= -1e-9 for v in values.tolist()]
        assert rated.tolist() == ["green" if ok else "red" for ok in met]


def test_targets_step_up_by_year_and_fall_back(catalogue_, targets):
    calls = catalogue_["calls_answered_60s"]
    assert targets.lookup(calls, date(2026, 3, 1)) == (75.0, 5.0)
    assert targets.lookup(calls, date(2026, 4, 1)) == (80.0, 5.0)
    cases = catalogue_["cases_within_standard"]
    assert targets.lookup(cases, date(2026, 9, 1), "Housing") == (70.0, 5.0)
    assert targets.lookup(cases, date(2026, 9, 1), "Waste and Recycling") == (85.0, 5.0)
    # no row in targets.csv: the catalogue's default target and margin, because the mini
    # council's settings ask for them (default_targets = "catalogue"), and marked as such
    assert targets.lookup(catalogue_["digital_takeup"], date(2026, 9, 1)) == (50.0, 5.0)
    assert targets.is_default(catalogue_["digital_takeup"], date(2026, 9, 1))
    assert not targets.is_default(calls, date(2026, 9, 1))


def _over(targets, measure, periods, service=None) -> tuple[list, list]:
    """`Targets.over` as lists, None for none (its arrays hold NaN)."""
    return tuple(
        [None if v != v else v for v in values.tolist()]
        for values in targets.over(measure, periods, service)
    )


def test_targets_over_a_series_are_those_in_force_period_by_period(mini_db, catalogue_, targets):
    months = [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    calls = catalogue_["calls_answered_60s"]
    assert _over(targets, calls, months) == ([75.0, 75.0, 80.0, 80.0], [5.0] * 4)
    cases = catalogue_["cases_within_standard"]
    assert _over(targets, cases, [date(2026, 9, 1)], "Housing") == ([70.0], [5.0])
    assert _over(targets, cases, [date(2026, 9, 1)], "Waste and Recycling") == ([85.0], [5.0])
    assert _over(targets, catalogue_["digital_takeup"], months[:1]) == ([50.0], [5.0])
    before = [date(1999, 1, 1)]  # before any step of the council's own: a default, if named
    frame = mini_db.query("tables/targets")
    unmargined = frame.assign(
        amber_margin=[None if i % 2 else m for i, m in enumerate(frame["amber_margin"])]
    )  # steps without a margin of their own take the measure's
    for every in (targets, measures.Targets(frame), measures.Targets(unmargined, "catalogue")):
        for measure in catalogue_.values():  # the same as asking period by period
            for service in (None, "Housing", "Waste and Recycling"):
                pairs = [every.lookup(measure, month, service) for month in months + before]
                assert list(zip(*_over(every, measure, months + before, service))) == pairs


def test_no_target_unless_the_council_names_a_default(mini_db, catalogue_):
    frame = mini_db.query("tables/targets")
    takeup, calls = catalogue_["digital_takeup"], catalogue_["calls_answered_60s"]
    plain = measures.Targets(frame)
    assert plain.lookup(takeup, date(2026, 9, 1)) == (None, None)
    assert plain.lookup(calls, date(2026, 9, 1)) == (80.0, 5.0)  # the council's own
    own = measures.Targets(frame, (("digital_takeup", 65.0),))
    assert own.lookup(takeup, date(2026, 9, 1)) == (65.0, 5.0)
    assert own.is_default(takeup, date(2026, 9, 1))


def test_calls_card(mini_db, catalogue_, targets):
    result = _compute(mini_db, catalogue_, targets, "calls_answered_60s")
    latest = result.latest
    assert latest["label"] == "September 2026"
    assert (latest["value"], latest["base"], latest["target"]) == (50.0, 4, 80.0)
    assert result.rag == "red"
    assert result.distance == "30.0 percentage points to go to reach the target"
    assert result.vs_previous.word == "no change"  # August: 1 of 2 = 50%
    assert result.vs_last_year.word == "not comparable"  # no calls in September 2025
    assert result.sentence == (
        "50.0% of calls were answered within 60 seconds in September "
        "2026, below the target of 80%; the same as August 2026 (50.0%)."
    )


def test_single_service_uses_its_own_target(mini_db, catalogue_, targets):
    housing = Filters("month", date(2025, 4, 1), date(2026, 9, 30), ("Housing",))
    result = _compute(mini_db, catalogue_, targets, "cases_within_standard", housing)
    assert result.latest["value"] == pytest.approx(100 / 3)  # K01 of K01, K02, K06
    assert result.latest["target"] == 70.0
    assert result.rag == "red"
    council = _compute(mini_db, catalogue_, targets, "cases_within_standard")
    assert (council.latest["value"], council.latest["target"]) == (50.0, 85.0)


def test_service_breakdown_ranks_services(mini_db, catalogue_, targets):
    result = _compute(mini_db, catalogue_, targets, "digital_takeup")
    table = result.by_service[["service", "value", "rag"]]
    assert list(table.itertuples(index=False, name=None)) == [
        ("Housing", 50.0, "green"),
        ("Waste and Recycling", 25.0, "red"),
    ]


def test_small_bases_are_suppressed(mini_db, catalogue_, targets):
    result = _compute(mini_db, catalogue_, targets, "calls_answered_60s", min_base=10)
    assert result.latest["suppressed"]
    assert result.rag == "none"
    assert result.sentence == (
        "Too few cases to report calls answered within 60 seconds in "
        "September 2026 (fewer than 10)."
    )


def test_survey_waves_report_the_latest_available(mini_db, catalogue_, targets):
    result = _compute(mini_db, catalogue_, targets, "resident_satisfaction")
    assert result.latest["label"] == "August 2026"
    assert result.latest["value"] == 50.0  # 2.5 of 5.0 weighted
    assert (
        "No figure for September 2026: the last available is August 2026's, rated "
        "against that period's target."
    ) in result.notes
    # counted apart from the status tally, which is about the period chosen
    calls = _compute(mini_db, catalogue_, targets, "calls_answered_60s")
    assert summary.tally([result, calls]) == {"green": 0, "amber": 0, "red": 1, "none": 0}
    assert summary.without_figures([result, calls]) == (
        "Not counted in these totals, as there is no figure for this period: 1 measure shown "
        "with the last available figure."
    )
    assert summary.standing(result).endswith(" (last available)")
    assert summary.figure(result) == "50.0% (August 2026)"  # its status: last available


def test_a_suppressed_figure_carries_no_verdict_about_earlier_points(mini_db, catalogue_, targets):
    result = _compute(mini_db, catalogue_, targets, "calls_answered_60s", min_base=3)
    # September: 4 calls (shown); with a minimum of 5 it is suppressed, and the SPC verdict
    # and the change word, which would be about August or earlier, are not given
    assert not result.latest["suppressed"]
    hidden = _compute(mini_db, catalogue_, targets, "calls_answered_60s", min_base=5)
    assert hidden.latest["suppressed"] and hidden.rag == "none"
    assert not sentences.has_limits(hidden)
    assert summary.variation(hidden) == ""


def test_lower_is_better_wording(mini_db, catalogue_, targets):
    result = _compute(mini_db, catalogue_, targets, "f2f_average_wait")
    # 12.5 minutes against the default target of 12 (amber margin 2)
    assert result.rag == "amber"
    assert result.distance == "0.5 minutes to go to reach the target"
    assert result.sentence.startswith(
        "Visitors to service centres waited 12.5 minutes on "
        "average in September 2026, above the target of 12 minutes"
    )


def test_quarter_grain(mini_db, catalogue_, targets):
    q2 = Filters("quarter", date(2025, 4, 1), date(2026, 9, 30))
    result = _compute(mini_db, catalogue_, targets, "training_completion", q2)
    assert result.latest["label"] == "Q2 2026/27"
    assert result.latest["value"] == pytest.approx(120 / 130 * 100)


def test_filters_that_do_not_apply_are_noted(mini_db, catalogue_, targets):
    phone = Filters("month", date(2025, 4, 1), date(2026, 9, 30), ("Housing",), ("phone",))
    result = _compute(mini_db, catalogue_, targets, "resident_satisfaction", phone)
    assert "Council-wide figure: not split by service." in result.notes
    assert "Not split by channel: the figure covers every channel." in result.notes
    assert result.ignored_filters == ("service", "channel")


def test_lagging_measures_say_their_recent_figures_are_provisional(mini_db, catalogue_, targets):
    # as at 30 September 2026, residents can still escalate September's stage 1 answers
    # for 60 days: 30 September + 60 days = 29 November 2026
    result = _compute(mini_db, catalogue_, targets, "complaints_escalated")
    assert result.as_at == date(2026, 9, 30)
    assert result.provisional_until == date(2026, 11, 29)
    assert (
        "Provisional: September 2026 is not complete until 29 November 2026 (60 days "
        "after it ends), and the figure may rise until then."
    ) in result.notes
    # July ended 61 days before the data's date: complete
    assert result.complete_on(date(2026, 7, 1)) is None
    assert result.complete_on(date(2026, 8, 1)) == date(2026, 10, 30)
    # a measure that does not lag is never provisional
    assert _compute(mini_db, catalogue_, targets, "calls_answered_60s").provisional_until is None


def test_the_command_line_cache_hands_out_copies_and_can_be_emptied():
    from scorecard.engine.db import LruCache

    cache, calls = LruCache(size=2), []

    def factory():
        calls.append(1)
        return {"figure": [1, 2]}

    first = cache.get(("v1", "query", "a"), factory)
    first["figure"].append(3)  # a caller's change reaches nobody else
    assert cache.get(("v1", "query", "a"), factory) == {"figure": [1, 2]} and len(calls) == 1
    cache.clear()  # the benchmark's cold run: computed again
    assert cache.get(("v1", "query", "a"), factory) == {"figure": [1, 2]} and len(calls) == 2


def test_the_result_cache_drops_the_least_recently_used_and_peeks_without_computing():
    from scorecard.engine.db import LruCache

    cache = LruCache(size=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    assert cache.get("a", lambda: -1) == 1  # "a" used again: "b" is now the oldest
    cache.get("c", lambda: 3)  # over the bound: "b" goes
    assert cache.peek("b") is None and cache.peek("a") == 1 and cache.peek("c") == 3
    assert cache.get("b", lambda: 20) == 20  # gone, so computed again
    assert cache.peek("missing") is None and cache.peek("a") is None  # "a" went for "b"
    held = cache.get("list", lambda: [1])
    held.append(2)  # a peek is a copy of its own too
    assert cache.peek("list") == [1]


def test_a_key_being_computed_is_waited_for_not_computed_twice():
    """A query warmed on the pool and asked by the page at once, or one measure asked by two
    sessions at once: the second waits for the first's value; if the first fails, the second
    computes it itself; a factory asking for its own key does not wait on itself."""
    import threading

    from scorecard.engine.db import LruCache

    cache, calls, started, release = LruCache(), [], threading.Event(), threading.Event()

    def slow():
        calls.append("slow")
        started.set()
        release.wait(10)
        return 41

    first = threading.Thread(target=lambda: cache.get("k", slow))
    first.start()
    started.wait(10)
    got = []
    second = threading.Thread(target=lambda: got.append(cache.get("k", lambda: calls.append(1))))
    second.start()
    second.join(0.2)
    assert second.is_alive() and got == []  # waiting, not computing
    release.set()
    first.join(10), second.join(10)
    assert got == [41] and calls == ["slow"]

    started.clear(), release.clear()

    def failing():
        started.set()
        release.wait(10)
        raise RuntimeError("query failed")

    errors = []

    def fails():
        try:
            cache.get("f", failing)
        except RuntimeError as error:
            errors.append(str(error))

    first = threading.Thread(target=fails)
    first.start()
    started.wait(10)
    second = threading.Thread(target=lambda: got.append(cache.get("f", lambda: 7)))
    second.start()
    release.set()
    first.join(10), second.join(10)
    assert errors == ["query failed"] and got == [41, 7]  # the waiter computed it itself
    assert cache.get("r", lambda: cache.get("r", lambda: 3) + 1) == 4  # no wait on itself


@pytest.mark.parametrize(
    ("services", "channels"),
    [
        ((), ()),
        (("Housing",), ()),
        (("Housing", "Waste and Recycling"), ()),
        ((), ("phone",)),
        (("Housing",), ("phone", "web")),
    ],
)
def test_the_queries_warmed_ahead_are_those_compute_asks(
    services, channels, mini_db, catalogue_, targets, monkeypatch
):
    """compute_many warms each measure's queries on the pool (measures.asked): exactly the
    queries the engine then asks for, none missed (asked live, one after another) and none
    worked out for nothing."""
    filters = replace(SEP_2026, services=services, channels=channels)
    asked_for, ask = [], mini_db.__class__._rows  # behind query and rows

    def record(self, name, params, columns):
        asked_for.append((name, db_key(name, params)))
        return ask(self, name, params, columns)

    from scorecard.engine import db

    def db_key(name, params):
        return tuple(sorted((k, str(v)) for k, v in params.items() if k in db.parameters(name)))

    monkeypatch.setattr(mini_db.__class__, "_rows", record)
    for measure in catalogue_.values():
        if not measure.sql.startswith("measures/") or measure.sql.startswith("measures/plan"):
            continue
        mini_db.cache.clear()
        asked_for.clear()
        measures._compute(mini_db, measure, filters, targets, 1)
        got = {key for name, key in asked_for if name == measure.sql}
        warmed = {db_key(measure.sql, p) for p in measures.asked(mini_db, measure, filters)}
        assert warmed == got, measure.id


def test_a_page_s_measures_come_back_in_the_order_asked(mini_db, catalogue_, targets):
    """compute_many judges the measures served from kept rows first and those with live
    queries after (warmed meanwhile), but hands the results back in the order asked."""
    housing = replace(SEP_2026, services=("Housing", "Waste and Recycling"))
    jobs = [
        (catalogue_["calls_answered_60s"], housing),  # a live query (two services)
        (catalogue_["calls_answered_60s"], SEP_2026),  # kept
        (catalogue_["cases_within_standard"], housing),  # summed from kept rows
        (catalogue_["call_abandonment"], housing),  # live
        (catalogue_["cases_within_standard"], SEP_2026),  # kept
    ]
    assert not mini_db.kept(jobs[0][0].sql, **measures.query_params(*jobs[0]))
    assert mini_db.kept(jobs[1][0].sql, **measures.query_params(*jobs[1]))
    mini_db.cache.clear()
    results = measures.compute_many(mini_db, jobs, targets, 1)
    assert [(r.measure.id, r.filters) for r in results] == [(m.id, f) for m, f in jobs]
    for (measure, filters), result in zip(jobs, results, strict=True):
        alone = measures._compute(mini_db, measure, filters, targets, 1)
        assert result.series.equals(alone.series) and result.sentence == alone.sentence


def test_figures_asked_for_after_the_judged_result_come_from_it(
    mini_db, catalogue_, targets, monkeypatch
):
    """The action plan and the map ask for figures alone: when the scorecard has already
    judged the measure under the same filters, its result serves them, nothing worked out."""
    m = catalogue_["calls_answered_60s"]
    mini_db.cache.clear()  # the shared database: nothing judged held before this test
    figures = measures.compute(mini_db, m, SEP_2026, targets, 1, judged=False)
    assert not figures.judged and figures.spc is None  # worked out alone: no process chart
    judged = _compute(mini_db, catalogue_, targets, "calls_answered_60s")
    mini_db.cache.clear()
    _compute(mini_db, catalogue_, targets, "calls_answered_60s")  # the scorecard judges it

    def never(*_args, **_kwargs):
        raise AssertionError("worked out again")

    monkeypatch.setattr(measures, "_compute", never)
    again = measures.compute(mini_db, m, SEP_2026, targets, 1, judged=False)
    assert again.judged and again.rag == judged.rag == figures.rag
    assert again.series["value"].equals(figures.series["value"])
    # under other filters nothing is held: worked out (here, the AssertionError)
    with pytest.raises(AssertionError, match="worked out again"):
        measures.compute(mini_db, m, replace(SEP_2026, channels=("phone",)), targets, 1, False)


def test_a_cached_frame_handed_out_is_the_caller_s_own(mini_db, catalogue_, targets):
    """Every session shares the cache: a frame handed out is copied shallow, and pandas'
    copy-on-write copies it the moment a caller changes it, so nobody else sees the change."""
    from scorecard.engine.db import LruCache

    cache = LruCache(size=2)
    frame = pd.DataFrame({"value": [1.0, 2.0]})
    mine = cache.get(("v1", "query", "b"), lambda: frame)
    mine.loc[0, "value"] = 99.0
    mine["added"] = 1
    again = cache.get(("v1", "query", "b"), lambda: None)
    assert again["value"].tolist() == [1.0, 2.0] and list(again.columns) == ["value"]
    result = _compute(mini_db, catalogue_, targets, "calls_answered_60s")
    before = result.series.copy(deep=True)
    result.series.loc[:, "value"] = -1.0  # a page changing its copy of a judged result
    result.latest["value"] = -1.0
    fresh = _compute(mini_db, catalogue_, targets, "calls_answered_60s")
    assert fresh.series.equals(before) and fresh.latest["value"] != -1.0


def test_kept_rows_are_served_from_memory_with_no_query_and_no_cache_entry(
    mini_db, catalogue_, monkeypatch
):
    """The rows kept at ingest are read once per data version; after that a measure's
    query over whole periods is a slice of them: nothing runs in DuckDB, nothing is cached."""
    from scorecard.engine import measures as engine_measures

    m = catalogue_["calls_answered_60s"]
    params = engine_measures.query_params(m, Filters("month", date(2026, 4, 1), date(2026, 9, 30)))
    expected = mini_db.query(m.sql, **params)  # the first read holds every kept result
    # August and September's calls: the council and two services each month
    assert len(expected) == 6 and expected["period_start"].min() == pd.Timestamp("2026-08-01")

    class NoQueries:
        def cursor(self):
            return self

        def execute(self, *_):
            raise AssertionError("a query ran")

        def close(self):
            pass

    monkeypatch.setattr(mini_db, "_con", NoQueries())
    stored = []
    monkeypatch.setattr(mini_db.cache, "get", lambda key, factory: stored.append(key))
    again = mini_db.query(m.sql, **params)
    assert again.equals(expected) and stored == []


def test_panels_side_by_side_run_together_and_come_back_in_order():
    """Two panels run at once (each waits for the other at a barrier: run one after the
    other, the barrier breaks), results come back in the order asked, and a panel's failure
    is raised where its result is read, not before."""
    import threading

    from scorecard.engine import measures

    meet = threading.Barrier(2, timeout=10)

    def panel(name):
        meet.wait()
        return name

    def broken():
        raise ValueError("no such column")

    made = measures.side_by_side([lambda: panel("flow"), lambda: panel("outcomes"), broken])
    assert [made[0].result(), made[1].result()] == ["flow", "outcomes"]
    with pytest.raises(ValueError, match="no such column"):
        made[2].result()
