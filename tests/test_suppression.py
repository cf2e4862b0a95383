"""Suppression: small groups hidden in breakdowns, never recoverable from the total; and small
counts withheld, with what would give them back, in every published table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.engine.suppression import count_text, protect, rate, small, withhold


def _frame(bases):
    return pd.DataFrame(
        {"group": list("ABCD")[: len(bases)], "base": bases, "value": [50.0] * len(bases)}
    )


def test_nothing_hidden_when_every_base_is_large_enough():
    out = protect(_frame([40, 35, 12]), min_base=10)
    assert not out["suppressed"].any()
    assert out["value"].tolist() == [50.0, 50.0, 50.0]


def test_one_small_group_takes_the_next_smallest_with_it():
    # A (8) is under 10; alone it could be recovered as total minus B and C, so C (12), the
    # next smallest, is hidden too
    out = protect(_frame([8, 35, 12]), min_base=10)
    assert out["suppressed"].tolist() == [True, False, True]
    assert out["suppressed_reason"].tolist() == [
        "fewer than 10",
        "",
        "hidden so a small group cannot be worked out",
    ]
    assert out["value"].isna().tolist() == [True, False, True]
    assert out["base"].isna().tolist() == [True, False, True]


def test_two_small_groups_protect_each_other():
    out = protect(_frame([8, 35, 5, 40]), min_base=10)
    assert out["suppressed"].tolist() == [True, False, True, False]


def test_without_a_total_only_small_groups_are_hidden():
    out = protect(_frame([8, 35, 12]), min_base=10, with_total=False)
    assert out["suppressed"].tolist() == [True, False, False]


def test_every_period_at_once_agrees_with_one_table_at_a_time():
    import random

    from scorecard.engine.suppression import hidden_by_period, hidden_groups

    rng = random.Random(7)
    rows = pd.DataFrame(
        [
            {
                "period_start": p,
                "service": s,
                "base": rng.choice([0, 3, 9, 10, 11, 25, 40, 40, float("nan")]),
            }
            for p in range(60)
            for s in "ABCDEF"
            if rng.random() > 0.2
        ]
    )
    expected = {p: hidden_groups(part, 10) for p, part in rows.groupby("period_start")}
    assert hidden_by_period(rows, 10) == expected
    assert any(len(h) >= 2 for h in expected.values())  # complementary cases were tried


def test_the_periods_a_selection_would_give_away_are_those_of_the_per_period_rule():
    import random

    from scorecard.engine.suppression import hidden_by_period, hides_selection, periods_hiding

    rng = random.Random(11)
    rows = pd.DataFrame(
        [
            {"period_start": p, "service": s, "base": rng.choice([0, 4, 9, 10, 30, float("nan")])}
            for p in range(80)
            for s in "ABCDE"
            if rng.random() > 0.15
        ]
    )
    by_period = hidden_by_period(rows, 10)
    tried = 0
    for chosen in (("A",), ("A", "B"), ("B", "C", "D"), ("A", "B", "C", "D", "E"), ("Z",)):
        expected = {p for p, hidden in by_period.items() if hides_selection(hidden, chosen)}
        assert periods_hiding(rows, 10, chosen) == expected, chosen
        tried += len(expected)
    assert tried >= 20  # periods that a selection would give away were among them


def test_a_slice_of_rows_marked_once_gives_the_same_periods_as_its_own_rows():
    """Marks worked out once over every period (hidden_marks, at settle) and sliced to a
    range's periods give the periods a selection would give away, as working the slice out
    afresh does: a period's marks depend on its own rows alone."""
    import random

    from scorecard.engine import frames
    from scorecard.engine.suppression import hidden_marks, periods_hiding, periods_hiding_marked

    rng = random.Random(5)
    rows = pd.DataFrame(
        [
            {"period_start": p, "service": s, "base": rng.choice([0, 3, 9, 10, 12, 40, np.nan])}
            for p in range(60)
            for s in "ABCDE"
            if rng.random() > 0.15
        ]
    )
    whole = frames.Columns(frames.arrays(rows))
    marks = hidden_marks(whole, 10)
    periods = rows["period_start"].to_numpy()
    tried = 0
    for first, last in ((0, 60), (0, 1), (7, 31), (59, 60), (20, 20)):
        at = slice(int(np.searchsorted(periods, first)), int(np.searchsorted(periods, last)))
        part = whole.take(at)
        cut = {name: values[at] for name, values in marks.items()}
        for chosen in (("A",), ("A", "B"), ("B", "C", "D"), ("A", "B", "C", "D", "E"), ("Z",)):
            expected = periods_hiding(part, 10, chosen)
            assert periods_hiding_marked(part, cut, chosen) == expected, (first, last, chosen)
            tried += len(expected)
    assert tried >= 20


# --- Counts: the primary rule in every published table -------------------------------------


def test_a_count_from_1_to_min_base_less_one_is_small():
    assert [small(n, 10) for n in (0, 1, 9, 10, None, float("nan"))] == [
        False,
        True,
        True,
        False,
        False,
        False,
    ]
    assert count_text(3, 10, "complaint") == "fewer than 10 complaints"
    assert count_text(1, 1, "complaint") == "1 complaint"
    assert count_text(1204, 10, "complaint") == "1,204 complaints"
    assert count_text(0, 10) == "0"


def test_a_rate_is_withheld_with_a_small_base_or_a_small_count():
    assert rate(21, 29, 10) == 100 * 21 / 29
    assert rate(3, 8, 10) != rate(3, 8, 10)  # NaN: base under 10
    assert rate(3, 62, 10) != rate(3, 62, 10)  # NaN: 3 = 4.8% of 62 would give it back
    assert rate(0, 62, 10) == 0.0  # none is not a small count


def test_below_the_minimum_base_number_base_and_per_cent_are_all_withheld():
    # the complaints timeliness CSV for Libraries once read "Number 3, Of 8" beside a blank
    # per cent; the number, its base and the per cent all go, and the note says why
    table = pd.DataFrame(
        {
            "Measure": ["On time", "Extended", "Pending"],
            "Number": [3, 3, 4],
            "Of": [8, 62, None],
            "Per cent": [37.5, 4.8, None],
            "Note": ["", "", ""],
        }
    )
    out = withhold(table, 10, counts=["Number"], bases=["Of"], derived=["Per cent"])
    assert out["Number"].isna().tolist() == [True, True, True]
    assert out["Of"].tolist()[1] == 62 and out["Of"].isna().tolist() == [True, False, True]
    assert out["Per cent"].isna().all()
    assert out["Note"].tolist() == [
        "fewer than 10",
        "Number: fewer than 10",
        "Number: fewer than 10",
    ]
    assert str(out["Number"].dtype) == "Int64"  # whole numbers in the CSV, never '3.0'


def test_a_withheld_part_of_a_total_on_its_row_takes_the_next_smallest_with_it():
    # 103 calls offered: 80 answered within 60 s, 20 later, 3 abandoned. With the 3 alone
    # withheld, 103 - 80 - 20 gives it back, so 20 (the next smallest) goes too; the service
    # level depends on the 80 only and stays
    calls = pd.DataFrame(
        {"Offered": [103], "Within": [80], "Later": [20], "Abandoned": [3], "Level": [77.7]}
    )
    out = withhold(
        calls,
        10,
        bases=["Offered"],
        counts=["Within", "Later", "Abandoned"],
        derived={"Level": ["Within"]},
        total=("Offered", ["Within", "Later", "Abandoned"]),
    )
    assert out.loc[0, ["Offered", "Within"]].tolist() == [103, 80]
    assert pd.isna(out.loc[0, "Later"]) and pd.isna(out.loc[0, "Abandoned"])
    assert out.loc[0, "Level"] == 77.7
    assert out.loc[0, "Note"] == (
        "Abandoned: fewer than 10; Later: hidden so a small group cannot be worked out"
    )


def test_a_withheld_count_in_a_published_column_total_takes_the_next_smallest():
    # refusals by reason with the total (29) in the title: 4 alone would be 29 - 12 - 13
    reasons = pd.DataFrame({"Reason": ["a", "b", "c"], "Total": [4, 12, 13]})
    out = withhold(reasons, 10, counts=["Total"], summed=["Total"])
    assert out["Total"].isna().tolist() == [True, True, False]
    # by group: each stage's outcomes add up to its answers (given by the per cents)
    outcomes = pd.DataFrame({"Stage": ["1", "1", "1", "2", "2"], "Complaints": [30, 12, 5, 40, 20]})
    out = withhold(outcomes, 10, counts=["Complaints"], summed=["Complaints"], by="Stage")
    assert out["Complaints"].isna().tolist() == [False, True, True, False, False]


def test_a_withheld_total_is_not_left_to_be_added_up_from_its_parts():
    # the first row's base (2) withholds the whole row, zero included; with 57 open
    # published above the table, 57 - 30 would give the 2 back, so 25 goes too; its bands
    # 15 and 10 would add back up to 25, so the smaller (10) goes as well
    table = pd.DataFrame({"Open": [2, 25, 30], "New": [2, 15, 20], "Old": [0, 10, 10]})
    out = withhold(
        table,
        10,
        bases=["Open"],
        counts=["New", "Old"],
        total=("Open", ["New", "Old"]),
        summed=["Open"],
    )
    assert out["Open"].isna().tolist() == [True, True, False]
    assert out["New"].isna().tolist() == [True, False, False]
    assert out["Old"].isna().tolist() == [True, True, False]
    assert out["Note"].tolist() == [
        "fewer than 10",
        "Open: hidden so a small group cannot be worked out; "
        "Old: hidden so a small group cannot be worked out",
        "",
    ]
