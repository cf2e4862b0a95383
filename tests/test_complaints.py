"""Complaint Handling Code clocks and the complaint figures, worked out by hand.

Working days are Monday to Friday less England and Wales bank holidays; the day received is
day 0. Reference complaints are in tests/fixtures/complaints (as at 26 January 2027, the
latest date in that file); rates reuse the mini fixture, worked in test_measure_queries.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from scorecard import ingest
from scorecard.complaints import figures as complaints
from scorecard.complaints import learning as learn
from scorecard.complaints import panels
from scorecard.complaints.figures import Scope
from scorecard.engine import complaint_clock, db, measures
from scorecard.engine.catalogue import load_catalogue

from apptest import app, open_page, texts
from support import FIXTURES, MINI, build

REF_AS_AT = date(2027, 1, 26)
T, F, P = True, False, None  # P: pending (open and not yet due)
D = date

# id, stage: ack due, acknowledged in 5, due, permitted (with the longest extension),
# extended deadline that counts, extension beyond the Code, on time, on time with
# extension, overdue (as at 26 January 2027)
REFERENCE = {
    # Easter 2026: received Wed 1 Apr; Thu 2 (1), Good Friday 3 and Easter Monday 6 skipped,
    # Tue 7 (2), 8, 9, Fri 10 (5): acknowledged on day 5. Due 10 after Fri 10 Apr: 13-17, 20-24
    # -> Fri 24 Apr, answered that day. Permitted: 27-30 Apr, 1 May, (4 May bank holiday),
    # 5-8, Mon 11 May.
    ("R01", 1): (D(2026, 4, 10), T, D(2026, 4, 24), D(2026, 5, 11), D(2026, 4, 24), F, T, T, F),
    # Received Tue 31 Mar, acknowledged Wed 1 Apr (day 1). Due 10 after 1 Apr: Thu 2, Tue 7-Fri
    # 10, 13-17 -> Fri 17 Apr. Extended to Fri 24 Apr (within the permitted Fri 1 May);
    # answered Mon 20 Apr: late without the extension, on time with it.
    ("R02", 1): (D(2026, 4, 9), T, D(2026, 4, 17), D(2026, 5, 1), D(2026, 4, 24), F, F, T, F),
    # Christmas and New Year: received Thu 17 Dec 2026; 18, 21, 22, 23, Thu 24 (5) acknowledged.
    # Due 10 after 24 Dec: 25 and 28 Dec bank holidays, 29, 30, 31 (3), 1 Jan bank holiday,
    # 4-8 Jan (8), 11, Tue 12 Jan (10). Answered 12 Jan: on time.
    ("R03", 1): (D(2026, 12, 24), T, D(2027, 1, 12), D(2027, 1, 26), D(2027, 1, 12), F, T, T, F),
    # Received Mon 14 Dec, acknowledged Tue 15 (1). Due 10 after 15 Dec: 16-18 (3), 21-24 (7),
    # 29-31 (10) -> Thu 31 Dec. Permitted: 4-8 Jan, 11-15 Jan -> Fri 15 Jan. Extended to 29 Jan,
    # beyond the Code, so it counts to 15 Jan only; answered Wed 20 Jan: late either way.
    ("R04", 1): (D(2026, 12, 21), T, D(2026, 12, 31), D(2027, 1, 15), D(2027, 1, 15), T, F, F, F),
    # The same dates and the same over-long extension, answered Thu 14 Jan: on time with the
    # permitted part of the extension.
    ("R05", 1): (D(2026, 12, 21), T, D(2026, 12, 31), D(2027, 1, 15), D(2027, 1, 15), T, F, T, F),
    # Received Mon 3 Aug 2026, acknowledged Tue 4 (1). Due 10 after 4 Aug: 5-7, 10-14, 17, Tue
    # 18 Aug. Permitted: 19-21, 24-28, (31 Aug late summer bank holiday), Tue 1, Wed 2 Sep.
    ("R06", 1): (D(2026, 8, 10), T, D(2026, 8, 18), D(2026, 9, 2), D(2026, 8, 18), F, T, T, F),
    # Late summer bank holiday, stage 2: received Wed 26 Aug; 27, 28, (31 Aug), Tue 1, Wed 2, Thu
    # 3 Sep (5). Acknowledged Fri 4 Sep: day 6, late. Due 20 after 4 Sep: 7 Sep - 2 Oct (20).
    ("R06", 2): (D(2026, 9, 3), F, D(2026, 10, 2), D(2026, 10, 30), D(2026, 10, 2), F, T, T, F),
    # Never acknowledged: received Thu 27 Aug; 28, (31 Aug), 1-4 Sep -> acknowledgement due Fri
    # 4 Sep, which then starts the clock: 7-11, 14-18 -> due Fri 18 Sep, answered that day.
    ("R07", 1): (D(2026, 9, 4), F, D(2026, 9, 18), D(2026, 10, 2), D(2026, 9, 18), F, T, T, F),
    # The coronation, Mon 8 May 2023: received Tue 2 May; 3, 4, 5, (8 May), 9, Wed 10 (5).
    # Due 10 after 10 May: 11, 12, 15-19, 22, 23, Wed 24 May. Permitted: 25, 26, (29 May spring
    # bank holiday), 30, 31 May, 1, 2, 5-8 Jun -> Thu 8 Jun.
    ("R08", 1): (D(2023, 5, 10), T, D(2023, 5, 24), D(2023, 6, 8), D(2023, 5, 24), F, T, T, F),
    # Received Mon 1 Aug 2022, acknowledged Tue 2 (1); due 3-5, 8-12, 15, Tue 16 Aug.
    # Permitted: 17-19, 22-26, (29 Aug bank holiday), 30, Wed 31 Aug.
    ("R09", 1): (D(2022, 8, 8), T, D(2022, 8, 16), D(2022, 8, 31), D(2022, 8, 16), F, T, T, F),
    # The Queen's state funeral, Mon 19 Sep 2022, stage 2: received Mon 12 Sep; 13-16 (4),
    # (19 Sep), Tue 20 (5). Acknowledged Thu 15 Sep (3). Due 20 after 15 Sep: 16 (1), (19 Sep),
    # 20-23 (5), 26-30 (10), 3-7 Oct (15), 10-14 Oct (20) -> Fri 14 Oct. Permitted: Fri 11 Nov.
    ("R09", 2): (D(2022, 9, 20), T, D(2022, 10, 14), D(2022, 11, 11), D(2022, 10, 14), F, T, T, F),
    # Received Mon 2 Nov 2026, acknowledged Tue 3 (1); due 4-6, 9-13, 16, Tue 17 Nov.
    ("R10", 1): (D(2026, 11, 9), T, D(2026, 11, 17), D(2026, 12, 1), D(2026, 11, 17), F, T, T, F),
    # Stage 2 over Christmas with a permitted extension: received Mon 30 Nov, acknowledged Tue 1
    # Dec (1). Due 20 after 1 Dec: 2-4 (3), 7-11 (8), 14-18 (13), 21-24 (17), 29-31 (20) -> Thu
    # 31 Dec. Permitted: 4-8, 11-15, 18-22, 25-29 Jan -> Fri 29 Jan 2027. Extended to Fri 22
    # Jan, answered Thu 21 Jan: late without the extension, on time with it.
    ("R10", 2): (D(2026, 12, 7), T, D(2026, 12, 31), D(2027, 1, 29), D(2027, 1, 22), F, F, T, F),
    # Open and overdue: received Mon 4 Jan 2027, acknowledged Tue 5 (1); due 6-8, 11-15, 18,
    # Tue 19 Jan; still open on 26 Jan: late, overdue.
    ("R11", 1): (D(2027, 1, 11), T, D(2027, 1, 19), D(2027, 2, 2), D(2027, 1, 19), F, F, F, T),
    # Open, late without its extension but not yet due with it: received and acknowledged Thu 7
    # Jan (0); due 8, 11-15, 18-21 -> Thu 21 Jan; extended to Thu 28 Jan (permitted to Thu 4
    # Feb). On 26 Jan: late without, pending with, not overdue.
    ("R12", 1): (D(2027, 1, 14), T, D(2027, 1, 21), D(2027, 2, 4), D(2027, 1, 28), F, F, P, F),
    # Open and pending, not yet acknowledged: received Tue 26 Jan, the as-at date; acknowledge
    # by 27-29 Jan, 1, Tue 2 Feb; due 3-5, 8-12, 15, Tue 16 Feb.
    ("R13", 1): (D(2027, 2, 2), P, D(2027, 2, 16), D(2027, 3, 2), D(2027, 2, 16), F, P, P, F),
    # Received and acknowledged Mon 23 Nov 2026 (0); due 24-27, 30 Nov, 1-4, Mon 7 Dec.
    ("R14", 1): (D(2026, 11, 30), T, D(2026, 12, 7), D(2026, 12, 21), D(2026, 12, 7), F, T, T, F),
    # Received on a bank holiday (Mon 28 Dec 2026, day 0): 29, 30, 31, 4, Tue 5 Jan (5).
    # Acknowledged Tue 29 Dec (1); due 20 after: 30, 31 (2), 4-8 (7), 11-15 (12), 18-22 (17),
    # 25, 26, Wed 27 Jan (20). Open on 26 Jan and not yet due: pending.
    ("R14", 2): (D(2027, 1, 5), T, D(2027, 1, 27), D(2027, 2, 24), D(2027, 1, 27), F, P, P, F),
    # Received on a Saturday (5 Sep 2026, day 0): Mon 7 (1) to Fri 11 (5), acknowledged then.
    # Due 14-18, 21-25 -> Fri 25 Sep; answered Sat 26 Sep: no working day has passed since
    # the deadline, so in time (the same rule as a weekend acknowledgement, R16 below).
    ("R15", 1): (D(2026, 9, 11), T, D(2026, 9, 25), D(2026, 10, 9), D(2026, 9, 25), F, T, T, F),
    # Received Fri 4 Sep; acknowledgement due Fri 11. Acknowledged Sat 12 Sep: no working day
    # after Fri 11 has passed, so still day 5, as complaints_v counts it. The clock runs from
    # Sat 12 as from Fri 11: due Fri 25 Sep, answered that day.
    ("R16", 1): (D(2026, 9, 11), T, D(2026, 9, 25), D(2026, 10, 9), D(2026, 9, 25), F, T, T, F),
}
FLAGS = (
    "ack_due_on",
    "ack_within_5",
    "due_on",
    "permitted_due_on",
    "extended_due_on",
    "extension_beyond_code",
    "on_time",
    "on_time_with_extension",
    "overdue",
)
CONTRACT = [
    "complaint_id",
    "stage",
    "service",
    "channel",
    "received_on",
    "acknowledged_on",
    "extended_to",
    "responded_on",
    "outcome",
    "category",
    "contractor",
    "ombudsman",
    "ombudsman_outcome",
    "refusal_reason",
]


def _database(folder, cache) -> db.Database:
    settings, result = build(folder, cache)
    assert result.ok, result.problems
    return db.Database(settings.cache_dir / ingest.current(settings)["database"])


@pytest.fixture(scope="module")
def ref_db(tmp_path_factory):
    database = _database(FIXTURES / "complaints", tmp_path_factory.mktemp("ref-cache"))
    yield database
    database.close()


def _reference_frame() -> pd.DataFrame:
    """The reference extract read as plain text, as a council's file would arrive."""
    return pd.read_csv(FIXTURES / "complaints" / "complaints.csv", dtype=str, keep_default_na=False)


def test_reference_complaints_by_hand():
    out = complaint_clock.clocks(_reference_frame(), as_of=REF_AS_AT)
    assert len(out) == len(REFERENCE)
    for row in out.itertuples(index=False):
        expected = REFERENCE[(row.complaint_id, int(row.stage))]
        got = tuple(getattr(row, f) for f in FLAGS)
        assert got == expected, (row.complaint_id, row.stage, dict(zip(FLAGS, got)))


def test_the_day_zero_convention_is_the_codes_and_no_other():
    from scorecard import settings

    assert complaints.convention().startswith("The day a complaint is received is day 0;")
    with pytest.raises(
        ValueError,
        match="complaint_day_zero = 'acknowledged' in .* is not "
        "supported: the Complaint Handling Codes count",
    ):
        settings.load({"complaint_day_zero": "acknowledged"})


def test_as_of_defaults_to_the_latest_date_in_the_frame():
    # R13 was received on 26 January 2027, the latest date in the file
    assert complaint_clock.clocks(_reference_frame()).equals(
        complaint_clock.clocks(_reference_frame(), as_of="2027-01-26")
    )


def test_open_complaint_becomes_late_once_its_deadline_passes():
    frame = _reference_frame()
    r12 = frame[frame["complaint_id"] == "R12"]
    # extended deadline Thu 28 Jan: pending on the 28th, late and overdue on Fri 29th
    on_28 = complaint_clock.clocks(r12, as_of=date(2027, 1, 28)).iloc[0]
    on_29 = complaint_clock.clocks(r12, as_of=date(2027, 1, 29)).iloc[0]
    assert (on_28.on_time_with_extension, on_28.overdue) == (None, False)
    assert (on_29.on_time_with_extension, on_29.overdue) == (False, True)


def test_accepts_dates_and_timestamps_and_keeps_the_rows():
    frame = _reference_frame().head(3)
    typed = frame.assign(
        **{c: pd.to_datetime(frame[c].replace("", None)) for c in complaint_clock.DATE_COLUMNS}
    ).set_index(pd.Index([7, 8, 9]))
    out = complaint_clock.clocks(typed, as_of=REF_AS_AT)
    assert list(out.index) == [7, 8, 9]
    assert list(out["due_on"]) == [D(2026, 4, 24), D(2026, 4, 17), D(2027, 1, 12)]


def test_unknown_stage_is_refused():
    frame = _reference_frame().head(1).assign(stage="3")
    with pytest.raises(ValueError, match="stage"):
        complaint_clock.clocks(frame)


def _compare_with_view(database) -> int:
    """Row by row: the SQL view and clocks() agree. The view leaves a flag NULL where the
    complaint is not yet answered (or acknowledged); clocks() then says False once the
    deadline has passed at the as-at date and None before it."""
    sql = database.query("complaints/complaint_clocks", services=None, channels=None)
    mine = complaint_clock.clocks(sql[CONTRACT], as_of=sql["as_at_date"].iloc[0])
    as_at = pd.Timestamp(sql["as_at_date"].iloc[0]).date()
    for (_, s), (_, p) in zip(sql.iterrows(), mine.iterrows()):
        for name in ("ack_due_on", "due_on", "permitted_due_on", "extended_due_on"):
            assert pd.Timestamp(s[name]).date() == p[name], (s.complaint_id, name)
        beyond = s.extension_beyond_code
        assert (False if pd.isna(beyond) else bool(beyond)) == p.extension_beyond_code
        assert bool(s.overdue) == p.overdue and bool(s.is_open) == p.is_open
        for name, deadline in (
            ("ack_within_5", "ack_due_on"),
            ("on_time", "due_on"),
            ("on_time_with_extension", "extended_due_on"),
        ):
            if pd.isna(s[name]):
                assert p[name] == (False if as_at > p[deadline] else None), (s.complaint_id, name)
            else:
                assert bool(s[name]) == p[name], (s.complaint_id, s.stage, name)
    return len(sql)


def test_sql_view_agrees_with_clocks_on_reference_complaints(ref_db):
    assert _compare_with_view(ref_db) == 20


def test_sql_view_agrees_with_clocks_on_mini(mini_db):
    assert _compare_with_view(mini_db) == 10


def test_sql_view_agrees_with_clocks_on_the_sample(tmp_path):
    # the shipped sample's complaints alone (the other extracts left empty): 4,047 rows
    data = tmp_path / "data"
    data.mkdir()
    for path in (FIXTURES / "complaints").glob("*.csv"):
        (data / path.name).write_text(path.read_text().splitlines()[0] + "\n")
    sample = FIXTURES.parent.parent / "data" / "sample" / "complaints.csv"
    (data / "complaints.csv").write_bytes(sample.read_bytes())
    database = _database(data, tmp_path / "cache")
    try:
        assert _compare_with_view(database) > 4000
    finally:
        database.close()


# --- Figures on the mini fixture (as at 30 September 2026) --------------------------------
# Every mini complaint falls in July to September 2026; the stage 1 working is in
# test_measure_queries: CMP1 (received Tue 1 Sep, acknowledged 3 Sep, due 17 Sep, answered 17
# Sep, upheld), CMP2 (acknowledged 9 Sep: day 6, late; due 23 Sep, extended to 30 Sep,
# answered 29 Sep, not upheld, escalated), CMP3 (due 18 Aug; extension to 15 Sep counts only
# to 2 Sep; answered 10 Sep, partly upheld), CMP4 (due 29 Sep, open), CMP5 (due 13 Oct,
# open), CMP6 (withdrawn), CMP7 (due 18 Sep, refused out of time on 8 Sep), CMP8 (due 16 Jul,
# answered 10 Jul, upheld; stage 2 due 19 Aug, answered then, not upheld; LGSCO upheld).

MINI_SPAN = Scope(date(2025, 4, 1), date(2026, 9, 30))


def _table_row(table, **match):
    rows = table
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, match
    return rows.iloc[0]


def test_timeliness_by_stage_on_mini(mini_db):
    t = complaints.timeliness(mini_db, MINI_SPAN).set_index("stage")
    # stage 1: 8 received, all acknowledged, CMP2 late -> 7 of 8. Due and answered or past
    # due: CMP8, CMP3, CMP1, CMP2, CMP7 and CMP4 (open past 29 Sep); CMP5 pending, CMP6
    # withdrawn. No extension: CMP8, CMP1, CMP7 on time -> 3 of 6. With permitted extension:
    # CMP2 too (29 Sep within 30 Sep) -> 4 of 6 (CMP3 still late: 10 Sep after 2 Sep).
    # Extended: CMP2, CMP3; beyond the Code: CMP3.
    assert t.loc[1].to_dict() == {
        "received": 8,
        "ack_within_5": 7,
        "ack_due": 8,
        "on_time": 3,
        "responses_due": 6,
        "on_time_with_extension": 4,
        "responses_due_with_extension": 6,
        "extended": 2,
        "extended_beyond_code": 1,
        "pending": 1,
    }
    # stage 2: CMP8 (acknowledged in 2 days, answered on the due date 19 Aug) and CMP2
    # (received 30 Sep, not acknowledged, acknowledgement not due until 7 Oct: pending)
    assert t.loc[2].to_dict() == {
        "received": 2,
        "ack_within_5": 1,
        "ack_due": 1,
        "on_time": 1,
        "responses_due": 1,
        "on_time_with_extension": 1,
        "responses_due_with_extension": 1,
        "extended": 0,
        "extended_beyond_code": 0,
        "pending": 1,
    }


def test_timeliness_panel_words_and_suppression(mini_db):
    panel = panels.timeliness_panel(mini_db, MINI_SPAN, min_base=1)
    # the span leads, so beside a one-month card the two stage 1 figures say which is which
    assert panel.title == (
        "1 April 2025 to 30 September 2026: stage 1: 50.0% answered "
        "within 10 working days, 66.7% with "
        "permitted extensions; stage 2: 100.0% answered within 20 working "
        "days, 100.0% with permitted extensions"
    )
    # with a minimum base of 2, stage 2's single response due is too few to show
    small = panels.timeliness_panel(mini_db, MINI_SPAN, min_base=2)
    assert small.title.endswith("stage 2: too few responses due to show (fewer than 2)")
    row = _table_row(small.table, Stage="Stage 2", Measure="Answered on time, no extension")
    # below the minimum base the number (1) and the base (1) are withheld with the per cent
    assert pd.isna(row["Per cent"]) and row["Note"] == "fewer than 2"
    assert pd.isna(row["Number"]) and pd.isna(row["Of"])
    assert small.alt.startswith("Bar chart of Complaint Handling Code timeliness")


def test_timeliness_for_one_service_is_not_shown_where_it_gives_the_other_away(mini_db):
    # stage 2 holds one Housing and one Waste complaint: with a minimum base of 2 both are
    # hidden in the by-service breakdown, so Housing's stage 2 figure (and with it, by
    # difference from the council's, Waste's) is not shown; stage 1 (5 and 3) is shown
    housing = Scope(MINI_SPAN.start, MINI_SPAN.end, ("Housing",))
    assert complaints.hidden_stages(mini_db, housing, 2) == {2}
    assert complaints.hidden_stages(mini_db, MINI_SPAN, 2) == set()  # nothing chosen
    panel = panels.timeliness_panel(mini_db, housing, min_base=2)
    assert panel.title.endswith("stage 2: " + panels.NOT_SHOWN)
    row = _table_row(panel.table, Stage="Stage 2", Measure="Acknowledged within 5 working days")
    assert pd.isna(row["Number"]) and pd.isna(row["Of"]) and row["Note"] == panels.NOT_SHOWN
    # stage 1 for Housing: CMP8, CMP1, CMP7 on time of CMP8, CMP3, CMP1, CMP7 due -> 3 of 4
    row = _table_row(panel.table, Stage="Stage 1", Measure="Answered on time, no extension")
    assert (row["Number"], row["Of"], row["Per cent"]) == (3, 4, 75.0)
    # a stage with 5 and 3 at a minimum base of 4: Waste hidden, Housing hidden beside it
    assert complaints.hidden_stages(mini_db, housing, 4) == {1, 2}


def test_outcomes_kept_apart_and_combined(mini_db):
    table = panels.outcomes_panel(mini_db, MINI_SPAN, min_base=1).table
    # stage 1 responses: upheld CMP1, CMP8; partly upheld CMP3; not upheld CMP2; refused CMP7;
    # withdrawn CMP6 -> 6 responses, 4 decisions, 3 upheld in full or part = 75.0%
    upheld = _table_row(table, Stage="Stage 1", Outcome="Upheld")
    assert (upheld["Complaints"], upheld["Per cent of decisions"]) == (2, 50.0)
    assert _table_row(table, Stage="Stage 1", Outcome="Partly upheld")["Complaints"] == 1
    assert _table_row(table, Stage="Stage 1", Outcome="Not upheld")["Complaints"] == 1
    assert _table_row(table, Stage="Stage 1", Outcome="Refused")[
        "Per cent of responses"
    ] == pytest.approx(16.7)
    assert (
        _table_row(table, Stage="Stage 1", Outcome="Upheld or partly upheld")[
            "Per cent of decisions"
        ]
        == 75.0
    )
    # stage 2: CMP8 not upheld -> 0 of 1
    assert (
        _table_row(table, Stage="Stage 2", Outcome="Upheld or partly upheld")[
            "Per cent of decisions"
        ]
        == 0.0
    )


def test_flow_counts(mini_db):
    links = complaints.flow(mini_db, MINI_SPAN)
    got = {
        (f, t): c for f, t, c in zip(links["from_words"], links["to_words"], links["complaints"])
    }
    # 8 stage 1 complaints: upheld CMP1, CMP8; partly CMP3; not upheld CMP2; refused CMP7;
    # withdrawn CMP6; open CMP4, CMP5. Escalated: CMP8 (from upheld), CMP2 (from not upheld);
    # stage 2: CMP8 not upheld, CMP2 open; CMP8 to the LGSCO, which upheld it.
    assert got == {
        ("Received at stage 1", "Stage 1: upheld"): 2,
        ("Received at stage 1", "Stage 1: partly upheld"): 1,
        ("Received at stage 1", "Stage 1: not upheld"): 1,
        ("Received at stage 1", "Stage 1: refused"): 1,
        ("Received at stage 1", "Stage 1: withdrawn"): 1,
        ("Received at stage 1", "Stage 1: not yet answered"): 2,
        ("Stage 1: upheld", "Escalated to stage 2"): 1,
        ("Stage 1: not upheld", "Escalated to stage 2"): 1,
        ("Escalated to stage 2", "Stage 2: not upheld"): 1,
        ("Escalated to stage 2", "Stage 2: not yet answered"): 1,
        ("Stage 2: not upheld", "Local Government and Social Care Ombudsman"): 1,
        ("Local Government and Social Care Ombudsman", "Ombudsman: upheld"): 1,
    }
    assert panels.flow_panel(mini_db, MINI_SPAN, min_base=1).title == (
        "Of 8 stage 1 complaints received, 2 (25.0%) went to stage 2 and 1 to an Ombudsman"
    )


def test_flow_respects_the_service_filter(mini_db):
    # Housing: CMP1, CMP3, CMP5, CMP7, CMP8; only CMP8 escalated (and referred)
    panel = panels.flow_panel(
        mini_db, Scope(MINI_SPAN.start, MINI_SPAN.end, ("Housing",)), min_base=1
    )
    assert panel.title == (
        "Of 5 stage 1 complaints received, 1 (20.0%) went to stage 2 and 1 to an Ombudsman"
    )


def test_refusals_in_words_and_ombudsman(mini_db):
    refusals = panels.refusals_panel(mini_db, MINI_SPAN, min_base=1)
    # CMP7 refused, reason code out_of_time
    assert refusals.title == "1 complaint refused; most often: made outside the time limit (1)"
    ombudsman = panels.ombudsman_panel(mini_db, MINI_SPAN, min_base=1)
    assert ombudsman.title == (
        "1 complaint went to an Ombudsman: 1 upheld of 1 investigated (100.0%)"
    )
    assert panels.ombudsman_panel(mini_db, MINI_SPAN, min_base=10).title.endswith(
        "too few investigated to give an upheld rate (fewer than 10)"
    )


def test_refusal_reasons_never_echo_free_text():
    assert complaints.refusal_words("legal_proceedings") == "Subject to legal proceedings"
    assert complaints.refusal_words("vexatious") == "Vexatious"  # an unlisted code, in words
    assert complaints.refusal_words("Mr Smith already complained") == "Other reason"
    assert complaints.refusal_words(None) == "Reason not recorded"


def test_services_per_1000_contacts_escalation_and_suppression(mini_db):
    catalogue = load_catalogue(FIXTURES.parent.parent / "config" / "measures.toml")
    table = learn.services_panel(mini_db, MINI_SPAN, catalogue, min_base=1).table
    housing = table.set_index("Service").loc["Housing"]
    # Housing: 5 stage 1 complaints (CMP1, 3, 5, 7, 8) per 7 contacts (C01-03, C06-08, C11)
    # = 714.3 per 1,000; escalated 1 (CMP8) of 4 answered (CMP1, 3, 7, 8) = 25.0%; decisions
    # CMP1 upheld, CMP3 partly, CMP8 upheld then not upheld -> 3 of 4 = 75.0%
    assert housing["Per 1,000 contacts"] == 714.3
    assert (housing["Escalated to stage 2 (%)"], housing["Upheld or partly upheld (%)"]) == (
        25.0,
        75.0,
    )
    # Waste: 3 per 5 contacts = 600.0; escalation 1 of 1 (CMP2). With a minimum base of 2
    # Waste's escalation is suppressed, and Housing's too, or it could be worked out
    small = learn.services_panel(mini_db, MINI_SPAN, catalogue, min_base=2).table
    small = small.set_index("Service")
    assert small.loc["Waste and Recycling", "Per 1,000 contacts"] == 600.0
    assert small["Escalated to stage 2 (%)"].isna().all()
    assert "escalation: fewer than 2" in small.loc["Waste and Recycling", "Note"]
    assert "hidden so a small group cannot be worked out" in small.loc["Housing", "Note"]


def test_themes_contractors_and_learning(mini_db):
    themes = learn.themes_panel(mini_db, MINI_SPAN, "month", min_base=1)
    # Delay (CMP1, CMP5) and Missed bin collection (CMP2, CMP4) tie on 2: alphabetical order
    assert themes.title == "Delay was the most common theme: 2 of 8 new complaints (25.0%)"
    other = _table_row(themes.table, Period="September 2026", Theme="Other themes")
    assert other["New complaints"] == 1  # Staff conduct (CMP6), sixth of six themes
    contractors = learn.contractors_panel(mini_db, MINI_SPAN, min_base=1)
    # Greenway: CMP2 and CMP4; CMP2 went to stage 2; one decision (CMP2 not upheld)
    assert contractors.title == (
        "Greenway Waste Services had the most complaints about a "
        "contractor: 2, 0.0% of decisions upheld in full or in part"
    )
    learning = learn.learning_panel(mini_db, MINI_SPAN, min_base=1)
    # top five: Delay 2, Missed bin collection 2, Communication 1, Policy or decision 1,
    # Quality of service 1; action A4 lists Delay;Communication
    assert learning.title == (
        "2 of the 5 most common themes have an action in the plan; none "
        "yet for Missed bin collection, Policy or decision, Quality of "
        "service"
    )
    a4 = _table_row(learning.table, Theme="Delay")
    assert (a4["Action"], a4["Owner"], a4["Status"], a4["Due"]) == (
        "A4",
        "Complaints Manager",
        "On track",
        "15 September 2026",
    )


def test_open_complaints_ageing_on_reference(ref_db):
    frame = complaints.open_complaints(ref_db, Scope(date(2000, 1, 1), REF_AS_AT))
    got = {
        (r.stage, r.service): (
            r.open_complaints,
            r.open_0_to_5_days,
            r.open_11_to_20_days,
            r.overdue,
            r.due_within_5_days,
            r.oldest_days_open,
        )
        for r in frame.itertuples()
    }
    # as at Tue 26 Jan 2027; due soon = deadline by Tue 2 Feb (27, 28, 29 Jan, 1, 2 Feb)
    assert got == {
        # R12: received Thu 7 Jan: 8, 11-15, 18-22, 25, 26 = 13 working days; due 28 Jan
        (1, "Adult Social Care"): (1, 0, 1, 0, 1, 13),
        # R11: received Mon 4 Jan: 5-8, 11-15, 18-22, 25, 26 = 16; overdue since 19 Jan
        (1, "Housing"): (1, 0, 1, 1, 0, 16),
        # R13: received 26 Jan, day 0; due 16 Feb
        (1, "Libraries"): (1, 1, 0, 0, 0, 0),
        # R14 stage 2: received Mon 28 Dec (a bank holiday): 29-31, 4-8, 11-15, 18-22, 25, 26
        # = 20 working days; due Wed 27 Jan
        (2, "Highways"): (1, 0, 1, 0, 1, 20),
    }
    panel = panels.open_panel(ref_db, Scope(date(2000, 1, 1), REF_AS_AT), REF_AS_AT, min_base=1)
    assert panel.title == (
        "4 complaints open on 26 January 2027: 1 already overdue, 2 due in the next 5 working days"
    )


def test_complaints_page_through_the_app(monkeypatch, tmp_path):
    at = open_page(app(monkeypatch, MINI, tmp_path / "cache", min_base=1).run(), "complaints")
    assert not at.exception
    shown = "\n".join(texts(at))
    assert (
        "The day a complaint is received is day 0; working days exclude weekends and "
        "England and Wales bank holidays." in shown
    )
    # the default span is the whole of the mini data (July to September 2026)
    assert (
        "Of 8 stage 1 complaints received, 2 (25.0%) went to stage 2 and 1 to an Ombudsman" in shown
    )
    assert (
        "3 complaints open on 30 September 2026: 1 already overdue, 0 due in the next 5 "
        "working days" in shown
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Open"] == "3" and metrics[":material/schedule: Already overdue"] == "1"
    assert at.selectbox(key="complaints-report-year").value == "2026/27"


def test_complaints_page_follows_the_service_filter(monkeypatch, tmp_path):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1)
    at.query_params.update({"service": ["Waste and Recycling"]})
    at = open_page(at.run(), "complaints")
    assert not at.exception
    shown = "\n".join(texts(at))
    # Waste: CMP2 (escalated), CMP4, CMP6; none to an Ombudsman
    assert (
        "Of 3 stage 1 complaints received, 1 (33.3%) went to stage 2 and 0 to an Ombudsman" in shown
    )


def test_scope_from_filters_binds_lists_or_null():
    filters = measures.Filters("month", date(2026, 4, 1), date(2026, 9, 30), ("Housing",))
    params = Scope.from_filters(filters).params()
    assert params == {
        "start": date(2026, 4, 1),
        "end": date(2026, 9, 30),
        "services": ["Housing"],
        "channels": None,
    }
