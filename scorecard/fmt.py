"""British English formatting for figures, dates and gaps: "30 September 2026", "78.2%"."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

UNIT_WORDS = {"seconds": ("second", "seconds"), "minutes": ("minute", "minutes"),
              "working_days": ("working day", "working days")}
GAP_WORDS = {"percent": ("percentage point", "percentage points"),
             "per_1000": ("per 1,000", "per 1,000"), "count": ("", "")}
UNIT_HEADERS = {"percent": "%", "per_1000": "per 1,000", "seconds": "seconds",
                "minutes": "minutes", "working_days": "working days", "count": "number"}


def with_unit(header: str, unit: str) -> str:
    """A column header that carries its unit: 'Calls answered within 60 seconds (%)'."""
    return f"{header} ({UNIT_HEADERS[unit]})"


def missing(value) -> bool:
    """True for None, NaN, NaT and NA (a blank cell, however it reached us)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def long_date(day: date) -> str:
    """30 September 2026."""
    return f"{day.day} {day:%B %Y}"


def number(value: float, decimals: int = 0) -> str:
    """1,250 or 12.5, with thousands separators."""
    return f"{value:,.{decimals}f}"


def plural(value: float, words: tuple[str, str], decimals: int) -> str:
    text = number(value, decimals)
    return f"{text} {words[0] if text == '1' else words[1]}"


def value(v: float | None, unit: str, decimals: int = 1) -> str:
    """A measure's value in its unit: 78.2%, 52 seconds, 6.0 working days, 18.2 per 1,000."""
    if missing(v):
        return "no data"
    if unit == "percent":
        return f"{number(v, decimals)}%"
    if unit == "per_1000":
        return f"{number(v, decimals)} per 1,000"
    if unit in UNIT_WORDS:
        return plural(v, UNIT_WORDS[unit], decimals)
    return number(v, decimals)


def bare(v: float | None, unit: str, decimals: int = 1) -> str:
    """The value without unit words where the statement supplies them (per 1,000)."""
    if unit == "per_1000" and not missing(v):
        return number(v, decimals)
    return value(v, unit, decimals)


def gap(diff: float, unit: str, decimals: int = 1) -> str:
    """A difference in the unit: 4.2 percentage points, 12 seconds."""
    size = abs(diff)
    words = GAP_WORDS.get(unit) or UNIT_WORDS.get(unit, ("", ""))
    return plural(size, words, decimals).strip() if words[0] else number(size, decimals)


def plain(text) -> str:
    """Text shown as typed in Streamlit Markdown: no Markdown, LaTeX, HTML or directives from
    its characters (officers' words, a signed-in name, a value from a link)."""
    return "".join("\\" + c if c in "\\`*_[]{}<>#$:|~" else c for c in str(text))
