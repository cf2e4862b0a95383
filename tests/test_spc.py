"""Making Data Count XmR rules, each checked on a series worked out by hand.

Every expected centre, limit and flag below was worked out on paper from the
rules (mean; mean moving range mR; limits = mean +/- 2.66 mR; near limits =
mean +/- 1.7733 mR), never by calling the code under test.
"""

import math

import numpy as np
import pytest

from scorecard.engine import spc
from scorecard.engine.spc import (
    ASSURANCE_CODES,
    VARIATION_CODES,
    explain,
    icons,
    rule_astronomical,
    rule_shift,
    rule_trend,
    rule_two_of_three,
    xmr,
)

BASE = [10, 11, 10, 9]  # a calm cycle round 10: three moving ranges of 1 per cycle
IMP, CON, NEU = "improvement", "concern", "neutral"


def assert_points(frame, expected):
    """`expected` maps index -> (direction, signal); every other point must be common."""
    want = [expected.get(i, (None, "common")) for i in range(len(frame))]
    assert frame["direction"].tolist() == [d for d, _ in want]
    assert frame["signal"].tolist() == [s for _, s in want]
    assert frame["special"].tolist() == [d is not None for d, _ in want]


def assert_limits(frame, centre, lower, upper, near_lower, near_upper, segment=0):
    """Every row of the segment carries the same hand-worked centre and limits."""
    rows = frame[frame["segment"] == segment]
    want = {
        "centre": centre,
        "lower": lower,
        "upper": upper,
        "near_lower": near_lower,
        "near_upper": near_upper,
    }
    for column, value in want.items():
        expected = [pytest.approx(value, abs=1e-4, nan_ok=True)] * len(rows)
        assert rows[column].tolist() == expected, column


def flagged(frame, rule):
    return [i for i, on in enumerate(frame[rule]) if on]


def high(*indexes, signal=IMP):
    return {i: ("high", signal) for i in indexes}


def low(*indexes, signal=CON):
    return {i: ("low", signal) for i in indexes}


# --- each rule alone, on hand-set limits ------------------------------------

LIMITS = {"centre": 10, "lower": 5, "upper": 15, "near_lower": 7, "near_upper": 13}


def test_rule_astronomical_is_strict():
    high_, low_ = rule_astronomical([15, 15.5, 10, 5, 4.5], LIMITS)
    assert high_.tolist() == [False, True, False, False, False]  # 15 is on the limit
    assert low_.tolist() == [False, False, False, False, True]


def test_rule_shift_counts_runs_and_ties_break_them():
    high_, low_ = rule_shift([11, 12, 11, 10, 11, 12, 13, 9, 8, 9], centre=10, run=3)
    assert high_.tolist() == [True] * 3 + [False] + [True] * 3 + [False] * 3
    assert low_.tolist() == [False] * 7 + [True] * 3


def test_rule_trend_turning_point_belongs_to_the_arriving_run():
    # 1..4 rises for four points, 4..1 falls for four: the peak 4 is "high".
    high_, low_ = rule_trend([1, 2, 3, 4, 3, 2, 1, 1], length=4)
    assert high_.tolist() == [True] * 4 + [False] * 4
    assert low_.tolist() == [False] * 4 + [True] * 3 + [False]
    # A trough goes the other way: it was reached by falling.
    high_, low_ = rule_trend([4, 3, 2, 1, 2, 3, 4], length=4)
    assert low_.tolist() == [True] * 4 + [False] * 3
    assert high_.tolist() == [False] * 4 + [True] * 3


def test_rule_two_of_three_is_strict_and_one_sided():
    high_, low_ = rule_two_of_three([13, 14, 11, 10, 14, 13.5, 6, 12, 6], LIMITS)
    # (13, 14, 11): 13 is on the near line, so only one point is beyond.
    # (10, 14, 13.5): 10 is on the centre; (14, 13.5, 6): not one side.
    assert high_.tolist() == [False] * 9
    assert low_.tolist() == [False] * 9
    high_, low_ = rule_two_of_three([12, 14, 11, 16, 9, 6, 9.5, 6.5], LIMITS)
    assert high_.tolist() == [False, True, False, True, False, False, False, False]
    assert low_.tolist() == [False] * 5 + [True, False, True]


# --- series 1: common cause only ---------------------------------------------

S1 = [9, 11] * 7  # 14 points


def test_common_cause_alternating_series():
    # mean = 140/14 = 10; 13 moving ranges of 2, mR = 2; 2.66 x 2 = 5.32
    # limits 10 -/+ 5.32 = 4.68, 15.32; near 10 -/+ 1.7733 x 2 = 6.4533, 13.5467
    frame = xmr(S1, "higher")
    assert list(frame.index) == list(range(14))
    assert frame["value"].tolist() == S1
    assert frame["segment"].tolist() == [0] * 14
    assert_limits(frame, 10, 4.68, 15.32, 6.4533, 13.5467)
    assert math.isnan(frame["moving_range"][0])
    assert frame["moving_range"][1:].tolist() == [2.0] * 13
    assert_points(frame, {})
    for rule in ("astronomical", "shift", "trend", "two_of_three"):
        assert flagged(frame, rule) == []


# --- series 2 and 3: astronomical points --------------------------------------

S2 = [9, 11] * 7 + [25]
S3 = [11, 9] * 7 + [-5]


def test_astronomical_high():
    # mean = (140 + 25)/15 = 11; MRs: 13 x 2 + |25 - 11| = 40, mR = 40/14 = 2.857143
    # 2.66 mR = 106.4/14 = 7.6: limits 3.4, 18.6; near 11 -/+ 5.0667 = 5.9333, 16.0667
    # 11 sits on the centre, so the 9s never make a run; only 25 > 18.6.
    frame = xmr(S2, "higher")
    assert_limits(frame, 11, 3.4, 18.6, 5.9333, 16.0667)
    assert flagged(frame, "astronomical") == [14]
    assert_points(frame, high(14))


def test_astronomical_low_with_lower_is_better():
    # mean = (140 - 5)/15 = 9; MRs 13 x 2 + |-5 - 9| = 40, 2.66 mR = 7.6
    # limits 9 -/+ 7.6 = 1.4, 16.6; -5 < 1.4
    frame = xmr(S3, "lower")
    assert_limits(frame, 9, 1.4, 16.6, 3.9333, 14.0667)
    assert flagged(frame, "astronomical") == [14]
    assert_points(frame, low(14, signal=IMP))


def test_astronomical_low_when_higher_is_better_is_a_concern():
    assert_points(xmr(S3, "higher"), low(14, signal=CON))


def test_no_polarity_gives_neutral():
    assert_points(xmr(S3, None), low(14, signal=NEU))
    assert_points(xmr(S2, None), high(14, signal=NEU))


# --- series 4 and 5: shifts ---------------------------------------------------

S4 = [10, 8, 12, 8, 10, 7, 8] + [11] * 7
S5 = [10, 8, 12, 8, 10, 7, 8, 11, 11, 11, 10, 11, 11, 11, 11]


def test_shift_of_exactly_seven_above():
    # mean = (63 + 77)/14 = 10
    # MRs 2,4,4,2,3,1,3 then six 0s: sum 19, mR = 19/13 = 1.461538
    # 2.66 mR = 3.887692: limits 6.1123, 13.8877; near 2.591795: 7.4082, 12.5918
    # Below-centre points 8 | 8 | 7,8 never reach 7 in a row; the eleven 11s do.
    frame = xmr(S4, "higher")
    assert_limits(frame, 10, 6.1123, 13.8877, 7.4082, 12.5918)
    assert flagged(frame, "shift") == list(range(7, 14))
    assert flagged(frame, "trend") == flagged(frame, "two_of_three") == []
    assert_points(frame, high(*range(7, 14)))


def test_shift_needs_run_points_when_run_is_changed():
    frame = xmr(S4, "higher", run=8)  # the same seven 11s are one short of eight
    assert flagged(frame, "shift") == []
    assert_points(frame, {})


def test_point_on_the_centre_breaks_a_shift():
    # mean = (63 + 87)/15 = 10, so the 10 at index 10 sits exactly on the centre
    # MRs 2,4,4,2,3,1,3,0,0,1,1,0,0,0: sum 21, mR = 1.5, 2.66 mR = 3.99
    # limits 6.01, 13.99; near 10 -/+ 2.66 = 7.34, 12.66
    frame = xmr(S5, "higher")
    assert_limits(frame, 10, 6.01, 13.99, 7.34, 12.66)
    assert_points(frame, {})  # runs of 3 and 4 either side of the tie
    shorter = xmr(S5, "higher", run=4)  # only the four 11s after the tie qualify
    assert_points(shorter, high(11, 12, 13, 14))


# --- series 6 to 8: trends ----------------------------------------------------

S6 = [10, 12, 8, 12, 8, 12, 8, 7, 8, 9, 10, 11, 12, 13]
S7 = [10, 12, 8, 12, 8, 12, 7, 8, 8, 9, 10, 11, 12, 13]
S8 = [10, 8, 12, 8, 12, 8, 12, 13, 12, 11, 10, 9, 8, 7]


def test_trend_of_seven_rising_points():
    # mean = 140/14 = 10; MRs 2,4,4,4,4,4,1 then six 1s: sum 29, mR = 2.230769
    # 2.66 mR = 5.933846: limits 4.0662, 15.9338; near 3.955897: 6.0441, 13.9559
    # 7,8,9,10,11,12,13 (indexes 7..13) is 7 points, 6 successive rises.
    frame = xmr(S6, "higher")
    assert_limits(frame, 10, 4.0662, 15.9338, 6.0441, 13.9559)
    assert flagged(frame, "trend") == list(range(7, 14))
    assert flagged(frame, "shift") == []  # below: 8,7,8,9 is four; above: 11,12,13
    assert_points(frame, high(*range(7, 14)))


def test_equal_neighbours_break_a_trend_and_six_rising_is_not_special():
    # Same sum (140) and MRs (2,4,4,4,4,5,1,0,1,1,1,1,1 = 29) as S6, same limits.
    # 7,8,8,9,...,13 has an equal pair, so the longest rise is 8..13: six points.
    frame = xmr(S7, "higher")
    assert_limits(frame, 10, 4.0662, 15.9338, 6.0441, 13.9559)
    assert flagged(frame, "trend") == []
    assert_points(frame, {})


def test_trend_parameter_of_six():
    frame = xmr(S7, "higher", trend=6)
    assert flagged(frame, "trend") == list(range(8, 14))
    assert_points(frame, high(*range(8, 14)))


def test_falling_trend_when_lower_is_better():
    # Mirror of S6: sum 140, MRs 2,4,4,4,4,4,1 + six 1s = 29; same limits.
    frame = xmr(S8, "lower")
    assert_limits(frame, 10, 4.0662, 15.9338, 6.0441, 13.9559)
    assert_points(frame, low(*range(7, 14), signal=IMP))


# --- series 9 to 11: two of three ---------------------------------------------

S9 = BASE * 3 + [14, 12, 14, 10, 6, 8, 6, 10]
S10 = BASE * 5 + [14, 9, 14, 10, 6, 11, 6, 10]
S10_SAME_SIDE = BASE * 5 + [14, 12, 14, 10, 6, 8, 6, 10]
S11 = BASE * 5 + [14, 12, 18, 10, 6, 8, 2, 10]


def test_two_of_three_beyond_near_limits():
    # mean = (120 + 80)/20 = 10
    # MRs: 11 x 1 in BASE*3, then 5,2,2,4,4,2,2,4: sum 36, mR = 36/19 = 1.894737
    # 2.66 mR = 95.76/19 = 5.04: limits 4.96, 15.04; near 10 -/+ 3.36 = 6.64, 13.36
    # (14,12,14): all above, two beyond 13.36; (6,8,6): all below, two beyond 6.64.
    frame = xmr(S9, "higher")
    assert_limits(frame, 10, 4.96, 15.04, 6.64, 13.36)
    assert flagged(frame, "two_of_three") == [12, 14, 16, 18]
    assert flagged(frame, "astronomical") == flagged(frame, "shift") == []
    assert_points(frame, high(12, 14) | low(16, 18))


def test_two_of_three_needs_all_three_on_one_side():
    # mean = (200 + 80)/28 = 10
    # MRs: 19 x 1 in BASE*5, then 5,5,5,4,4,5,5,4: sum 56, mR = 56/27 = 2.074074
    # 2.66 mR = 5.517037: limits 4.4830, 15.5170; near 3.678025: 6.3220, 13.6780
    # 14 and 6 are beyond the near limits but 9 and 11 sit on the other side.
    frame = xmr(S10, "higher")
    assert_limits(frame, 10, 4.4830, 15.5170, 6.3220, 13.6780)
    assert_points(frame, {})
    # The same-side twin: MRs 19 + 5,2,2,4,4,2,2,4 = 44, mR = 1.629630,
    # 2.66 mR = 4.334815, near 2.889877: 7.1101, 12.8899; 12 and 8 are inside.
    twin = xmr(S10_SAME_SIDE, "higher")
    assert_limits(twin, 10, 5.6652, 14.3348, 7.1101, 12.8899)
    assert_points(twin, high(20, 22) | low(24, 26))


def test_two_of_three_counts_a_point_beyond_the_process_limit():
    # mean 280/28 = 10; MRs 19 + 5,2,6,8,4,2,6,8 = 60, mR = 2.222222
    # 2.66 mR = 5.911111: limits 4.0889, 15.9111; near 3.940741: 6.0593, 13.9407
    # 14 is beyond the near line only; 18 is beyond the process limit too.
    frame = xmr(S11, "higher")
    assert_limits(frame, 10, 4.0889, 15.9111, 6.0593, 13.9407)
    assert flagged(frame, "astronomical") == [22, 26]
    assert flagged(frame, "two_of_three") == [20, 22, 24, 26]
    assert_points(frame, high(20, 22) | low(24, 26))


# --- series 12 and 13: conflicting directions ---------------------------------

S12 = BASE * 3 + [30, 9, 8, 7, 6, 5, 4, 11]
S13 = [13, 9] * 6 + [9, 3, 4, 5, 6, 7, 8, 9]


def test_astronomical_beats_a_falling_trend():
    # mean = (120 + 69 + 11)/20 = 10; MRs 11 + 21,21,1,1,1,1,1,7 = 65
    # 2.66 mR = 2.66 x 65/19 = 9.1: limits 0.9, 19.1; near 10 -/+ 6.0667
    # 30,9,8,7,6,5,4 falls for seven points; 30 is also above 19.1.
    frame = xmr(S12, "higher")
    assert_limits(frame, 10, 0.9, 19.1, 3.9333, 16.0667)
    assert flagged(frame, "trend") == list(range(12, 19))
    assert flagged(frame, "astronomical") == [12]
    assert flagged(frame, "shift") == []  # 9..4 is only six below the centre
    assert_points(frame, high(12) | low(*range(13, 19)))


def test_rising_trend_beats_a_low_shift():
    # mean = (6 x 22 + 9 + 42)/20 = 183/20 = 9.15
    # MRs 11 x 4 = 44, then 0, 6, six 1s: sum 56, 2.66 mR = 2.66 x 56/19 = 7.84
    # limits 1.31, 16.99; near 9.15 -/+ 5.2267 = 3.9233, 14.3767
    # Indexes 11..19 are nine points below 9.15 (a low shift); 9 -> 3 falls,
    # then 3,4,...,9 rises for seven points, so trend (high) wins there.
    frame = xmr(S13, "higher")
    assert_limits(frame, 9.15, 1.31, 16.99, 3.9233, 14.3767)
    assert flagged(frame, "shift") == list(range(11, 20))
    assert flagged(frame, "trend") == list(range(13, 20))
    assert flagged(frame, "two_of_three") == []  # only 3 is beyond 3.9233
    assert_points(frame, low(11, 12) | high(*range(13, 20)))


def test_priority_on_thirteen_rising_points():
    # 1..13: mean 7, twelve MRs of 1, 2.66 mR = 2.66: limits 4.34, 9.66;
    # near 7 -/+ 1.7733 = 5.2267, 8.7733. Everything is one rising trend;
    # 1-4 are also astronomical low (wins), 5 is two-of-three low (trend wins),
    # 10-13 astronomical high.
    frame = xmr(range(1, 14), "higher")
    assert_limits(frame, 7, 4.34, 9.66, 5.2267, 8.7733)
    assert flagged(frame, "trend") == list(range(13))
    assert flagged(frame, "astronomical") == [0, 1, 2, 3, 9, 10, 11, 12]
    assert flagged(frame, "two_of_three") == [0, 1, 2, 3, 4, 8, 9, 10, 11, 12]
    assert_points(frame, low(0, 1, 2, 3) | high(*range(4, 13)))


# --- short series -------------------------------------------------------------


def test_twelve_points_have_no_limits_and_nothing_special():
    frame = xmr(range(1, 13), "higher")  # a rise of 12 that would otherwise be a trend
    assert_limits(frame, 6.5, math.nan, math.nan, math.nan, math.nan)
    assert flagged(frame, "trend") == []
    assert_points(frame, {})


# --- rebasing -----------------------------------------------------------------

S18 = [10, 11, 10, 9, 10, 11, 10, 9, 12, 8, 9, 10, 11] + [
    12,
    13,
    14,
    13,
    12,
    13,
    14,
    13,
    12,
    13,
    14,
    13,
    13,
]


def test_rebase_gives_each_segment_its_own_limits():
    # Segment 0: mean 130/13 = 10; MRs 7 x 1, 3, 4, 1, 1, 1 = 17, mR = 17/12
    #   2.66 mR = 3.768333: limits 6.2317, 13.7683; near 2.512222: 7.4878, 12.5122
    # Segment 1: mean 169/13 = 13; eleven MRs of 1 and one 0, mR = 11/12
    #   2.66 mR = 2.438333: limits 10.5617, 15.4383; near 1.625556: 11.3744, 14.6256
    frame = xmr(S18, "higher", rebase=[13])
    assert frame["segment"].tolist() == [0] * 13 + [1] * 13
    assert_limits(frame, 10, 6.2317, 13.7683, 7.4878, 12.5122, segment=0)
    assert_limits(frame, 13, 10.5617, 15.4383, 11.3744, 14.6256, segment=1)
    assert math.isnan(frame["moving_range"][13])  # not |12 - 11| across the rebase
    # 8,9,10,11 | 12,13,14 rise for seven points, but across the rebase.
    assert_points(frame, {})
    unbroken = xmr(S18, "higher")
    assert unbroken["moving_range"][13] == 1
    assert flagged(unbroken, "trend") == list(range(9, 16))


def test_short_segment_after_rebase_has_no_limits():
    frame = xmr(S1 + [30, 31, 32, 33, 34], "higher", rebase=[14])
    assert_limits(frame, 10, 4.68, 15.32, 6.4533, 13.5467, segment=0)
    assert_limits(frame, 32, math.nan, math.nan, math.nan, math.nan, segment=1)
    assert_points(frame, {})  # without the rebase 30..34 would be astronomical
    assert icons(frame, "higher", target=5) == ("common", "none")


# --- missing values -----------------------------------------------------------


def test_nan_is_common_and_skipped_by_moving_ranges():
    values = [9, 11, 9, math.nan, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]
    frame = xmr(values, "higher")  # 14 real points: same limits as S1
    assert_limits(frame, 10, 4.68, 15.32, 6.4533, 13.5467)
    assert math.isnan(frame["moving_range"][3])
    assert frame["moving_range"][4] == 2  # |11 - 9|, skipping the gap
    assert_points(frame, {})


def test_nan_does_not_break_a_shift():
    values = S4[:10] + [math.nan] + S4[10:]
    frame = xmr(values, "higher")  # the same 14 real points as S4
    assert_limits(frame, 10, 6.1123, 13.8877, 7.4082, 12.5918)
    assert_points(frame, high(7, 8, 9, 11, 12, 13, 14))


def test_nan_points_do_not_count_towards_thirteen():
    values = list(range(1, 13)) + [math.nan]
    frame = xmr(values, "higher")
    assert_limits(frame, 6.5, math.nan, math.nan, math.nan, math.nan)
    assert_points(frame, {})


# --- icons ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "better", "variation"),
    [
        (S1, "higher", "common"),
        (S2, "higher", "improvement_high"),
        (S2, "lower", "concern_high"),
        (S3, "lower", "improvement_low"),
        (S3, "higher", "concern_low"),
        (S2, None, "neutral_high"),
        (S3, None, "neutral_low"),
        (S8, "lower", "improvement_low"),
        (S2 + [math.nan], "higher", "improvement_high"),  # latest plotted point
    ],
)
def test_variation_icon(values, better, variation):
    assert icons(xmr(values, better), better)[0] == variation
    assert variation in VARIATION_CODES


@pytest.mark.parametrize(
    ("better", "target", "assurance"),
    [
        ("higher", 3, "pass"),  # S1 limits are 4.68 to 15.32
        ("higher", 16, "fail"),
        ("higher", 10, "hit_and_miss"),
        ("lower", 16, "pass"),
        ("lower", 3, "fail"),
        ("lower", 15, "hit_and_miss"),
        ("higher", None, "none"),
        (None, 3, "none"),
    ],
)
def test_assurance_icon(better, target, assurance):
    assert icons(xmr(S1, better), better, target)[1] == assurance
    assert assurance in ASSURANCE_CODES


def test_assurance_is_inclusive_at_the_limits_and_uses_the_xmr_target():
    frame = xmr(S1, "higher")
    assert icons(frame, "higher", frame["lower"][0])[1] == "hit_and_miss"
    assert icons(frame, "higher", frame["upper"][0])[1] == "hit_and_miss"
    assert icons(xmr(S1, "higher", target=3), "higher") == ("common", "pass")


def test_assurance_needs_limits():
    assert icons(xmr(range(1, 13), "higher"), "higher", 100) == ("common", "none")


# --- words ----------------------------------------------------------------------

S23 = BASE * 3 + [6, 8, 6, 10, 14, 12, 14]
S24 = [6, 10] * 7 + [12] * 14


def test_explain_names_the_rule():
    assert explain(xmr(S1, "higher"), "higher") == (
        "no significant change over time: every point within the expected range"
    )
    assert explain(xmr(S2, "higher"), "higher") == (
        "this is a real improvement: the latest point is above the upper process limit"
    )
    assert explain(xmr(S2, "lower"), "lower") == (
        "this is a real concern: the latest point is above the upper process limit"
    )
    assert explain(xmr(S4, None), None) == (
        "this is a real change: seven points in a row above the average"
    )
    assert explain(xmr(S6, "higher"), "higher") == (
        "this is a real improvement: seven points in a row, each higher than the one before"
    )
    assert explain(xmr(S8, "lower"), "lower") == (
        "this is a real improvement: seven points in a row, each lower than the one before"
    )


def test_explain_two_of_three_and_long_runs():
    # S23: mean 190/19 = 10; MRs 11 + 3,2,2,4,4,2,2 = 30, 2.66 mR = 4.4333
    # limits 5.5667, 14.4333; near 7.0444, 12.9556; last three 14,12,14.
    frame = xmr(S23, "higher")
    assert_limits(frame, 10, 5.5667, 14.4333, 7.0444, 12.9556)
    assert_points(frame, low(12, 14) | high(16, 18))
    assert explain(frame, "higher") == (
        "this is a real improvement: two of the last three points near or beyond "
        "the upper process limit"
    )
    # S24: mean 280/28 = 10; MRs 13 x 4 + 2 + 13 x 0 = 54, mR = 2, limits 4.68, 15.32.
    # (6,10,6) is not all below the centre, so 6 beyond 6.4533 is not two of three.
    frame = xmr(S24, "higher")
    assert_limits(frame, 10, 4.68, 15.32, 6.4533, 13.5467)
    assert_points(frame, high(*range(14, 28)))
    assert explain(frame, "higher") == (
        "this is a real improvement: 14 points in a row above the average"
    )


def test_empty_series():
    frame = xmr([], "higher", target=5)
    assert len(frame) == 0 and "signal" in frame.columns
    assert icons(frame, "higher") == ("common", "none")
    assert explain(frame, "higher") == "no data yet: nothing to judge"


def test_target_is_carried_for_charts():
    assert xmr(S1, "higher", target=12)["target"].tolist() == [12.0] * 14


def test_bad_polarity_is_refused():
    with pytest.raises(ValueError):
        xmr(S1, "up")


# --- data too coarse for process limits (run chart, no verdict) ---------------------------
@pytest.mark.parametrize(
    ("values", "whole", "reason"),
    [
        # the reviewer's case: a median of whole working days, 7.0 every quarter but one 6.0
        ([6.0] + [7.0] * 15, False, "only 2 different values in 16 points"),
        (
            [5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 9, 9],
            False,
            "most figures are the same as the one before",
        ),
        ([10, 11, 10, 9] * 4, False, "only 3 different values in 16 points"),
        # five levels, but steps of 0, 1 or 2 only: Wheeler's chunky-data rule
        (
            [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3, 4, 5, 4],
            False,
            "the change from one point to the next takes only 1 value",
        ),
        (
            [23.0] * 6 + [24.0] * 7,
            True,
            "a median or percentile of whole numbers moves in whole steps",
        ),
    ],
)
def test_coarse_data_get_a_run_chart(values, whole, reason):
    assert spc.too_coarse(values, whole_steps=whole) == reason
    frame = spc.run_chart(values, target=7)
    assert not frame["special"].any() and frame["upper"].isna().all()
    assert frame["centre"].iloc[0] == pytest.approx(float(np.median(values)))
    assert spc.icons(frame, "lower")[0] == "common"


@pytest.mark.parametrize(
    "values",
    [
        [78.2, 80.1, 79.4, 81.2, 77.9, 80.6, 79.1, 82.0, 78.8, 80.3, 79.9, 81.5, 78.4],
        [6.0] + [7.0] * 11,  # coarse, but 12 points have no limits anyway
    ],
)
def test_fine_or_short_series_are_not_called_coarse(values):
    assert spc.too_coarse(values) is None


# --- many series at once ------------------------------------------------------

# On their own, neither has a shift: three 11s above its centre (10.2) end the first, four
# above its centre (10.25) start the second. Laid end to end they would make seven.
ENDS_HIGH = BASE * 3 + [11, 11, 11]
STARTS_HIGH = [11] * 4 + BASE * 3


def test_series_judged_together_never_run_into_each_other():
    first, second = spc.xmr_many([(ENDS_HIGH, "higher", None, ()), (STARTS_HIGH, "higher", 9, ())])
    assert_limits(
        first,
        10.2,
        10.2 - 2.66 * 13 / 14,
        10.2 + 2.66 * 13 / 14,
        10.2 - 1.7733 * 13 / 14,
        10.2 + 1.7733 * 13 / 14,
    )
    assert_limits(
        second,
        10.25,
        10.25 - 2.66 * 0.8,
        10.25 + 2.66 * 0.8,
        10.25 - 1.7733 * 0.8,
        10.25 + 1.7733 * 0.8,
    )
    assert_points(first, {})
    assert_points(second, {})
    assert math.isnan(second["moving_range"][0])  # no range across from the first series
    assert first["target"].isna().all() and (second["target"] == 9).all()


def test_many_series_at_once_give_each_its_own_chart():
    """Every hand-worked series above, with its own polarity, target and process changes,
    judged in one call: each frame the same as judging it alone."""
    cases = [
        (S1, "higher", None, ()),
        (S3, "lower", 8, ()),
        ([], "higher", None, ()),
        (S4[:10] + [math.nan] + S4[10:], "higher", None, ()),
        (S13, None, None, ()),
        (S18, "higher", 11, [13]),
        (S1 + [30, 31, 32, 33, 34], "higher", None, [14]),
        ([math.nan] * 3, "lower", None, ()),
        (list(range(1, 13)) + [math.nan], "higher", None, ()),
        (S8, "lower", None, ()),
        (S11, "higher", 12, [5, 40]),
    ]
    together = spc.xmr_many(cases)
    assert len(together) == len(cases)
    for (values, better, target, rebase), frame in zip(cases, together):
        alone = xmr(values, better, target, rebase=rebase)
        assert frame.columns.tolist() == alone.columns.tolist()
        for name in frame.columns:
            got, want = frame[name].tolist(), alone[name].tolist()
            if frame[name].dtype.kind == "f":
                got, want = pytest.approx(got, nan_ok=True), want
            assert got == want, name
