"""Plain-English sentences about a measure, generated from the engine's judgement."""

from __future__ import annotations

import math

from . import calendar as cal
from . import fmt, frames, glossary, spc
from .suppression import hidden_text


def _figure(result) -> str:
    m = result.measure
    return fmt.value(result.latest["value"], m.unit, m.decimals)


def target_clause(result) -> str:
    """'above the target of 75%', 'within the target of 8%', or '' without a target."""
    latest, m = result.latest, result.measure
    if fmt.missing(latest["target"]):
        return ""
    target = fmt.value(latest["target"], m.unit, m.decimals if latest["target"] % 1 else 0)
    shown = round(float(latest["value"]), m.decimals)
    if shown == latest["target"]:
        return f"meeting the target of {target}"
    if m.better == "higher":
        return f"{'above' if shown > latest['target'] else 'below'} the target of {target}"
    return f"{'within' if shown < latest['target'] else 'above'} the target of {target}"


def change_clause(change, measure) -> str:
    """'better than August 2026 (76.0%)', or '' when not comparable."""
    if change.word not in glossary.CHANGE:
        return ""
    earlier = fmt.value(change.earlier, measure.unit, measure.decimals)
    return f"{glossary.CHANGE[change.word].lower()} {change.label} ({earlier})"


def has_limits(result) -> bool:
    """True when the SPC chart has process limits at the latest point (13 or more points)."""
    frame = result.held("spc")  # its columns: no frame needed to read the latest point
    if frame is None or result.latest is None or result.latest["suppressed"]:
        return False  # a figure not shown carries no verdict about earlier points
    at = spc.latest_at(frame)
    return at is not None and not math.isnan(frames.values(frame, "upper")[at])


def verdict(result) -> str:
    """Whether the change is real: SPC where there are limits, survey intervals otherwise.

    Where RAG and SPC disagree it says so plainly: off target with no significant change
    over time is not evidence of a decline; green but a real deterioration is a warning."""
    m, rag = result.measure, result.rag
    if not has_limits(result):
        return change_clause(result.vs_previous, m)
    signal = result.variation.split("_")[0]
    reason = spc.explain(result.held("spc"), m.better)
    when = f"this {result.filters.grain}" if result.is_current else f"in {fmt_period(result)}"
    if signal == "common" and rag in ("red", "amber"):
        return (
            f"{glossary.STATUS[rag].lower()} {when}, but "
            f"{glossary.NO_SIGNIFICANT_CHANGE.lower()} over time: no evidence of a decline"
        )
    if signal == "improvement" and rag == "red":
        return f"still off target, but {reason}"
    if signal == "concern" and rag == "green":
        return f"on target {when}, but {reason}"
    return reason


def summary(result) -> str:
    """One sentence: the figure, how it stands against target, and whether it really moved."""
    m, latest = result.measure, result.latest
    period = fmt_period(result)
    if latest is None:
        return f"No data for {m.title.lower()} in the periods chosen."
    if latest["suppressed"] and hidden_text(latest, result.min_base) == "not shown":
        return (
            f"{m.title} is not shown for {period} with these filters: with it, a figure "
            f"on fewer than {result.min_base} cases could be worked out from the others "
            "published."
        )
    if latest["suppressed"]:
        return (
            f"Too few cases to report {m.title.lower()} in {period} (fewer than {result.min_base})."
        )
    text = m.statement.replace("{value}", fmt.bare(latest["value"], m.unit, m.decimals))
    text = f"{text} in {period}"
    target = target_clause(result)
    if target:
        text += f", {target}"
    judgement = verdict(result)
    if judgement:
        text += f"; {judgement}"
    return text[0].upper() + text[1:] + "."


def headline(result) -> str:
    """A chart title that states the finding: 'Calls answered within 60 seconds: 81.6% in
    September 2026, above the 80% target'."""
    m, latest = result.measure, result.latest
    if latest is None or latest["suppressed"]:
        return m.title
    text = f"{m.title}: {fmt.value(latest['value'], m.unit, m.decimals)} in {latest['label']}"
    clause = target_clause(result)
    return f"{text}, {clause}" if clause else text


def fmt_period(result) -> str:
    """The reporting period in words ('September 2026', 'Q2 2026/27')."""
    return result.latest["label"] if result.latest is not None else "the period"


def notes(result) -> list[str]:
    """Caveats a reader should see beside the figure (small base, filters not applied)."""
    out, m, latest = [], result.measure, result.latest
    if latest is not None and not result.is_current:
        chosen = cal.period_label(result.filters.report_start, result.filters.grain)
        out.append(
            f"No figure for {chosen}: the last available is {latest['label']}'s, "
            "rated against that period's target."
        )
    if result.provisional_until:
        out.append(
            f"Provisional: {latest['label']} is not complete until "
            f"{fmt.long_date(result.provisional_until)} ({m.lag_days} days after it "
            "ends), and the figure may rise until then."
        )
    if latest is not None and not latest["suppressed"] and 0 < latest["base"] < 30:
        unit = "answers" if m.survey or m.source == "satisfaction" else "cases"
        out.append(f"Small base: {int(latest['base'])} {unit}; treat with caution.")
    if "service" in result.ignored_filters:
        out.append("Council-wide figure: not split by service.")
    if "channel" in result.ignored_filters:
        out.append("Not split by channel: the figure covers every channel.")
    return out
