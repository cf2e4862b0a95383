"""Staging queries: a council's own DuckDB SQL that turns its raw file(s) into our contract.

The dbt "staging model" idea: one `.sql` file per extract, named in the mapping file
(`staging = "staging/contacts.sql"`), selects the contract's columns from the relation
`source`, which holds the council's file(s) as read by our reader: every column as text
(header names normalised: "Queue Entry Time" is `queue_entry_time`), plus `_file` (the file
name) and `_line` (the line the row starts on). The query must keep `_file` and `_line` so
every row stays traceable, and may add `_exclude` (a reason) to leave a row out by design.

The query runs in its own in-memory DuckDB with file access switched off
(`enable_external_access = false`), so it reads nothing but the council's file(s) we hand
it and writes nothing; it must be one SELECT (WITH, UNPIVOT and PIVOT included).
"""

from __future__ import annotations

import duckdb

from .readers import FileProblem, normalise_name

SOURCE = "source"
TRACE = ("_file", "_line")


def _problem(name: str, what: str) -> FileProblem:
    return FileProblem(
        name,
        f"the staging query {what}",
        "Fix the query and load again (docs/mapping.md, 'Staging queries').",
    )


def _one_select(sandbox, name: str, sql: str) -> str:
    """The query text, checked to be exactly one SELECT statement."""
    try:
        statements = sandbox.extract_statements(sql)
    except duckdb.Error as exc:
        raise _problem(name, f"is not valid SQL: {_first_line(exc)}.") from None
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise _problem(
            name,
            "must be exactly one SELECT (WITH, UNPIVOT and PIVOT are fine); "
            "it may not create, copy, attach or set anything.",
        )
    return sql.strip().rstrip(";")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


def run(con, raw_table: str, name: str, sql: str, target: str) -> list[str]:
    """Run a staging query over `raw_table` (on `con`) and store its result in `target` as
    text columns plus `_file`, `_line` and `_exclude`; returns the contract columns it gave."""
    source = con.sql(f"select * from {raw_table}").to_arrow_table()
    sandbox = duckdb.connect(":memory:")
    try:
        sandbox.register("source_arrow", source)
        sandbox.execute(f"create table {SOURCE} as select * from source_arrow")
        sandbox.unregister("source_arrow")
        sandbox.execute("set enable_external_access = false")
        query = _one_select(sandbox, name, sql)
        try:
            staged = sandbox.sql(f"select * from (\n{query}\n)").to_arrow_table()
        except duckdb.Error as exc:
            hint = (
                f" The columns of source are: {', '.join(source.column_names)}."
                if "column" in str(exc).lower()
                else ""
            )
            raise _problem(name, f"failed: {_first_line(exc)}.{hint}") from None
    finally:
        sandbox.close()
    names = [normalise_name(n) for n in staged.column_names]
    missing = [t for t in TRACE if t.strip("_") not in names]
    if missing:
        raise _problem(
            name,
            "must keep _file and _line from source in its result (select "
            "_file, _line, ...), so every row can be traced to its line.",
        )
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _problem(name, f"gives the column {', '.join(dupes)} more than once.")
    staged = staged.rename_columns(
        ["_" + n if n in ("file", "line", "exclude") else n for n in names]
    )
    con.register("staged_arrow", staged)
    try:
        casts = ", ".join(
            f'"{n}"::BIGINT as _line' if n == "_line" else f'"{n}"::VARCHAR as "{n}"'
            for n in staged.column_names
        )
        con.execute(f"create or replace temp table {target} as select {casts} from staged_arrow")
    finally:
        con.unregister("staged_arrow")
    if "_exclude" not in staged.column_names:
        con.execute(f"alter table {target} add column _exclude VARCHAR")
    return [n for n in staged.column_names if not n.startswith("_")]
