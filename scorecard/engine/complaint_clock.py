"""The Complaint Handling Code's clocks in Python, beside the calendar they count with.

`clocks()` is the checkable twin of the SQL view `complaints_v` (queries/sources/
35_complaints.sql): working days exclude weekends and England and Wales bank holidays, and
the day a complaint is received is day 0. Acknowledge within 5 working days of receipt (each
stage); respond within 10 (stage 1) or 20 (stage 2) working days of acknowledgement, counted
from the acknowledgement deadline when a complaint was never acknowledged; an extension may
add up to 10 (stage 1) or 20 (stage 2) more, and a longer one only counts up to that limit.

Where the SQL leaves a flag NULL, `clocks()` says what is known at `as_of`: an open complaint
past a deadline is late (False) against it; open and not yet due is pending (None); a
complaint never acknowledged is late (False) once its 5 days have passed, pending before.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from .calendar import add_working_days, grace_until

ACK_DAYS = 5
RESPONSE_DAYS = {1: 10, 2: 20}  # and an extension may add the same again
DATE_COLUMNS = ("received_on", "acknowledged_on", "extended_to", "responded_on")


def _day(value) -> np.datetime64:
    """One cell as a day: dates, datetimes, Timestamps or ISO strings; blanks are NaT."""
    if isinstance(value, str):
        text = value.strip()
        return np.datetime64(date.fromisoformat(text[:10]) if text else "NaT", "D")
    if pd.isna(value):
        return np.datetime64("NaT", "D")
    if isinstance(value, datetime):
        value = value.date()
    return np.datetime64(value, "D")


def _days(column: pd.Series) -> np.ndarray:
    """A column as datetime64[D] (NaT for blanks)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.to_numpy().astype("datetime64[D]")
    return np.array([_day(v) for v in column], dtype="datetime64[D]")


def _flag(done: np.ndarray, met: np.ndarray, passed: np.ndarray) -> list:
    """True/False once decided (done: met or not; not done: late once passed), else None."""
    return [bool(m) if d else (False if p else None) for d, m, p in zip(done, met, passed)]


def _as_dates(values: np.ndarray) -> list:
    return [None if np.isnat(v) else v.astype(date) for v in values]


def _as_of(days: dict[str, np.ndarray], as_of) -> np.datetime64:
    """The given day, else the latest activity date in the frame (receipt, acknowledgement or
    response; an extension is a deadline, not activity)."""
    if as_of is not None:
        return _day(as_of)
    seen = np.concatenate([days[c] for c in ("received_on", "acknowledged_on", "responded_on")])
    seen = seen[~np.isnat(seen)]
    return seen.max() if len(seen) else np.datetime64("NaT", "D")


def _deadlines(days: dict[str, np.ndarray], stage: np.ndarray) -> dict[str, np.ndarray]:
    """Acknowledgement, response, permitted and extended deadlines for every row."""
    response = np.array([RESPONSE_DAYS[int(s)] for s in stage])
    ack_due = add_working_days(days["received_on"], ACK_DAYS)
    start = np.where(np.isnat(days["acknowledged_on"]), ack_due, days["acknowledged_on"])
    due = add_working_days(start, response)
    permitted = add_working_days(start, 2 * response)
    extended = np.where(np.isnat(days["extended_to"]), due, days["extended_to"])
    extended = np.maximum(due, np.minimum(extended, permitted))
    return {
        "ack_due_on": ack_due,
        "due_on": due,
        "permitted_due_on": permitted,
        "extended_due_on": extended,
    }


def clocks(frame: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """The rows with their Code clocks: deadlines as dates, flags True, False or None
    (pending), judged at `as_of` (default: the latest date in the frame)."""
    bad = set(pd.Series(frame["stage"]).astype(int)) - set(RESPONSE_DAYS)
    if bad:
        raise ValueError(f"Unknown complaint stage(s) {sorted(bad)}; expected 1 or 2")
    days = {c: _days(frame[c]) for c in DATE_COLUMNS}
    now = _as_of(days, as_of)
    d = _deadlines(days, frame["stage"].to_numpy())
    acked, answered = ~np.isnat(days["acknowledged_on"]), ~np.isnat(days["responded_on"])
    out = frame.copy()
    for name, values in d.items():
        out[name] = pd.Series(_as_dates(values), index=frame.index, dtype=object)
    by = {name: grace_until(d[name]) for name in ("ack_due_on", "due_on", "extended_due_on")}
    flags = {
        "extension_beyond_code": [bool(x) for x in days["extended_to"] > d["permitted_due_on"]],
        # every deadline is judged the same way, as complaints_v does: in time when no
        # working day has passed since it
        "ack_within_5": _flag(
            acked, days["acknowledged_on"] <= by["ack_due_on"], now > by["ack_due_on"]
        ),
        "on_time": _flag(answered, days["responded_on"] <= by["due_on"], now > by["due_on"]),
        "on_time_with_extension": _flag(
            answered, days["responded_on"] <= by["extended_due_on"], now > by["extended_due_on"]
        ),
        "is_open": [bool(x) for x in ~answered],
        "overdue": [bool(x) for x in ~answered & (now > by["extended_due_on"])],
    }
    for name, values in flags.items():
        out[name] = pd.Series(values, index=frame.index, dtype=object)
    return out
