"""The strategy map: commitments in the strategy file, the map's rows and each kind of gap,
worked by hand.

Unit tests build the map from hand-made inputs (a strategy, judged measures and an action
plan frame as plan/actions.load gives it). The page and the pack are then tested on the
mini extracts, whose September 2026 figures are worked by hand in test_measure_queries.py
(targets: targets.csv, else the catalogue's defaults, as tests/fixtures/mini/council.toml
asks). The mini action plan, as at 30 September 2026:
  A1 ethos       on_track   due 31 Mar 2027, updated 20 Sep 2026  measures training_completion
  A2 access      complete   due 30 Jun 2026                         calls_answered_60s
  A3 access      delayed    due 31 Aug 2026, updated 15 Sep 2026  digital_takeup (overdue 30)
  A4 complaints  on_track   due 15 Sep 2026, updated 10 Sep 2026  stage1_on_time (overdue 15)
  A5 end_to_end  withdrawn  due 31 Dec 2026                         cases_within_standard
"""

from __future__ import annotations

import re
import shutil
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1.element_tree import Block

from scorecard import ingest
from scorecard.engine import catalogue, db
from scorecard.engine.catalogue import Commitment, ConfigError, Pillar, Strategy
from scorecard.plan import strategy_map as smap
from scorecard.reports import pack

from apptest import app, open_page, texts
from support import FIXTURES, MINI, ROOT, build

CATALOGUE_FILE = ROOT / "config" / "measures.toml"
CATALOGUE = catalogue.load_catalogue(CATALOGUE_FILE)
ALT = FIXTURES / "strategy_alt.toml"
RED = smap.Judged("red", "Off target", "50.0% against a target of at least 80%")
AMBER = smap.Judged("amber", "Near target", "77.0% against a target of at least 80%")
GREEN = smap.Judged("green", "On target", "85.0% against a target of at least 80%")
UNRATED = smap.Judged("none", "Not rated", "60.0%")


# --- hand-made inputs -------------------------------------------------------------------


def _pillar(pid="access", measures=("calls_answered_60s",), *commitments) -> Pillar:
    return Pillar(pid, pid.capitalize(), "", tuple(measures), commitments=tuple(commitments))


def _strategy(*pillars, plan_measures=()) -> Strategy:
    return Strategy("A strategy", "", tuple(pillars), tuple(plan_measures))


def _action(aid, status="on_track", due="2026-12-31", updated=None, measures=(), overdue=0):
    """A row of plan/actions.load's frame; `overdue` is the days overdue worked out by hand
    as at 30 September 2026 (0: not overdue)."""
    return {
        "action_id": aid,
        "pillar": "access",
        "pillar_title": "Access",
        "title": f"Action {aid}",
        "status": status,
        "status_word": status.replace("_", " ").capitalize(),
        "due_on": pd.Timestamp(due),
        "last_update_on": pd.Timestamp(updated) if updated else pd.NaT,
        "measure_ids": list(measures),
        "is_open": status not in ("complete", "withdrawn"),
        "overdue": bool(overdue),
        "days_overdue": overdue or None,
    }


def _plan(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(_action("X")))


def _map(strategy, judged=None, actions=(), absent="") -> smap.StrategyMap:
    frame = None if actions is None else _plan(*actions)
    return smap.build(strategy, CATALOGUE, judged or {}, frame, absent)


def _words(found, kind) -> list[str]:
    return [g.words for g in found.of(kind)]


# --- rule 1: a commitment with no measure -----------------------------------------------


def test_a_commitment_with_no_measure_is_a_gap_and_one_with_a_measure_is_not():
    empty = Commitment("c1", "We will close the gap.", (), ("B1",))
    measured = Commitment("c2", "We will answer calls.", ("calls_answered_60s",), ("B1",))
    found = _map(_strategy(_pillar("access", ["calls_answered_60s"], empty, measured)))
    assert found.of(smap.NO_MEASURE) == [
        smap.Gap(
            smap.NO_MEASURE,
            "Access",
            "c1",
            "\u201cWe will close the gap.\u201d names no measure, so nothing shows whether "
            "it is being kept.",
        )
    ]


# --- rule 2: a scorecard measure with no commitment -------------------------------------


def test_a_scorecard_measure_no_commitment_names_is_a_gap():
    # digital take-up is on the Access scorecard and named by no commitment; calls are named
    # by a commitment under another pillar, which is enough; the plan-wide measure is not a
    # pillar measure, so it is not checked
    access = _pillar("access", ["calls_answered_60s", "digital_takeup"])
    ethos = _pillar(
        "ethos",
        ["training_completion"],
        Commitment("c1", "Trained staff.", ("training_completion", "calls_answered_60s")),
    )
    found = _map(_strategy(access, ethos, plan_measures=["actions_on_track"]))
    assert [(g.pillar, g.thing, g.words) for g in found.of(smap.NO_COMMITMENT)] == [
        (
            "Access",
            "digital_takeup",
            "Digital take-up is on the scorecard, but no commitment names it.",
        )
    ]


# --- rule 3: a red measure with no open action ------------------------------------------

CALLS = "Calls answered within 60 seconds"


@pytest.mark.parametrize(
    ("judged", "named", "actions", "expected"),
    [
        # red, nothing linked
        (
            RED,
            (),
            [],
            f"{CALLS} is off target: 50.0% against a target of at least 80%; "
            "no open action is linked to it.",
        ),
        # red, an open action linked through the commitment: not a gap
        (RED, ("B1",), [_action("B1", "delayed")], None),
        # red, an open action linked only through its own measures column: not a gap
        (RED, (), [_action("B2", "not_started", measures=["calls_answered_60s"])], None),
        # red, the only linked action is complete
        (
            RED,
            ("B1",),
            [_action("B1", "complete")],
            f"{CALLS} is off target: 50.0% against "
            "a target of at least 80%; no open action is linked to it (B1, the only action "
            "linked to it, is complete).",
        ),
        # red, one complete through the commitment, one withdrawn through its measures column
        (
            RED,
            ("B1",),
            [
                _action("B1", "complete"),
                _action("B3", "withdrawn", measures=["calls_answered_60s"]),
            ],
            f"{CALLS} is off target: 50.0% against a target of at least 80%; no open action "
            "is linked to it (B1 and B3, the actions linked to it, are complete or withdrawn).",
        ),
        # red, the commitment names an action the plan does not have: still no open action
        (
            RED,
            ("B9",),
            [],
            f"{CALLS} is off target: 50.0% against a target of at least 80%; "
            "no open action is linked to it.",
        ),
        # near target, not rated, or no figure: not red, so not a gap
        (AMBER, (), [], None),
        (UNRATED, (), [], None),
        (smap.Judged("none", "Not supplied", "not supplied", False), (), [], None),
    ],
)
def test_a_red_measure_with_no_open_action_is_a_gap(judged, named, actions, expected):
    commitment = Commitment("c1", "We will answer calls.", ("calls_answered_60s",), named)
    strategy = _strategy(_pillar("access", ["calls_answered_60s"], commitment))
    found = _map(strategy, {"calls_answered_60s": judged}, actions)
    assert _words(found, smap.RED_NO_ACTION) == ([expected] if expected else [])


def test_a_red_measure_only_a_commitment_names_is_checked_under_that_pillar():
    # digital take-up is on no scorecard, but a commitment names it: judged and checked
    commitment = Commitment("c1", "Online first.", ("digital_takeup",))
    found = _map(_strategy(_pillar("ethos", [], commitment)), {"digital_takeup": RED})
    assert [(g.pillar, g.thing) for g in found.of(smap.RED_NO_ACTION)] == [
        ("Ethos", "digital_takeup")
    ]


# --- rule 4: an overdue action with no update since it fell due -------------------------


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            _action("B1", "on_track", "2026-09-15", "2026-09-10", overdue=15),
            "B1 Action B1 was due on 15 September 2026 and is 15 days overdue; its last "
            "update was on 10 September 2026, before it fell due.",
        ),
        (
            _action("B1", "not_started", "2026-09-29", None, overdue=1),
            "B1 Action B1 was due on 29 September 2026 and is 1 day overdue; it has never "
            "been updated.",
        ),
        # updated on the day it fell due, or after: heard from, so not a gap
        (_action("B1", "delayed", "2026-08-31", "2026-08-31", overdue=30), None),
        (_action("B1", "delayed", "2026-08-31", "2026-09-15", overdue=30), None),
        # past its date but complete (never overdue), or not yet due: not a gap
        (_action("B1", "complete", "2026-06-30", None), None),
        (_action("B1", "on_track", "2027-03-31", None), None),
    ],
)
def test_an_overdue_action_with_no_update_since_it_fell_due_is_a_gap(action, expected):
    found = _map(_strategy(_pillar()), actions=[action])
    assert _words(found, smap.SILENT) == ([expected] if expected else [])


def test_an_overdue_action_sits_under_the_pillar_of_the_commitment_that_names_it():
    commitment = Commitment("c1", "Trained staff.", ("training_completion",), ("B1",))
    strategy = _strategy(_pillar(), _pillar("ethos", ["training_completion"], commitment))
    found = _map(strategy, actions=[_action("B1", "at_risk", "2026-09-01", None, overdue=29)])
    assert [(g.pillar, g.thing) for g in found.of(smap.SILENT)] == [("Ethos", "B1")]


# --- rule 5: an action id the plan does not have ----------------------------------------


def test_actions_the_plan_does_not_have_are_named_once_per_commitment():
    one = Commitment("c1", "Calls.", ("calls_answered_60s",), ("B1", "B9"))
    three = Commitment("c2", "Online.", ("digital_takeup",), ("B7", "B8", "B9"))
    known = Commitment("c3", "Known.", ("calls_answered_60s",), ("B1",))
    strategy = _strategy(
        _pillar("access", ["calls_answered_60s", "digital_takeup"], one, three, known)
    )
    found = _map(strategy, actions=[_action("B1")])
    assert _words(found, smap.UNKNOWN_ACTION) == [
        "\u201cCalls.\u201d names action B9, which is not in the action plan.",
        "\u201cOnline.\u201d names actions B7, B8 and B9, which are not in the action plan.",
    ]
    row = found.pillar_rows("access")[0]
    assert [(a.id, a.found, a.words) for a in row.actions] == [
        ("B1", True, "due 31 December 2026"),
        ("B9", False, "not in the action plan"),
    ]


# --- absent data and older strategy files -----------------------------------------------


def test_without_the_action_plan_its_gaps_are_not_checked_and_said_so():
    commitment = Commitment("c1", "Calls.", ("calls_answered_60s",), ("B1",))
    strategy = _strategy(_pillar("access", ["calls_answered_60s"], commitment))
    found = _map(strategy, {"calls_answered_60s": RED}, None, "Not supplied: no actions extract")
    why = "Not checked, as the action plan was not supplied (no actions extract)."
    assert found.gaps == ()  # the red measure is not flagged: there is no plan to look in
    assert found.not_checked == {
        smap.RED_NO_ACTION: why,
        smap.SILENT: why,
        smap.UNKNOWN_ACTION: why,
    }
    assert smap.sections(found)[2] == (
        "Measures off target with no open action (not checked)",
        [why],
    )
    assert smap.sections(found)[0] == (
        "Commitments with no measure (0)",
        ["None: every commitment names at least one measure."],
    )
    assert smap.gaps_heading(found) == "Gaps (0 found; 3 kinds not checked)"
    assert smap.gap_sentence(found) == "0 gaps; 3 kinds not checked."
    action = found.rows[0].actions[0]
    assert (action.id, action.found, action.words) == (
        "B1",
        False,
        "status not known: the action plan was not supplied",
    )


def test_a_strategy_without_commitments_maps_measures_to_the_actions_that_name_them():
    strategy = _strategy(_pillar("access", ["calls_answered_60s", "digital_takeup"]))
    actions = [
        _action("B1", "complete", "2026-06-30", measures=["calls_answered_60s"]),
        _action("B2", "delayed", "2026-08-31", "2026-09-15", ["digital_takeup"], overdue=30),
    ]
    found = _map(strategy, {"calls_answered_60s": RED, "digital_takeup": RED}, actions)
    assert not found.has_commitments
    assert [
        (r.commitment, [m.id for m in r.measures], [a.id for a in r.actions]) for r in found.rows
    ] == [(None, ["calls_answered_60s"], ["B1"]), (None, ["digital_takeup"], ["B2"])]
    assert found.rows[1].actions[0].words == "due 31 August 2026 · 30 days overdue"
    assert found.not_checked == {
        smap.NO_MEASURE: smap.NO_COMMITMENTS,
        smap.NO_COMMITMENT: smap.NO_COMMITMENTS,
    }
    # calls are red and their one action is complete; digital take-up has B2 open
    assert [g.thing for g in found.gaps] == ["calls_answered_60s"]
    assert smap.gap_sentence(found) == (
        "1 gap: 1 measure off target with no open action; 2 kinds not checked."
    )


# --- a measure as the map shows it: the engine's result, on the mini extracts ----------


@pytest.mark.parametrize(
    ("measure_id", "min_base", "expected"),
    [
        # 2 of 4 calls within 60 seconds = 50.0% against 80% (targets.csv, April 2026)
        (
            "calls_answered_60s",
            1,
            smap.Judged("red", "Off target", "50.0% against a target of at least 80%"),
        ),
        # the same 4 calls under a minimum base of 10: withheld, so never rated
        ("calls_answered_60s", 10, smap.Judged("none", "Not rated", "fewer than 10")),
        # residents' survey: no September wave; August's 50% against the default 62%
        (
            "resident_satisfaction",
            1,
            smap.Judged(
                "red",
                "Off target (last available)",
                "50.0% (August 2026) against a default target of at least 62%",
            ),
        ),
        # complaints upheld, lower is better: 2 of 3 = 66.7% against the default 42%
        (
            "complaints_upheld",
            1,
            smap.Judged("red", "Off target", "66.7% against a default target of at most 42%"),
        ),
    ],
)
def test_a_measure_is_judged_as_its_card_says(mini_db, targets, measure_id, min_base, expected):
    from scorecard.engine import measures

    filters = measures.Filters("month", date(2025, 4, 1), date(2026, 9, 30))
    result = measures.compute(mini_db, CATALOGUE[measure_id], filters, targets, min_base)
    assert smap.judge(result) == expected


# --- the loader -------------------------------------------------------------------------

PILLAR = """
[[pillar]]
id = "access"
title = "Access"
measures = ["calls_answered_60s", "digital_takeup"]
"""


def _load(tmp_path, commitments: str):
    (tmp_path / "strategy.toml").write_text(PILLAR + commitments, encoding="utf-8")
    return catalogue.load_strategy(tmp_path / "strategy.toml", CATALOGUE_FILE)


@pytest.mark.parametrize(
    ("commitments", "message"),
    [
        (
            '[[pillar.commitment]]\nid = "c1"\ntext = "Calls."\nmeasures = ["no_such"]\n',
            "strategy.toml: pillar access commitment c1 lists unknown measure(s) no_such; "
            "see config/measures.toml",
        ),
        (
            '[[pillar.commitment]]\nid = "c1"\ntext = "Calls."\n'
            '[[pillar.commitment]]\nid = "c1"\ntext = "Online."\n',
            "strategy.toml: commitment id(s) c1 appear more than once",
        ),
        (
            '[[pillar.commitment]]\nid = "c1"\ntext = "Calls."\nmeasure = ["digital_takeup"]\n',
            "strategy.toml: pillar access commitment c1 has unknown key(s) measure; use id, "
            "text, measures, actions",
        ),
        (
            '[[pillar.commitment]]\nid = "c1"\nmeasures = ["digital_takeup"]\n',
            "strategy.toml: pillar access commitment c1 needs text",
        ),
        (
            '[[pillar.commitment]]\ntext = "Calls."\n',
            "strategy.toml: pillar access commitment (no id) needs id",
        ),
        (
            '[[pillar.commitment]]\nid = "c1"\ntext = "Calls."\nactions = "A1"\n',
            "strategy.toml: pillar access commitment c1: actions must be a list of ids, e.g. "
            'actions = ["a", "b"]',
        ),
    ],
)
def test_the_loader_refuses_a_commitment_that_does_not_make_sense(tmp_path, commitments, message):
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, commitments)
    assert str(raised.value) == message


def test_the_loader_reads_commitments_and_an_older_file_without_them(tmp_path):
    strategy = _load(
        tmp_path,
        '[[pillar.commitment]]\nid = "c1"\ntext = """We will answer\n  calls."""\n'
        'measures = ["calls_answered_60s"]\nactions = [" A1 "]\n',
    )
    assert strategy.commitments == (
        Commitment("c1", "We will answer calls.", ("calls_answered_60s",), ("A1",)),
    )
    older = catalogue.load_strategy(FIXTURES / "strategy_four_pillars.toml", CATALOGUE_FILE)
    assert older.commitments == () and len(older.pillars) == 4


def test_the_shipped_strategy_links_every_commitment_to_the_sample_plan():
    """Two to four commitments a pillar; every action they name is in the sample's plan, so
    on the sample only the gaps left on purpose show (a commitment with no measure yet, a
    measure with no commitment) and whatever the data says."""
    strategy = catalogue.load_strategy(ROOT / "config" / "strategy.toml", CATALOGUE_FILE)
    assert all(2 <= len(p.commitments) <= 4 for p in strategy.pillars)
    plan = pd.read_csv(ROOT / "data" / "sample" / "actions.csv")
    assert {a for c in strategy.commitments for a in c.actions} <= set(plan["action_id"])
    assert [c.id for c in strategy.commitments if not c.measures] == ["understanding-equalities"]
    named = {m for c in strategy.commitments for m in c.measures}
    assert [m for p in strategy.pillars for m in p.measures if m not in named] == [
        "avoidable_contact"
    ]


# --- the page, on the mini extracts -----------------------------------------------------


def _plain(text: str) -> str:
    """Text as it reads on screen: fmt.plain's escapes and word joiners taken out."""
    return re.sub(r"\\(.)", r"\1", text.replace("\u2060", ""))


def _block(at, key: str) -> Block:
    return next(n for n in at.main if isinstance(n, Block) and n.key == key)


def _lines(block: Block) -> list[str]:
    """Every markdown line in a container, as it reads; a link to a measure's page (which
    keeps the view's filters) shortened to the measure it opens: '[Title](measure=Title)'."""
    return [
        re.sub(r"\]\(/measure\?[^)]*?measure=([^)&]+)[^)]*\)", r"](measure=\1)", _plain(line))
        for n in block
        if getattr(n, "type", None) == "markdown"
        for line in n.value.split("  \n")
    ]


def _gaps(at) -> dict[str, list[str]]:
    """Each kind's heading -> its lines, as they read."""
    out = {}
    for kind in smap.KINDS:
        block = _block(at, f"gaps-{kind}")
        heading = next(n.value for n in block if getattr(n, "type", None) == "subheader")
        out[heading] = [line.removeprefix("- ") for line in _lines(block)[0].split("\n")]
    return out


def _map_page(monkeypatch, tmp_path, data=MINI, **env):
    at = app(monkeypatch, data, tmp_path / "cache", min_base=1, **env).run()
    at = open_page(at, "map")
    assert not at.exception
    assert at.title[0].value == "Strategy map"
    return at


def test_map_page_on_a_second_strategy(monkeypatch, tmp_path):
    """tests/fixtures/strategy_alt.toml on the mini extracts, September 2026."""
    at = _map_page(monkeypatch, tmp_path, strategy=ALT)
    assert [t.label for t in at.tabs] == [
        "Easy to reach",
        "Right first time",
        "Listening and learning",
    ]
    # calls: 2 of 4 = 50.0% against 80% (targets.csv from April 2026), more than 5 short: off
    # speed of answer: (30 + 90 + 60) / 3 = 60 seconds against the default 60: on target
    # A2 complete, due 30 June 2026
    assert _lines(_block(at, "commitment-reach-phone")) == [
        "**\u201cWe will answer four in five calls within a minute.\u201d**",
        ":red-badge[:material/cancel: Off target] [Calls answered within 60 seconds]"
        "(measure=Calls+answered+within+60+seconds): 50.0% against a target of at least 80%",
        ":green-badge[:material/check_circle: On target] [Average speed of answer]"
        "(measure=Average+speed+of+answer): 60 seconds against a default target of at most "
        "60 seconds",
        ":green-badge[:material/task_alt: Complete] **A2** Replace contact centre telephony "
        "· due 30 June 2026",
    ]
    # digital take-up 4 of 10 = 40.0% against the default 50%; A3 delayed and 30 days late
    assert _lines(_block(at, "commitment-reach-online"))[-1] == (
        ":orange-badge[:material/schedule: Delayed] :red-badge[:material/alarm: Overdue] "
        "**A3** Publish service standards online · due 31 August 2026 · 30 days overdue"
    )
    assert _lines(_block(at, "commitment-first-once"))[1:] == [
        ":material/warning: No measure yet: nothing on the scorecard shows whether this is "
        "being kept.",
        ":gray-badge[:material/help: Not in the action plan] **A9**",
    ]
    assert _gaps(at) == {
        "Commitments with no measure (1)": [
            "Right first time: \u201cResidents will not have to contact us twice about the "
            "same thing.\u201d names no measure, so nothing shows whether it is being kept."
        ],
        "Scorecard measures with no commitment (1)": [
            "Right first time: Resolved at first contact is on the scorecard, but no "
            "commitment names it."
        ],
        # calls: A2 complete; cases 2 of 4 = 50.0% against 85%: A5 withdrawn; first contact
        # 3 of 5 = 60.0% against the default 72% (5 margin): no action names it. Digital
        # take-up (A3) and stage 1 (A4) are red too, but their actions are open.
        "Measures off target with no open action (3)": [
            "Easy to reach: Calls answered within 60 seconds is off target: 50.0% against a "
            "target of at least 80%; no open action is linked to it (A2, the only action "
            "linked to it, is complete).",
            "Right first time: Cases resolved within standard is off target: 50.0% against a "
            "target of at least 85%; no open action is linked to it (A5, the only action "
            "linked to it, is withdrawn).",
            "Right first time: Resolved at first contact is off target: 60.0% against a "
            "default target of at least 72%; no open action is linked to it.",
        ],
        # A3 was updated after it fell due; A4 only before (10 September, due 15 September)
        "Overdue actions with no update since they fell due (1)": [
            "Listening and learning: A4 Train complaint handlers on the Code was due on 15 "
            "September 2026 and is 15 days overdue; its last update was on 10 September "
            "2026, before it fell due."
        ],
        "Actions named that are not in the action plan (1)": [
            "Right first time: \u201cResidents will not have to contact us twice about the "
            "same thing.\u201d names action A9, which is not in the action plan."
        ],
    }
    shown = [_plain(t) for t in texts(at)]
    assert (
        "6 commitments under 3 pillars, naming 7 measures and 6 actions. 7 gaps: 1 commitment "
        "with no measure, 1 scorecard measure with no commitment, 3 measures off target with "
        "no open action, 1 overdue action with no update since it fell due and 1 action "
        "named that is not in the action plan. The gaps are listed under the map."
    ) in shown
    assert "Gaps (7)" in shown
    assert any("Commitments and actions are council-wide" in t for t in shown)
    # the map as a table: a row per commitment and measure (8), and one per gap (7)
    table = next(d.value for d in at.dataframe if "Commitment" in d.value.columns)
    assert len(table) == 8
    assert table.iloc[5].to_dict() == {
        "Pillar": "Right first time",
        "Commitment": "Residents will not have to contact us twice about the same thing.",
        "Measure": "",
        "Status": "",
        "Figure": "",
        "Actions": "A9 (not in the action plan)",
    }
    assert table.iloc[0]["Actions"] == (
        "A2 Replace contact centre telephony (Complete, due 30 June 2026)"
    )
    gaps = next(d.value for d in at.dataframe if "What is missing" in d.value.columns)
    assert list(gaps["Commitment, measure or action"]) == [
        "first-once",
        "first_contact_resolution",
        "calls_answered_60s",
        "cases_within_standard",
        "first_contact_resolution",
        "A4",
        "first-once",
    ]


# the shipped strategy on the mini extracts: its commitments name the sample's actions
# (A01 to A30), none of which the mini plan (A1 to A5) has, so only the actions' own measures
# columns link actions to measures. Red in September 2026 (test_measure_queries), against the
# catalogue's default targets unless targets.csv says otherwise, with no open action:
SHIPPED_RED = [
    "Customer ethos: Mystery shopping standards met",  # 3 of 4 = 75% against 85
    "Understanding our customers: Residents satisfied with the council",  # 50% (Aug) vs 62
    "Understanding our customers: Satisfied with their contact",  # 3 of 6 = 50% against 78
    "Access: Calls answered within 60 seconds",  # 50% against 80; A2 complete
    "Access: Calls abandoned",  # 1 of 4 = 25% against at most 8
    "Access: Avoidable contact",  # 2 of 5 = 40% against at most 20
    "Access: Satisfaction of non-digital contacts",  # 3 of 4 = 75% against 80 (3 margin)
    "Access: Older and disabled residents satisfied online",  # 0 of 2 against 65
    "End-to-end experience: Cases resolved within standard",  # 50% against 85; A5 withdrawn
    "End-to-end experience: Multi-service cases within standard",  # 0 of 2 against 80
    "End-to-end experience: Resolved at first contact",  # 3 of 5 = 60% against 72
    "End-to-end experience: Cases reopened",  # 1 of 4 = 25% against at most 5
    "Complaints: Complaints acknowledged within 5 working days",  # 5 of 6 = 83.3% vs 95
    "Complaints: Complaints per 1,000 contacts",  # 6 per 10 contacts = 600 against 22
    "Complaints: Complaints upheld or partly upheld, both stages",  # 2 of 3 against 42
    "Complaints: Complaints escalated to stage 2",  # 1 of 4 = 25% against at most 11
]  # digital take-up (A3 open) and stage 1 on time (A4 open) are red but have an action


def test_map_page_on_the_shipped_strategy(monkeypatch, tmp_path):
    at = _map_page(monkeypatch, tmp_path)
    assert [t.label for t in at.tabs] == [
        "Customer ethos",
        "Understanding our customers",
        "Access",
        "End-to-end experience",
        "Complaints",
    ]
    gaps = _gaps(at)
    assert list(gaps) == [
        "Commitments with no measure (1)",
        "Scorecard measures with no commitment (1)",
        "Measures off target with no open action (16)",
        "Overdue actions with no update since they fell due (1)",
        "Actions named that are not in the action plan (16)",
    ]
    assert gaps["Commitments with no measure (1)"] == [
        "Understanding our customers: \u201cWe will find out which groups of residents are "
        "less well served, and close the gap.\u201d names no measure, so nothing shows "
        "whether it is being kept."
    ]
    assert gaps["Scorecard measures with no commitment (1)"] == [
        "Access: Avoidable contact is on the scorecard, but no commitment names it."
    ]
    red = gaps["Measures off target with no open action (16)"]
    assert [line.split(" is off target")[0] for line in red] == SHIPPED_RED
    # A4 is under Complaints in the plan; no commitment names it (the mini ids differ)
    assert gaps["Overdue actions with no update since they fell due (1)"][0].startswith(
        "Complaints: A4 Train complaint handlers on the Code was due on 15 September 2026"
    )
    # every one of the 16 commitments names actions the mini plan does not have
    unknown = gaps["Actions named that are not in the action plan (16)"]
    assert unknown[7] == (
        "Access: \u201cWe will answer 80% of calls within a minute, and fewer callers will "
        "give up waiting.\u201d names action A15, which is not in the action plan."
    )
    # the phone commitment: calls off, abandonment off, speed of answer on target
    lines = _lines(_block(at, "commitment-access-phone"))
    assert [line.split("](")[0] for line in lines[1:4]] == [
        ":red-badge[:material/cancel: Off target] [Calls answered within 60 seconds",
        ":red-badge[:material/cancel: Off target] [Calls abandoned",
        ":green-badge[:material/check_circle: On target] [Average speed of answer",
    ]
    assert lines[4] == ":gray-badge[:material/help: Not in the action plan] **A15**"


def test_map_page_without_the_action_plan(monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data, ignore=shutil.ignore_patterns("actions.csv"))
    at = _map_page(monkeypatch, tmp_path, data=data, strategy=ALT)
    why = "Not checked, as the action plan was not supplied (no actions extract)."
    gaps = _gaps(at)
    assert gaps["Measures off target with no open action (not checked)"] == [why]
    assert gaps["Overdue actions with no update since they fell due (not checked)"] == [why]
    assert gaps["Actions named that are not in the action plan (not checked)"] == [why]
    assert (
        gaps["Commitments with no measure (1)"]
        and gaps["Scorecard measures with no commitment (1)"]
    )
    assert _lines(_block(at, "commitment-reach-phone"))[-1] == (
        ":gray-badge[:material/help: Status not known: the action plan was not supplied] **A2**"
    )
    assert "Gaps (2 found; 3 kinds not checked)" in texts(at)


def test_map_page_on_a_strategy_without_commitments(monkeypatch, tmp_path):
    at = _map_page(monkeypatch, tmp_path, strategy=FIXTURES / "strategy_four_pillars.toml")
    assert "This strategy file has no commitments yet" in at.info[0].value
    # Improved access: digital take-up (A3 names it), then calls (A2 names it)
    keys = [
        n.key for n in at.main if isinstance(n, Block) and (n.key or "").startswith("commitment-")
    ]
    assert keys[2:4] == ["commitment-improved_access-0", "commitment-improved_access-1"]
    digital = _lines(_block(at, "commitment-improved_access-0"))
    assert digital[0].startswith(":red-badge[:material/cancel: Off target] [Digital take-up]")
    assert digital[1].startswith(":orange-badge[:material/schedule: Delayed] :red-badge")
    gaps = _gaps(at)
    assert gaps["Commitments with no measure (not checked)"] == [smap.NO_COMMITMENTS]
    # red with no open action among this strategy's seven measures: satisfied with contact
    # (50%), avoidable contact (40% against 20), calls (A2 complete), mystery shopping (75%),
    # resident satisfaction (50% in August); digital take-up has A3; training is on target
    assert [
        line.split(" is off")[0] for line in gaps["Measures off target with no open action (5)"]
    ] == [
        "Information management: Satisfied with their contact",
        "Information management: Avoidable contact",
        "Improved access: Calls answered within 60 seconds",
        "Staff skills and standards: Mystery shopping standards met",
        "Awareness: Residents satisfied with the council",
    ]


def test_map_statuses_follow_the_service_filter(monkeypatch, tmp_path):
    at = _map_page(monkeypatch, tmp_path, strategy=ALT)
    at = at.multiselect(key="service").set_value(["Housing"]).run()
    assert not at.exception
    # Housing's cases: 1 of 3 within standard = 33.3% against Housing's own 70% target
    assert _lines(_block(at, "commitment-first-standards"))[1] == (
        ":red-badge[:material/cancel: Off target] [Cases resolved within standard]"
        "(measure=Cases+resolved+within+standard): 33.3% against a target of at least 70%"
    )
    # the actions do not change: council-wide, as the caption says
    assert _lines(_block(at, "commitment-first-standards"))[-1].startswith(
        ":gray-badge[:material/block: Withdrawn] **A5**"
    )


# --- the committee pack -----------------------------------------------------------------


def test_pack_lists_the_strategy_gaps(tmp_path):
    s, result = build(MINI, tmp_path / "cache", min_base=1, strategy_file=ALT)
    assert result.ok, result.problems
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        filters = pack.filters_for("September 2026", date(2026, 9, 30), date(2025, 4, 1))
        html = pack.render(database, s, filters, date(2026, 9, 30))
    finally:
        database.close()
    section = html.split('id="strategy-gaps">Strategy gaps</h2>')[1].split("<h2")[0]
    headings = re.findall(r"<h3 id=\"[^\"]+\">([^<]+)</h3>", section)
    assert headings == [
        "Commitments with no measure (1)",
        "Scorecard measures with no commitment (1)",
        "Measures off target with no open action (3)",
        "Overdue actions with no update since they fell due (1)",
        "Actions named that are not in the action plan (1)",
    ]
    items = [i.replace("&#x27;", "'") for i in re.findall(r"<li>([^<]+)</li>", section)]
    assert [i.split(":")[0] for i in items] == [
        "Right first time",
        "Right first time",
        "Easy to reach",
        "Right first time",
        "Right first time",
        "Listening and learning",
        "Right first time",
    ]
    assert "Resolved at first contact is on the scorecard, but no commitment names it." in items[1]
    assert "A4 Train complaint handlers on the Code was due on 15 September 2026" in items[5]
    assert "names action A9, which is not in the action plan." in items[6]


def test_pack_says_which_gaps_it_could_not_check_without_the_action_plan(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data, ignore=shutil.ignore_patterns("actions.csv"))
    s, result = build(data, tmp_path / "cache", min_base=1, strategy_file=ALT)
    assert result.ok, result.problems
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        filters = pack.filters_for("September 2026", date(2026, 9, 30), date(2025, 4, 1))
        html = pack.render(database, s, filters, date(2026, 9, 30))
    finally:
        database.close()
    section = html.split('id="strategy-gaps">Strategy gaps</h2>')[1].split("<h2")[0]
    why = "Not checked, as the action plan was not supplied (no actions extract)."
    assert re.findall(r"<h3 id=\"[^\"]+\">([^<]+)</h3>", section)[2:] == [
        "Measures off target with no open action (not checked)",
        "Overdue actions with no update since they fell due (not checked)",
        "Actions named that are not in the action plan (not checked)",
    ]
    assert section.count(f"<li>{why}</li>") == 3


def test_map_page_in_public_mode_shows_no_officers_notes(monkeypatch, tmp_path):
    """Public mode: the map renders, and no action's running note (A3's 'Waiting for legal
    sign-off', A4's 'Final session booked') is on it."""
    at = _map_page(monkeypatch, tmp_path, strategy=ALT, access="public")
    shown = "\n".join(_plain(t) for t in texts(at))
    assert "A3** Publish service standards online" in shown
    assert "Waiting for legal sign-off" not in shown and "Final session booked" not in shown


def test_a_pillar_cannot_take_the_address_of_one_of_the_dashboards_own_pages(tmp_path):
    text = (ROOT / "config" / "strategy.toml").read_text(encoding="utf-8")
    clash = text.replace('id = "ethos"', 'id = "map"', 1)
    assert clash != text
    (tmp_path / "strategy.toml").write_text(clash, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pillar id map is the address of one of the"):
        catalogue.load_strategy(tmp_path / "strategy.toml", ROOT / "config" / "measures.toml")
    app_text = (ROOT / "app.py").read_text(encoding="utf-8")  # the list is app.py's pages
    assert all(f'"{path}"' in app_text for path in catalogue.PAGE_PATHS)
