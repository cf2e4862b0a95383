"""Loading one extract: find its file, read it raw, cast and check every cell, keep the good
rows and record every rejected one with its file, line, column, value and reason.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from . import checks, readers
from .contracts import EXTRACTS, Extract
from .mapping import NONE, ExtractMapping


@dataclass
class ExtractReport:
    """Row accounting for one extract: read = loaded + rejected, always."""

    extract: str
    file: str | None = None
    status: str = "loaded"  # loaded | missing | not supplied | failed
    rows_read: int = 0
    loaded: int = 0
    rejected: int = 0
    first_date: str | None = None
    last_date: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    message: str = ""


def locate(data_dir: Path, mappings: dict[str, ExtractMapping]):
    """Each extract's file in `data_dir`: the mapping's file pattern, else <name>.csv (also
    .csv.gz, .txt, .tsv, any case). Returns (files, problems, not supplied)."""
    files = {p.name.lower(): p for p in data_dir.iterdir() if p.is_file()} \
        if data_dir.is_dir() else {}
    found, problems, skipped = {}, [], set()
    for extract in EXTRACTS:
        m = mappings.get(extract.name, NONE)
        if not m.supplied:
            found[extract.name] = None
            skipped.add(extract.name)
            continue
        if m.file:
            hits = sorted(Path(p) for p in glob.glob(str(data_dir / m.file)))
            wanted = m.file
        else:
            hits = [files[n] for n in (extract.name + e for e in readers.EXTENSIONS)
                    if n in files]
            wanted = f"{extract.name}.csv"
        if len(hits) > 1:
            names = " and ".join(h.name for h in hits)
            problems.append(f"{extract.name}: found {names}. Keep one file per extract.")
        found[extract.name] = hits[0] if hits else None
        if not hits and not extract.optional:
            problems.append(f"{wanted}: not found in {data_dir}. Add the {extract.name} "
                            "extract (see README, 'The extracts'), or mark it "
                            "'supplied = false' in a mapping file.")
    return found, problems, skipped


def _empty_raw(con, extract: Extract, table: str) -> None:
    cols = ", ".join(f"{checks.ident(c.name)} VARCHAR" for c in extract.columns)
    con.execute(f"create or replace temp table {table} ({cols}, _line BIGINT)")


def check_columns(extract: Extract, names: list[str], m: ExtractMapping, path: Path) -> None:
    """A required column missing from the file (after mapping) makes the file unreadable."""
    missing = [c.name for c in extract.columns if c.required and c.name not in m.constants
               and any(s not in names for s in m.sources(c.name))]
    if missing:
        wanted = [f"{c} (mapped from {'+'.join(m.sources(c))})" if c in m.columns else c
                  for c in missing]
        raise readers.FileProblem(
            path, f"missing required column(s) {', '.join(wanted)}; found {', '.join(names)}.",
            "Rename the columns in the file or map them in a mapping file (docs/mapping.md).")


def load_extract(con, extract: Extract, path: Path | None, report: ExtractReport,
                 m: ExtractMapping = NONE) -> None:
    """Load one extract into its table; rejects go to the rejects table."""
    raw = f"raw_{extract.name}"
    if path is None:
        _empty_raw(con, extract, raw)
        present = {c.name for c in extract.columns}
        m = NONE
    else:
        sniffed = readers.sniff(path, m.encoding, m.delimiter)
        check_columns(extract, sniffed.names, m, path)
        report.encoding, report.delimiter = sniffed.encoding, sniffed.delimiter
        loaded = readers.load_raw(con, sniffed, raw)
        report.rows_read = loaded.rows_read
        for line, reason in loaded.structural:
            con.execute("insert into rejects values ($e, $f, $l, NULL, NULL, $r)",
                        {"e": extract.name, "f": path.name, "l": line, "r": reason})
        present = set(sniffed.names)
        if loaded.rows_read == 0:
            report.message = "The file has a header row but no rows."
    _check_and_store(con, extract, raw, present, path.name if path else None, report, m)


def _check_and_store(con, extract, raw, present, file_name, report, m) -> None:
    con.execute(f"create or replace temp table chk_{extract.name} as "
                + checks.checked_select(extract, raw, present, m))
    con.execute(f"create or replace temp table dup_{extract.name} as "
                + checks.duplicate_select(extract, f"chk_{extract.name}"))
    cols = ", ".join(checks.ident(c.name) for c in extract.columns)
    con.execute(f"create or replace table {extract.name} as select {cols} from "
                f"dup_{extract.name} where len(_problems) = 0 "
                f"order by {checks.ident(extract.date_column)}, _line")
    con.execute("insert into rejects select $e, $f, _line, p.column, p.value, p.reason from "
                f"(select _line, unnest(_problems) as p from dup_{extract.name} "
                "where len(_problems) > 0)", {"e": extract.name, "f": file_name})
    _account(con, extract, report)


def _account(con, extract: Extract, report: ExtractReport) -> None:
    date = checks.ident(extract.date_column)
    loaded, first, last = con.execute(
        f"select count(*), min({date})::DATE::VARCHAR, max({date})::DATE::VARCHAR "
        f"from {extract.name}").fetchall()[0]
    rejected = con.execute("select count(distinct line) from rejects where extract = $e",
                           {"e": extract.name}).fetchall()[0][0]
    report.loaded, report.rejected, report.first_date, report.last_date = (
        loaded, rejected, first, last)
    if report.rows_read == 0:
        report.rows_read = loaded + rejected
    if report.loaded + report.rejected != report.rows_read:
        raise AssertionError(f"{extract.name}: row accounting broke: read {report.rows_read}, "
                             f"loaded {loaded}, rejected {rejected}")
