"""The one door to DuckDB: open a database file and run the SQL files in `queries/` by name.

Pages and charts never import duckdb. Parameters are always bound (`$grain`, `$services`),
never formatted into SQL text; only the parameters a file uses are passed to it.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import uuid
import weakref
from collections import OrderedDict, namedtuple
from datetime import timedelta
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from ..settings import PARQUET_MANIFEST, ROOT
from . import frames, kept

QUERIES = ROOT / "queries"
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
COMMENT = re.compile(r"--[^\n]*|'(?:[^']|'')*'")
CACHE_SIZE = 2048
_MISSING = object()  # a key the cache does not hold (None is a value)
MANIFEST = PARQUET_MANIFEST  # in a Parquet folder: its tables and their files
LOG = logging.getLogger("scorecard")


def connect(path: Path | str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a database file (read-only for serving; read-write only while building), or a
    folder of Parquet written by scorecard.ingest.parquet (served the same way)."""
    if is_parquet_folder(path):
        con = duckdb.connect(":memory:")
        attach_parquet(con, path)
        return con
    return duckdb.connect(str(path), read_only=read_only)


def is_parquet_folder(path: Path | str) -> bool:
    """True for a folder written by scorecard.ingest.parquet (its manifest lists the tables)."""
    return (Path(path) / MANIFEST).is_file()


def quote_name(name: str) -> str:
    """An identifier quoted for SQL text (table names come from the database itself)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string quoted as an SQL literal (for file paths, which DDL cannot bind)."""
    return "'" + text.replace("'", "''") + "'"


def attach_parquet(con, folder: Path | str) -> None:
    """Serve a Parquet folder on `con`: every table a view over its files, plus the macros
    the queries use (the same file the database build runs) and the database's own views.
    Queries run unchanged."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for table, entry in manifest["tables"].items():
        files = literal(str(folder / entry["files"]))
        con.execute(
            f"create or replace view {quote_name(table)} as "
            f"select * from read_parquet({files}, hive_partitioning = false)"
        )
    con.execute(sql_text("sources/00_macros"))
    pending = list(manifest["views"])
    while pending:  # a view may read another: create each once what it reads exists
        failed = []
        for view in pending:
            try:
                con.execute(view)
            except duckdb.CatalogException:
                failed.append(view)
        if len(failed) == len(pending):
            con.execute(failed[0])  # raises the real error
        pending = failed


def damage(path: Path | str) -> str | None:
    """Why a database file cannot be served (it will not open, or its tables cannot be read),
    or None when it is sound."""
    try:
        con = connect(path)
        try:
            con.execute("select count(*) from loads").fetchall()
            con.execute("select as_at_date from as_at").fetchall()
        finally:
            con.close()
    except (duckdb.Error, OSError) as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


@cache
def sql_text(name: str) -> str:
    """The text of queries/<name>.sql."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"No query file queries/{name}.sql")
    return path.read_text(encoding="utf-8")


@cache
def parameters(name: str) -> frozenset[str]:
    """The `$parameters` a query file uses (ignoring comments and string literals)."""
    return frozenset(PARAM.findall(COMMENT.sub("", sql_text(name))))


@cache
def additive(name: str) -> bool:
    """True when the query's header says its rows add up ("Additive:"): numerator and
    denominator are counts of records that each fall in one service, with no condition on
    the sums, so a selection of services is the sum of its services' rows."""
    return kept.additive(sql_text(name))


def describe(name: str) -> str:
    """The query's header comment: what question it answers, its grain and parameters."""
    lines = []
    for line in sql_text(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines).strip()


def run(con, name: str, **params) -> pd.DataFrame:
    """Run a query file on an open connection (while building), binding what it uses."""
    return _run(con, name, params).df()


def records(con, name: str, **params) -> list[tuple]:
    """`run`'s rows as named tuples (the ingest's own checks: a refresh never needs pandas)."""
    cursor = _run(con, name, params)
    record = namedtuple("Record", [column[0] for column in cursor.description])
    return [record(*values) for values in cursor.fetchall()]


def _run(con, name: str, params: dict):
    return con.execute(sql_text(name), {k: params[k] for k in sorted(parameters(name))})


CREATES = re.compile(
    r"create\s+(?:or\s+replace\s+)?(?:table|view|macro)\s+"
    r"(?:if\s+not\s+exists\s+)?([A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE,
)


def run_folder(con, folder: str, only=None) -> list[str]:
    """Run the SQL files in queries/<folder>/ in name order (they create the source views and
    the tables derived from the extracts). With `only` (tables that changed), run just the
    files that read one of them, or read what such a file creates. Returns the files run."""
    changed = None if only is None else {name.lower() for name in only}
    ran = []
    for path in sorted((QUERIES / folder).glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        if changed is not None:
            words = set(re.findall(r"[a-z_][a-z0-9_]*", COMMENT.sub(" ", text).lower()))
            if not words & changed:
                continue
            changed |= {name.lower() for name in CREATES.findall(text)}
        con.execute(text)
        ran.append(path.name)
    return ran


def _freeze(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(value)) if isinstance(value, (set, frozenset)) else tuple(value)
    return value


def handout(value):
    """A cached value as handed to a caller: a copy of its own, so no caller can change what
    another is handed. Frames are copied shallow: pandas' copy-on-write copies their data
    the moment either side changes it (a deep copy of every frame on every hit was most of
    a warm page's time)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, frames.Columns):  # arrays never written into (frames.Columns)
        return frames.Columns(dict(value), value.rows)
    return copy.deepcopy(value)


def _bound(name: str, params: dict) -> dict:
    """The parameters queries/<name>.sql uses, from those given (all of them needed)."""
    used = parameters(name)
    missing = used - params.keys()
    if missing:
        raise TypeError(f"queries/{name}.sql needs parameter(s) {', '.join(sorted(missing))}")
    return {k: params[k] for k in sorted(used)}


class LruCache:
    """The result cache, shared by every session of a data version (the app) or by every
    call (the command line): least recently used first out, bounded at `size` entries, and
    every hit a copy of its own (`handout`). Nothing is serialised. A value is computed
    outside the lock, so one slow result never holds up another key's hits; a thread
    missing a key another thread is already computing waits for that value rather than
    computing it again (a query warmed ahead on the engine's pool, or the same measure asked
    by two sessions at once); if that computation fails, the waiter computes it itself."""

    def __init__(self, size: int = CACHE_SIZE):
        self._size = size
        self._held: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict = {}  # key -> (Event set when it ends, computing thread)

    def _hit(self, key):
        with self._lock:
            if key not in self._held:
                return _MISSING
            self._held.move_to_end(key)
            return self._held[key]

    def get(self, key, factory):
        """The value for `key`, computed by `factory` the first time."""
        while True:
            with self._lock:
                if key in self._held:
                    self._held.move_to_end(key)
                    return handout(self._held[key])
                running = self._computing.get(key)
                if running is None:
                    done = threading.Event()
                    self._computing[key] = (done, threading.get_ident())
                    break
            if running[1] == threading.get_ident():  # asked again while computing it
                return handout(factory())
            running[0].wait()  # another thread is computing it: its value, or try again
        try:
            value = factory()
            with self._lock:
                value = self._held.setdefault(key, value)
                self._held.move_to_end(key)
                while len(self._held) > self._size:
                    self._held.popitem(last=False)
        finally:
            with self._lock:
                del self._computing[key]
            done.set()
        return handout(value)

    def peek(self, key):
        """The value for `key` if it is held (a copy of its own), else None; never computes."""
        value = self._hit(key)
        return None if value is _MISSING else handout(value)

    def clear(self) -> None:
        """Forget every result (the benchmark's cold run)."""
        with self._lock:
            self._held.clear()


OPEN: weakref.WeakSet = weakref.WeakSet()  # every Database still in use (the benchmark's cold runs)


class _Cursor:
    """A cursor of its own on the connection, opened when first used: rows kept in memory
    need none (opening and closing one is about 16 us, for every measure on a page)."""

    def __init__(self, con):
        self._con, self._cursor = con, None

    def execute(self, sql: str, params=None):
        if self._cursor is None:
            self._cursor = self._con.cursor()
        return self._cursor.execute(sql, params)

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()


class Database:
    """A read-only database file served to every session, with a result cache.

    Results are cached on (data version, query, bound parameters); each Database is a data
    version of its own, so stale results can never be served after a refresh. The cache is
    an `LruCache` unless one is given. A measure's rows kept at ingest are held in memory
    (engine/kept.py) and served from there, not through the cache.
    """

    def __init__(self, path: Path | str, cache=None):
        OPEN.add(self)
        self.path = Path(path)
        self.version = f"{self.path}|{uuid.uuid4().hex}"
        self._con = connect(self.path)
        self.cache = cache or LruCache()
        self._reference: dict = {}
        self._reference_lock = threading.Lock()

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with the parameters it uses; returns a DataFrame of its own."""
        return self._rows(name, params, columns=False)

    def rows(self, name: str, **params):
        """`query` for the engine: rows kept in memory come as `frames.Columns` (slices of
        their arrays: no frame made), anything else as `query` gives it."""
        return self._rows(name, params, columns=True)

    def _rows(self, name: str, params: dict, columns: bool):
        sql, bound = sql_text(name), _bound(name, params)
        found = self._kept_table(name, sql, bound)
        if found is not None:  # rows already in memory: sliced, not cached again
            frame = self._execute(sql, bound, found, columns)
            if frame is not None:
                return frame
        rows = self.cache.get(self._key(name, bound), lambda: self._work(name, sql, bound))
        return frames.frame(rows) if isinstance(rows, frames.Columns) and not columns else rows

    def _work(self, name: str, sql: str, bound: dict):
        """Rows that are not kept as asked: an additive query's rows for any services and
        channels, by any grain kept or pooled over a span, are summed from its cube kept by
        month (kept.from_cube, as columns) where that serves the range; anything else is
        worked out (a frame)."""
        cube, found = self._cube(name, sql, bound)
        summed = None if found is None else self._from_cube(sql, cube, found, bound)
        if summed is None:
            histogram = self._histogram(sql, bound)
            if histogram is not None:
                summed = kept.from_histogram(histogram, bound)
        return self._execute(sql, bound) if summed is None else summed

    def ready_histogram(self, name: str, **params) -> bool:
        """Make a quantile query's histogram ready now, once per data version (else the
        first page asking for a selection would): True when it is kept."""
        first_month = {"start": kept.EARLIEST, "end": kept.EARLIEST + timedelta(days=30)}
        return self._histogram(sql_text(name), _bound(name, params) | first_month) is not None

    def _histogram(self, sql: str, bound: dict) -> kept.Histogram | None:
        """A quantile query's histogram (kept.histogram_of) kept by month, made ready once
        per data version, when it holds the whole of this range (whole months, or to the
        day it was kept to); else None."""
        source = kept.histogram_of(sql)
        if source is None or "quantile" not in bound:
            return None
        month = {"grain": "month", "start": bound["start"], "end": bound["end"]}
        wanted = _bound(source, month)
        found = self._kept_table(source, sql_text(source), wanted)
        if found is None or not kept.held_whole(found, wanted):
            return None
        return self.reference(
            ("histogram", kept.key(sql_text(source), wanted)), lambda: kept.Histogram(found[0])
        )

    def _cube(self, name: str, sql: str, bound: dict) -> tuple[dict | None, tuple | None]:
        """The parameters of the cube an additive query's rows (by service or by channel) are
        summed from, and that cube's kept rows if there are any; (None, None) otherwise."""
        if bound.get("by") not in kept.SPLITS or not kept.additive(sql, over="period"):
            return None, None
        cube = kept.cube_of(bound)
        return cube, self._kept_table(name, sql, cube)

    def _from_cube(self, sql: str, cube: dict, found: tuple, bound: dict):
        """An additive query's rows summed from its kept cube: made ready once per data
        version when the range is held in memory, else from its rows for this range (a
        month cut short worked out live); None where neither serves."""
        if kept.held_whole(found, cube):
            ready = self.reference(("cube", kept.key(sql, cube)), lambda: kept.Cube(found[0]))
        else:
            rows = self._execute(sql, cube, found)
            ready = None if rows is None else kept.Cube(rows)
        return None if ready is None else kept.from_cube(ready, bound)

    def kept(self, name: str, **params) -> bool:
        """True when the query's rows are kept (served from memory, no query at all)."""
        return self._kept_table(name, sql_text(name), _bound(name, params)) is not None

    def in_memory(self, name: str, **params) -> bool:
        """True when the query's rows come from memory, no query run: kept, or summed from a
        cube or worked out from a histogram held whole (Python's own work, which another
        thread would only slow down)."""
        sql, bound = sql_text(name), _bound(name, params)
        if self._kept_table(name, sql, bound) is not None:
            return True
        cube, found = self._cube(name, sql, bound)
        if found is not None and kept.held_whole(found, cube):
            return True
        return self._histogram(sql, bound) is not None

    def kept_rows(self, name: str, **params):
        """The query's rows from its kept rows (as `rows` gives them: columns when held in
        memory), or None when they are not kept."""
        sql, bound = sql_text(name), _bound(name, params)
        found = self._kept_table(name, sql, bound)
        return None if found is None else self._execute(sql, bound, found, columns=True)

    def warm(self, name: str, **params) -> None:
        """Work a query's rows out into the cache ahead of `query` asking for them (on
        another thread: DuckDB works outside Python's lock), unless they are kept."""
        sql, bound = sql_text(name), _bound(name, params)
        if self._kept_table(name, sql, bound) is None:
            self.cache.get(self._key(name, bound), lambda: self._work(name, sql, bound))

    def _key(self, name: str, bound: dict) -> tuple:
        return (self.version, "query", name, tuple((k, _freeze(v)) for k, v in bound.items()))

    def _execute(self, sql: str, bound: dict, found=None, columns: bool = False):
        """The query's rows: from its kept rows when `found` (None when they cannot serve
        this range; with `columns`, as `kept.rows` gives them), else worked out."""
        cursor = _Cursor(self._con)
        try:
            if found is not None:
                return kept.rows(cursor, found, sql, bound, columns)
            return frames.named(cursor.execute(sql, bound).df())
        finally:
            cursor.close()

    def _kept_table(self, name: str, sql: str, bound: dict) -> tuple | None:
        """This query's rows kept at ingest (held in memory, read once per data version),
        and the day they were kept to, if there are any (engine/kept.py)."""
        if not kept.keepable(parameters(name)) or bound["grain"] not in kept.GRAINS:
            return None
        return self.kept_results().get(kept.key(sql, bound))

    def kept_results(self) -> dict:
        """Every kept result of this data version, read into memory the first time."""
        return self.reference(("kept results",), lambda: kept.resident(self._con))

    def keep_figures(self, jobs) -> int:
        """Work out figures from kept rows held in memory, once per data version, for
        `kept_figures` to slice: `jobs` gives (query name, parameters, tag, make), where
        `make(rows)` returns (columns, marks) from a kept result's whole rows, period by
        period (`period_start` a column of dates), marks being per-row arrays that go with
        them. Jobs whose rows are not kept in memory are passed over, and so is one that
        fails (logged): its figures are then worked out when a page asks, where any problem
        shows as it always has, on that measure alone. Returns how many were worked out."""
        held = {}
        for name, params, tag, make in jobs:
            try:
                sql, bound = sql_text(name), _bound(name, params)
                rows = self._all_rows(name, sql, bound)
                if rows is not None:
                    held[kept.key(sql, bound), tag] = kept.Figures(*make(rows))
            except Exception as error:  # noqa: BLE001 (the page works it out instead)
                LOG.warning("Figures of %s not worked out ahead: %s", name, type(error).__name__)
        with self._reference_lock:
            self._reference[("kept figures",)] = held
        return len(held)

    def kept_figures(self, name: str, tag, **params) -> tuple | None:
        """The figures `keep_figures` worked out for a query's rows in memory (with this
        tag), sliced to the range asked, as (columns, marks); None unless they were worked
        out and the range is served wholly from rows in memory, kept or summed from its
        cube (whole periods, or to the day they were kept to). Never works anything out."""
        figures = self._reference.get(("kept figures",))
        if not figures:
            return None
        sql, bound = sql_text(name), _bound(name, params)
        found, _ = self._held_whole(name, sql, bound)
        if found is None or not kept.held_whole(found, bound):
            return None
        whole = figures.get((kept.key(sql, bound), tag))
        return None if whole is None else whole.between(bound["start"], bound["end"])

    def _all_rows(self, name: str, sql: str, bound: dict):
        """All the rows a query has in memory, over all the time kept: its kept rows, or
        summed from its cube; None when neither is held."""
        found, cube = self._held_whole(name, sql, bound)
        if found is None:
            return None
        if cube is None:
            return found[0]
        every = {"start": kept.EARLIEST, "end": found[1]}
        return self._from_cube(sql, cube | every, found, bound | every)

    def _held_whole(self, name: str, sql: str, bound: dict) -> tuple:
        """(the kept rows held in memory the query's rows come from, the cube's parameters
        when they are summed from its cube, else None); (None, None) when neither."""
        found, cube = self._kept_table(name, sql, bound), None
        if found is None:
            cube, found = self._cube(name, sql, bound)
        if found is None or isinstance(found[0], str):
            return None, None
        return found, cube

    def memo(self, key, factory):
        """A value computed once per data version and key (e.g. a measure's judged result),
        handed to each caller as a copy of its own."""
        return self.cache.get((self.version, "memo", key), factory)

    def memo_held(self, key):
        """The value `memo` holds for `key` (a copy of its own), or None; never computes."""
        return self.cache.peek((self.version, "memo", key))

    def reference(self, key, factory):
        """Reference data worked out once per data version and shared, not copied (the
        coverage, the known process changes): the value must be immutable. Asked for by
        every measure on every filter change, so kept on the database itself. Worked out
        outside the lock (one may need another, or the measure engine), the first kept: two
        threads asking at once for the first time may both work it out, never wait on each
        other."""
        found = self._reference.get(key, _MISSING)
        if found is not _MISSING:
            return found
        value = factory()
        with self._reference_lock:
            return self._reference.setdefault(key, value)

    def table(self, name: str) -> pd.DataFrame:
        """A small whole table (loads, build), for the data-quality page."""
        return self.query(f"tables/{name}")

    def close(self) -> None:
        """Close the connection (tests; the app keeps one per data version)."""
        self._con.close()
