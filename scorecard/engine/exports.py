"""Exports: CSV that is safe to open in a spreadsheet, and the chart toolbar's PNG settings."""

from __future__ import annotations

import csv
import io

import pandas as pd

from ..contracts import CHANNEL_WORDS
from . import calendar as cal

# What a downloaded table always says about the view it came from
VIEW_COLUMNS = ("Reporting period", "Grain", "Services", "Channels", "Data as at")

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


def safe_csv_rows(names, rows) -> str:
    """`safe_csv` for rows as DuckDB fetches them (the ingest writes its rejects without
    pandas): text cells and headers neutralised, None an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(str(name)) for name in names])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def view_columns(filters, as_at, ignores=()) -> dict:
    """The view a table came from, as columns: reporting period, grain, the services and
    channels chosen (or that the figures are not split by them) and the data's date."""
    services = "; ".join(filters.services) or "All services"
    channels = "; ".join(CHANNEL_WORDS.get(c, c) for c in filters.channels) or "All channels"
    if "service" in ignores and filters.services:
        services = "All services (not split by service)"
    if "channel" in ignores and filters.channels:
        channels = "All channels (not split by channel)"
    return dict(
        zip(
            VIEW_COLUMNS,
            (
                cal.period_label(filters.report_start, filters.grain),
                filters.grain,
                services,
                channels,
                as_at.isoformat(),
            ),
        )
    )


def tidy(frame: pd.DataFrame, view: dict | None) -> pd.DataFrame:
    """The table as tidy data for reuse: counts (bases, numbers of cases) as whole numbers,
    never '329.0', and the view's columns added to every row."""
    frame = frame.astype({c: "Int64" for c in frame.columns if _whole_counts(frame, c)})
    if not view:
        return frame
    return frame.assign(**{k: v for k, v in view.items() if k not in frame.columns})


COUNT_WORDS = ("base", "answers", "cases", "contacts", "complaints", "number", "count", "of")


def _whole_counts(frame: pd.DataFrame, column) -> bool:
    """True for a float column of counts that holds only whole numbers (or blanks)."""
    series = frame[column]
    named = str(column).lower().split(" ")[0] in COUNT_WORDS
    if not named or not pd.api.types.is_float_dtype(series):
        return False
    shown = series.dropna()
    return bool(((shown % 1) == 0).all())


def plotly_config(name: str) -> dict:
    """Chart toolbar: download a PNG at twice the screen size, named for the chart."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
