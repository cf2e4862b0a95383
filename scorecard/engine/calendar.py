"""UK public-sector calendar: financial years, quarters and England and Wales working days.

Financial years run 1 April to 31 March ("2026/27"); Q1 is April to June. Working days are
Monday to Friday less England and Wales bank holidays, taken from the `holidays` package
(subdivision ENG) rather than typed-in dates, so new years and one-off holidays (a coronation,
a state funeral) arrive with a package update.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

import holidays
import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 1990, 2100  # the same span the loader accepts for dates
GRAINS = ("month", "quarter", "year")
GRAIN_WORDS = {"month": "Month", "quarter": "Quarter", "year": "Financial year"}


@lru_cache(maxsize=1)
def bank_holidays() -> dict[date, str]:
    """England and Wales bank holidays for the years the calendar covers."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=years).items())


@lru_cache(maxsize=1)
def holiday_array() -> np.ndarray:
    """The bank holidays as numpy days."""
    return np.array(sorted(bank_holidays()), dtype="datetime64[D]")


@lru_cache(maxsize=1)
def workdays() -> np.busdaycalendar:
    """Monday to Friday less England and Wales bank holidays, for numpy's day arithmetic."""
    return np.busdaycalendar(holidays=holiday_array())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays()


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (the day of receipt is day 0)."""
    if end < start:
        return -working_days_between(end, start)
    first = np.datetime64(start + timedelta(days=1), "D")
    last = np.datetime64(end + timedelta(days=1), "D")
    return int(np.busday_count(first, last, busdaycal=workdays()))


def add_working_days(start, n):
    """The day `n` working days after `start` (n = 0 gives `start`): a start on a non-working
    day counts from the working day before it, as the SQL calendar's `wd_index` does. `start`
    and `n` may be a date and a number or numpy arrays of days (NaT stays NaT)."""
    one = isinstance(start, date)
    days = np.asarray(np.datetime64(start, "D") if one else start, dtype="datetime64[D]")
    later = np.busday_offset(days, n, roll="backward", busdaycal=workdays())
    out = np.where(np.asarray(n) == 0, days, later)
    return out[()].astype(date) if one else out


def grace_until(deadline: np.ndarray) -> np.ndarray:
    """The last calendar day still counting as each deadline's working day: a Friday
    deadline is met on the Saturday or Sunday (no working day has passed since it)."""
    deadline = np.asarray(deadline, dtype="datetime64[D]")
    after = np.busday_offset(
        deadline + np.timedelta64(1, "D"), 0, roll="forward", busdaycal=workdays()
    )
    return after - np.timedelta64(1, "D")


def fy_start(day: date) -> date:
    """1 April of the financial year containing `day`."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def fy_label(day: date) -> str:
    """Financial year label, e.g. 2026/27."""
    start = fy_start(day).year
    return f"{start}/{(start + 1) % 100:02d}"


def quarter_label(day: date) -> str:
    """Financial quarter label, e.g. Q2 2026/27 (Q1 = April to June)."""
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"Q{quarter} {fy_label(day)}"


def period_start(day: date, grain: str) -> date:
    """First day of the month, financial quarter or financial year containing `day`."""
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if grain == "year":
        return fy_start(day)
    raise ValueError(f"Unknown grain {grain!r}; expected one of {', '.join(GRAINS)}")


def period_end(start: date, grain: str) -> date:
    """Last day of the period starting on `start`."""
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def shift(start: date, grain: str, steps: int) -> date:
    """The period `steps` periods after (or, negative, before) the one starting on `start`."""
    months = {"month": 1, "quarter": 3, "year": 12}[grain] * steps
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


@lru_cache(maxsize=4096)  # a few hundred periods, labelled for every measure
def period_label(start: date, grain: str) -> str:
    """Plain label for a period: September 2026, Q2 2026/27 or 2026/27."""
    if grain == "month":
        return f"{start:%B %Y}"
    return quarter_label(start) if grain == "quarter" else fy_label(start)


def parse_label(label: str) -> date | None:
    """The start of the period a label names ('September 2026', 'Q2 2026/27', '2026/27')."""
    text = (label or "").strip()
    try:
        if text.startswith("Q") and " " in text:
            quarter, year = text[1:].split(" ", 1)
            start = fy_start(date(int(year[:4]), 4, 1))
            return shift(start, "quarter", int(quarter) - 1)
        if "/" in text:
            return date(int(text[:4]), 4, 1)
        return datetime.strptime(text, "%B %Y").date()
    except ValueError:
        return None


def periods(first: date, last: date, grain: str) -> list[date]:
    """Starts of every period from the one containing `first` to the one containing `last`."""
    return list(_periods(period_start(first, grain), last, grain))


class Span(NamedTuple):
    """Every period of a range, in the forms a series is built from (shared: read-only)."""

    starts: tuple[date, ...]
    objects: np.ndarray  # the starts as Python dates
    days: np.ndarray  # the starts as numpy days (for searching)
    labels: np.ndarray  # `period_label` of each, as objects
    index: dict  # each start's place


def span(first: date, last: date, grain: str) -> Span:
    """`periods` with their labels and as arrays, made once per range (every measure of a
    page asks for the same range on every filter change)."""
    return _span(_periods(period_start(first, grain), last, grain), grain)


@lru_cache(maxsize=256)
def _span(starts: tuple[date, ...], grain: str) -> Span:
    arrays = (
        np.array(starts, dtype=object),
        np.array(starts, dtype="datetime64[D]"),
        np.array([period_label(p, grain) for p in starts], dtype=object),
    )
    for array in arrays:
        array.flags.writeable = False
    return Span(starts, *arrays, {start: i for i, start in enumerate(starts)})


@lru_cache(maxsize=256)
def days(periods: tuple[date, ...]) -> np.ndarray:
    """Period starts as numpy days (read-only), converted once per set of periods."""
    out = np.array(periods, dtype="datetime64[D]")
    out.flags.writeable = False
    return out


@lru_cache(maxsize=1024)  # the same few ranges, asked for by every measure
def _periods(current: date, last: date, grain: str) -> tuple[date, ...]:
    out = []
    while current <= last:
        out.append(current)
        current = shift(current, grain, 1)
    return tuple(out)


def calendar_frame(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
    """One row per day with working-day flags and period starts, for the `calendar` table.

    `wd_index` counts working days up to and including the date, so the working days after
    day A up to and including day B are `wd_index(B) - wd_index(A)` in SQL.
    """
    days = pd.date_range(f"{first}-01-01", f"{last}-12-31", freq="D")
    hol = bank_holidays()
    frame = pd.DataFrame({"date": days.date})
    frame["is_working_day"] = np.is_busday(
        days.values.astype("datetime64[D]"), busdaycal=workdays()
    )
    frame["wd_index"] = frame["is_working_day"].cumsum().astype("int32")
    frame["grace_until"] = grace_until(days.values).astype(object)
    frame["bank_holiday"] = frame["date"].map(hol)
    frame["fy_start"] = [fy_start(d) for d in frame["date"]]
    frame["fy_label"] = [fy_label(d) for d in frame["date"]]
    frame["quarter_label"] = [quarter_label(d) for d in frame["date"]]
    return frame
