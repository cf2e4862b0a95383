"""Commentary and corrective action beside a measure, from the optional commentary extract.

A commentary row belongs to a measure, the first day of the month it is about, and a service
(blank = council-wide). A figure shows the latest commentary dated within its period, for
its service when exactly one is chosen, else council-wide.
"""

from __future__ import annotations

import pandas as pd

from . import calendar as cal


def for_result(database, result) -> dict | None:
    """The commentary that explains this figure, or None."""
    if result.latest is None:
        return None
    rows = database.query("tables/commentary")
    rows = rows[rows["measure"] == result.measure.id]
    service = result.filters.single_service
    rows = rows[rows["service"] == service] if service else rows[rows["service"].isna()]
    start = result.latest["period_start"]
    end = cal.period_end(start, result.filters.grain)
    periods = pd.to_datetime(rows["period"]).dt.date
    rows = rows[(periods >= start) & (periods <= end)]
    if rows.empty:
        return None
    row = rows.iloc[-1]
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


def needs_commentary(result, note: dict | None) -> bool:
    """Red or amber for the reporting period with nothing said about it."""
    return result.is_current and result.rag in ("red", "amber") and note is None
