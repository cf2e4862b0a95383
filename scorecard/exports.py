"""Exports: CSV that is safe to open in a spreadsheet, and the chart toolbar's PNG settings."""

from __future__ import annotations

import io

import pandas as pd

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (CSV injection); tab and carriage return can smuggle one in after a separator.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would treat as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text with formula-like text cells (and headers) neutralised; numbers,
    negative ones included, are left as numbers."""
    out = frame.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return buffer.getvalue()


def plotly_config(name: str) -> dict:
    """Chart toolbar: download a PNG at twice the screen size, named for the chart."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
