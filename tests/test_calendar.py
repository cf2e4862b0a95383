"""UK financial years and England and Wales working days, with dates checked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scorecard.engine import calendar as cal

D = date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr; Thu 2 -> Tue 7 is 1 day
        (D(2026, 4, 2), D(2026, 4, 7), 1),
        # Christmas 2026: 25 Dec (Fri) and 28 Dec (Boxing Day substitute, Mon); New Year 1 Jan 2027
        # (Fri): working days after Thu 24 Dec are 29, 30, 31 Dec and Mon 4 Jan
        (D(2026, 12, 24), D(2027, 1, 4), 4),
        # summer bank holiday Monday 31 Aug 2026: Fri 28 Aug -> Tue 1 Sep is 1 day
        (D(2026, 8, 28), D(2026, 9, 1), 1),
        # one-off bank holidays: the Coronation (Mon 8 May 2023) and the Queen's funeral
        # (Mon 19 Sep 2022)
        (D(2023, 5, 5), D(2023, 5, 9), 1),
        (D(2022, 9, 16), D(2022, 9, 20), 1),
        (D(2026, 9, 1), D(2026, 9, 1), 0),  # the day of receipt is day 0
        (D(2026, 9, 5), D(2026, 9, 7), 1),  # received Saturday, Monday is day 1
        (D(2026, 9, 1), D(2026, 9, 15), 10),  # two ordinary weeks
        (D(2026, 9, 15), D(2026, 9, 1), -10),  # reversed dates count backwards
    ],
)
def test_working_days_between(start, end, expected):
    assert cal.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 12, 23), 5, D(2027, 1, 4)),  # 24, 29, 30, 31 Dec, 4 Jan
        (D(2026, 4, 2), 10, D(2026, 4, 20)),  # 7-10 Apr, 13-17 Apr, 20 Apr
        (D(2026, 9, 3), 10, D(2026, 9, 17)),  # the stage 1 deadline of complaint CMP1
        (D(2026, 9, 5), 1, D(2026, 9, 7)),  # from a Saturday
        (D(2026, 9, 1), 0, D(2026, 9, 1)),
    ],
)
def test_add_working_days(start, n, expected):
    assert cal.add_working_days(start, n) == expected


def test_add_and_between_agree():
    start = D(2025, 12, 1)
    for n in range(0, 60):
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@pytest.mark.parametrize(
    ("day", "fy", "quarter"),
    [
        (D(2026, 4, 1), "2026/27", "Q1 2026/27"),
        (D(2026, 9, 30), "2026/27", "Q2 2026/27"),
        (D(2026, 12, 31), "2026/27", "Q3 2026/27"),
        (D(2027, 3, 31), "2026/27", "Q4 2026/27"),
        (D(2026, 1, 15), "2025/26", "Q4 2025/26"),
        (D(1999, 6, 1), "1999/00", "Q1 1999/00"),
    ],
)
def test_financial_year_and_quarter_labels(day, fy, quarter):
    assert cal.fy_label(day) == fy
    assert cal.quarter_label(day) == quarter


@pytest.mark.parametrize(
    ("grain", "start", "label", "end"),
    [
        ("month", D(2026, 9, 1), "September 2026", D(2026, 9, 30)),
        ("quarter", D(2026, 7, 1), "Q2 2026/27", D(2026, 9, 30)),
        ("quarter", D(2027, 1, 1), "Q4 2026/27", D(2027, 3, 31)),
        ("year", D(2026, 4, 1), "2026/27", D(2027, 3, 31)),
    ],
)
def test_period_labels_and_ends(grain, start, label, end):
    assert cal.period_label(start, grain) == label
    assert cal.period_end(start, grain) == end
    assert cal.period_start(end, grain) == start


def test_shift_and_periods():
    assert cal.shift(D(2026, 9, 1), "month", -12) == D(2025, 9, 1)
    assert cal.shift(D(2026, 1, 1), "quarter", 1) == D(2026, 4, 1)
    assert cal.periods(D(2026, 2, 10), D(2026, 5, 3), "quarter") == [D(2026, 1, 1), D(2026, 4, 1)]
    assert cal.period_start(D(2026, 3, 31), "year") == D(2025, 4, 1)


def test_calendar_table_matches_python():
    """The SQL calendar's wd_index differences equal working_days_between for every pair."""
    frame = cal.calendar_frame(2025, 2027).set_index("date")
    days = [D(2025, 12, 20) + timedelta(days=i) for i in range(0, 120, 3)]
    for a in days:
        for b in days:
            if b >= a:
                expected = cal.working_days_between(a, b)
                assert frame.loc[b, "wd_index"] - frame.loc[a, "wd_index"] == expected
    assert frame.loc[D(2026, 12, 28), "bank_holiday"] == "Boxing Day (observed)"
    assert not frame.loc[D(2026, 12, 28), "is_working_day"]


@pytest.mark.parametrize(
    ("label", "start"),
    [
        ("September 2026", D(2026, 9, 1)),
        ("Q2 2026/27", D(2026, 7, 1)),
        ("Q4 2026/27", D(2027, 1, 1)),
        ("2026/27", D(2026, 4, 1)),
        ("Smarch 2026", None),
        ("", None),
    ],
)
def test_parse_label_round_trips(label, start):
    assert cal.parse_label(label) == start


@pytest.mark.parametrize(
    ("day", "until"),
    [
        (D(2026, 9, 25), D(2026, 9, 27)),  # a Friday deadline still holds over the weekend
        (D(2026, 9, 23), D(2026, 9, 23)),  # midweek: the same day
        (D(2026, 12, 24), D(2026, 12, 28)),  # Christmas Day and the Boxing Day substitute
        (D(2026, 4, 2), D(2026, 4, 6)),  # Easter: Good Friday to Easter Monday
    ],
)
def test_grace_until_is_the_day_before_the_next_working_day(day, until):
    frame = cal.calendar_frame(2026, 2026).set_index("date")
    assert frame.loc[day, "grace_until"] == until
