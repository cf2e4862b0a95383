"""How figures are judged, in words: one text for the Data and definitions page and the
committee pack, so that what the pack says about the method is what the page says.

Each rule is stated where the code applies it; this module only words them, from the
settings and constants those modules use, so the text cannot drift from the numbers.
"""

from __future__ import annotations

from ..settings import Settings
from . import spc
from .complaint_clock import ACK_DAYS, RESPONSE_DAYS


def rules(settings: Settings) -> list[tuple[str, str]]:
    """(topic, the rule in a sentence or two), in the order a reader needs them."""
    base = settings.min_base
    return [
        (
            "Periods",
            "Financial years run from 1 April; Q1 is April to June. Working days "
            "leave out weekends and England and Wales bank holidays.",
        ),
        (
            "Status",
            "A figure is judged against its target as it is shown, rounded to the "
            "decimals it is published with: 62 of 1,028 calls abandoned is 6.03%, shown as "
            "6.0%, which meets a target of at most 6%. So the status always agrees with the "
            "figure on screen, in downloads and in the committee pack. Near target means a miss "
            "by no more than the measure's margin.",
        ),
        (
            "Last available figures",
            "Where a measure has no figure for the period chosen (a "
            "survey that runs in waves, a return not yet made), the last available figure is "
            "shown with its own period, rated against the target for that period, and not "
            "counted in the status totals for the period chosen.",
        ),
        (
            "Small numbers",
            f"A figure based on fewer than {base} cases or answers is not "
            f"shown, and nor is a count of 1 to {base - 1} people or cases in any table, chart, "
            "download, pack or report, or a percentage, base or verdict that would give it "
            f"back ('fewer than {base}'). Where a breakdown would let a hidden group be worked "
            "out from the total and "
            "the other groups, the next smallest group is hidden too; and a figure for a chosen "
            "service or channel is not shown ('not shown') in any period where it would let a "
            "hidden group be worked out from the council's figure. A figure that is not shown "
            "carries no status and no verdict on change.",
        ),
        (
            "Real change",
            f"Process limits follow NHS Making Data Count: the mean plus or minus "
            f"{spc.SIGMA} times the mean moving range, with no limits until there are "
            f"{spc.MIN_POINTS} points. Special causes: a point outside the limits, seven points "
            "in a row rising or falling, two of three points beyond two-thirds of the way to a "
            "limit, or seven points in a row on one side of the mean.",
        ),
        (
            "Data too coarse for process limits",
            "Where a figure moves in coarse steps, most "
            "moving ranges are zero and the limits collapse, so ordinary noise would read as a "
            "signal (Wheeler, Understanding Variation, on chunky data). A measure is shown as a "
            "run chart around its median, with no verdict on special causes, when it is a "
            f"median or percentile of whole numbers, takes fewer than {spc.MIN_DISTINCT} "
            "different values, repeats the figure before it more often than not, or its "
            f"point-to-point changes take fewer than {spc.MIN_RANGE_LEVELS} values below the "
            "upper range limit.",
        ),
        (
            "Medians and percentiles",
            "Reported as an observed value (nearest rank), never "
            "interpolated: '9 in 10 cases resolved within 23 working days' means at least nine "
            "in ten took no more than 23.",
        ),
        (
            "Surveys",
            "Survey figures are weighted; their 95% intervals use Kish's effective "
            "sample size, and a change is called real only when the interval for it excludes "
            "zero.",
        ),
        (
            "Complaints",
            f"The day a complaint is received is day 0. Acknowledged within "
            f"{ACK_DAYS} working days; answered within {RESPONSE_DAYS[1]} working days of "
            f"acknowledgement at stage 1 and {RESPONSE_DAYS[2]} at stage 2, or by an extension "
            "agreed with the resident, counted only up to the length the Complaint Handling "
            "Code permits (the same again). The figure without extensions is shown beside it.",
        ),
        (
            "Digital channels",
            f"Contacts through {settings.digital_words} count as digital "
            "(and contacts where staff completed an online form for the resident); every other "
            "channel counts as not digital. This is the council's digital_channels setting.",
        ),
        (
            "Figures still settling",
            "Escalations and reopened cases can still happen after a "
            "period ends, so a recent period's figure is marked provisional until the measure's "
            "settling time (stated in its definition) has passed.",
        ),
        (
            "Filters",
            "A figure that cannot be split by the service or channel chosen is "
            "shown for the council as a whole and says so beside it, on screen, in downloads "
            "and in the pack.",
        ),
    ]
