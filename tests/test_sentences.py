"""The generated sentence for each case: target met or not, real change or noise, and the
plain warning when RAG and SPC disagree."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from scorecard.engine import calendar as cal
from scorecard.engine import measures, sentences
from scorecard.engine.catalogue import Measure

MEASURE = Measure(
    id="calls",
    title="Calls answered within 60 seconds",
    pillar="access",
    definition="",
    unit="percent",
    better="higher",
    sql="",
    source="contacts",
    statement="{value} of calls were answered within 60 seconds",
    decimals=1,
)
STABLE = [
    70.2,
    72.1,
    71.3,
    72.8,
    70.4,
    71.9,
    71.2,
    73.1,
    70.6,
    72.3,
    70.9,
    72.7,
    70.1,
]  # mean 71.5 and moving ranges of 0.7 to 2.7: fine enough for limits
ABOVE = [74, 73.5, 74.5, 74, 73.6, 74.2, 74]  # seven in a row above the new average
BELOW = [69, 69.5, 68.8, 69.2, 69.4, 68.9, 69.1]


def result_for(values, target, margin=2.0, measure=MEASURE, base=500, survey_base=None):
    """A MeasureResult for monthly values ending in September 2026, judged by the engine."""
    starts = cal.periods(
        cal.shift(date(2026, 9, 1), "month", 1 - len(values)), date(2026, 9, 1), "month"
    )
    series = pd.DataFrame(
        {
            "period_start": starts,
            "label": [cal.period_label(p, "month") for p in starts],
            "value": [float(v) for v in values],
            "base": float(base),
            "effective_base": float(survey_base or base),
            "suppressed": base < 10,
            "numerator": [v * base / 100 for v in values],
            "denominator": float(base),
            "target": float(target),
            "amber_margin": margin,
        }
    )
    series.loc[series["suppressed"], "value"] = float("nan")
    series["rag"] = [measures.rag(v, target, margin, measure.better) for v in series["value"]]
    filters = measures.Filters("month", starts[0], date(2026, 9, 30))
    latest = series.iloc[-1]
    previous = series.iloc[-2] if len(series) > 1 else None
    result = measures.MeasureResult(
        measure,
        filters,
        series,
        series,
        latest,
        measures.change(latest, previous, measure),
        measures.Change("not comparable"),
        measures.distance(latest, measure),
        "",
        10,
    )
    result.spc, result.coarse = measures.spc_frame(series, measure)
    result.variation, result.assurance = measures.spc.icons(result.spc, measure.better)
    return result


@pytest.mark.parametrize(
    ("values", "target", "expected"),
    [
        (
            STABLE + [72],
            70,
            "72.0% of calls were answered within 60 seconds in September 2026, above the target of "
            "70%; no significant change over time: every point within the expected range.",
        ),
        (
            STABLE + [72],
            75,
            "72.0% of calls were answered within 60 seconds in September 2026, below the target of "
            "75%; off target this month, but no significant change over time: no evidence of a "
            "decline.",
        ),
        (
            STABLE + [72],
            73,
            "72.0% of calls were answered within 60 seconds in September 2026, below the target of "
            "73%; near target this month, but no significant change over time: no evidence of a "
            "decline.",
        ),
        (
            STABLE + ABOVE,
            73,
            "74.0% of calls were answered within 60 seconds in September 2026, above the target of "
            "73%; this is a real improvement: seven points in a row above the average.",
        ),
        (
            STABLE + ABOVE,
            80,
            "74.0% of calls were answered within 60 seconds in September 2026, below the "
            "target of 80%; still off target, but this is a real improvement: seven points in a "
            "row above the average.",
        ),
        # the average of all 20 points is (929 + 483.9) / 20 = 70.6, so the last stable point
        # (70) is below it too: eight in a row
        (
            STABLE + BELOW,
            65,
            "69.1% of calls were answered within 60 seconds in September 2026, above the "
            "target of 65%; on target this month, but this is a real concern: eight points in a "
            "row below the average.",
        ),
        (
            STABLE + BELOW,
            72,
            "69.1% of calls were answered within 60 seconds in September 2026, below the target of "
            "72%; this is a real concern: eight points in a row below the average.",
        ),
        (
            [70, 71.5],
            70,  # too short for limits: plain direction of travel
            "71.5% of calls were answered within 60 seconds in September 2026, above the target of "
            "70%; better than August 2026 (70.0%).",
        ),
        (
            [70, 70.04],
            75,
            "70.0% of calls were answered within 60 seconds in September 2026, below the target of "
            "75%; the same as August 2026 (70.0%).",
        ),
    ],
)
def test_sentence(values, target, expected):
    assert sentences.summary(result_for(values, target)) == expected


def test_sentence_for_a_suppressed_figure():
    result = result_for([70, 71], 75, base=6)
    assert sentences.summary(result) == (
        "Too few cases to report calls answered within 60 "
        "seconds in September 2026 (fewer than 10)."
    )


def test_survey_sentence_uses_intervals_when_too_short_for_limits():
    survey = replace(MEASURE, survey=True, statement="{value} of residents were satisfied")
    # 60% then 64% on an effective base of 300: Newcombe's interval for the 4-point rise
    # includes zero, so it is not called a change
    result = result_for([60, 64], 60, measure=survey, base=400, survey_base=300)
    assert result.vs_previous.word == "no real change"
    assert sentences.summary(result) == (
        "64.0% of residents were satisfied in September 2026, "
        "above the target of 60%; no significant change from "
        "August 2026 (60.0%)."
    )


def test_lower_is_better_polarity():
    waits = replace(
        MEASURE,
        better="lower",
        unit="seconds",
        decimals=0,
        statement="Answered callers waited {value} on average",
    )
    result = result_for([40, 30], 60, measure=waits)
    assert sentences.summary(result) == (
        "Answered callers waited 30 seconds on average in "
        "September 2026, within the target of 60 seconds; "
        "better than August 2026 (40 seconds)."
    )
