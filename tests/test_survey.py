"""Survey statistics checked against published and hand-worked values."""

import math

import numpy as np
import pandas as pd
import pytest

from scorecard.engine import survey
from scorecard.engine.survey import (
    change_words,
    difference,
    interval_from_sums,
    kish_neff,
    weighted_percent,
    wilson,
)

# Wilson score intervals without continuity correction, from Newcombe RG,
# "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 1998;17:857-872, Table I, method 3.
# 0/10 and 10/10 follow from the closed form: z^2/(n + z^2) = 3.8416/13.8416.
WILSON_PUBLISHED = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
]


@pytest.mark.parametrize(("successes", "n", "low", "high"), WILSON_PUBLISHED)
def test_wilson_matches_published_values(successes, n, low, high):
    assert wilson(successes, n) == pytest.approx((low, high), abs=5e-5)


def test_wilson_edges():
    assert all(math.isnan(v) for v in wilson(0, 0))
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(3.8416 / 13.8416, abs=1e-12)
    assert wilson(10, 10)[1] == 1.0
    # A float n (an effective base): p = 0.5, n = 6.25 -> z^2/n = 0.614656,
    # centre 0.5, half = 1.96/1.614656 x sqrt(0.04 + 0.024586)
    #                  = 1.213881 x 0.254138 = 0.308494
    assert wilson(3.125, 6.25) == pytest.approx((0.191506, 0.808494), abs=1e-5)


# Newcombe RG, "Interval estimation for the difference between independent
# proportions: comparison of eleven methods", Statistics in Medicine
# 1998;17:873-890, Table II, method 10 (hybrid score, no continuity correction).
# The paper reports p1 - p2 for the first pair listed; difference() reports
# p2 - p1, so each pair is passed in the other order.
# Note: the brief quoted (0.0531, 0.8317) for 6/7 - 2/7; method 10 gives
# (0.0582, 0.8062) (worked below), so 0.0531/0.8317 belong to another method.
NEWCOMBE_TABLE_II = [
    (56, 70, 48, 80, 0.2, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.6, 0.1705, 0.8090),
    (6, 7, 2, 7, 4 / 7, 0.0582, 0.8062),
    (5, 56, 0, 29, 5 / 56, -0.0381, 0.1926),
    (0, 10, 0, 20, 0.0, -0.1611, 0.2775),
    (10, 10, 0, 20, 1.0, 0.6791, 1.0),
]


@pytest.mark.parametrize(("a", "m", "b", "n", "diff", "low", "high"), NEWCOMBE_TABLE_II)
def test_difference_matches_newcombe_table_ii(a, m, b, n, diff, low, high):
    result = difference(b / n, n, a / m, m)
    assert result["diff"] == pytest.approx(100 * diff, abs=1e-9)
    assert result["low"] == pytest.approx(100 * low, abs=0.01)
    assert result["high"] == pytest.approx(100 * high, abs=0.01)
    assert result["real"] == (low > 0)


def test_difference_six_sevenths_by_hand():
    # Wilson 6/7: z^2/n = 0.5488, centre 1.131543/1.5488 = 0.730594,
    #   half 1.265496 x sqrt(0.017493 + 0.0196) = 0.243730 -> (0.486865, 0.974323)
    # Wilson 2/7: centre 0.560114/1.5488 = 0.361644,
    #   half 1.265496 x sqrt(0.029155 + 0.0196) = 0.279428 -> (0.082216, 0.641072)
    # low  = 4/7 - sqrt((6/7 - 0.486865)^2 + (0.641072 - 2/7)^2) = 0.058218
    # high = 4/7 + sqrt((0.974323 - 6/7)^2 + (2/7 - 0.082216)^2) = 0.806251
    result = difference(2 / 7, 7, 6 / 7, 7)
    assert (result["low"], result["high"]) == pytest.approx((5.8218, 80.6251), abs=1e-3)
    assert result["real"] is True


def test_difference_direction_and_empty_base():
    # The same pair the other way round mirrors the interval: 48/80 after 56/70.
    result = difference(56 / 70, 70, 48 / 80, 80)
    assert result["diff"] == pytest.approx(-20.0)
    assert (result["low"], result["high"]) == pytest.approx((-33.39, -5.24), abs=0.01)
    assert result["real"] is True
    empty = difference(0.5, 0, 0.6, 100)
    assert math.isnan(empty["low"]) and empty["real"] is False


def test_kish_neff_by_hand():
    assert kish_neff([1, 1, 2, 2]) == pytest.approx(36 / 10)  # (6)^2 / (1+1+4+4)
    assert kish_neff([1, 1, 1, 1, 1]) == 5
    assert kish_neff([3]) == 1
    assert kish_neff([]) == 0


def test_weighted_percent_by_hand():
    # weights 1,1,2,2 on yes,no,yes,no: pct = (1 + 2)/6 = 50%; n_eff = 3.6
    # Wilson at p = 0.5, n = 3.6: z^2/n = 1.067111, centre 0.5,
    # half = 1.96/2.067111 x sqrt(0.25/3.6 + 1.067111/14.4)
    #      = 0.948184 x sqrt(0.069444 + 0.074105) = 0.948184 x 0.378879 = 0.359247
    result = weighted_percent([True, False, True, False], [1, 1, 2, 2])
    assert result["pct"] == pytest.approx(50.0)
    assert result["n"] == 4
    assert result["n_eff"] == pytest.approx(3.6)
    assert (result["low"], result["high"]) == pytest.approx((14.0753, 85.9247), abs=1e-3)


def test_weighted_percent_unweighted_equals_wilson():
    # 81 of 263 satisfied, no weights: n_eff = n = 263, published (25.53, 36.62)
    result = weighted_percent([True] * 81 + [False] * 182)
    assert result["pct"] == pytest.approx(100 * 81 / 263)
    assert result["n"] == result["n_eff"] == 263
    assert (result["low"], result["high"]) == pytest.approx((25.53, 36.62), abs=5e-3)


def test_weighted_percent_skips_missing_answers_and_empty():
    result = weighted_percent([True, None, False, True], [1, 5, 1, 2])
    # answered: yes (1), no (1), yes (2): pct 3/4; n_eff = 16/6
    assert result["pct"] == pytest.approx(75.0)
    assert result["n"] == 3
    assert result["n_eff"] == pytest.approx(16 / 6)
    empty = weighted_percent([])
    assert empty["n"] == 0 and empty["n_eff"] == 0 and math.isnan(empty["pct"])


def test_interval_from_sums_matches_the_row_version():
    # SQL gives sum(w * satisfied) = 3, sum(w) = 6, n_eff = 3.6 (as above)
    pct, low, high = interval_from_sums(3, 6, 3.6)
    assert (pct, low, high) == pytest.approx((50.0, 14.0753, 85.9247), abs=1e-3)
    assert all(math.isnan(v) for v in interval_from_sums(0, 0, 0))


@pytest.mark.parametrize(
    ("p1", "n1", "p2", "n2", "better", "words"),
    [
        (0.60, 80, 0.80, 70, "higher", "better"),  # real rise: 5.24 to 33.39 points
        (0.60, 80, 0.80, 70, "lower", "worse"),
        (0.80, 70, 0.60, 80, "higher", "worse"),  # real fall
        (0.80, 70, 0.60, 80, "lower", "better"),
        (0.60, 80, 0.80, 70, None, "higher"),
        (0.50, 10, 0.70, 10, "higher", "no real change"),  # small samples overlap
        (5 / 56, 56, 0.0, 29, "lower", "no real change"),  # Table II (d): spans 0
    ],
)
def test_change_words(p1, n1, p2, n2, better, words):
    assert change_words(p1, n1, p2, n2, better) == words


def test_a_lower_group_that_is_not_flagged_is_named_with_its_base():
    from scorecard.engine import groups

    table = pd.DataFrame(
        {
            "dimension": ["age"] * 4 + ["disability"] * 2,
            "resident_group": ["16-24", "35-44", "45-54", "75+", "Disabled", "Not disabled"],
            "value": [54.9, 55.5, 70.0, 40.0, 60.0, 65.0],
            "base": [41, 412, 380, 6, 200, 800],
            "suppressed": [False, False, False, True, False, False],
            "versus_rest": ["", "lower", "", "", "", ""],
        }
    )
    # 16-24 is below the flagged 35-44 but has a tenth of the answers; 75+ is suppressed
    # (never described); no disability group is flagged, so none is named
    assert groups.lower_but_not_flagged(table) == ["aged 16-24 (54.9% of 41 answers)"]


def test_intervals_for_many_periods_are_the_scalar_s_to_the_last_bit():
    rng = np.random.default_rng(3)
    total = np.r_[rng.random(2000) * 500, 0.0, -1.0, np.nan, 10.0, 10.0, 10.0]
    successes = np.r_[total[:2000] * rng.random(2000), 0.0, 0.0, 1.0, 0.0, 10.0, 5.0]
    n_eff = np.r_[total[:2000] * rng.random(2000), 5.0, 5.0, 5.0, 0.0, 7.0, np.nan]
    low, high = survey.intervals_from_sums(successes, total, n_eff)
    for i, args in enumerate(zip(successes, total, n_eff)):
        _, one_low, one_high = survey.interval_from_sums(*args)
        assert np.array_equal([low[i], high[i]], [one_low, one_high], equal_nan=True), args
