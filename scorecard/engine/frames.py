"""Frames made from column arrays in one step: the engine builds several small frames for
every measure on every filter change (its rows with values, the series, the process chart),
and pandas' own constructor, which infers and checks every column, was most of their cost
(about 0.4 ms a frame of a dozen columns against 0.12 ms here)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

# Arrays handed over as they are: numbers, flags, and text or dates held as Python objects
_PLAIN = frozenset("biufO")
_NUMBERS = frozenset((int, float, np.float64, np.int64))
_NUMBER = (int, float, np.integer, np.floating)


def column(values, length: int):
    """One column as an array of `length`: an array as it is (text in a fixed-width numpy
    array as objects), a scalar repeated, a list as numbers when every item is a number or
    None (None as NaN) with at least one number, else as objects."""
    if isinstance(values, pd.Series):
        values = values.array if not isinstance(values.dtype, np.dtype) else values.to_numpy()
    if isinstance(values, pd.api.extensions.ExtensionArray):
        return values
    if isinstance(values, np.ndarray):
        return values.astype(object) if values.dtype.kind in "US" else values
    if not isinstance(values, (list, tuple)):
        return np.full(length, values, dtype=float if isinstance(values, float) else object)
    kinds = {type(v) for v in values} - {type(None)}
    if kinds and all(k in _NUMBERS or (issubclass(k, _NUMBER) and k is not bool) for k in kinds):
        return np.array(values, dtype=float)  # None as NaN
    return np.array(values, dtype=object)


class Columns(dict):
    """A table's columns by name, each an array of the same length: the engine's working
    form of a measure's rows, series and process chart, made a DataFrame (`frame`) only
    when something asks for one (most pages read a few results' tables, not all of them).
    It reads like a frame where the engine reads one: `len` is its number of rows, `empty`
    and `columns` as a frame's, `columns[name]` the array; `arrays`, `values` and `row`
    take either. Its arrays are shared (kept rows, cached sums) and never written into:
    whatever changes a column makes an array of its own."""

    __slots__ = ("rows",)

    def __init__(self, columns: Mapping, rows: int | None = None):
        super().__init__(columns)
        if rows is None:
            first = next(iter(columns.values()), ())
            rows = len(first)
        self.rows = rows

    def __len__(self) -> int:
        return self.rows

    @property
    def empty(self) -> bool:
        return self.rows == 0

    @property
    def columns(self) -> list:
        return list(self.keys())

    def take(self, at) -> Columns:
        """The rows at `at` (a slice, positions or a mask), as columns of their own."""
        picked = {name: values[at] for name, values in self.items()}
        return Columns(picked, len(next(iter(picked.values()), np.arange(self.rows)[at])))


def columns(mapping: Mapping, rows: int | None = None) -> Columns:
    """`Columns` from arrays, lists or scalars, each made the array a frame would hold
    (`column`: lists of numbers as floats, text as objects; no copies)."""
    if rows is None:
        first = next(iter(mapping.values()), ())
        rows = len(first) if hasattr(first, "__len__") else 1
    return Columns({name: column(values, rows) for name, values in mapping.items()}, rows)


def frame(columns: Mapping, index=None) -> pd.DataFrame:
    """A frame of these columns, in this order, each keeping its type (text as `object`, as
    DuckDB hands it over), holding copies of its own (an array may be shared with a cached
    frame, and pandas would write into it in place): every column must have the index's
    length."""
    if index is None:
        if isinstance(columns, Columns):
            length = columns.rows
        else:
            first = next(iter(columns.values()), ())
            length = len(first) if hasattr(first, "__len__") else 1
        index = pd.RangeIndex(length)
    arrays, plain = [], True
    for values in columns.values():
        if type(values) is np.ndarray and values.dtype.kind in _PLAIN:  # most columns
            held = values.copy()
        else:
            held = _held(column(values, len(index)).copy())
            plain = plain and (
                isinstance(held, pd.api.extensions.ExtensionArray)
                or (isinstance(held, np.ndarray) and held.dtype.kind in _PLAIN)
            )
        if len(held) != len(index):
            raise ValueError("every column must have one value per row")
        arrays.append(held)
    # pandas' own checks only for what it cannot take as it is: they would also make text
    # held as Python objects Arrow text, which the engine reads back as objects
    return pd.DataFrame._from_arrays(
        arrays, columns=_names(tuple(columns)), index=index, verify_integrity=not plain
    )


def _held(values):
    """Numpy dates and times as pandas' own arrays (in a unit it holds: days as seconds)."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "mM":
        return pd.array(values)
    return values


@lru_cache(maxsize=256)
def _names(names: tuple) -> pd.Index:
    """The column index for these names, made once (an index is never changed in place, so
    frames share it; making one infers its text type, about 0.1 ms), holding the names as
    Python objects: pandas' own text index reads its names one by one, about 5 us a frame
    every time `arrays` lists them, and the engine does that thousands of times a page."""
    return pd.Index(names, dtype=object)


def named(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame as DuckDB hands it over, made cheap for the engine to read: its column index
    the shared one of Python objects (`_names`) and its text columns as Python objects
    (pandas holds them as Arrow, and every pick of a service or channel from a text column
    converted the column again)."""
    arrays = [frame._get_column_array(i) for i in range(frame.shape[1])]
    arrays = [np.asarray(a, dtype=object) if a.dtype == "str" else a for a in arrays]
    return pd.DataFrame._from_arrays(
        arrays, columns=_names(tuple(frame.columns)), index=frame.index, verify_integrity=False
    )


def arrays(frame: pd.DataFrame | Columns) -> dict:
    """A frame's columns by name as the arrays it holds (numpy arrays, or pandas' own for
    text held as Arrow): not copies, so not to be written into. (Reading them through
    `frame[name]` builds a Series each, about ten times the cost.)"""
    if isinstance(frame, Columns):
        return dict(frame)
    names = frame.columns.tolist()  # one conversion: pandas' own text index reads per item
    return {name: frame._get_column_array(i) for i, name in enumerate(names)}


def values(frame: pd.DataFrame | Columns, name: str) -> np.ndarray:
    """One column of a frame as a numpy array, read without building a Series (not a copy:
    not to be written into)."""
    if isinstance(frame, Columns):
        held = _held(frame[name])
    else:
        held = frame._get_column_array(frame.columns.get_loc(name))
    return held if isinstance(held, np.ndarray) else held.to_numpy()


def row(frame: pd.DataFrame | Columns, at: int) -> dict:
    """One row as a plain mapping of column to value (each value as the column holds it, as
    `frame.iloc[at]` gives them, without building a Series)."""
    if isinstance(frame, Columns):  # each value as a frame of them would give it
        return {name: _held(values)[at] for name, values in frame.items()}
    return {name: values[at] for name, values in arrays(frame).items()}
