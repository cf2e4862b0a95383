"""NHS "Making Data Count" XmR charts: limits, special-cause rules and icons.

Reference: NHS England / NHS Improvement, *Making Data Count* (2019) and its SPC
tool. Centre = mean; limits = mean +/- 2.66 x mean moving range; special causes
by four rules (astronomical point, shift, trend, two of three beyond the
two-sigma line), whose priority when they disagree on direction is astronomical,
trend, two of three, shift.

Decisions and deviations, written down so charts and reviewers can check them:

* NaN points are dropped before anything is computed and put back as "common",
  carrying their segment's centre and limits (so limit lines stay continuous).
  They take no part in the limits, break no shift or trend, and the moving
  range is taken across them, between their neighbours.
* A segment with fewer than 13 non-missing points has a centre (its mean) but
  no limits (NaN) and no special causes.
* Moving ranges are not screened for outliers (some tools drop those above
  3.267 x their mean).
* Moving ranges, limits and rules stay inside a segment. Rebase indexes are
  positions in ``values`` (NaN rows included); those outside 1..len-1 are
  ignored, as 0 already starts a segment.
* A point exactly on the centre is on neither side: it breaks a shift, and a
  two-of-three window needs all three points strictly on one side.
* A trend's turning point (end of a rise and start of a fall, or the reverse)
  belongs to the run that arrived at it: a peak is "high", a trough "low".
* "Latest point" is the last row with a value; assurance uses the last
  segment's limits. ``icons`` uses its own target, else the one given to
  ``xmr``. ``icons`` and ``explain`` word the signal from ``direction`` and
  their own ``better``, so they match ``signal`` given the same polarity.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import frames, glossary

SIGMA = 2.66  # 3 / d2, with d2 = 1.128 for moving ranges of two points
NEAR = 2 / 3 * SIGMA  # the two-sigma line used by the two-of-three rule
MIN_POINTS = 13  # fewer points than this in a segment: no limits
RULES = ("astronomical", "trend", "two_of_three", "shift")  # highest priority first
LIMITS = ("centre", "lower", "upper", "near_lower", "near_upper")
COLUMNS = (
    "value",
    "segment",
    "moving_range",
    *LIMITS,
    "target",
    "special",
    "direction",
    "signal",
    "astronomical",
    "shift",
    "trend",
    "two_of_three",
)

VARIATION_CODES = (
    "common",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_CODES = ("pass", "fail", "hit_and_miss", "none")

_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_VERDICT = {
    "improvement": "this is a real improvement",
    "concern": "this is a real concern",
    "neutral": "this is a real change",
}


def xmr(values, better, target=None, *, run=7, trend=7, rebase=(), held=False):
    """Build an XmR frame: one row per point with limits, rule flags and signal (with
    `held`, as `frames.Columns`: the engine's working form, a frame when one is read)."""
    return xmr_many([(values, better, target, rebase)], run=run, trend=trend, held=held)[0]


def xmr_many(series, *, run=7, trend=7, held=False) -> list:
    """`xmr` of many series at once, one frame each: `series` holds (values, better, target,
    rebase) for each. A page judges a few dozen measures on every filter change, and the
    rules are many small array steps, so they run once over every series' points laid end
    to end, each segment followed by a missing point, which breaks every run, trend and
    window just as a segment's own end does (each segment's limits are still its own)."""
    if run < 1 or trend < 2:
        raise ValueError("run must be at least 1 and trend at least 2")
    series = list(series)
    for _, better, _, _ in series:
        _check_better(better)
    xs = [np.asarray(values, dtype=float).reshape(-1) for values, _, _, _ in series]
    lengths = [len(x) for x in xs]
    segments = [_segment_ids(len(x), rebase) for x, (_, _, _, rebase) in zip(xs, series)]
    first = np.cumsum([0] + [int(s[-1]) + 1 if len(s) else 0 for s in segments])
    x = np.concatenate([np.empty(0), *xs])
    owner = np.concatenate([np.empty(0, dtype=int), *(s + f for s, f in zip(segments, first))])
    ok = ~np.isnan(x)
    y, ys = x[ok], owner[ok]
    limits = _segment_limits(y, ys, int(first[-1]))
    at = np.arange(len(y)) + ys  # each point's place in the line, one gap after each segment
    line = _spread(y, at, len(y) + int(first[-1]), np.nan)
    drawn = {name: _spread(values[ys], at, len(line), np.nan) for name, values in limits.items()}
    has_limits = _spread(~np.isnan(limits["upper"])[ys], at, len(line), False)
    flags = _flags(line, drawn, has_limits, run, trend)
    directions = _directions(flags, len(line))
    columns = {
        "value": x,
        "segment": np.concatenate([np.empty(0, dtype=int), *segments]),
        "moving_range": _put_back(np.abs(np.diff(line, prepend=np.nan))[at], ok, np.nan),
    }
    for name in LIMITS:
        columns[name] = limits[name][owner]
    columns["target"] = np.repeat(
        [np.nan if target is None else float(target) for _, _, target, _ in series], lengths
    )
    for name in RULES:
        high, low = flags[name]
        columns[name] = _put_back((high | low)[at], ok, False)
    columns["direction"] = _put_back(directions[at], ok, None)  # None, not NaN
    columns["special"] = columns["direction"] != None  # noqa: E711 - elementwise
    columns["signal"] = _signals(
        columns["direction"], np.repeat([better for _, better, _, _ in series], lengths)
    )
    ends = np.cumsum([0, *lengths])
    return [
        _frame({name: values[a:b] for name, values in columns.items()}, held)
        for a, b in zip(ends[:-1], ends[1:])
    ]


def _segment_limits(y, owner, count: int) -> dict:
    """Each segment's centre and limits (`_limits` of its own points), as arrays by segment
    number; `owner` gives each point's segment, in order."""
    bounds = np.searchsorted(owner, np.arange(count + 1))
    out = {name: np.full(count, np.nan) for name in LIMITS}
    for segment in range(count):
        for name, value in _limits(y[bounds[segment] : bounds[segment + 1]]).items():
            out[name][segment] = value
    return out


def _spread(values, at, length, fill):
    """An array of `length`, `values` at `at` and `fill` elsewhere."""
    out = np.full(length, fill, dtype=np.asarray(values).dtype)
    out[at] = values
    return out


def _frame(columns: dict, held: bool = False) -> pd.DataFrame | frames.Columns:
    """The XmR frame in its column order, built in one step ('direction' keeps None); with
    `held`, its columns."""
    ordered = frames.Columns({name: _array(columns[name]) for name in COLUMNS})
    return ordered if held else frames.frame(ordered)


def _array(values) -> np.ndarray:
    """A column as an array (a list of words as objects)."""
    return values if isinstance(values, np.ndarray) else np.array(values, dtype=object)


URL_FACTOR = 3.268  # upper range limit of a two-point moving range: 3.268 x its mean
MIN_DISTINCT = 5  # fewer distinct values than this: too coarse for limits
MIN_RANGE_LEVELS = 4  # Wheeler's chunky-data rule: fewer moving-range values below the URL


def too_coarse(values, whole_steps: bool = False) -> str | None:
    """Why XmR limits would mislead for these values, or None when they can be used.

    Process limits assume the figure can vary finely. When it moves in coarse steps, most
    moving ranges are zero and the limits collapse around a few values, so ordinary noise
    reads as special cause. Data are too coarse (Wheeler, "Understanding Variation", on
    chunky data) when: the measure is a median or percentile of whole numbers (declared
    `spc = "run"` in the catalogue); the points take fewer than five distinct values; more
    than half of the moving ranges are zero; or fewer than four distinct moving-range values
    fall below the upper range limit (3.268 x the mean moving range). Fewer than 13 points
    have no limits anyway, so they are not judged here."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) < MIN_POINTS:
        return None
    if whole_steps:
        return "a median or percentile of whole numbers moves in whole steps"
    distinct = len(set(_round9(x).tolist()))  # (a set: a few dozen points, no sort)
    if distinct < MIN_DISTINCT:
        return f"only {distinct} different values in {len(x)} points"
    ranges = np.abs(np.diff(x))
    if np.count_nonzero(_round9(ranges) == 0) * 2 > len(ranges):
        return "most figures are the same as the one before"
    below = ranges[ranges <= URL_FACTOR * ranges.mean()]
    levels = len(set(_round9(below).tolist()))
    if levels < MIN_RANGE_LEVELS:
        return (
            f"the change from one point to the next takes only {levels} "
            f"value{'s' if levels != 1 else ''}"
        )
    return None


def _round9(values: np.ndarray) -> np.ndarray:
    """`np.round(values, 9)` as numpy works it out (scaled, to the nearest whole, scaled
    back), without its wrapper: it runs three times for every measure's chart."""
    return np.rint(values * 1e9) / 1e9


def run_chart(values, target=None, held=False):
    """A run chart's frame (the same columns as ``xmr``): the median as centre, no limits
    and no special causes, for data too coarse for process limits (`held`: as ``xmr``)."""
    x = np.asarray(values, dtype=float).reshape(-1)
    shown = x[~np.isnan(x)]
    centre = float(np.median(shown)) if len(shown) else np.nan
    n = len(x)
    columns = {
        "value": x,
        "segment": np.zeros(n, dtype=int),
        "moving_range": np.full(n, np.nan),
        "target": np.full(n, np.nan if target is None else float(target)),
        "special": np.zeros(n, dtype=bool),
        "direction": [None] * n,
        "signal": ["common"] * n,
    }
    for name in LIMITS:
        columns[name] = np.full(n, centre if name == "centre" else np.nan)
    for rule in RULES:
        columns[rule] = np.zeros(n, dtype=bool)
    return _frame(columns, held)


def icons(frame, better, target=None):
    """Return the (variation, assurance) icon codes for the latest point."""
    _check_better(better)
    if target is None and len(frame):
        last = float(frames.values(frame, "target")[-1])
        target = None if math.isnan(last) else last  # fall back on the target given to xmr
    return _variation(frame, better), _assurance(frame, better, target)


def explain(frame, better):
    """One short plain-English sentence on the latest point, naming the rule."""
    _check_better(better)
    at = latest_at(frame)
    if at is None:
        return "no data yet: nothing to judge"
    signal = _signal(frames.values(frame, "direction")[at], better)
    if signal == "common":
        return (
            f"{glossary.NO_SIGNIFICANT_CHANGE.lower()} over time: every point within the "
            "expected range"
        )
    return f"{_VERDICT[signal]}: {_reason(frame, at)}"


# --- segments and limits ---------------------------------------------------


def _check_better(better):
    """Refuse a polarity other than 'higher', 'lower' or None."""
    if better not in ("higher", "lower", None):
        raise ValueError(f"better must be 'higher', 'lower' or None, not {better!r}")


def _segment_ids(n, rebase):
    """Segment number of each point: 0 until the first rebase, then 1, and so on."""
    starts = sorted({int(i) for i in rebase if 0 < int(i) < n})
    return np.searchsorted(starts, np.arange(n), side="right")


def _put_back(array, ok, fill):
    """Spread values computed on the non-missing points back over every row."""
    if len(array) == len(ok):  # no point missing (most series): as they are
        return array
    out = np.full(len(ok), fill, dtype=array.dtype)
    out[ok] = array
    return out


def _limits(y):
    """Centre, process limits and two-sigma lines; no limits under MIN_POINTS points."""
    limits = dict.fromkeys(LIMITS, np.nan)
    limits["centre"] = y.mean() if len(y) else np.nan
    if len(y) >= MIN_POINTS:
        mean_mr = np.abs(np.diff(y)).mean()
        for side, sign in (("lower", -1), ("upper", 1)):
            limits[side] = limits["centre"] + sign * SIGMA * mean_mr
            limits[f"near_{side}"] = limits["centre"] + sign * NEAR * mean_mr
    return limits


# --- the four rules ----------------------------------------------------------
# Each takes one segment's non-missing values (any sequence of numbers), or several laid
# end to end with a missing point after each (which no run, trend or window crosses), with
# their limits as numbers or point by point, and returns (high, low): boolean arrays
# marking the points the rule flags.


def _flags(line, limits, has_limits, run, trend):
    """Apply every rule to the points laid end to end; nothing is special in a segment
    without limits."""
    return {
        name: (high & has_limits, low & has_limits)
        for name, (high, low) in (
            ("astronomical", rule_astronomical(line, limits)),
            ("trend", rule_trend(line, trend)),
            ("two_of_three", rule_two_of_three(line, limits)),
            ("shift", rule_shift(line, limits["centre"], run)),
        )
    }


def rule_astronomical(y, limits):
    """Points strictly outside the process limits."""
    y = np.asarray(y, dtype=float)
    return y > limits["upper"], y < limits["lower"]


def rule_shift(y, centre, run):
    """Runs of `run` or more points strictly on one side of the centre."""
    y = np.asarray(y, dtype=float)
    return _long_runs(y > centre, run), _long_runs(y < centre, run)


def rule_trend(y, length):
    """Runs of `length` or more points each strictly above (below) the one before."""
    steps = np.diff(np.asarray(y, dtype=float))
    high = _step_points(_long_runs(steps > 0, length - 1))
    low = _step_points(_long_runs(steps < 0, length - 1))
    # A turning point ends one run and starts the other: the run arriving at it wins.
    arrived_up = np.concatenate([[False], steps > 0])
    both = high & low
    return high & ~(both & ~arrived_up), low & ~(both & arrived_up)


def rule_two_of_three(y, limits):
    """In three same-side points, two or more beyond the two-sigma line are special."""
    y = np.asarray(y, dtype=float)
    high = _two_of_three_side(y > limits["centre"], y > limits["near_upper"])
    low = _two_of_three_side(y < limits["centre"], y < limits["near_lower"])
    return high, low


def _two_of_three_side(side, beyond):
    """Flag the points beyond the line in every window of three wholly on this side."""
    side, beyond = np.asarray(side, dtype=bool), np.asarray(beyond, dtype=bool)
    out = np.zeros(len(side), dtype=bool)
    if len(side) < 3:
        return out
    count = beyond[:-2].astype(int) + beyond[1:-1] + beyond[2:]
    windows = side[:-2] & side[1:-1] & side[2:] & (count >= 2)  # by first point
    for offset in range(3):  # each window marks its own points beyond the line
        out[offset : len(side) - 2 + offset] |= windows & beyond[offset : len(side) - 2 + offset]
    return out


def _long_runs(mask, length):
    """Mark members of unbroken runs of True at least `length` long."""
    flags = np.asarray(mask, dtype=bool)
    edges = np.diff(np.concatenate(([False], flags, [False])).astype(np.int8))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = (ends - starts) >= length
    # +1 at a long run's start, -1 just after it (runs never touch: no place gets both)
    marks = np.zeros(len(flags) + 1, dtype=np.int8)
    marks[starts[long]] = 1
    marks[ends[long]] = -1
    return np.cumsum(marks[:-1]) > 0


def _step_points(steps):
    """Points at either end of each flagged step between neighbours."""
    points = np.zeros(len(steps) + 1, dtype=bool)
    points[:-1] |= steps
    points[1:] |= steps
    return points


def _directions(flags, n):
    """Direction of each point from the highest-priority rule that flags it."""
    out = np.full(n, None, dtype=object)
    for name in reversed(RULES):  # lowest priority first, so higher ones overwrite
        high, low = flags[name]
        out[low] = "low"
        out[high] = "high"
    return out


def _signals(directions: np.ndarray, better) -> np.ndarray:
    """`_signal` of every point ('high', 'low' or None each), by each point's own polarity
    (`better`: one for all, or an array of them, as objects)."""
    high, low = directions == "high", directions == "low"
    neutral = np.asarray(better == None, dtype=bool)  # noqa: E711 - elementwise
    good = high == np.asarray(better == "higher", dtype=bool)
    codes = np.where(neutral, 1, np.where(good, 2, 3))
    return _SIGNAL_WORDS[np.where(high | low, codes, 0)]


_SIGNAL_WORDS = np.array(["common", "neutral", "improvement", "concern"], dtype=object)


def _signal(direction, better):
    """Improvement, concern or neutral for a special point; common otherwise."""
    if not isinstance(direction, str):  # None, or NaN once stored in a str column
        return "common"
    if better is None:
        return "neutral"
    return "improvement" if (direction == "high") == (better == "higher") else "concern"


# --- icons and words ---------------------------------------------------------


def latest_at(frame) -> int | None:
    """The position of the last row with a value (NaN rows are not plotted), or None."""
    shown = np.flatnonzero(~np.isnan(np.asarray(frames.values(frame, "value"), dtype=float)))
    return int(shown[-1]) if len(shown) else None


def _variation(frame, better):
    """'common' or '<signal>_<direction>' for the latest point."""
    at = latest_at(frame)
    direction = None if at is None else frames.values(frame, "direction")[at]
    signal = _signal(direction, better)
    return signal if signal == "common" else f"{signal}_{direction}"


def _assurance(frame, better, target):
    """Compare the target with the latest segment's process limits."""
    if better is None or target is None or math.isnan(target) or frame.empty:
        return "none"
    lower = float(frames.values(frame, "lower")[-1])
    upper = float(frames.values(frame, "upper")[-1])
    if math.isnan(lower) or math.isnan(upper):
        return "none"
    if lower <= target <= upper:
        return "hit_and_miss"
    target_above = target > upper
    return "fail" if target_above == (better == "higher") else "pass"


def _reason(frame, at):
    """Words for the highest-priority rule behind the signal of the point at `at`."""
    columns = frames.arrays(frame)
    last = {name: values[at] for name, values in columns.items()}
    rule = next(name for name in RULES if last[name])
    value = np.asarray(columns["value"], dtype=float)
    seen = (np.asarray(columns["segment"]) == last["segment"]) & ~np.isnan(value)
    y = value[: at + 1][seen[: at + 1]]  # its segment, up to the point
    high = last["direction"] == "high"
    above, upper, higher = ("above", "upper", "higher") if high else ("below", "lower", "lower")
    if rule == "astronomical":
        return f"the latest point is {above} the {upper} process limit"
    if rule == "trend":  # n successive steps join n + 1 points
        count = _trailing(np.diff(y) > 0 if high else np.diff(y) < 0) + 1
        return f"{_words(count)} points in a row, each {higher} than the one before"
    if rule == "two_of_three":
        beyond = y[-3:] > last["near_upper"] if high else y[-3:] < last["near_lower"]
        count = "all" if beyond.all() else "two"
        return f"{count} of the last three points near or beyond the {upper} process limit"
    count = _trailing(y > last["centre"] if high else y < last["centre"])
    return f"{_words(count)} points in a row {above} the average"


def _trailing(flags):
    """Length of the unbroken run of True at the end of `flags`."""
    breaks = np.flatnonzero(~np.asarray(flags, dtype=bool))
    return len(flags) - (breaks[-1] + 1 if len(breaks) else 0)


def _words(number):
    """Spell out whole numbers up to twelve, as a house style for councillors."""
    return _NUMBER_WORDS[number] if 0 <= number <= 12 else str(number)
