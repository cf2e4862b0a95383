"""The data tables beside the charts: the rows behind a trend or SPC chart, the same on
screen, in the CSV download and in the committee pack, and the words the chart may say."""

from __future__ import annotations

import pandas as pd

from . import fmt, glossary
from .measures import RAG_WORDS, MeasureResult
from .sentences import has_limits
from .suppression import hidden_text


def value_column(result: MeasureResult) -> str:
    """The header of a measure's figures in its tables: its title and unit."""
    return fmt.with_unit(result.measure.title, result.measure.unit)


def trend_table(result: MeasureResult) -> pd.DataFrame:
    """The rows behind a trend chart as tidy data: the figure (with its unit in the header),
    base, target and status by period; a figure not shown has no base, no status and a
    flag saying why; a lagging measure's recent periods are flagged provisional."""
    m, s = result.measure, result.series
    hidden = s["suppressed"].astype(bool)
    out = pd.DataFrame(
        {
            "Period": s["label"],
            "Period start": [p.isoformat() for p in s["period_start"]],
            value_column(result): _figures(result),
            "Base": s["base"].astype(int).astype("Int64").mask(hidden),
            fmt.with_unit("Target", m.unit): s["target"],
            "Status": ["" if h else RAG_WORDS[r] for h, r in zip(hidden, s["rag"])],
            "Suppressed": hidden,
            "Suppressed because": [
                hidden_text({"suppressed_by": by}, result.min_base) if h else ""
                for h, by in zip(hidden, _column(s, "suppressed_by"))
            ],
        }
    )
    if m.lag_days:
        out["Provisional"] = [result.complete_on(p) is not None for p in s["period_start"]]
    return out


def _figures(result: MeasureResult):
    """A measure's figure for each period, rounded as its tables show it (None if none): a
    whole number where it has no decimals (7, not 7.0, in a download too)."""
    decimals = result.measure.decimals
    if not decimals:
        whole = [None if fmt.missing(v) else int(round(v)) for v in result.series["value"]]
        return pd.array(whole, dtype="Int64")
    return [None if fmt.missing(v) else round(v, decimals) for v in result.series["value"]]


def figures_by_period(results: list[MeasureResult], headers=None) -> pd.DataFrame:
    """Several measures' figures side by side by period, as each one's trend table gives
    them (a period one of them lacks is blank for it), headed by `headers` or each one's
    title and unit."""
    parts = [
        pd.DataFrame({header: _figures(r)}, index=pd.Index(r.series["label"], name="Period"))
        for r, header in zip(results, headers or [value_column(r) for r in results])
    ]
    return pd.concat(parts, axis=1).reset_index()


def _column(frame: pd.DataFrame, name: str):
    """A column's values, or None for each row where the frame has no such column."""
    return frame[name] if name in frame else [None] * len(frame)


def spc_words(result: MeasureResult) -> str:
    """What the trend chart can say: the SPC verdict, or why it gives none."""
    if result.coarse:
        return (
            f"Too few distinct values for a process chart ({result.coarse}): shown as a "
            "run chart, with no verdict on special causes"
        )
    if has_limits(result):
        return glossary.variation(result.variation)
    return glossary.TOO_FEW_POINTS


def spc_table(result: MeasureResult) -> pd.DataFrame:
    """The rows behind the SPC chart: figure, base, interval, target, RAG, limits, signal."""
    m, s, frame = result.measure, result.series, result.spc
    table = trend_table(result)
    if m.survey:
        table["95% interval"] = [
            "" if fmt.missing(lo) else f"{lo:.1f} to {hi:.1f}"
            for lo, hi in zip(s["low"], s["high"])
        ]
    if frame is not None:
        table["Average"] = frame["centre"].round(m.decimals)
        table["Lower limit"] = frame["lower"].round(m.decimals)
        table["Upper limit"] = frame["upper"].round(m.decimals)
        limits = has_limits(result)
        # a period whose figure is not shown (or with none) carries no verdict: no point
        table["Variation"] = [
            glossary.POINTS[g] if limits and not fmt.missing(v) else ""
            for g, v in zip(frame["signal"], frame["value"])
        ]
    return table
