"""Suppression in breakdowns: small groups hidden, and never recoverable from the total."""

from __future__ import annotations

import pandas as pd

from scorecard.suppression import protect


def _frame(bases):
    return pd.DataFrame({"group": list("ABCD")[: len(bases)], "base": bases,
                         "value": [50.0] * len(bases)})


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
        "fewer than 10", "", "hidden so a small group cannot be worked out"]
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

    from scorecard.suppression import hidden_by_period, hidden_groups

    rng = random.Random(7)
    rows = pd.DataFrame([{"period_start": p, "service": s, "base": rng.choice([0, 3, 9, 10, 11,
                                                                              25, 40, 40])}
                         for p in range(60) for s in "ABCDEF" if rng.random() > 0.2])
    expected = {p: hidden_groups(part, 10) for p, part in rows.groupby("period_start")}
    assert hidden_by_period(rows, 10) == expected
    assert any(len(h) >= 2 for h in expected.values())  # complementary cases were tried
