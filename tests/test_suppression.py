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
