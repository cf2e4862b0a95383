"""One vocabulary for every card, badge, sentence, chart legend, table and paper.

Three separate questions get three separate sets of words, and nothing else may invent
its own:

- status: where the latest figure stands against its target (On target, Near target, Off
  target, Not rated);
- change since an earlier period: whether the latest figure differs from one other period
  (Better than, Worse than, The same as, No significant change from);
- variation over time: whether the whole series shows a real change, by NHS Making Data
  Count process (XmR) charts (Improving, Getting worse, Unusually high or low, No
  significant change), and whether a stable process will meet its target (assurance).

`TERMS` explains each in plain English for the Data and definitions page and the pack.
"""

from __future__ import annotations

import pandas as pd

STATUS = {"green": "On target", "amber": "Near target", "red": "Off target", "none": "Not rated"}

NO_SIGNIFICANT_CHANGE = "No significant change"

# change since an earlier period: the engine's word -> the words before "<period> (<figure>)"
CHANGE = {
    "better": "Better than",
    "worse": "Worse than",
    "no change": "The same as",
    "no real change": f"{NO_SIGNIFICANT_CHANGE} from",
}
CHANGE_SHORT = {
    "better": "Better",
    "worse": "Worse",
    "no change": "The same",
    "no real change": NO_SIGNIFICANT_CHANGE,
}  # in a table column headed Change
MOVED = ("better", "worse")  # the change words that carry an up or down arrow

# variation over time (SPC), by the signal of the latest point
VARIATION = {
    "common": NO_SIGNIFICANT_CHANGE,
    "improvement": "Improving",
    "concern": "Getting worse",
    "neutral_high": "Unusually high",
    "neutral_low": "Unusually low",
}

# assurance: will a stable process meet its target?
ASSURANCE = {
    "pass": "Reliably meets target",
    "fail": "Will miss target without change",
    "hit_and_miss": "Meets target in some periods, not others",
}

# chart legends
AVERAGE, MEDIAN = "Average", "Median"
LIMITS = "Expected range (process limits)"
INNER = "Inner lines (two-thirds of the range)"
POINTS = {
    "improvement": VARIATION["improvement"],
    "concern": VARIATION["concern"],
    "neutral": "Unusual",
    "common": "Within the expected range",
}

RUN_CHART = "Run chart only"
TOO_FEW_POINTS = "Too few points to judge variation (13 are needed)"


def variation(code: str) -> str:
    """The words for an SPC variation code ('concern_high' -> 'Getting worse')."""
    return VARIATION.get(code) or VARIATION[code.split("_")[0]]


def signal(code: str) -> str:
    """'improvement', 'concern', 'neutral' or 'common' from a variation code."""
    return code.split("_")[0]


TERMS = [
    (
        "On target",
        "The latest figure meets its target (as displayed, rounded to the figure's "
        "decimal places).",
    ),
    (
        "Near target",
        "The latest figure misses its target by no more than the measure's "
        "margin (its amber margin).",
    ),
    ("Off target", "The latest figure misses its target by more than that margin."),
    ("Not rated", "There is no target, or no figure this period can be judged against."),
    (
        "Better than / Worse than",
        "The latest figure compared with one earlier period (the "
        "previous period, or the same period last year).",
    ),
    (
        NO_SIGNIFICANT_CHANGE,
        "For a survey, the difference from the earlier period is within "
        "what sampling alone would give (95% intervals). Over time, on a "
        "process chart, every point lies within the expected range and "
        "no run or trend rule is met.",
    ),
    (
        "Improving / Getting worse",
        "Over time, the process chart shows a real change (a point "
        "outside the expected range, a run of 7 on one side of the "
        "average, a trend of 7, or two of three points beyond the "
        "inner lines), in the better or the worse direction.",
    ),
    (
        "Unusually high / low",
        "A real change for a measure where higher is neither better nor worse.",
    ),
    (
        LIMITS,
        "Where the figure would fall 99.7% of the time if nothing changed: the average "
        "plus or minus 2.66 times the average change from one point to the next.",
    ),
    (
        INNER,
        "Two-thirds of the way from the average to the limits; two of three points "
        "beyond them, on one side, is a signal.",
    ),
    (ASSURANCE["pass"], "The whole expected range is on the right side of the target."),
    (ASSURANCE["fail"], "The whole expected range is on the wrong side of the target."),
    (
        ASSURANCE["hit_and_miss"],
        "The target lies inside the expected range, so ordinary "
        "variation alone will meet it in some periods and miss it in "
        "others.",
    ),
    (
        RUN_CHART,
        "The figure moves in steps too coarse for a process chart (few distinct "
        "values, or most figures the same as the one before), so it is drawn against "
        "its median with no verdict on real change.",
    ),
    (
        "Last available",
        "There is no figure for the period chosen (a survey wave or a return "
        "that is not yet due); the latest earlier one is shown, rated against "
        "its own period's target, and not counted in the totals.",
    ),
    (
        "Provisional",
        "A recent period whose figure can still change (residents still have "
        "time to escalate a complaint or reopen a case).",
    ),
    (
        "Not split by",
        "A filter that is on but that the measure cannot follow: its figure is "
        "for every service (or channel), and says so.",
    ),
    (
        "Fewer than 10 / not shown",
        "A figure on fewer cases or answers than the council's "
        "minimum base (10 unless it sets another) is not "
        "published; 'not shown' marks one that would let a hidden "
        "figure be worked out from the others.",
    ),
]


MEANING = dict(TERMS)


def variation_meaning(code: str) -> str:
    """The plain-English meaning of an SPC variation code, from `TERMS`."""
    term = {"common": NO_SIGNIFICANT_CHANGE, "neutral": "Unusually high / low"}.get(
        signal(code), "Improving / Getting worse"
    )
    return MEANING[term]


def frame() -> pd.DataFrame:
    """The glossary as a two-column table, for the Data page and the committee pack."""
    return pd.DataFrame(TERMS, columns=["Words", "What they mean"])


# An action's delivery status in the action plan (the codes are contracts.ACTION_STATUSES)
ACTION_STATUS = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "delayed": "Delayed",
    "complete": "Complete",
    "withdrawn": "Withdrawn",
}
