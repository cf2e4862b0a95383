"""Measure results kept whole at ingest: every measure's query over all time, by month, quarter
and financial year, for every service and for every channel (and, for large extracts, for each
channel chosen on its own), stored beside the marts.

A page asks for a measure over some periods; when its query and every parameter but the date
range are those of a kept result, the rows come from that table (a few hundred rows) instead
of the marts (up to hundreds of thousands), and only a period cut short by the end of the
range (the data's as-at date part-way through a month) is worked out live. The rows are the
query's own rows: a measure's rows for a period depend only on the records dated in that
period (every measure query filters `date between $start and $end` on the date its period
comes from: tests/test_kept.py checks each against the live query), so the rows of whole
periods are the same whatever range they are asked for in.

Each result is kept up to the data's as-at date, so its last period is the one the data
reaches part-way into, as far as the data goes: a page asking for the current period (its
range ends on the as-at date, as the filter bar's does) is served wholly from the kept rows,
with no live query at all.

A result is found by a key made of the query's text and its parameters other than the range:
a changed catalogue entry, a changed query file or another filter finds no kept result and is
worked out live, as before; a stale table can never be read. The build writes the tables
(`keep`, after the marts); `Database` reads them (`rows`).
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd

from ..contracts import CHANNEL_WORDS
from . import calendar as cal
from . import frames

INDEX = "kept_results"  # key -> table
GRAINS = ("month", "quarter", "year")
SPLITS = ("service", "channel")  # the breakdowns kept: by service, by channel
CHANNELS = tuple(CHANNEL_WORDS)  # each chosen alone: kept where the extracts are large
RANGE = ("start", "end")
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)  # all time, as whole periods
ORDER = "order by period_start, service nulls first"  # every measure query's own order


# A query header line saying its rows add up: "-- Additive:" over services and periods (its
# numerator and denominator, and any other column of SUMS it has, are sums over records that
# each fall in one service and one period, with no condition on the sums), "-- Additive by
# service:" over services alone (db.additive).
# Each record has one channel too (its breakdown's, the one its channel filter reads), so an
# additive query's rows for any services and channels are sums of its cube (`from_cube`):
# tests/test_kept.py checks every such query's cube against the query itself.
ADDITIVE, BY_SERVICE = "-- Additive:", "-- Additive by service:"
# The breakdown kept by month for an additive query: each service on each channel, in one
# key (00_macros.sql, breakdown): service, BETWEEN, channel, a blank as BLANK
CUBE, BETWEEN, BLANK = "service and channel", "\x1f", "\x1e"
# A quantile query's header line naming the query whose rows are its histogram (by month,
# service, channel and days taken, the count of each), kept whole at ingest by month
QUANTILE = "-- Quantile of:"
COUNTS = ("numerator", "denominator")  # every additive query's rows have these
# the columns an additive query's rows may have, each a sum over its records: the two above,
# the records counted (when the denominator is not), the sum of squared survey weights
SUMS = (*COUNTS, "base", "weight_squares")


def _sums(columns) -> list | None:
    """An additive query's columns that are sums, in its order; None unless its columns are
    a period, a group, a numerator and a denominator and other SUMS alone."""
    names = list(columns)
    sums = [c for c in names if c in SUMS]
    fixed = {"period_start", "service"}
    return sums if set(names) == fixed | set(sums) and set(COUNTS) <= set(sums) else None


def additive(sql: str, over: str = "service") -> bool:
    """True when a query's header says its rows add up over services (`over` "service") or
    over the months of a quarter or year too ("period")."""
    heads = (ADDITIVE, BY_SERVICE) if over == "service" else (ADDITIVE,)
    return any(line.startswith(heads) for line in sql.splitlines())


def _freeze(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def key(sql: str, bound: dict) -> str:
    """The kept result's key: the query's text (its comment lines aside: a changed comment
    keeps what was kept) and every bound parameter but the range."""
    return _key(sql, tuple((k, _freeze(v)) for k, v in sorted(bound.items()) if k not in RANGE))


@lru_cache(maxsize=4096)
def _key(sql: str, fixed: tuple) -> str:
    """`key`, worked out once (a page looks its measures' kept rows up a few hundred times)."""
    return hashlib.blake2b(repr((_code(sql), fixed)).encode(), digest_size=10).hexdigest()


@lru_cache(maxsize=1024)
def _code(sql: str) -> str:
    """A query's text without its comment lines (worked out once a query: a page looks up
    each of its measures' kept rows several times)."""
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def keepable(used: frozenset) -> bool:
    """True for a query by period (it takes a grain and a date range)."""
    return {"grain", *RANGE} <= used


def keep(con, jobs, fresh: bool = True, to: date | None = None) -> int:
    """Run each (query text, bound parameters) over all time up to `to` (the data's as-at
    date; None: without end) and store its rows: `fresh`, in place of everything an earlier
    build kept; else (a refresh of some extracts, the as-at date unchanged) in place of these
    results alone. A query that fails (an extract not supplied) is not kept: the engine then
    works it out live, and says why it has no figure. The queries run side by side, one
    per DuckDB thread (most are small: one alone leaves a core idle). Returns how many."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = $t", {"t": INDEX}
    ).fetchall()[0][0]
    if exists and fresh:
        for (name,) in con.execute(f"select table_name from {INDEX}").fetchall():
            con.execute(f'drop table if exists "{name}"')
        con.execute(f"drop table {INDEX}")
    if fresh or not exists:
        con.execute(
            f"create table {INDEX} (key VARCHAR primary key, table_name VARCHAR, kept_to DATE)"
        )
    to = to or LATEST
    todo = {}
    for sql, bound in jobs:
        if bound.get("grain") in GRAINS:
            todo.setdefault(key(sql, bound), (sql, bound | {"start": EARLIEST, "end": to}))
    con.execute(f"delete from {INDEX} where key in (select unnest($k::VARCHAR[]))", {"k": [*todo]})
    for name in todo:
        con.execute(f'drop table if exists "kept_{name}"')

    def store(name: str) -> str | None:
        sql, bound = todo[name]
        try:
            with con.cursor() as cursor:
                cursor.execute(f'create table "kept_{name}" as {sql}', bound)
        except duckdb.Error:
            return None
        return name

    # an additive query's rows are summed rather than read again: its months by service or by
    # channel (no filter) from its cube, then its quarters and years from its months
    cubed = {
        name: key(sql, cube_of(bound))
        for name, (sql, bound) in todo.items()
        if bound["grain"] == "month"
        and bound.get("by") in SPLITS
        and not (bound.get("services") or bound.get("channels"))
        and additive(sql, over="period")
    }
    summed = {
        name: key(sql, bound | {"grain": "month"})
        for name, (sql, bound) in todo.items()
        if bound["grain"] != "month" and additive(sql, over="period")
    }
    cubed = {name: cube for name, cube in cubed.items() if cube in todo and cube != name}
    summed = {name: month for name, month in summed.items() if month in todo}
    threads = int(con.execute("select current_setting('threads')").fetchall()[0][0])
    held: set = set()

    def each(names, work) -> None:
        with ThreadPoolExecutor(max(1, min(threads, len(names)))) as pool:
            held.update(name for name in pool.map(work, names) if name)

    def derive(derived: dict, make):
        def work(name: str) -> str | None:
            if derived[name] in held:
                with con.cursor() as cursor:
                    if make(cursor, name, derived[name], todo[name][1]):
                        return name
            return store(name)  # not sums: the query itself

        return work

    each([name for name in todo if name not in summed and name not in cubed], store)
    each(list(cubed), derive(cubed, _sum_cube))
    each(list(summed), derive(summed, _sum_months))
    kept = sorted(held)
    con.execute(
        f"insert into {INDEX} select k, 'kept_' || k, $to from unnest($k::VARCHAR[]) as t(k)",
        {"k": kept, "to": to},
    )
    return len(kept)


def cube_of(bound: dict) -> dict:
    """The bound parameters of the cube an additive query's rows are summed from: by month,
    broken down by service and channel, no service or channel chosen."""
    cube = bound | {"grain": "month", "by": CUBE}
    return cube | {name: None for name in ("services", "channels") if name in bound}


def _counted(con, table: str) -> list | None:
    """A kept table's (column, type)s in order, or None unless they are a period, a group
    and SUMS."""
    columns = con.execute(
        # the one table's own columns (duckdb_columns() reads every table's: ten times slower)
        "select name, type from pragma_table_info($t) order by cid",
        {"t": f"kept_{table}"},
    ).fetchall()
    return columns if _sums(dict(columns)) else None


def _summed_as(con, name: str, source: str, columns: list, period: str, group: str, params):
    """Keep `name` as `source`'s sums by period and group, each period's total first (the
    query's own columns, types and order)."""
    made = {"period_start": "period_start", "service": "service"}
    made |= {c: f"sum({c})::{t} as {c}" for c, t in columns if c in SUMS}
    sums = ", ".join(c for c, _ in columns if c in SUMS)
    con.execute(
        f'create table "kept_{name}" as select {", ".join(made[c] for c, _ in columns)} from '
        f"(select {period} as period_start, {group} as service, {sums} "
        f'from "kept_{source}" where service is not null) '
        f"group by grouping sets ((period_start, service), (period_start)) {ORDER}",
        params,
    )


def _sum_months(con, name: str, month: str, bound: dict) -> bool:
    """Keep an additive query's rows by quarter or year as the sums of its kept rows by
    month (each period's records are its months' records); False, keeping nothing, unless
    its rows are sums."""
    columns = _counted(con, month)
    if columns is not None:
        _summed_as(
            con,
            name,
            month,
            columns,
            "period_start($grain, period_start)",
            "service",
            {"grain": bound["grain"]},
        )
    return columns is not None


# A cube's key's service and channel (the channel is after the last BETWEEN: it never holds
# one), a blank named as the breakdown names it
_CHANNEL = "string_split(service, chr(31))[-1]"
_PART = {
    "channel": _CHANNEL,
    "service": f"left(service, length(service) - length({_CHANNEL}) - 1)",
}


def _sum_cube(con, name: str, cube: str, bound: dict) -> bool:
    """Keep an additive query's rows by month with no filter, by service or by channel, as
    the sums of its cube's cells (each record is in one service and one channel); False,
    keeping nothing, unless its rows are sums."""
    columns = _counted(con, cube)
    if columns is not None:
        part = _PART[bound["by"]]
        group = f"case {part} when chr(30) then 'Not recorded' else {part} end"
        _summed_as(con, name, cube, columns, "period_start", group, {})
    return columns is not None


SPAN_START = np.datetime64("2000-01-01")  # the one period of grain 'span' (00_macros.sql)


def summed_selection(rows: pd.DataFrame, chosen) -> frames.Columns | None:
    """An additive query's rows for a selection of services (db.additive), from its rows
    for every service: each chosen service's rows, and per period their numerators and
    denominators summed as the selection's total, first in the period, as the query orders
    them. None (ask the query) unless the rows are sums, none missing, in period order."""
    columns = frames.arrays(rows)
    sums = _sums(columns)
    if sums is None:
        return None
    services = np.asarray(columns["service"], dtype=object)
    picked = np.flatnonzero(np.isin(services, list(chosen)))
    counts = {name: np.asarray(columns[name], dtype=float)[picked] for name in sums}
    if any(np.isnan(v).any() for v in counts.values()):
        return None
    periods = np.asarray(columns["period_start"])[picked]
    keys, first, codes = np.unique(periods, return_index=True, return_inverse=True)
    if (np.diff(codes) < 0).any():  # not in period order: the query's own rows
        return None
    # each period's total, then its services in the query's own order
    at_total = first + np.arange(len(keys))
    at_row = np.arange(len(picked)) + codes + 1
    out = {"period_start": np.empty(len(keys) + len(picked), dtype=periods.dtype)}
    out["period_start"][at_total], out["period_start"][at_row] = keys, periods
    out["service"] = np.full(len(out["period_start"]), np.nan, dtype=object)
    out["service"][at_row] = services[picked]
    for name, values in counts.items():
        summed = np.empty(len(out["period_start"]))
        summed[at_total] = np.bincount(codes, weights=values, minlength=len(keys))
        summed[at_row] = values
        out[name] = summed.astype(np.asarray(columns[name][:0]).dtype)  # the query's type
    return frames.Columns({name: out[name] for name in columns}, len(out["period_start"]))


class Cube:
    """An additive query's cube (`CUBE`) made ready for summing, once per data version: each
    cell's month and sums, its service and channel as codes (a selection is then picked
    with integers, not text) and the group each falls in when broken down by either.
    Counts are summed to the last digit; fractions (survey weights) to rounding, as
    DuckDB's own sums of them are (its parallel sums differ from run to run in the last
    digits)."""

    def __init__(self, rows):
        columns = frames.arrays(rows)
        self.columns = list(columns)
        keys = np.asarray(columns["service"], dtype=object)
        cells = np.flatnonzero(~pd.isna(keys))  # the totals are every cell's: not read
        self.months = np.asarray(columns["period_start"])[cells]
        sums = _sums(columns) or []
        self.counts = {name: np.asarray(columns[name])[cells] for name in sums}
        self.usable = bool(sums) and not any(
            pd.isna(values).any() for values in self.counts.values()
        )
        parts = [key.rpartition(BETWEEN) for key in keys[cells]]  # a channel never holds it
        self.parts = {
            split: _codes(np.array([part[at] for part in parts], dtype=object))
            for split, at in (("service", 0), ("channel", 2))
        }
        self._periods: dict = {}

    def period_codes(self, grain: str) -> tuple[np.ndarray, np.ndarray]:
        """The starts of the periods of `grain` ('span': its one period) the cells fall in,
        in order, and each cell's place among them."""
        if grain not in self._periods:
            self._periods[grain] = np.unique(_grain_starts(self.months, grain), return_inverse=True)
        return self._periods[grain]


def _factorized(values) -> tuple:
    """`_codes` of many values (hashed, not sorted: a histogram's 100,000-odd rows), a blank
    last among the names."""
    codes, names = pd.factorize(np.asarray(values, dtype=object), sort=True)
    names = np.append(np.asarray(names, dtype=object), BLANK)
    codes = np.where(codes < 0, len(names) - 1, codes)
    groups, group_of = np.unique(
        np.where(names == BLANK, "Not recorded", names).astype(object), return_inverse=True
    )
    return names, codes, groups, group_of[codes]


def _codes(values: np.ndarray) -> tuple:
    """Names in order, each value's code among them, and the groups a breakdown shows (a
    blank as 'Not recorded', as the breakdown names it) with each value's group."""
    names, codes = np.unique(values, return_inverse=True)
    groups, group_of = np.unique(
        np.where(names == BLANK, "Not recorded", names).astype(object), return_inverse=True
    )
    return names, codes, groups, group_of[codes]


def from_cube(cube: Cube, bound: dict) -> frames.Columns | None:
    """An additive query's rows as `bound` asks them (any grain kept or 'span'; any services
    and channels; broken down by service or by channel), summed from its cube's months in
    the range: each group's and each period's total numerator and denominator, in the
    query's own order and types, as columns (no frame made: the engine reads arrays). None
    (ask the query) unless the cube holds sums, none missing."""
    by = bound.get("by") or "service"
    if by not in SPLITS or not cube.usable:
        return None
    months = cube.months
    picked = (months >= np.datetime64(bound["start"])) & (months <= np.datetime64(bound["end"]))
    for split in SPLITS:
        chosen = bound.get(f"{split}s")
        if chosen:
            names, codes, _, _ = cube.parts[split]
            picked &= np.isin(names, list(chosen))[codes]
    _, _, groups, group_of = cube.parts[by]
    starts, start_of = cube.period_codes(bound["grain"])
    used, at_p = _distinct(start_of[picked], len(starts))
    keys_p = starts[used]
    width = len(groups) + 1
    # each period's total (0), then its groups by name (the query's order)
    cell, at_cell = _distinct(at_p * width + group_of[picked] + 1, len(keys_p) * width)
    order = np.argsort(np.concatenate([np.arange(len(keys_p)) * width, cell]), kind="stable")
    out = {
        "period_start": np.concatenate([keys_p, keys_p[cell // width]])[order],
        "service": np.concatenate(
            [np.full(len(keys_p), np.nan, dtype=object), groups[cell % width - 1]]
        )[order],
    }
    for name, values in cube.counts.items():
        weights = values[picked].astype(float)
        summed = np.concatenate(
            [
                np.bincount(at_p, weights=weights, minlength=len(keys_p)),
                np.bincount(at_cell, weights=weights, minlength=len(cell)),
            ]
        )
        out[name] = summed[order].astype(values.dtype)  # the query's type
    return frames.Columns({name: out[name] for name in cube.columns}, len(order))


def histogram_of(sql: str) -> str | None:
    """The query whose rows a quantile query is worked out from, as its header names it
    (`QUANTILE`: by month, service, channel and days, the count of each), or None."""
    for line in sql.splitlines():
        if line.startswith(QUANTILE):
            return line[len(QUANTILE) :].strip()
    return None


def from_histogram(histogram: Histogram, bound: dict) -> frames.Columns | None:
    """A quantile query's rows as `bound` asks them (any grain kept, services and channels;
    broken down by service or by channel), from its histogram's months in the range: for each
    period, and in it each group, the fewest days within which at least ceil(cases x
    $quantile) of its cases fall (the query's own rule), and its cases as the base; the
    period's total first (no group), then its groups by name, in the query's types. Worked
    out on a grid of period x group x day (counts added up by day, then the first day
    reaching the share), so a selection costs about a millisecond at a large council's
    scale, against several for the query."""
    by = bound.get("by") or "service"
    if by not in SPLITS or not histogram.usable:
        return None
    h = histogram
    picked = (h.months >= np.datetime64(bound["start"])) & (h.months <= np.datetime64(bound["end"]))
    for split in SPLITS:
        chosen = bound.get(f"{split}s")
        if chosen:
            names, codes, _, _ = h.parts[split]
            picked &= np.isin(names, list(chosen))[codes]
    at = np.flatnonzero(picked)
    starts, start_of = h.period_codes(bound["grain"])
    used, period = _distinct(start_of[at], len(starts))
    _, _, groups, group_of = h.parts[by]
    width, days = len(groups) + 1, h.span
    cells = (period * width) * days + h.day[at]  # each row's day in its period's total
    size = len(used) * width * days
    counts = np.bincount(cells, weights=h.cases[at], minlength=size)
    counts += np.bincount(cells + (group_of[at] + 1) * days, weights=h.cases[at], minlength=size)
    up_to = np.cumsum(counts.reshape(len(used), width, days), axis=2)
    total = up_to[:, :, -1] if days else np.zeros((len(used), width))
    shown_p, shown_g = np.nonzero(total > 0)  # period by period, the total first
    threshold = np.ceil(total * bound["quantile"])[shown_p, shown_g]
    first = np.argmax(up_to[shown_p, shown_g] >= threshold[:, None], axis=1)
    out = {
        "period_start": starts[used][shown_p],
        "service": np.concatenate([[np.nan], groups]).astype(object)[shown_g],
        "value": (first + h.first_day).astype(h.day_type),
        "base": total[shown_p, shown_g].astype(float),  # (a sum of counts: HUGEINT, as floats)
    }
    return frames.Columns(out, len(shown_p))


class Histogram:
    """A quantile query's histogram (by month, service, channel and days taken, the count of
    each) made ready once per data version: each row's service and channel as codes, its
    days as a place on the days axis."""

    def __init__(self, rows):
        columns = frames.arrays(rows)
        self.months = np.asarray(columns["period_start"])
        self.parts = {split: _factorized(columns[split]) for split in SPLITS}
        days = np.asarray(columns["days"])
        self.usable = days.dtype.kind in "iu"  # no day missing (the query's nulls sort last)
        if not self.usable:
            days = np.zeros(0, dtype=np.int32)
        self.day_type = days.dtype
        self.first_day = int(days.min()) if len(days) else 0
        self.day = (days - self.first_day).astype(np.intp)
        self.span = int(self.day.max()) + 1 if len(days) else 0
        self.cases = np.asarray(columns["cases"], dtype=float)
        self._periods: dict = {}

    period_codes = Cube.period_codes


def _distinct(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of integer codes below `size`, in order, and each code's
    place among them: `np.unique` with its inverse, counted rather than sorted."""
    present = np.zeros(size, dtype=bool)
    present[codes] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[codes]


def _grain_starts(months: np.ndarray, grain: str) -> np.ndarray:
    """The start of the period of `grain` ('span': its one period) each month falls in."""
    if grain == "span":
        return np.full(len(months), SPAN_START).astype(months.dtype)
    if grain == "month":
        return months
    unique, at = np.unique(months, return_inverse=True)
    starts = [cal.period_start(pd.Timestamp(m).date(), grain) for m in unique]
    return np.array(starts, dtype="datetime64[D]").astype(months.dtype)[at]


def index(con) -> dict[str, tuple[str, date]]:
    """Every kept result's (table, date kept to) by key (none in a database built before
    they were)."""
    try:
        found = con.execute(f"select key, table_name, kept_to from {INDEX}").fetchall()
    except duckdb.Error:
        return {}
    return {name: (table, to) for name, table, to in found}


def resident(con) -> dict[str, tuple[frames.Columns, date]]:
    """Every kept result's rows, in the query's own order, and the date kept to, by key: read
    once per data version and held in memory as columns (a few hundred rows each, about
    100,000 in all at scale 50; never written into), so a page's measures are served with
    no query at all, and sliced with no frame read."""
    out = {}
    for name, (table, to) in index(con).items():
        held = frames.named(con.execute(f'select * from "{table}" {ORDER}').df())
        out[name] = (frames.Columns(frames.arrays(held), len(held)), to)
    return out


def _between(con, kept, start: date, end: date, columns: bool = False):
    """The kept rows of the periods starting from `start` to `end`: sliced from the rows in
    memory (with `columns`, as `frames.Columns`: slices of their arrays, no frame made), or
    read from the table."""
    held, _ = kept
    if isinstance(held, str):
        return frames.named(
            con.execute(
                f'select * from "{held}" where period_start between $start and $end {ORDER}',
                {"start": start, "end": end},
            ).df()
        )
    periods = frames.values(held, "period_start")
    first = np.searchsorted(periods, np.datetime64(start), "left")
    last = np.searchsorted(periods, np.datetime64(end), "right")
    cut = frames.Columns(
        {name: values[first:last] for name, values in held.items()}, int(last - first)
    )
    return cut if columns else frames.frame(cut)  # a frame holds copies of its own


class Figures:
    """Figures worked out once from a kept result's whole rows (Database.keep_figures): its
    columns and per-row marks, read-only, sliced to a range's periods as the rows are
    (`_between`), with no figure worked out again."""

    __slots__ = ("columns", "marks", "periods")

    def __init__(self, columns: frames.Columns, marks: dict):
        self.columns = frames.Columns(
            {name: _read_only(values) for name, values in columns.items()}, columns.rows
        )
        self.marks = {name: _read_only(values) for name, values in marks.items()}
        self.periods = _days(columns["period_start"])

    def between(self, start: date, end: date) -> tuple[frames.Columns, dict]:
        """The rows of the periods starting from `start` to `end`, and their marks."""
        first = np.searchsorted(self.periods, np.datetime64(start, "D"), "left")
        last = np.searchsorted(self.periods, np.datetime64(end, "D"), "right")
        cut = slice(int(first), int(last))
        return (
            frames.Columns({name: v[cut] for name, v in self.columns.items()}, int(last - first)),
            {name: values[cut] for name, values in self.marks.items()},
        )


def _days(dates: np.ndarray) -> np.ndarray:
    """Dates in period order as numpy days: each run of one date converted once (numpy
    converts Python dates one by one, about a third of the time of working out figures)."""
    if dates.dtype.kind == "M" or not len(dates):
        return np.asarray(dates, dtype="datetime64[D]")
    starts = np.flatnonzero(np.r_[True, dates[1:] != dates[:-1]])
    days = np.array(dates[starts].tolist(), dtype="datetime64[D]")
    return np.repeat(days, np.diff(np.r_[starts, len(dates)]))


def _read_only(values):
    """An array no one may write into (its slices are read-only too)."""
    if isinstance(values, np.ndarray):
        values = values.view()
        values.flags.writeable = False
    return values


def _whole_to(to: date, grain: str, end: date) -> date:
    """The last day of a range ending on `end` that rows kept to `to` serve: every period's
    when `end` is the day they were kept to, else whole periods, no further than they hold
    whole (the rest is worked out live)."""
    if end == to:
        return end
    last, kept_last = cal.period_start(end, grain), cal.period_start(to, grain)
    return min(
        end if end == cal.period_end(last, grain) else last - timedelta(days=1),
        to if to == cal.period_end(kept_last, grain) else kept_last - timedelta(days=1),
    )


def held_whole(kept: tuple, bound: dict) -> bool:
    """True when a range is served wholly from rows kept in memory (no part worked out)."""
    held, to = kept
    start, grain = bound["start"], bound["grain"]
    return (
        not isinstance(held, str)
        and start == cal.period_start(start, grain)
        and _whole_to(to, grain, bound["end"]) >= bound["end"]
    )


def rows(con, kept: tuple, sql: str, bound: dict, columns: bool = False):
    """A query's rows from its kept result ((table or resident rows, date kept to)), or None
    when the range does not start at the start of a period. The range's periods the kept
    rows hold whole, or to the same day, are read from them; the rest (a period cut short
    on another day) is worked out live. With `columns`, rows wholly kept in memory come as
    `frames.Columns` (the engine's own reading: no frame made)."""
    grain, start, end = bound["grain"], bound["start"], bound["end"]
    if start != cal.period_start(start, grain):
        return None
    whole_to = _whole_to(kept[1], grain, end)
    if whole_to >= end:
        return _between(con, kept, start, whole_to, columns)
    frame = _between(con, kept, start, whole_to)
    part = frames.named(
        con.execute(sql, bound | {"start": max(start, whole_to + timedelta(days=1))}).df()
    )
    if part.empty:
        return frame
    return part if frame.empty else pd.concat([frame, part], ignore_index=True)
