"""The one door to DuckDB: open a database file and run the SQL files in `queries/` by name.

Pages and charts never import duckdb. Parameters are always bound (`$grain`, `$services`),
never formatted into SQL text; only the parameters a file uses are passed to it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from .settings import ROOT

QUERIES = ROOT / "queries"
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
COMMENT = re.compile(r"--[^\n]*|'(?:[^']|'')*'")
CACHE_SIZE = 2048


def connect(path: Path | str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a database file (read-only for serving; read-write only while building)."""
    return duckdb.connect(str(path), read_only=read_only)


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
    bound = {k: params[k] for k in sorted(parameters(name))}
    return con.execute(sql_text(name), bound).df()


def run_folder(con, folder: str) -> None:
    """Run every SQL file in queries/<folder>/ in name order (used to create source views)."""
    for path in sorted((QUERIES / folder).glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _freeze(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(value)) if isinstance(value, (set, frozenset)) else tuple(value)
    return value


class Database:
    """A read-only database file served to every session, with a small result cache.

    Results are cached on (query, bound parameters); a new data version is a new Database,
    so stale results can never be served after a refresh.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._con = connect(self.path)
        self._lock = threading.Lock()
        self._cache: OrderedDict = OrderedDict()

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with the parameters it uses; returns a fresh DataFrame."""
        used = parameters(name)
        missing = used - params.keys()
        if missing:
            raise TypeError(f"queries/{name}.sql needs parameter(s) {', '.join(sorted(missing))}")
        bound = {k: params[k] for k in sorted(used)}
        key = (name, tuple((k, _freeze(v)) for k, v in bound.items()))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key].copy()
        cursor = self._con.cursor()
        try:
            frame = cursor.execute(sql_text(name), bound).df()
        finally:
            cursor.close()
        with self._lock:
            self._cache[key] = frame
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return frame.copy()

    def memo(self, key, factory):
        """A value computed once per data version and key (e.g. a measure's judged result);
        callers must treat it as read-only, as it is shared between sessions."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = factory()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def table(self, name: str) -> pd.DataFrame:
        """A small whole table (loads, build), for the data-quality page."""
        return self.query(f"tables/{name}")

    def close(self) -> None:
        """Close the connection (tests; the app keeps one per data version)."""
        self._con.close()
