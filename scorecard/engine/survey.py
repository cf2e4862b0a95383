"""Survey statistics: Wilson intervals, Kish effective base, Newcombe differences.

Reference methods:

* Wilson score interval for one proportion, without continuity correction
  (Wilson 1927; Newcombe 1998a, "Two-sided confidence intervals for the single
  proportion", method 3).
* Kish's effective sample size for a weighted sample, (sum w)^2 / sum w^2
  (Kish 1965), used as the n of the Wilson interval so weighting widens it.
* Newcombe's hybrid score interval for a difference of two independent
  proportions (Newcombe 1998b, "Interval estimation for the difference between
  independent proportions", method 10), built from each group's Wilson interval.

Decisions, written down so reviewers can check them:

* Weighted surveys use the Wilson formula with p = weighted share and
  n = Kish n_eff (successes = p * n_eff, usually not a whole number). This is a
  design-effect approximation, not a full survey-design variance.
* An empty base (n or n_eff of 0) gives NaN bounds rather than an error, so a
  table of many measures still renders; ``difference`` then reports real=False.
* ``weighted_percent`` drops missing answers (None/NaN in ``satisfied``), and
  their weights, before counting: they are not in the base.
* Differences are reported as period 2 minus period 1 (a rise is positive).
* ``change_words`` with ``better=None`` says "higher" / "lower" for a real
  change, since there is no polarity to call it better or worse.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z95 = 1.96  # two-sided 95%


def wilson(successes, n, z=Z95):
    """Wilson score interval (low, high) for a proportion, as proportions in [0, 1]."""
    if n <= 0:
        return math.nan, math.nan
    p = successes / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    # Clip only float rounding: the exact bounds at p = 0 or 1 are 0 and 1.
    return max(0.0, centre - half), min(1.0, centre + half)


def kish_neff(weights):
    """Kish effective sample size (sum w)^2 / sum w^2; 0 for no weights."""
    w = np.asarray(weights, dtype=float)
    return float(effective_base(np.sum(w), np.sum(w * w)))


def effective_base(weight_sums, square_sums):
    """Kish's effective sample size from sums of weights and of squared weights (SQL's, a
    number or arrays at once): (sum w)^2 / sum w^2; 0 where there are no weights."""
    sums, squares = np.asarray(weight_sums, dtype=float), np.asarray(square_sums, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(squares > 0, sums**2 / squares, 0.0)


def weighted_percent(satisfied, weights=None, z=Z95):
    """Weighted % satisfied with its unweighted n, Kish n_eff and a Wilson interval."""
    answers = pd.Series(list(satisfied), dtype=object)
    w = np.ones(len(answers)) if weights is None else np.asarray(weights, dtype=float)
    if len(w) != len(answers):
        raise ValueError("satisfied and weights must be the same length")
    answered = answers.notna().to_numpy()
    yes = answers[answered].astype(bool).to_numpy(dtype=float)
    w = w[answered]
    n_eff = kish_neff(w)
    pct, low, high = interval_from_sums(float(np.sum(w * yes)), float(np.sum(w)), n_eff, z)
    return {"pct": pct, "n": int(answered.sum()), "n_eff": n_eff, "low": low, "high": high}


def interval_from_sums(weighted_successes, weighted_total, n_eff, z=Z95):
    """(pct, low, high) in percent from SQL sums: sum w*satisfied, sum w and n_eff."""
    if weighted_total <= 0:
        return math.nan, math.nan, math.nan
    p = weighted_successes / weighted_total
    low, high = wilson(p * n_eff, n_eff, z)
    return 100 * p, 100 * low, 100 * high


def intervals_from_sums(weighted_successes, weighted_total, n_eff, z=Z95):
    """`interval_from_sums`' (low, high) for arrays of sums at once, NaN where there is no
    total or no effective base: the same arithmetic in the same order, so each bound is the
    scalar's to the last bit (a test checks it), for every period of a survey measure."""
    s, t, n = (np.asarray(a, dtype=float) for a in (weighted_successes, weighted_total, n_eff))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (s / t) * n / n  # wilson's own proportion: successes p * n_eff over n_eff
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
    low, high = centre - half, centre + half
    low = np.where(low > 0.0, low, 0.0)  # as max(0.0, low), a NaN included
    high = np.where(high < 1.0, high, 1.0)  # as min(1.0, high)
    none = (t <= 0) | (n <= 0)  # the scalar's early returns
    return np.where(none, np.nan, 100 * low), np.where(none, np.nan, 100 * high)


def difference(p1, n1, p2, n2, z=Z95):
    """Newcombe hybrid score interval for p2 - p1 in percentage points, and if it is real."""
    low1, high1 = wilson(p1 * n1, n1, z)
    low2, high2 = wilson(p2 * n2, n2, z)
    diff = p2 - p1
    # Newcombe (1998) method 10: each side combines the two Wilson half-widths
    # that point towards that side of the difference.
    low = diff - math.sqrt((p2 - low2) ** 2 + (high1 - p1) ** 2)
    high = diff + math.sqrt((high2 - p2) ** 2 + (p1 - low1) ** 2)
    real = bool(low > 0 or high < 0)  # NaN bounds compare False: not real
    return {"diff": 100 * diff, "low": 100 * low, "high": 100 * high, "real": real}


def change_words(p1, n1, p2, n2, better):
    """'better', 'worse' or 'no real change' from period 1 to period 2, by polarity."""
    if better not in ("higher", "lower", None):
        raise ValueError(f"better must be 'higher', 'lower' or None, not {better!r}")
    result = difference(p1, n1, p2, n2)
    if not result["real"]:
        return "no real change"
    rose = result["diff"] > 0
    if better is None:
        return "higher" if rose else "lower"
    return "better" if rose == (better == "higher") else "worse"
