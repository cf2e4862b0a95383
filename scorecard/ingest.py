"""Validate the CSV extracts and load them into a DuckDB database file, atomically.

A build writes a new database beside the current one and swaps a pointer file only when it
is complete, so a running dashboard never sees half a refresh; a failed build leaves the last
good database in place and records why in `status.json` for the banner.

    python -m scorecard.ingest --data DIR [--db PATH] [--force]
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from . import checks, db, readers
from .calendar import calendar_frame
from .contracts import EXTRACTS, Extract
from .settings import ROOT, Settings, load

CODE_FILES = ("contracts.py", "checks.py", "readers.py", "ingest.py", "calendar.py")
KEEP_DATABASES = 2


@dataclass
class ExtractReport:
    """Row accounting for one extract: read = loaded + rejected, always."""

    extract: str
    file: str | None = None
    status: str = "loaded"  # loaded | missing | failed
    rows_read: int = 0
    loaded: int = 0
    rejected: int = 0
    first_date: str | None = None
    last_date: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    message: str = ""


@dataclass
class BuildResult:
    """What a refresh did: the database now served, per-extract reports and fatal problems."""

    ok: bool
    database: str | None
    fingerprint: str
    rebuilt: bool
    reports: list[ExtractReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    checked_at: str = ""
    built_at: str = ""


def locate(data_dir: Path) -> tuple[dict[str, Path | None], list[str]]:
    """Find each extract's file in `data_dir` (name.csv, .csv.gz, .txt, .tsv, any case)."""
    files = {p.name.lower(): p for p in data_dir.iterdir() if p.is_file()} \
        if data_dir.is_dir() else {}
    found, problems = {}, []
    for extract in EXTRACTS:
        hits = [files[n] for n in (extract.name + e for e in readers.EXTENSIONS) if n in files]
        if len(hits) > 1:
            names = " and ".join(h.name for h in hits)
            problems.append(f"{extract.name}: found {names}. Keep one file per extract.")
        found[extract.name] = hits[0] if hits else None
        if not hits and not extract.optional:
            problems.append(f"{extract.name}.csv: not found in {data_dir}. "
                            f"Add the {extract.name} extract (see README, 'The extracts').")
    return found, problems


def _file_hash(path: Path, memo: dict) -> str:
    stat = path.stat()
    key = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
    if key not in memo:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 22):
                digest.update(chunk)
        memo[key] = digest.hexdigest()
    return memo[key]


def fingerprint(files: dict[str, Path | None], settings: Settings) -> str:
    """A hash of every extract's content, the mapping file and the code that shapes tables."""
    memo_file = settings.cache_dir / "hashes.json"
    memo = _read_json(memo_file) or {}
    digest = hashlib.sha256()
    for name, path in sorted(files.items()):
        digest.update(f"{name}:{_file_hash(path, memo) if path else '-'};".encode())
    extra = [ROOT / "scorecard" / f for f in CODE_FILES]
    extra += sorted((ROOT / "queries" / "sources").glob("*.sql"))
    extra += [settings.mapping_file] if settings.mapping_file else []
    for path in extra:
        digest.update(path.read_bytes())
    _write_json(memo_file, memo)
    return digest.hexdigest()[:20]


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: Path, payload: dict) -> None:
    """Write JSON atomically: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)


def current(settings: Settings) -> dict | None:
    """The pointer to the database being served, if one exists."""
    pointer = _read_json(settings.cache_dir / "current.json")
    if pointer and (settings.cache_dir / pointer["database"]).exists():
        return pointer
    return None


def status(settings: Settings) -> dict | None:
    """The outcome of the last refresh attempt (for the banner and the data page)."""
    return _read_json(settings.cache_dir / "status.json")


def _empty_raw(con, extract: Extract, table: str) -> None:
    cols = ", ".join(f"{checks.ident(c.name)} VARCHAR" for c in extract.columns)
    con.execute(f"create or replace temp table {table} ({cols}, _line BIGINT)")


def _load_extract(con, extract: Extract, path: Path | None, report: ExtractReport) -> None:
    """Load one extract: raw text table, typed checks, final table and rejects."""
    raw = f"raw_{extract.name}"
    if path is None:
        _empty_raw(con, extract, raw)
        present: set[str] = {c.name for c in extract.columns}
    else:
        sniffed = readers.sniff(path)
        _check_required_columns(extract, sniffed)
        report.encoding, report.delimiter = sniffed.encoding, sniffed.delimiter
        loaded = readers.load_raw(con, sniffed, raw)
        report.rows_read = loaded.rows_read
        for line, reason in loaded.structural:
            con.execute("insert into rejects values ($e, $f, $l, NULL, NULL, $r)",
                        {"e": extract.name, "f": path.name, "l": line, "r": reason})
        present = set(sniffed.names)
    _check_and_store(con, extract, raw, present, path.name if path else None, report)


def _check_required_columns(extract: Extract, sniffed: readers.Sniffed) -> None:
    missing = [c.name for c in extract.columns if c.required and c.name not in sniffed.names]
    if missing:
        found = ", ".join(sniffed.names)
        raise readers.FileProblem(
            sniffed.path, f"missing required column(s) {', '.join(missing)}; found {found}.",
            "Rename the columns in the file or map them in a mapping file.")


def _check_and_store(con, extract, raw, present, file_name, report) -> None:
    con.execute(f"create or replace temp table chk_{extract.name} as "
                + checks.checked_select(extract, raw, present))
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


def _build(target: Path, files: dict, result: BuildResult) -> None:
    """Write a complete database to `target` (a new file), extract by extract."""
    con = db.connect(target, read_only=False)
    try:
        con.execute("create table rejects (extract VARCHAR, file VARCHAR, line BIGINT, "
                    "column_name VARCHAR, value VARCHAR, reason VARCHAR)")
        cal = calendar_frame()
        con.register("calendar_df", cal)
        con.execute("create table calendar as select * from calendar_df order by date")
        con.unregister("calendar_df")
        for extract in EXTRACTS:
            report = ExtractReport(extract.name, files[extract.name].name
                                   if files[extract.name] else None)
            result.reports.append(report)
            _load_one(con, extract, files[extract.name], report, result)
        db.run_folder(con, "sources")
        loads = pd.DataFrame([asdict(r) for r in result.reports])
        con.register("loads_df", loads)
        con.execute("create table loads as select * from loads_df")
        con.unregister("loads_df")
        con.execute("create table build as select $fp as fingerprint, $at as built_at",
                    {"fp": result.fingerprint, "at": result.built_at})
        con.execute("checkpoint")
    finally:
        con.close()


def _load_one(con, extract, path, report, result) -> None:
    """Load an extract; a file that cannot be read becomes a problem and an empty table."""
    if path is None:
        report.status = "missing"
    try:
        _load_extract(con, extract, path, report)
    except readers.FileProblem as exc:
        report.status, report.message = "failed", str(exc)
        result.problems.append(str(exc))
        con.execute("delete from rejects where extract = $e", {"e": extract.name})
        _load_extract(con, extract, None, ExtractReport(extract.name))


def refresh(settings: Settings | None = None, force: bool = False) -> BuildResult:
    """Rebuild the database if any extract (or the code shaping it) changed; keep the last
    good database when the new one has a file that cannot be read."""
    settings = settings or load()
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.cache_dir / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _refresh_locked(settings, force)


def _refresh_locked(settings: Settings, force: bool) -> BuildResult:
    now = datetime.now().isoformat(timespec="seconds")
    files, problems = locate(settings.data_dir)
    fp = fingerprint(files, settings)
    served = current(settings)
    if served and served["fingerprint"] == fp and not force:
        result = BuildResult(True, served["database"], fp, False, checked_at=now,
                             built_at=served.get("built_at", ""))
        _write_json(settings.cache_dir / "status.json", asdict(result))
        return result
    result = BuildResult(False, None, fp, True, problems=problems, checked_at=now, built_at=now)
    name = f"db-{fp}-{int(time.time() * 1000)}.duckdb"
    building = settings.cache_dir / (name + ".building")
    building.unlink(missing_ok=True)
    _build(building, files, result)
    result.ok = not result.problems
    if result.ok or served is None:
        os.replace(building, settings.cache_dir / name)
        result.database = name
        _write_json(settings.cache_dir / "current.json",
                    {"database": name, "fingerprint": fp, "built_at": now,
                     "data_dir": str(settings.data_dir)})
        _prune(settings.cache_dir, keep=name)
    else:
        building.unlink(missing_ok=True)
        result.database = served["database"]
        result.built_at = served.get("built_at", "")
    _write_json(settings.cache_dir / "status.json", asdict(result))
    return result


def _prune(cache_dir: Path, keep: str) -> None:
    """Delete older databases, keeping the newest few (sessions may still be reading them)."""
    older = sorted((p for p in cache_dir.glob("db-*.duckdb") if p.name != keep),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for path in older[KEEP_DATABASES - 1:]:
        path.unlink(missing_ok=True)


def _print_report(result: BuildResult) -> None:
    width = max(len(r.extract) for r in result.reports) if result.reports else 10
    print(f"{'extract'.ljust(width)}  {'read':>10}  {'loaded':>10}  {'rejected':>9}  file")
    for r in result.reports:
        print(f"{r.extract.ljust(width)}  {r.rows_read:>10,}  {r.loaded:>10,}  "
              f"{r.rejected:>9,}  {r.file or '(none)'}")


def main(argv: list[str] | None = None) -> int:
    """Command line: validate and load a folder of extracts; non-zero exit on a fatal problem."""
    parser = argparse.ArgumentParser(prog="python -m scorecard.ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="folder of CSV extracts")
    parser.add_argument("--cache", type=Path, help="folder for the database files")
    parser.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in (("data_dir", args.data), ("cache_dir", args.cache)) if v}
    settings = load(overrides)
    result = refresh(settings, force=args.force)
    if result.rebuilt:
        _print_report(result)
    else:
        print(f"Unchanged since {result.built_at}: serving {result.database}")
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
