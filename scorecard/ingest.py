"""Validate the CSV extracts and load them into a DuckDB database file, atomically.

A build writes a new database beside the current one and swaps a pointer file only when it
is complete, so a running dashboard never sees half a refresh; a failed build leaves the last
good database in place and records why in `status.json` for the banner.

    python -m scorecard.ingest --data DIR [--mapping FILE] [--db PATH] [--force]
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from . import catalogue, db, mapping, readers
from .calendar import calendar_frame
from .contracts import EXTRACTS
from .load import ExtractReport, load_extract, locate
from .settings import ROOT, Settings, load

CODE_FILES = ("contracts.py", "checks.py", "readers.py", "load.py", "ingest.py", "calendar.py",
              "mapping.py")
KEEP_DATABASES = 2

__all__ = ["BuildResult", "ExtractReport", "current", "main", "refresh", "status"]


@dataclass
class BuildResult:
    """What a refresh did: the database now served, per-extract reports, fatal problems and
    warnings (rows loaded that refer to something the configuration does not know)."""

    ok: bool
    database: str | None
    fingerprint: str
    rebuilt: bool
    reports: list[ExtractReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked_at: str = ""
    built_at: str = ""
    rejects_file: str | None = None


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
    """A hash of every extract's content, the mapping file, the configuration and the code
    that shapes the tables: any change means a rebuild."""
    memo_file = settings.cache_dir / "hashes.json"
    memo = _read_json(memo_file) or {}
    digest = hashlib.sha256()
    for name, path in sorted(files.items()):
        digest.update(f"{name}:{_file_hash(path, memo) if path else '-'};".encode())
    extra = [ROOT / "scorecard" / f for f in CODE_FILES]
    extra += sorted((ROOT / "queries" / "sources").glob("*.sql"))
    extra += [settings.strategy_file, settings.catalogue_file]
    extra += [settings.mapping_file] if settings.mapping_file else []
    for path in extra:
        digest.update(path.read_bytes() if path.exists() else b"-")
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


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """The --data and --cache options every command line shares."""
    parser.add_argument("--data", type=Path, help="folder of CSV extracts")
    parser.add_argument("--cache", type=Path, help="folder for the database files")


def served_database(args) -> tuple[Settings, db.Database] | None:
    """For a command line: refresh from the extracts (problems printed as warnings) and open
    the database being served; None, with the reason printed, when there is none."""
    overrides = {k: v for k, v in (("data_dir", args.data), ("cache_dir", args.cache)) if v}
    settings = load(overrides)
    for problem in refresh(settings).problems:
        print(f"warning: {problem}", file=sys.stderr)
    pointer = current(settings)
    if pointer is None:
        print("error: no database could be built from the extracts", file=sys.stderr)
        return None
    return settings, db.Database(settings.cache_dir / pointer["database"])


def _load_one(con, extract, path, report, result, m) -> None:
    """Load an extract; a file that cannot be read becomes a problem and an empty table."""
    try:
        load_extract(con, extract, path, report, m)
    except readers.FileProblem as exc:
        report.status, report.message = "failed", str(exc)
        result.problems.append(str(exc))
        con.execute("delete from rejects where extract = $e", {"e": extract.name})
        load_extract(con, extract, None, ExtractReport(extract.name))


def _warnings(con, settings: Settings) -> list[str]:
    """Rows that refer to measures or pillars the configuration does not know."""
    measures = list(catalogue.load_catalogue(settings.catalogue_file))
    strategy = catalogue.load_strategy(settings.strategy_file, settings.catalogue_file)
    unknown = db.run(con, "checks/unknown_references", measures=measures,
                     pillars=[p.id for p in strategy.pillars])
    return [f"{r.extract}.csv: {r.rows} row(s) with {r.column_name} '{r.value}', which the "
            f"{'catalogue' if 'measure' in r.column_name else 'strategy'} does not know; "
            "they are loaded but not shown." for r in unknown.itertuples(index=False)]


def _build(target: Path, files: dict, skipped: set, mappings: dict, result: BuildResult,
           settings: Settings) -> None:
    """Write a complete database to `target` (a new file), extract by extract."""
    con = db.connect(target, read_only=False)
    try:
        con.execute("create table rejects (extract VARCHAR, file VARCHAR, line BIGINT, "
                    "column_name VARCHAR, value VARCHAR, reason VARCHAR)")
        con.register("calendar_df", calendar_frame())
        con.execute("create table calendar as select * from calendar_df order by date")
        con.unregister("calendar_df")
        for extract in EXTRACTS:
            path = files[extract.name]
            report = ExtractReport(extract.name, path.name if path else None)
            if path is None:
                report.status = "not supplied" if extract.name in skipped else "missing"
            result.reports.append(report)
            _load_one(con, extract, path, report, result, mappings.get(extract.name,
                                                                       mapping.NONE))
        db.run_folder(con, "sources")
        result.warnings = _warnings(con, settings)
        _record(con, result)
    finally:
        con.close()


def _record(con, result: BuildResult) -> None:
    """Store the row accounting and warnings in the database, for the data-quality page."""
    con.register("loads_df", pd.DataFrame([asdict(r) for r in result.reports]))
    con.execute("create table loads as select * from loads_df")
    con.unregister("loads_df")
    con.execute("create table build as select $fp as fingerprint, $at as built_at, "
                "$w::VARCHAR[] as warnings",
                {"fp": result.fingerprint, "at": result.built_at, "w": result.warnings})
    con.execute("checkpoint")


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
    try:
        mappings = mapping.load(settings.mapping_file)
    except mapping.MappingError as exc:
        return _failed(settings, now, [str(exc)])
    files, problems, skipped = locate(settings.data_dir, mappings)
    fp = fingerprint(files, settings)
    served = current(settings)
    last = status(settings) or {}
    seen = last.get("fingerprint") == fp or (served or {}).get("fingerprint") == fp
    if served and seen and not force:
        # nothing changed since the last check: the same verdict (a file that could not be
        # read still cannot), and no rebuild
        failed = last.get("fingerprint") == fp and not last.get("ok", True)
        result = BuildResult(not failed, served["database"], fp, False, checked_at=now,
                             built_at=served.get("built_at", ""),
                             problems=last.get("problems", []) if failed else [],
                             warnings=last.get("warnings", []),
                             rejects_file=last.get("rejects_file"))
        _write_json(settings.cache_dir / "status.json", asdict(result))
        return result
    result = BuildResult(False, None, fp, True, problems=problems, checked_at=now, built_at=now)
    name = f"db-{fp}-{int(time.time() * 1000)}.duckdb"
    building = settings.cache_dir / (name + ".building")
    building.unlink(missing_ok=True)
    _build(building, files, skipped, mappings, result, settings)
    result.ok = not result.problems
    if result.ok or served is None:
        _swap_in(settings, building, name, result)
    else:
        building.unlink(missing_ok=True)
        result.database = served["database"]
        result.built_at = served.get("built_at", "")
    _write_json(settings.cache_dir / "status.json", asdict(result))
    return result


def rejects_path(database: Path) -> Path:
    """The CSV of a database's rejected rows, beside it: db-x.duckdb -> db-x.rejects.csv."""
    database = Path(database)
    return database.with_name(database.name.removesuffix(".duckdb") + ".rejects.csv")


def _swap_in(settings: Settings, building: Path, name: str, result: BuildResult) -> None:
    """Make the new database the one served: rename it, write its rejects CSV, then point
    current.json at it (the last step, so readers never see a half-built database)."""
    os.replace(building, settings.cache_dir / name)
    result.database = name
    con = db.connect(settings.cache_dir / name)
    try:
        rejects = con.execute("select * from rejects order by extract, line").df()
    finally:
        con.close()
    rejects_file = rejects_path(settings.cache_dir / name)
    rejects.to_csv(rejects_file, index=False)
    result.rejects_file = str(rejects_file)
    _write_json(settings.cache_dir / "current.json",
                {"database": name, "fingerprint": result.fingerprint,
                 "built_at": result.built_at, "data_dir": str(settings.data_dir)})
    _prune(settings.cache_dir, keep=name)


def _failed(settings: Settings, now: str, problems: list[str]) -> BuildResult:
    served = current(settings)
    result = BuildResult(False, served["database"] if served else None, "", False,
                         problems=problems, checked_at=now,
                         built_at=served.get("built_at", "") if served else "")
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    _write_json(settings.cache_dir / "status.json", asdict(result))
    return result


def _prune(cache_dir: Path, keep: str) -> None:
    """Delete older databases, keeping the newest few (sessions may still be reading them)."""
    older = sorted((p for p in cache_dir.glob("db-*.duckdb") if p.name != keep),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for path in older[KEEP_DATABASES - 1:]:
        path.unlink(missing_ok=True)
        rejects_path(path).unlink(missing_ok=True)


def _print_report(result: BuildResult) -> None:
    width = max(len(r.extract) for r in result.reports) if result.reports else 10
    print(f"{'extract'.ljust(width)}  {'read':>10}  {'loaded':>10}  {'rejected':>9}  file")
    for r in result.reports:
        shown = r.file or f"({r.status})"
        print(f"{r.extract.ljust(width)}  {r.rows_read:>10,}  {r.loaded:>10,}  "
              f"{r.rejected:>9,}  {shown}" + (f"  {r.message}" if r.message and
                                               r.status == "loaded" else ""))
    if result.rejects_file and any(r.rejected for r in result.reports):
        print(f"Rejected rows (file, line, column, value, reason): {result.rejects_file}")


def main(argv: list[str] | None = None) -> int:
    """Command line: validate and load a folder of extracts; non-zero exit on a fatal problem,
    one line per problem, and never a traceback for bad input."""
    parser = argparse.ArgumentParser(prog="python -m scorecard.ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="folder of CSV extracts")
    parser.add_argument("--mapping", type=Path, help="mapping file (docs/mapping.md)")
    parser.add_argument("--cache", type=Path, help="folder for the database files")
    parser.add_argument("--db", type=Path, help="also write the database to this path")
    parser.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in (("data_dir", args.data), ("cache_dir", args.cache),
                                   ("mapping_file", args.mapping)) if v}
    try:
        settings = load(overrides)
    except (ValueError, OSError) as exc:  # a settings file we cannot use: say which and why
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        if not settings.data_dir.is_dir():
            print(f"error: {settings.data_dir}: no such folder. Give --data the folder that "
                  "holds the extracts.", file=sys.stderr)
            return 1
        result = refresh(settings, force=args.force)
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback, ever
        print(f"error: loading failed unexpectedly ({type(exc).__name__}: {exc}). This is a "
              "fault in the dashboard, not your data: please report it.", file=sys.stderr)
        return 2
    if result.reports:
        _print_report(result)
    else:
        print(f"Unchanged since {result.built_at}: serving {result.database}")
    for warning in result.warnings:
        print(f"warning: {warning}")
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    if args.db and result.ok and result.database:
        shutil.copyfile(settings.cache_dir / result.database, args.db)
        print(f"Database written to {args.db}")
        rejects = rejects_path(settings.cache_dir / result.database)
        if rejects.exists():
            beside = rejects_path(args.db)
            shutil.copyfile(rejects, beside)
            print(f"Rejected rows written to {beside}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
