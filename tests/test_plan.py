"""The action plan against the hand-made mini extracts, with every figure worked by hand.

tests/fixtures/mini/actions.csv, with the data "as at" 30 September 2026 (the latest
activity in the mini extracts):
  A1 ethos       on_track   due 31 Mar 2027  not yet due
  A2 access      complete   due 30 Jun 2026  complete, so never overdue
  A3 access      delayed    due 31 Aug 2026  overdue: 30 days (1 Sep to 30 Sep)
  A4 complaints  on_track   due 15 Sep 2026  overdue although "on track": 15 days
  A5 end_to_end  withdrawn  due 31 Dec 2026  withdrawn, so never overdue
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from scorecard import ingest
from scorecard.engine import catalogue, db, measures
from scorecard.plan import actions as plan
from scorecard.ui import plan as plan_ui

from apptest import app, open_page, texts
from support import MINI, build

SEP_END = date(2026, 9, 30)


@pytest.fixture(scope="session")
def strategy(mini_settings):
    return catalogue.load_strategy(mini_settings.strategy_file, mini_settings.catalogue_file)


@pytest.fixture(scope="session")
def odd_plan_db(tmp_path_factory):
    """The mini extracts plus A6: a pillar the strategy does not have and a measure id the
    catalogue does not know, due 29 September 2026 and not started (so 1 day overdue)."""
    data = tmp_path_factory.mktemp("odd-plan-data")
    for path in MINI.iterdir():
        shutil.copy(path, data / path.name)
    with (data / "actions.csv").open("a", encoding="utf-8") as file:
        file.write(
            "A6,digital,Launch a residents' app,Head of Digital,2026-09-29,not_started,"
            "0,2026-09-01,Scoping,digital_takeup;no_such_measure,\n"
        )
    settings, result = build(data, tmp_path_factory.mktemp("odd-plan-cache"))
    assert result.ok, result.problems
    database = db.Database(settings.cache_dir / ingest.current(settings)["database"])
    yield database
    database.close()


def _ids(frame) -> list[str]:
    return list(frame["action_id"])


def test_overdue_first_then_open_then_finished(mini_db, strategy):
    frame = plan.load(mini_db, strategy)
    # overdue A3 (31 Aug) then A4 (15 Sep); open A1; finished A2 (30 Jun), A5 (31 Dec)
    assert _ids(frame) == ["A3", "A4", "A1", "A2", "A5"]
    assert list(frame["overdue"]) == [True, True, False, False, False]
    assert list(frame["days_overdue"][:2]) == [30, 15]
    assert frame["days_overdue"][2:].isna().all()


def test_pillar_titles_and_status_words(mini_db, strategy):
    frame = plan.load(mini_db, strategy).set_index("action_id")
    assert frame.loc["A3", "pillar_title"] == "Access"
    assert frame.loc["A5", "pillar_title"] == "End-to-end experience"
    assert frame.loc["A4", "status_word"] == "On track"  # what the owner says...
    assert frame.loc["A4", "state"] == "overdue"  # ...but the timeline marks it overdue
    assert frame.loc["A1", "measure_ids"] == ["training_completion"]


def test_counts_by_status(mini_db):
    table = plan.counts(mini_db).set_index("status")
    # on_track A1, A4 (A4 overdue); delayed A3 (overdue); complete A2; withdrawn A5
    assert dict(table["actions"]) == {
        "not_started": 0,
        "on_track": 2,
        "at_risk": 0,
        "delayed": 1,
        "complete": 1,
        "withdrawn": 1,
    }
    assert dict(table["overdue"]) == {
        "not_started": 0,
        "on_track": 1,
        "at_risk": 0,
        "delayed": 1,
        "complete": 0,
        "withdrawn": 0,
    }
    assert table.loc["on_track", "word"] == "On track"
    # the access pillar alone: A2 complete, A3 delayed and overdue
    access = plan.counts(mini_db, ["access"]).set_index("status")
    assert access["actions"].sum() == 2 and access["overdue"].sum() == 1


@pytest.mark.parametrize(
    ("pillars", "statuses", "expected"),
    [
        (["Access"], [], ["A3", "A2"]),
        ([], ["Overdue"], ["A3", "A4"]),
        ([], ["Overdue", "Complete"], ["A3", "A4", "A2"]),  # either: overdue or complete
        ([], ["On track"], ["A4", "A1"]),  # A4 overdue, so first
        (["Customer ethos", "Complaints"], ["Withdrawn"], []),
    ],
)
def test_filters_by_pillar_and_status(mini_db, strategy, pillars, statuses, expected):
    everything = plan.load(mini_db, strategy)
    chosen = plan.selection(pillars, statuses, everything)
    assert _ids(plan.load(mini_db, strategy, **chosen)) == expected


def test_measures_named_and_judged(mini_db, strategy, catalogue_, targets):
    frame = plan.load(mini_db, strategy)
    filters = measures.Filters("month", date(2026, 4, 1), SEP_END)
    results = {
        m: measures.compute(mini_db, catalogue_[m], filters, targets, 1)
        for m in plan.measure_ids(frame)
    }
    table = plan.table(frame, catalogue_, results).set_index("Ref")
    # digital take-up, September: 4 of 10 = 40.0% against 50% (amber within 5) -> off target
    assert table.loc["A3", "Measures it should move"] == "Digital take-up: ✖ Off target"
    # calls within 60 seconds: 2 of 4 = 50.0% against 80% -> off target
    assert (
        table.loc["A2", "Measures it should move"]
        == "Calls answered within 60 seconds: ✖ Off target"
    )
    # training: (48 + 27) of (50 + 30) = 93.75% against 90% -> on target
    assert (
        table.loc["A1", "Measures it should move"]
        == "Customer care training completed: ✔ On target"
    )
    assert table.loc["A3", "Due"] == "31 August 2026"
    assert table.loc["A3", "Days overdue"] == "30"
    assert table.loc["A1", "Days overdue"] == ""  # not due until 31 March 2027
    links = plan.links(frame, catalogue_, results).set_index("Ref")
    assert links.loc["A1", "Latest figure"] == "93.8%"
    assert links.loc["A1", "Period"] == "September 2026"
    assert (
        plan.links_headline(links.reset_index())
        == "1 of the 5 measures these actions should move is on target"
    )


def test_headline_names_the_longest_overdue(mini_db, strategy):
    frame = plan.load(mini_db, strategy)
    assert plan.headline(frame) == (
        "2 of 5 actions are overdue; the longest overdue is "
        "Publish service standards online (30 days late)"
    )
    on_track = frame[frame["action_id"] == "A1"]
    assert plan.headline(on_track) == (
        "No action is overdue; next due is Roll out customer care e-learning on 31 March 2027"
    )


def test_unknown_pillar_and_measure_are_shown_and_counted(odd_plan_db, strategy, catalogue_):
    frame = plan.load(odd_plan_db, strategy)
    # A6 due 29 Sep, not started: 1 day overdue, after A3 (30) and A4 (15)
    assert _ids(frame)[:3] == ["A3", "A4", "A6"]
    a6 = frame.set_index("action_id").loc["A6"]
    assert a6["pillar_title"] == "Unknown pillar digital"
    assert plan.pillar_options(frame, strategy)[-1] == "Unknown pillar digital"
    assert plan.counts(odd_plan_db)["overdue"].sum() == 3  # A3, A4 and A6
    shown = plan.table(frame, catalogue_, {}).set_index("Ref")
    assert (
        shown.loc["A6", "Measures it should move"]
        == "Digital take-up; no_such_measure (unknown measure)"
    )
    chosen = plan.selection(["Unknown pillar digital"], [], frame)
    assert chosen["pillars"] == ["digital"]
    assert _ids(plan.load(odd_plan_db, strategy, **chosen)) == ["A6"]


@pytest.fixture
def plan_page(monkeypatch, tmp_path):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1).run()
    return open_page(at, "actions")


def test_action_plan_page(plan_page):
    at = plan_page
    assert not at.exception
    assert at.title[0].value == "Action plan"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Overdue"] == "2" and metrics["On track"] == "2"
    assert metrics["Not started"] == "0"
    assert len(at.get("plotly_chart")) == 1
    assert (
        "2 of 5 actions are overdue; the longest overdue is Publish service standards "
        "online (30 days late)"
    ) in texts(at)
    table = next(d.value for d in at.dataframe if "Latest update" in d.value.columns)
    assert list(table["Ref"]) == ["A3", "A4", "A1", "A2", "A5"]
    # the overdue cards: A3 (30 days) and A4 (15 days), each with its measures as badges
    shown = texts(at)
    assert (
        "Access · Head of Digital · due 31 August 2026, 30 days overdue · Delayed, 60% "
        "done · updated 15 September 2026"
    ) in shown
    assert "Digital take\\-up :red-badge[:material/cancel: Off target]" in shown
    assert "Final session booked" in shown


def test_officers_text_is_shown_as_typed():
    # escaped, and an invisible word joiner before ':' so no :material/icon: is drawn
    assert (
        plan_ui._plain("Saved $5k *so far*: see [1]")
        == "Saved \\$5k \\*so far\\*\u2060\\: see \\[1\\]"
    )


def test_status_filter_narrows_the_table(plan_page):
    at = plan_page.multiselect(key="plan_status").set_value(["Overdue"]).run()
    table = next(d.value for d in at.dataframe if "Latest update" in d.value.columns)
    assert list(table["Ref"]) == ["A3", "A4"]
    assert {m.label: m.value for m in at.metric}["Complete"] == "1"  # counts keep every status


def test_pillar_filter_from_the_url(monkeypatch, tmp_path):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1)
    at.query_params["plan_pillar"] = "Access"
    at = open_page(at.run(), "actions")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Latest update" in d.value.columns)
    assert list(table["Ref"]) == ["A3", "A2"]
    assert {m.label: m.value for m in at.metric}["Overdue"] == "1"


def test_service_filter_is_explained(plan_page):
    at = plan_page.multiselect(key="service").set_value(["Housing"]).run()
    assert not at.exception
    assert any("Actions are council-wide and have no service" in t for t in texts(at))


def test_date_axis_ticks_read_dates_from_arrays_of_any_kind():
    """A trace's x may be a numpy array (several actions due in one state and pillar), a
    tuple or a list with gaps; the tick step must read it, not test its truth."""
    import numpy as np

    from scorecard.charts.theme import month_step

    data = [
        dict(x=np.array(["2026-04-30", "2026-06-30"], dtype="datetime64[ns]"), y=["a", "b"]),
        dict(x=[None], y=[None]),
        dict(x=("2026-09-30", None, float("nan")), y=[1, 2, 3]),
    ]
    assert month_step(data) == "M1"  # 30 April to 30 September: a tick a month
    data.append(dict(x=np.array(["2022-04-01"], dtype="datetime64[ns]"), y=[1]))
    assert month_step(data) is None  # four and a half years: Plotly's own ticks
    named = [dict(type="bar", x=["Q4 2025/26", "Q1 2026/27"], y=[3, 4])]
    assert month_step(named) is None  # named quarters: not dates, no date ticks
