"""Loading one extract: find its file(s), read them raw, run the council's staging query if
it has one, cast and check every cell, keep the good rows, and account for every other row
as excluded by design or rejected, with its file, line, column, value and reason.

Most extracts are one UTF-8 file with one record a line: those are read, checked and stored
in one statement straight from the CSV (`_store_in_one_pass`), near the cost of DuckDB's own
read. Anything else (several files, a staging query, another encoding, blank lines, line
breaks inside quotes, rows DuckDB cannot read) is read raw first (`_read_files`), so that
every record has its exact line.
"""

from __future__ import annotations

import glob
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..contracts import EXTRACTS, Extract
from . import checks, readers, staging
from .mapping import NONE, ExtractMapping

MAX_FILES_NAMED = 3
MAX_SPREAD = 4.0  # a table further than this from date order is sorted (date_spread)


@dataclass
class ExtractReport:
    """Row accounting for one extract: rows read = loaded + excluded + rejected, always
    (a staging query that makes several rows of one, such as a wide survey, is counted in the
    rows it gave: `staged`)."""

    extract: str
    file: str | None = None
    status: str = "loaded"  # loaded | missing | not supplied | failed
    rows_read: int = 0
    loaded: int = 0
    excluded: int = 0
    rejected: int = 0
    staged: int | None = None  # rows the staging query gave, when it changed the grain
    empty_columns: list[str] = field(default_factory=list)  # optional columns with no data
    first_date: str | None = None
    last_date: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    message: str = ""

    @property
    def rejected_share(self) -> float:
        """Rejected rows as a share of the rows there were to load."""
        total = self.loaded + self.excluded + self.rejected
        return self.rejected / total if total else 0.0


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _matches(data_dir: Path, patterns: tuple[str, ...]) -> list[Path]:
    """Files in the data folder matching the mapping's patterns (never outside it)."""
    hits = {
        Path(p)
        for pattern in patterns
        for p in glob.glob(str(data_dir / pattern))
        if Path(p).is_file()
    }
    return sorted(p for p in hits if _inside(p, data_dir))


def locate(data_dir: Path, mappings: dict[str, ExtractMapping]):
    """Each extract's file(s) in `data_dir`: the mapping's file patterns (several files are
    read as one extract), else <name>.csv (also .csv.gz, .txt, .tsv, any case). Returns
    (files, problems, not supplied): an extract with no file is simply not supplied."""
    files = (
        {p.name.lower(): p for p in data_dir.iterdir() if p.is_file()} if data_dir.is_dir() else {}
    )
    found, problems, skipped = {}, [], set()
    for extract in EXTRACTS:
        m = mappings.get(extract.name, NONE)
        found[extract.name] = []
        if not m.supplied:
            skipped.add(extract.name)
            continue
        if m.file:
            found[extract.name] = _matches(data_dir, m.file)
            if not found[extract.name]:
                problems.append(
                    f"{extract.name}: the mapping names {', '.join(m.file)}, but "
                    "no such file is in the extracts folder."
                )
            continue
        hits = [files[n] for n in (extract.name + e for e in readers.EXTENSIONS) if n in files]
        if len(hits) > 1:
            names = " and ".join(h.name for h in hits)
            problems.append(
                f"{extract.name}: found {names}. Keep one file per extract, or "
                "name the files to read together in a mapping file."
            )
        found[extract.name] = hits[:1]
    return found, problems, skipped


def files_label(paths: list[Path]) -> str | None:
    """How reports name an extract's file(s)."""
    if not paths:
        return None
    if len(paths) <= MAX_FILES_NAMED:
        return ", ".join(p.name for p in paths)
    return f"{len(paths)} files ({paths[0].name} to {paths[-1].name})"


def _clear(con, name: str) -> None:
    """Drop a temporary table or view of this name, if there is one (a file that failed
    part-way may have left either)."""
    kinds = con.execute(
        "select 'view' from duckdb_views() where temporary and view_name = $n "
        "union all select 'table' from duckdb_tables() where temporary and "
        "table_name = $n",
        {"n": name},
    ).fetchall()
    for (kind,) in kinds:
        con.execute(f"drop {kind} {name}")


def _empty_raw(con, extract: Extract, table: str) -> None:
    cols = ", ".join(f"{checks.ident(c.name)} VARCHAR" for c in extract.columns)
    _clear(con, table)
    con.execute(
        f"create temp table {table} ({cols}, _file VARCHAR, _line BIGINT, "
        "_row BIGINT, _exclude VARCHAR)"
    )


def check_columns(extract: Extract, names: list[str], m: ExtractMapping, label: str) -> None:
    """A required column missing from the file (after mapping) makes the file unreadable."""
    missing = [
        c.name
        for c in extract.columns
        if c.required
        and c.name not in m.constants
        and any(s not in names for s in m.sources(c.name))
    ]
    if missing:
        wanted = [
            f"{c} (mapped from {'+'.join(m.sources(c))})" if c in m.columns else c for c in missing
        ]
        raise readers.FileProblem(
            label,
            f"missing required column(s) {', '.join(wanted)}; found {', '.join(names)}.",
            "Rename the columns in the file or map them in a mapping file (docs/mapping.md).",
        )


def _read_files(
    con, extract: Extract, paths: list[Path], m: ExtractMapping, report: ExtractReport, table: str
) -> set[str]:
    """Read each file raw (text columns, `_file`, `_line`) into one view over them all;
    structural rejects recorded per file. Without a staging query the view also has `_row`
    (the record's position across the files) and an empty `_exclude`. Returns the column
    names present."""
    parts, present, offset = [], set(), 0
    for i, path in enumerate(paths):
        sniffed = readers.sniff(path, m.encoding, m.delimiter)
        if not m.staging_sql:
            check_columns(extract, sniffed.names, m, path.name)
        report.encoding, report.delimiter = sniffed.encoding, sniffed.delimiter
        part = f"{table}_{i}"
        loaded = readers.load_raw(con, sniffed, part)
        report.encoding = loaded.encoding  # Windows-1252 if the file turned out not UTF-8
        row = "" if m.staging_sql else f", _pos + {offset} as _row"  # staged: numbered after
        parts.append(
            f"select * exclude (_pos), {checks.quote(path.name)} as _file{row} from {part}"
        )
        offset += con.execute(f"select count(*) from {part}").fetchall()[0][0]
        report.rows_read += loaded.rows_read
        for line, reason in loaded.structural:
            con.execute(
                "insert into rejects values ($e, $f, $l, NULL, NULL, $r)",
                {"e": extract.name, "f": path.name, "l": line, "r": reason},
            )
        report.rejected += len(loaded.structural)
        present |= set(sniffed.names)
    union = " union all by name ".join(f"({p})" for p in parts)
    exclude = "" if m.staging_sql else ", NULL::VARCHAR as _exclude"
    _clear(con, table)
    con.execute(f"create temp view {table} as select *{exclude} from ({union})")
    return present


def _stage(con, extract: Extract, m: ExtractMapping, table: str, report: ExtractReport):
    """Run the staging query; source rows it did not return are excluded by design."""
    staged = f"staged_{extract.name}"
    present = set(staging.run(con, table, m.staging, m.staging_sql, staged))
    check_columns(extract, sorted(present), m, m.staging)
    left_out = con.execute(
        f"insert into exclusions select $e, s._file, s._line, NULL, NULL, $r from {table} s "
        f"anti join (select distinct _file, _line from {staged}) t using (_file, _line)",
        {"e": extract.name, "r": f"not selected by the staging query {m.staging}"},
    ).fetchall()[0][0]
    report.excluded += left_out
    rows = con.execute(f"select count(*) from {staged}").fetchall()[0][0]
    fed = con.execute(
        f"select count(*) from (select distinct _file, _line from {staged})"
    ).fetchall()[0][0]
    if rows != fed:  # the query changed the grain (a wide survey made long)
        report.staged = rows
    _clear(con, table)
    con.execute(f"create temp table {table} as select *, rowid as _row from {staged}")
    con.execute(f"drop table {staged}")
    return present


def check_date_styles(
    con,
    extract: Extract,
    table: str,
    present: set[str],
    m: ExtractMapping,
    label: str,
    sql: str | None = None,
) -> None:
    """Refuse a file whose dates could be read day-first or month-first, unless the mapping
    states the format: all of them ambiguous (04/05/2026), some that can only be month-first
    (04/13/2026, a US export), or a mix of both. Loading such a file would misdate rows.
    `sql` counts them where the table is not the raw one (`_store_in_one_pass`)."""
    sql = sql or checks.date_styles_select(extract, table, present, m)
    if sql is None:
        return
    row = con.execute(sql).fetchall()[0]
    day_first, day_eg, month_first, month_eg, either, either_eg = row
    column = (month_eg or either_eg or day_eg or "received_on").split(" ")[0]
    fix = (
        f'State the format in the mapping file, e.g. formats = {{ {column} = "%d/%m/%Y" '
        '} (day first) or "%m/%d/%Y" (month first), for each date column; see '
        "docs/mapping.md."
    )
    if day_first and month_first:
        raise readers.FileProblem(
            label,
            f"mixes day-first dates ({day_eg}) with month-first "
            f"ones ({month_eg}), so none can be trusted.",
            fix,
        )
    if month_first:
        raise readers.FileProblem(
            label,
            f"has month-first (US) dates: {month_eg} cannot be "
            f"day-first, and {month_first:,} like it.",
            fix,
        )
    if either and not day_first:
        raise readers.FileProblem(
            label,
            f"has dates that could be day-first or month-first "
            f"(every one of {either:,}, e.g. {either_eg}).",
            fix,
        )


def load_extract(
    con,
    extract: Extract,
    paths: list[Path],
    report: ExtractReport,
    m: ExtractMapping = NONE,
    limits: checks.DateLimits | None = None,
    temporary: bool = False,
) -> None:
    """Load one extract into its table; rejected and excluded rows go to their tables. A
    `temporary` table lives only while the database is built (a derived table that holds
    every row is what is kept: build.HELD_WHOLE), so it is neither written to the file nor
    put in date order."""
    limits = limits or checks.DateLimits()
    if _store_in_one_pass(con, extract, paths, report, m, limits, temporary):
        return
    raw = f"raw_{extract.name}"
    if not paths:
        _empty_raw(con, extract, raw)
        present, m = {c.name for c in extract.columns}, NONE
    else:
        present = _read_files(con, extract, paths, m, report, raw)
        if m.staging_sql:
            present = _stage(con, extract, m, raw, report)
        if report.rows_read == 0:
            report.message = "The file has a header row but no rows."
        check_date_styles(con, extract, raw, present, m, m.staging or files_label(paths))
    table = extract.name
    cols = ", ".join(checks.ident(c.name) for c in extract.columns)
    checked = checks.checked_select(extract, raw, present, m, limits)
    con.execute(
        f"create or replace {_kind(temporary)} {table} as select {cols}, _row, _file, _line, "
        f"_problems, _exclusions from ({checked})"
    )
    _account_and_keep(con, extract, table, report, present, m, temporary=temporary)


def _kind(temporary: bool) -> str:
    return "temp table" if temporary else "table"


def _store_in_one_pass(con, extract, paths, report, m, limits, temporary=False) -> bool:
    """The common case, near DuckDB's own speed: one UTF-8 file and no staging query. The
    file is read, every cell cast and checked, and the table written in one statement
    straight from the CSV (no raw copy of it). A row's position is its `rowid` (DuckDB keeps
    insertion order, so the rows are stored in file order), its line `rowid + 2` once the
    file is known to hold one record a line, and the dates whose style must be checked are
    kept beside it until they are. Returns False, leaving nothing behind, for anything else
    (other encodings, a record DuckDB could not read, quoted line breaks or blank lines, a
    damaged file): the careful path then reads the file (`_read_files`) and says why."""
    if len(paths) != 1 or m.staging_sql:
        return False
    path, table = paths[0], extract.name
    sniffed = readers.sniff(path, m.encoding, m.delimiter)
    if sniffed.encoding not in ("utf-8", "utf-8-sig"):
        return False
    check_columns(extract, sniffed.names, m, path.name)
    present = set(sniffed.names)
    rejects = f"one_pass_{table}"
    checked = checks.checked_select(
        extract, readers.csv_source(sniffed, rejects), present, m, limits, located=False
    )
    with ThreadPoolExecutor(1) as counter:  # the lines counted while DuckDB reads the file
        counting = counter.submit(readers.physical_lines, path)
        try:
            con.execute(
                f"create or replace {_kind(temporary)} {table} as {checked}", {"path": str(path)}
            )
            good = con.execute(f"select count(*) from {table}").fetchall()[0][0]
            refused = con.execute(f"select count(*) from {rejects}_rej").fetchall()[0][0]
        except duckdb.Error:
            good, refused = -1, -1
        try:
            lines_in_file, _ = counting.result()
        except readers.DAMAGED:
            lines_in_file = -1
    for leftover in (f"{rejects}_rej", f"{rejects}_scan"):
        con.execute(f"drop table if exists {leftover}")
    if refused != 0 or lines_in_file != good + 1:
        con.execute(f"drop table if exists {'temp.' if temporary else ''}{table}")
        return False
    report.rows_read, report.encoding, report.delimiter = good, sniffed.encoding, sniffed.delimiter
    if good == 0:
        report.message = "The file has a header row but no rows."
    styles = checks.style_dates(extract, present, m)
    located = _located(table, path.name)
    sql = checks.date_styles_select(extract, located, present, m, exprs=styles)
    check_date_styles(con, extract, table, present, m, path.name, sql)
    working = [w for _, w in styles]
    _account_and_keep(con, extract, located, report, present, m, working, temporary)
    return True


def _located(table: str, file: str) -> str:
    """A table stored in one pass, with each row's `_row`, `_file` and `_line`."""
    return (
        f"(select *, rowid as _row, {checks.quote(file)} as _file, rowid + 2 as _line from {table})"
    )


def _account_and_keep(
    con, extract, located, report, present, m, working=(), temporary=False
) -> None:
    """Record the rows with a problem (a repeated key among them) in rejects and those left
    out by design in exclusions, delete them, and drop the working columns: the table is
    written once, with each row's problems beside it, and never copied (a shuffled export
    apart: `_keep_in_date_order`). `located` is the table with each row's `_row`, `_file`
    and `_line`: the table itself, or `_located`. (A repeated key is not written into the
    table: DuckDB updates a list by moving the row, which would change its `rowid`.)"""
    table = extract.name
    row = "_row" if located == table else "rowid"
    checked, repeats = located, ""
    if con.execute(checks.has_duplicates_select(extract, table)).fetchall()[0][0]:
        con.execute(
            f"create or replace temp table dup_{table} as select _row, _problems from "
            f"({checks.duplicate_select(extract, located)}) where _repeat"
        )
        checked = (
            f"(select c.* replace (coalesce(d._problems, c._problems) as _problems) "
            f"from {located} c left join dup_{table} d using (_row))"
        )
        repeats = f" or {row} in (select _row from dup_{table})"
    con.execute(
        "insert into exclusions select $e, _file, _line, p.column, p.value, p.reason "
        f"from (select _file, _line, unnest(_exclusions) as p from {located} "
        "where len(_exclusions) > 0)",
        {"e": table},
    )
    con.execute(
        "insert into rejects select $e, _file, _line, p.column, p.value, p.reason from "
        f"(select _file, _line, unnest(_problems) as p from {checked} "
        "where len(_problems) > 0 and len(_exclusions) = 0)",
        {"e": table},
    )
    _account(con, extract, report, checked)
    con.execute(f"delete from {table} where len(_problems) > 0 or len(_exclusions) > 0{repeats}")
    if not temporary:  # a temporary table is copied, sorted, into the table kept
        _keep_in_date_order(con, extract)
    kept = ("_row", "_file", "_line") if located == table else ()
    for column in (*kept, "_problems", "_exclusions", *working):
        con.execute(f"alter table {table} drop column {column}")
    report.empty_columns = _empty_columns(con, extract, present, m)


def date_spread(con, extract: Extract) -> float | None:
    """How far an extract's table is from date order, as DuckDB's zone maps see it: its row
    groups' date ranges (from the storage's own statistics, no data read) added up, over the
    range of the whole table: about 1 in date order, the number of row groups when shuffled;
    None for one date or none."""
    return con.execute(
        "with groups as (select min(stats.min::timestamp) as lo, max(stats.max::timestamp) "
        "as hi from pragma_storage_info($t) where column_name = $c "
        "and segment_type <> 'VALIDITY' group by row_group_id) "
        "select sum(epoch(hi) - epoch(lo)) / nullif(epoch(max(hi)) - epoch(min(lo)), 0) "
        "from groups",
        {"t": extract.name, "c": extract.date_column},
    ).fetchall()[0][0]


def _keep_in_date_order(con, extract: Extract) -> None:
    """Keep the table near enough date order, row group by row group, that a query for a
    few months reads little more than their row groups (DuckDB's zone maps): the few live
    queries over the records (avoidable contact by reason, satisfaction by ward) need it.
    An extract exported in date order, as most are, is stored so (loaded in parallel, each
    row group holds a stretch of dates, some two: 2.6 at scale 50) and is kept as read:
    sorting copies the whole table, a sixth of a large council's load. One further out than
    `MAX_SPREAD` (a shuffled export) is sorted; a table of a few row groups never needs it."""
    spread = date_spread(con, extract)
    if spread is not None and spread > MAX_SPREAD:
        con.execute(
            f"create or replace table {extract.name} as select * from {extract.name} "
            f"order by {checks.ident(extract.date_column)}, rowid"
        )


def _empty_columns(con, extract: Extract, present: set[str], m: ExtractMapping) -> list[str]:
    """Optional columns the extract gives no data for: not in the file (nor mapped, nor a
    constant), or blank on every row loaded. A measure that needs one says "Not measured"
    rather than reading 0%."""
    optional = [c for c in extract.columns if not c.required]
    supplied = [
        c for c in optional if c.name in m.constants or all(s in present for s in m.sources(c.name))
    ]
    counts = (
        con.execute(
            "select "
            + ", ".join([f"count({checks.ident(c.name)})" for c in supplied] + ["count(*)"])
            + f" from {extract.name}"
        ).fetchall()[0]
        if supplied
        else (0,)
    )
    filled = {c.name for c, n in zip(supplied, counts) if n}
    return [c.name for c in optional if c.name not in filled]


def _account(con, extract: Extract, report: ExtractReport, checked: str) -> None:
    date = checks.ident(extract.date_column)
    loaded, excluded, rejected, first, last = con.execute(
        "select count(*) filter (where len(_problems) = 0 and len(_exclusions) = 0), "
        "count(*) filter (where len(_exclusions) > 0), "
        "count(*) filter (where len(_problems) > 0 and len(_exclusions) = 0), "
        f"min({date}) filter (where len(_problems) = 0 and len(_exclusions) = 0)::DATE::VARCHAR, "
        f"max({date}) filter (where len(_problems) = 0 and len(_exclusions) = 0)::DATE::VARCHAR "
        f"from {checked}"
    ).fetchall()[0]
    report.loaded, report.first_date, report.last_date = loaded, first, last
    report.excluded += excluded
    report.rejected += rejected
    if (
        report.staged is None
        and report.loaded + report.excluded + report.rejected != report.rows_read
    ):
        raise AssertionError(
            f"{extract.name}: row accounting broke: read {report.rows_read}, "
            f"loaded {loaded}, excluded {report.excluded}, rejected "
            f"{report.rejected}"
        )
