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
    notes = database.memo(("commentary by measure and service",), lambda: _by_measure(
        database.query("tables/commentary")))
    start = result.latest["period_start"]
    end = cal.period_end(start, result.filters.grain)
    found = [note for period, note in notes.get((result.measure.id,
                                                 result.filters.single_service), [])
             if start <= period <= end]
    return dict(found[-1]) if found else None


def _by_measure(rows: pd.DataFrame) -> dict:
    """(measure, service or None) -> [(first day of the month, note)], in the table's order."""
    out: dict = {}
    for row in rows.to_dict("records"):
        note = {k: (None if pd.isna(v) else v) for k, v in row.items()}
        key = (note["measure"], note["service"])
        out.setdefault(key, []).append((pd.Timestamp(note["period"]).date(), note))
    return out


def needs_commentary(result, note: dict | None) -> bool:
    """Red or amber for the reporting period with nothing said about it."""
    return result.is_current and result.rag in ("red", "amber") and note is None
