"""British English formatting for figures, dates and gaps: "30 September 2026", "78.2%"."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

import pandas as pd

UNIT_WORDS = {
    "seconds": ("second", "seconds"),
    "minutes": ("minute", "minutes"),
    "working_days": ("working day", "working days"),
}
GAP_WORDS = {
    "percent": ("percentage point", "percentage points"),
    "per_1000": ("per 1,000", "per 1,000"),
    "count": ("", ""),
}
UNIT_HEADERS = {
    "percent": "%",
    "per_1000": "per 1,000",
    "seconds": "seconds",
    "minutes": "minutes",
    "working_days": "working days",
    "count": "number",
}


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


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st (a rank among services or councils)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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


def plain(value, longest: int | None = None) -> str:
    """Text shown as typed in Streamlit Markdown (officers' words, a signed-in name, a value
    from a link): one line, no control characters, cut to `longest` characters if given, and
    nothing in it that Markdown or Streamlit would turn into a link, an image, an icon or
    formatting."""
    value = str(value)
    kinds = [unicodedata.category(c) for c in value]  # Cc: newlines, tabs; Cf: bidi marks
    text = "".join(
        " " if k in ("Cc", "Zl", "Zp") else c
        for c, k in zip(value, kinds)
        if k[0] != "C" or k == "Cc"
    )
    text = " ".join(text.split())
    if longest and len(text) > longest:
        text = text[: longest - 1].rstrip() + "…"
    return _MARKUP.sub(r"\\\1", _BREAKS.sub(JOINER + r"\1", text))


# Markdown (and Streamlit's :red[directives] and $maths$) needs these to act: escaped
_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:$~=^&@])")
# but an escape does not stop Streamlit's :material/icons: nor GFM's bare www., http:// and
# a@b.c links (found after escapes are read), so an invisible word joiner goes before these
_BREAKS, JOINER = re.compile(r"([.:@])"), "\u2060"


def listing(intro: str, parts) -> str:
    """'Intro: a; b; c.' (a chart's alt text and other lists in a sentence)."""
    return f"{intro}: " + "; ".join(parts) + "."
