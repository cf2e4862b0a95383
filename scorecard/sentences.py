"""Plain-English sentences about a measure, generated from the engine's judgement."""

from __future__ import annotations

from . import fmt

CHANGE_PHRASES = {"better": "better than", "worse": "worse than", "no change": "the same as",
                  "no real change": "no real change from"}


def _figure(result) -> str:
    m = result.measure
    return fmt.value(result.latest["value"], m.unit, m.decimals)


def target_clause(result) -> str:
    """'above the 75% target', 'within the 8% target', or '' without a target."""
    latest, m = result.latest, result.measure
    if fmt.missing(latest["target"]):
        return ""
    target = fmt.value(latest["target"], m.unit, m.decimals if latest["target"] % 1 else 0)
    shown = round(float(latest["value"]), m.decimals)
    if shown == latest["target"]:
        return f"meeting the {target} target"
    if m.better == "higher":
        return f"{'above' if shown > latest['target'] else 'below'} the {target} target"
    return f"{'within' if shown < latest['target'] else 'above'} the {target} target"


def change_clause(change, measure) -> str:
    """'better than August 2026 (76.0%)', or '' when not comparable."""
    if change.word not in CHANGE_PHRASES:
        return ""
    earlier = fmt.value(change.earlier, measure.unit, measure.decimals)
    return f"{CHANGE_PHRASES[change.word]} {change.label} ({earlier})"


def summary(result) -> str:
    """One sentence: the figure, how it stands against target, and how it has moved."""
    m, latest = result.measure, result.latest
    period = fmt_period(result)
    if latest is None:
        return f"No data for {m.title.lower()} in the periods chosen."
    if latest["suppressed"]:
        return (f"Too few cases to report {m.title.lower()} in {period} "
                f"(fewer than {result.min_base}).")
    text = m.statement.replace("{value}", fmt.bare(latest["value"], m.unit, m.decimals))
    text = f"{text} in {period}"
    clauses = [c for c in (target_clause(result), change_clause(result.vs_previous, m)) if c]
    if clauses:
        text += ", " + "; ".join(clauses)
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
        out.append(f"Latest figure available: {latest['label']}.")
    if latest is not None and not latest["suppressed"] and 0 < latest["base"] < 30:
        out.append(f"Small base: {int(latest['base'])} cases; treat with caution.")
    if result.filters.services and "service" not in m.dimensions:
        out.append("Council-wide figure: not split by service.")
    if result.filters.channels and "channel" not in m.dimensions:
        out.append("Not split by channel.")
    return out
