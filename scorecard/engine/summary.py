"""The scorecard as one table, a row per measure: figure, target, status, whether it is
really changing, and whether commentary is there or still needed. The overview's table view
and the committee pack's scorecard both use it, so they always agree.
"""

from __future__ import annotations

import pandas as pd

from . import fmt, glossary, sentences
from .measures import RAG_WORDS, MeasureResult
from .suppression import hidden_text

LAST_AVAILABLE = "last available"


def counted(r: MeasureResult) -> bool:
    """True when a measure counts in the status tally: it has a figure for the reporting
    period itself (an earlier period's figure is shown as the last available, apart)."""
    return r.has_figure and r.is_current


def tally(results: list[MeasureResult]) -> dict[str, int]:
    """How many measures are on, near or off target, or not rated, this period."""
    return {rag: sum(counted(r) and r.rag == rag for r in results) for rag in RAG_WORDS}


def standing(r: MeasureResult) -> str:
    """The status word: on, near or off target, not rated; or why there is no figure. A
    figure from an earlier period is rated against that period's target and says so."""
    if r.absent:
        return r.absent.split(":")[0]
    if r.latest is None:
        return "No data"
    return RAG_WORDS[r.rag] + ("" if r.is_current else f" ({LAST_AVAILABLE})")


def absent_groups(results: list[MeasureResult]) -> dict[str, list[str]]:
    """Measure titles the data cannot give, grouped by the reason."""
    groups: dict[str, list[str]] = {}
    for r in results:
        if r.absent:
            groups.setdefault(r.absent, []).append(r.measure.title)
    return groups


def without_figures(results: list[MeasureResult]) -> str:
    """'Not counted in these totals, as there is no figure for this period: 6 measures not
    supplied or not measured, 3 shown with the last available figure, 1 with no data.'"""
    absent = sum(1 for r in results if r.absent)
    earlier = sum(1 for r in results if r.has_figure and not r.is_current)
    no_data = sum(1 for r in results if not r.absent and r.latest is None)
    parts = [
        f"{n} measure{'s' if n > 1 else ''} {words}"
        for n, words in (
            (absent, "not supplied or not measured (listed with the cards)"),
            (earlier, "shown with the last available figure"),
            (no_data, "with no data for the periods chosen"),
        )
        if n
    ]
    if not parts:
        return ""
    return (
        "Not counted in these totals, as there is no figure for this period: "
        f"{', '.join(parts[:-1]) + ' and ' if len(parts) > 1 else ''}{parts[-1]}."
    )


def figure(r: MeasureResult) -> str:
    """The latest figure in words ("fewer than 10" when suppressed), with its period when it
    is not the reporting period (survey waves, returns); the status beside it says it is the
    last available."""
    if r.absent:
        return r.absent.split(":")[0].lower()
    if r.latest is None:
        return "no data"
    if r.latest["suppressed"]:
        return hidden_text(r.latest, r.min_base)
    label = "" if r.is_current else f" ({r.latest['label']})"  # status says last available
    return fmt.value(r.latest["value"], r.measure.unit, r.measure.decimals) + label


def target(r: MeasureResult) -> str:
    """The target for the latest figure, or "none"."""
    if r.latest is None or fmt.missing(r.latest["target"]):
        return "none"
    shown = fmt.value(
        r.latest["target"], r.measure.unit, 0 if r.latest["target"] % 1 == 0 else r.measure.decimals
    )
    return f"{shown} (default)" if r.default_target else shown


def variation(r: MeasureResult) -> str:
    """Whether the figure is really changing: the SPC verdict where there are process
    limits, otherwise the direction-of-travel word against the previous period."""
    if not r.has_figure or r.latest["suppressed"]:
        return ""  # no verdict about earlier points beside a figure that is not shown
    if not sentences.has_limits(r):
        word = glossary.CHANGE_SHORT.get(r.vs_previous.word, "Not comparable")
        return f"{word} ({glossary.RUN_CHART.lower()})" if r.coarse else word
    return glossary.variation(r.variation)


def commentary_word(notes, r: MeasureResult) -> str:
    """ "yes" when there is commentary, "draft" when there is only a draft (which measures
    still need it is for their owners, listed apart, never in the committee's papers)."""
    note = notes.for_result(r)
    return "" if note is None else "yes" if note["status"] == "approved" else "draft"


ATTENTION = {
    "red": "Off target",
    "amber": "Near target",
    "concern": "On target, but getting worse over time",
}


def attention_reason(r: MeasureResult) -> str:
    """Why a measure needs attention this period ('red', 'amber', 'concern'), or ''. Only
    figures for the reporting period that are shown count, as in the status tally."""
    if not counted(r) or r.latest["suppressed"]:
        return ""
    if r.rag in ("red", "amber"):
        return r.rag
    concern = sentences.has_limits(r) and glossary.signal(r.variation) == "concern"
    return "concern" if concern else ""


def attention(results: list[MeasureResult]) -> list[MeasureResult]:
    """The measures that need attention, off target first, then near, then getting worse."""
    order = list(ATTENTION)
    flagged = [r for r in results if attention_reason(r)]
    return sorted(flagged, key=lambda r: order.index(attention_reason(r)))


def attention_words(r: MeasureResult) -> str:
    """'71.2% (target at least 80%); no significant change over time': which way is better
    is in the words, so 20.3% against 17% reads as too high."""
    goal = target(r).replace(" (default)", "")
    kind = "default target" if r.default_target else "target"
    side = "at least" if r.measure.better == "higher" else "at most"
    words = f"{figure(r)} ({kind} {side} {goal})" if goal != "none" else figure(r)
    if sentences.has_limits(r):
        return f"{words}; {glossary.variation(r.variation).lower()} over time"
    change = sentences.change_clause(r.vs_previous, r.measure)
    return f"{words}; {change}" if change else words


def not_split_by(r: MeasureResult) -> str:
    """The filters on that a measure cannot follow: 'service', 'service and channel'."""
    return " and ".join(r.ignored_filters)


def table(notes, sections, revised: dict | None = None) -> pd.DataFrame:
    """A row per measure in strategy order. `sections` pairs each pillar's title with its
    measures' results; `revised` maps measure id to its revision since reported. "Not split
    by" names the filters a figure ignores (shown only while a filter is on)."""
    frame = pd.DataFrame(
        [
            {
                "Pillar": title,
                "Measure": r.measure.title,
                "Figure": figure(r),
                "Not split by": not_split_by(r),
                "Target": target(r),
                "Status": standing(r),
                "Change": variation(r),
                "Commentary": commentary_word(notes, r),
                "Revised since reported": (revised or {}).get(r.measure.id, ""),
                "measure_id": r.measure.id,
                "rag": r.rag,
            }
            for title, rs in sections
            for r in rs
        ],
        columns=[
            "Pillar",
            "Measure",
            "Figure",
            "Not split by",
            "Target",
            "Status",
            "Change",
            "Commentary",
            "Revised since reported",
            "measure_id",
            "rag",
        ],
    )
    if not revised:
        frame = frame.drop(columns="Revised since reported")
    if not frame["Not split by"].any():
        frame = frame.drop(columns="Not split by")
    return frame


def tidy(sections) -> pd.DataFrame:
    """The scorecard as tidy data for an analyst: a row per measure with the figure as a
    number and its unit, base, target, status, and flags for a suppressed, last available
    or provisional figure and the filters it is not split by. A figure not shown is blank,
    and so is its base."""
    rows = []
    for title, rs in sections:
        for r in rs:
            m, latest = r.measure, r.latest
            shown = latest is not None and not latest["suppressed"]
            has_target = latest is not None and not fmt.missing(latest["target"])
            rows.append(
                {
                    "Pillar": title,
                    "Measure": m.title,
                    "Measure id": m.id,
                    "Figure period": "" if latest is None else latest["label"],
                    "Value": round(float(latest["value"]), m.decimals) if shown else None,
                    "Unit": fmt.UNIT_HEADERS[m.unit],
                    "Base": int(latest["base"]) if shown else None,
                    "Target": float(latest["target"]) if has_target else None,
                    "Default target": r.default_target,
                    "Status": standing(r),
                    "Change": variation(r),
                    "Last available": r.has_figure and not r.is_current,
                    "Suppressed": bool(latest is not None and latest["suppressed"]),
                    "Suppressed because": hidden_text(latest, r.min_base)
                    if latest is not None and latest["suppressed"]
                    else "",
                    "Provisional": r.provisional_until is not None,
                    "Not split by": not_split_by(r),
                    "Why no figure": r.absent,
                }
            )
    frame = pd.DataFrame(rows)
    return frame.astype({"Base": "Int64"}) if len(frame) else frame
