"""Validate the CSV extracts and load them into a DuckDB database file, atomically.

A build writes a new database beside the current one and swaps a pointer file only when it
is complete, so a running dashboard never sees half a refresh; a failed build leaves the last
good database in place and records why in `status.json` for the banner.

    python -m scorecard.ingest --data DIR [--mapping FILE] [--db PATH] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from filelock import FileLock

from ..contracts import BY_NAME, EXTRACTS
from ..engine import catalogue, db, exports, kept, measures
from ..engine.calendar import calendar_frame
from ..settings import ROOT, Settings, load
from . import checks, mapping, readers
from .load import ExtractReport, files_label, load_extract, locate

CODE_FILES = (
    "contracts.py",
    "settings.py",
    "ingest/checks.py",
    "ingest/readers.py",
    "ingest/load.py",
    "ingest/build.py",
    "engine/calendar.py",
    "engine/kept.py",
    "ingest/mapping.py",
    "ingest/staging.py",
)
KEEP_DATABASES = 2
LOG = logging.getLogger("scorecard")

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
    flags: list[str] = field(default_factory=list)  # loaded, but a person should look
    future_rows: int = 0  # rows rejected for a future date: the next day may accept them
    notices: list[str] = field(default_factory=list)  # what the dashboard did for itself
    checked_at: str = ""
    built_at: str = ""
    rejects_file: str | None = None
    reread: list[str] | None = None  # the extracts this refresh read (None: no refresh)
    # how long each part of the build took: (wall seconds, CPU seconds of every thread)
    phases: dict[str, tuple[float, float]] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Fingerprint:
    """What a database was built from: `base` (the code, configuration, mapping file and
    settings: a change means every extract is re-read) and each extract's own hash (its
    files' content and staging query: a change re-reads that extract alone)."""

    base: str
    extracts: dict

    @property
    def whole(self) -> str:
        """One hash of everything: any change means a refresh."""
        digest = hashlib.sha256(self.base.encode())
        for name, part in sorted(self.extracts.items()):
            digest.update(f"{name}:{part};".encode())
        return digest.hexdigest()[:20]

    def changed(self, served: dict | None) -> list[str] | None:
        """The extracts that differ from a served database's, or None when they all must be
        re-read (a different base, or a database that recorded no parts)."""
        if not served or served.get("base") != self.base or not served.get("complete"):
            return None
        before = served.get("extracts") or {}
        if set(before) != set(self.extracts):
            return None
        return sorted(n for n, part in self.extracts.items() if before[n] != part)


def fingerprint(
    files: dict[str, list[Path]],
    settings: Settings,
    mappings: dict | None = None,
    day: date | None = None,
) -> Fingerprint:
    """Hashes of every extract's content, the mapping file, the configuration and the code
    that shapes the tables: any change means a refresh; which changed says what to re-read."""
    memo_file = settings.cache_dir / "hashes.json"
    memo = _read_json(memo_file) or {}
    mappings = mappings or {}
    extracts = {}
    for name, paths in sorted(files.items()):
        digest = hashlib.sha256(
            ",".join(f"{p.name}={_file_hash(p, memo)}" for p in paths).encode() or b"-"
        )
        digest.update((getattr(mappings.get(name), "staging_sql", "") or "").encode())
        extracts[name] = digest.hexdigest()[:20]
    digest = hashlib.sha256()
    extra = [ROOT / "scorecard" / f for f in CODE_FILES]
    extra += sorted((ROOT / "queries" / "sources").glob("*.sql"))
    extra += [settings.strategy_file, settings.catalogue_file]
    extra += [p for p in (settings.mapping_file, settings.council_file) if p]
    for path in extra:
        digest.update(path.read_bytes() if path.exists() else b"-")
    digest.update(
        f"{settings.max_rejected_share}|{settings.earliest_date}|"
        f"{settings.future_days}|{settings.digital_channels}|{day or ''}".encode()
    )
    _write_json(memo_file, memo)
    return Fingerprint(digest.hexdigest()[:20], extracts)


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
    if settings.parquet_dir:
        served = _parquet_served(settings)
        return {
            "database": served.database,
            "fingerprint": served.fingerprint,
            "built_at": served.built_at,
        }
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
    for problem in refresh(settings, wait=True).problems:
        print(f"warning: {problem}", file=sys.stderr)
    pointer = current(settings)
    if pointer is None:
        print("error: no database could be built from the extracts", file=sys.stderr)
        return None
    return settings, db.Database(settings.cache_dir / pointer["database"])


def with_served_database(args, work) -> int:
    """For a command line: refresh, open the database served and run `work(settings,
    database)`, closing it after; 1 (nothing loaded) when there is no database."""
    served = served_database(args)
    if served is None:
        return 1
    settings, database = served
    try:
        return work(settings, database)
    finally:
        database.close()


def date_limits(settings: Settings, today: date | None = None) -> checks.DateLimits:
    """The dates a row may carry, from the settings and the day of loading."""
    today = today or date.today()
    return checks.DateLimits(
        date.fromisoformat(settings.earliest_date),
        today + timedelta(days=settings.future_days),
        today,
    )


@contextmanager
def _timed(result: BuildResult, phase: str):
    """Time one part of a build (wall and CPU seconds, DuckDB's threads included): logged,
    printed by the command line and kept in the build record, so a slow load shows where
    it is run, not only in the benchmark."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        took = (time.perf_counter() - wall, time.process_time() - cpu)
        result.phases[phase] = took
        LOG.info("ingest: %s took %.1f s (%.1f s of CPU)", phase, *took)


def took(result: BuildResult) -> str:
    """The build's parts and how long each took, in a line."""
    return ", ".join(
        f"{phase} {wall:.1f} s ({cpu:.1f} s CPU)" for phase, (wall, cpu) in result.phases.items()
    )


# The extracts a derived table holds whole, row for row and sorted as their measures read
# them (queries/sources/20_cases.sql, 35_complaints.sql): each is loaded as a temporary
# table and then served as a view of its own columns over the derived table, so that every
# record is written to the database once (at scale 50 writing cases twice cost 0.9 s of CPU).
HELD_WHOLE = {"cases": "cases_v", "complaints": "complaints_v"}


def _load_one(con, extract, paths, report, result, m, settings) -> None:
    """Load an extract; a file that cannot be read is a problem and leaves an empty table."""
    for table in ("rejects", "exclusions"):  # a re-read replaces what the last read left
        con.execute(f"delete from {table} where extract = $e", {"e": extract.name})
    temporary = extract.name in HELD_WHOLE
    try:
        load_extract(con, extract, paths, report, m, date_limits(settings), temporary)
    except readers.FileProblem as exc:
        report.status, report.message = "failed", str(exc)
        result.problems.append(str(exc))
        for table in ("rejects", "exclusions"):
            con.execute(f"delete from {table} where extract = $e", {"e": extract.name})
        load_extract(con, extract, [], ExtractReport(extract.name), temporary=temporary)


def _serve_held_whole(con, read: list[str]) -> None:
    """Each extract of HELD_WHOLE read in this build, once its derived table is made: the
    temporary table dropped and the extract served as a view of its own columns over it."""
    for name in read:
        if name in HELD_WHOLE:
            columns = ", ".join(checks.ident(c.name) for c in BY_NAME[name].columns)
            con.execute(f"drop table temp.{name}")
            con.execute(
                f"create or replace view {name} as select {columns} from {HELD_WHOLE[name]}"
            )


def _flag(con, report: ExtractReport, result: BuildResult, settings: Settings) -> None:
    """An extract that loads no rows, or has more of its rows rejected than the settings
    allow, is loaded but flagged (the banner says so; the command line exits with status 4)."""
    if report.status == "failed":
        return
    share = report.rejected_share
    if share > settings.max_rejected_share:
        total = report.loaded + report.excluded + report.rejected
        result.flags.append(
            f"{report.file}: {report.rejected:,} of {total:,} rows "
            f"({100 * share:.0f}%) were rejected, more than the "
            f"{100 * settings.max_rejected_share:.0f}% expected; "
            f"{_commonest_reason(con, report.extract)}"
        )
    elif report.file and report.loaded == 0:
        result.flags.append(f"{report.file}: no row could be loaded.")


def _commonest_reason(con, extract: str) -> str:
    """'the commonest reason: received_on is not a date (first on line 2)'."""
    row = con.execute(
        "select column_name, reason, min(line) from rejects where extract = $e "
        "group by all order by count(*) desc, 3 limit 1",
        {"e": extract},
    ).fetchall()
    if not row:
        return "see the rejected rows."
    column, reason, line = row[0]
    return (
        f"the commonest reason: {column + ' ' if column else ''}{reason} (first on line "
        f"{line}). The rejected rows list says why each row was refused."
    )


def _warnings(con, settings: Settings, mappings: dict) -> list[str]:
    """Rows that refer to measures or pillars the configuration does not know, and a contacts
    extract that looks like one channel's although its mapping does not say so."""
    measures = catalogue.load_catalogue(settings.catalogue_file)
    strategy = catalogue.load_strategy(settings.strategy_file, settings.catalogue_file)
    unknown = db.records(
        con,
        "checks/unknown_references",
        measures=list(measures),
        pillars=[p.id for p in strategy.pillars],
    )
    out = [
        f"{r.extract}.csv: {r.rows} row(s) with {r.column_name} '{r.value}', which the "
        f"{'catalogue' if 'measure' in r.column_name else 'strategy'} does not know; "
        "they are loaded but not shown."
        for r in unknown
    ]
    out += _unread_questions(con, measures)
    if not mappings.get("contacts", mapping.NONE).scope.channels:
        out += [
            f"contacts: every one of the {r.contacts:,} contacts is {r.channel}. If the "
            f"extract covers {r.channel} only, say so in the mapping file ([contacts] "
            f'scope = {{ channels = ["{r.channel}"] }}), so that measures needing every '
            'channel, such as digital take-up, say "Not measured" rather than 0% or 100%.'
            for r in db.records(con, "checks/one_channel_contacts")
        ]
    return out


def _unread_questions(con, measures: dict) -> list[str]:
    """Survey answers to a question no measure reads (a measure with no question reads them
    all): most often a question code the mapping should translate."""
    read: dict[str, set | None] = {}
    for m in measures.values():
        survey = m.params.get("survey")
        if survey:
            question = m.params.get("question")
            known = read.setdefault(survey, set())
            read[survey] = None if known is None or question is None else known | {question}
    out = []
    for r in db.records(con, "checks/survey_questions"):
        wanted = read.get(r.survey, set())
        if wanted is not None and r.question not in wanted:
            codes = ", ".join(sorted(wanted)) or "no question"
            out.append(
                f"satisfaction: {r.answers:,} answer(s) to question '{r.question}' in "
                f"the {r.survey} survey, which no measure reads; the measures read "
                f"{codes} from it. Translate your question codes with "
                "values.question in the mapping file (docs/mapping.md)."
            )
    return out


def _build(
    target: Path,
    files: dict,
    skipped: set,
    mappings: dict,
    result: BuildResult,
    settings: Settings,
    served: Path | None = None,
    changed=None,
    rejects: Path | None = None,
) -> None:
    """Write a complete database to `target` (a new file), extract by extract; or, given the
    database being served and the extracts that `changed`, a copy of it with only those
    re-read and only the tables derived from them rebuilt (incremental refresh)."""
    flushing = ThreadPoolExecutor(1)
    if served is not None:
        shutil.copyfile(served, target)
        # the copy's pages written to disk while the changed extracts are read, not when the
        # first table is committed (DuckDB syncs the file then: a seventh of a refresh)
        flushing.submit(_sync, target)
    con = db.connect(target, read_only=False)
    try:
        if settings.threads:
            con.execute(f"set threads = {int(settings.threads)}")
        con.execute(f"set memory_limit = '{settings.memory_limit}'")
        before = _previous_reports(con) if served is not None else {}
        if served is None:
            _create_shared_tables(con, settings)
        read = []
        for extract in EXTRACTS:
            paths = files[extract.name]
            if extract.name in before and extract.name not in changed:
                result.reports.append(before[extract.name])
                continue
            read.append(extract.name)
            report = ExtractReport(extract.name, files_label(paths))
            if not paths:
                report.status = "not supplied" if extract.name in skipped else "missing"
            result.reports.append(report)
            with _timed(result, f"reading {extract.name}"):
                _load_one(
                    con,
                    extract,
                    paths,
                    report,
                    result,
                    mappings.get(extract.name, mapping.NONE),
                    settings,
                )
        for report in result.reports:
            _flag(con, report, result, settings)
        for table in ("loads", "scope", "build"):
            con.execute(f"drop table if exists {table}")
        _record_loads(con, result, mappings)
        as_at = _as_at(con)
        with _timed(result, "derived tables"):
            only = None if served is None else [*changed, "loads", "scope"]
            db.run_folder(con, "sources", only=only)
            _serve_held_whole(con, read)
        # a refresh keeps again the measures that read a changed extract; all of them when
        # the data's as-at date moved (a measure may read it: is an acknowledgement overdue?)
        fresh = served is None or _as_at(con) != as_at
        large = {r.extract for r in result.reports if r.loaded >= settings.keep_channels_from}
        jobs = measures.kept_queries(
            _catalogue(settings), None if fresh else changed, kept.CHANNELS, large
        )
        with _timed(result, "kept results"):
            kept.keep(con, jobs, fresh, to=_as_at(con))
        result.warnings = _warnings(con, settings, mappings)
        result.future_rows = con.execute(
            "select count(distinct (extract, file, line)) from rejects where starts_with(reason, "
            "$r)",
            {"r": checks.FUTURE_REASON},
        ).fetchall()[0][0]
        _record(con, result)
        if rejects is not None:
            _write_rejects(con, rejects)
    finally:
        con.close()
        flushing.shutdown()


def _sync(path: Path) -> None:
    """Write a file's pages to disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _as_at(con):
    """The data's as-at date in the database being written (None before the first build)."""
    try:
        return con.execute("select as_at_date from as_at").fetchall()[0][0]
    except (duckdb.Error, IndexError):
        return None


def _catalogue(settings: Settings) -> dict:
    """The measures whose results the build keeps (none when the catalogue cannot be read:
    the dashboard says why, and nothing kept means every figure is worked out live)."""
    try:
        return catalogue.load_catalogue(settings.catalogue_file, settings.digital_channels)
    except (catalogue.ConfigError, OSError):
        return {}


def _create_shared_tables(con, settings: Settings) -> None:
    """The rejected and excluded rows of every extract, the calendar and the channels that
    count as digital (an incremental refresh keeps them: they change only with the code or
    the settings, which means a full rebuild)."""
    for table in ("rejects", "exclusions"):
        con.execute(
            f"create table {table} (extract VARCHAR, file VARCHAR, line BIGINT, "
            "column_name VARCHAR, value VARCHAR, reason VARCHAR)"
        )
    con.register("calendar_df", calendar_frame())
    con.execute("create table calendar as select * from calendar_df order by date")
    con.unregister("calendar_df")
    con.execute(
        "create table digital_channels as select unnest($c::VARCHAR[]) as channel",
        {"c": list(settings.digital_channels)},
    )


def _previous_reports(con) -> dict[str, ExtractReport]:
    """Each extract's row accounting as the database being copied recorded it."""
    cursor = con.execute("select * from loads")
    names = [d[0] for d in cursor.description]
    out = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        row["empty_columns"] = list(row["empty_columns"] or [])
        row["message"] = row["message"] or ""
        out[row["extract"]] = ExtractReport(**row)
    return out


def _record_loads(con, result: BuildResult, mappings: dict) -> None:
    """Each extract's row accounting, and what it covers as its mapping declares (the engine
    says "not measured" for a measure an extract does not cover)."""
    report = [(f.name, _SQL_TYPES[f.type]) for f in fields(ExtractReport)]
    _insert(con, "loads", report, [[getattr(r, n) for n, _ in report] for r in result.reports])
    _insert(
        con,
        "scope",
        [
            ("extract", "VARCHAR"),
            ("channels", "VARCHAR[]"),
            ("services", "VARCHAR[]"),
            ("surveys", "VARCHAR[]"),
            ("covers_from", "DATE"),
            ("covers_to", "DATE"),
        ],
        [
            [e.name, list(s.channels), list(s.services), list(s.surveys), s.start, s.end]
            for e in EXTRACTS
            for s in [mappings.get(e.name, mapping.NONE).scope]
        ],
    )


_SQL_TYPES = {"str": "VARCHAR", "str | None": "VARCHAR", "int": "BIGINT"}
_SQL_TYPES |= {"int | None": "BIGINT", "list[str]": "VARCHAR[]"}


def _insert(con, table: str, columns: list[tuple[str, str]], rows: list[list]) -> None:
    """A new table of these (name, SQL type) columns holding these rows."""
    con.execute(f"create table {table} ({', '.join(f'{n} {t}' for n, t in columns)})")
    if rows:
        marks = ", ".join("?" * len(columns))
        con.executemany(f"insert into {table} values ({marks})", rows)


def _record(con, result: BuildResult) -> None:
    """Store the build's fingerprint, warnings (for the data-quality page) and how long each
    part of it took (wall and CPU seconds)."""
    con.execute(
        "create table build as select $fp as fingerprint, $at as built_at, "
        "$w::VARCHAR[] as warnings, $p::JSON as phases",
        {
            "fp": result.fingerprint,
            "at": result.built_at,
            "w": result.warnings,
            "p": json.dumps({k: [round(v, 3) for v in t] for k, t in result.phases.items()}),
        },
    )
    con.execute("checkpoint")


def refresh(
    settings: Settings | None = None, force: bool = False, wait: bool = False
) -> BuildResult:
    """Rebuild the database if any extract (or the code shaping it) changed; keep the last
    good database when the new one has a file that cannot be read, and while a file is still
    being written (`wait`: sleep until it has settled, as the command line does)."""
    settings = settings or load()
    if settings.parquet_dir:
        return _parquet_served(settings)
    if settings.serve_only:
        return _serve_only(settings)
    try:
        lock = _lock_file(settings.cache_dir)
        lock.acquire()
    except OSError:
        return _read_only(settings, force)
    try:
        _clean_partials(settings.cache_dir)
        return _refresh_locked(settings, force, wait)
    finally:
        lock.release()


def _parquet_served(settings: Settings) -> BuildResult:
    """A Parquet folder (scorecard.ingest.parquet) is served as it is: loading and refreshing it is
    the job that writes it (docs/scaling.md)."""
    manifest = settings.parquet_dir / db.MANIFEST
    written = datetime.fromtimestamp(manifest.stat().st_mtime).isoformat(timespec="seconds")
    return BuildResult(
        True,
        str(settings.parquet_dir.resolve()),
        hashlib.sha256(manifest.read_bytes()).hexdigest()[:20],
        False,
        checked_at=datetime.now().isoformat(timespec="seconds"),
        built_at=written,
    )


def _lock_file(cache_dir: Path) -> FileLock:
    """The build lock (one build at a time, across processes, on Linux and Windows alike);
    making or taking it fails (OSError) when the folder cannot be written."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(cache_dir / "build.lock")


def _clean_partials(cache_dir: Path) -> None:
    """Remove what an interrupted build left (we hold the lock: nobody else is building)."""
    for leftover in (*cache_dir.glob("*.building"), *cache_dir.glob("*.tmp")):
        leftover.unlink(missing_ok=True)


def _last_good(settings: Settings, now: str, notices=()) -> BuildResult | None:
    """The database last swapped in, served as it is (nothing loaded), if it is sound."""
    served = current(settings)
    if not served or db.damage(settings.cache_dir / served["database"]):
        return None
    return BuildResult(
        True,
        served["database"],
        served.get("fingerprint", ""),
        False,
        checked_at=now,
        built_at=served.get("built_at", ""),
        notices=list(notices),
    )


def _serve_only(settings: Settings) -> BuildResult:
    """A replica: the database the loading job last swapped in, read-only; nothing loaded,
    nothing written (docs/scaling.md)."""
    now = datetime.now().isoformat(timespec="seconds")
    last = _last_good(settings, now)
    if last:
        return last
    return BuildResult(
        False,
        None,
        "",
        False,
        checked_at=now,
        problems=[
            "No data has been loaded yet: this dashboard shows what the loading job writes "
            "(python -m scorecard.ingest), and it has not run."
        ],
    )


def _read_only(settings: Settings, force: bool) -> BuildResult:
    """The cache folder cannot be written: serve its last good database read-only, or, when it
    has none, build one in a temporary folder of our own."""
    now = datetime.now().isoformat(timespec="seconds")
    note = "The cache folder cannot be written to, so new or changed extracts cannot be loaded; "
    last = _last_good(settings, now, [note + "the dashboard is serving the data it already had."])
    if last:
        return last
    scratch = Path(tempfile.gettempdir()) / f"scorecard-cache-{_short_hash(settings.cache_dir)}"
    result = refresh(replace(settings, cache_dir=scratch), force)
    if result.database:
        result.database = str(scratch / result.database)
    result.notices.append(note + "the extracts were loaded into a temporary folder instead.")
    return result


def _short_hash(path: Path) -> str:
    return hashlib.sha256(str(path).encode()).hexdigest()[:12]


def _stats(files: dict[str, list[Path]]) -> dict[str, tuple]:
    """Each extract file's size and time of last change."""
    out = {}
    for paths in files.values():
        for path in paths:
            stat = path.stat()
            out[path.name] = (stat.st_size, stat.st_mtime_ns)
    return out


def _unsettled(files: dict[str, list[Path]], settle: int) -> list[str]:
    """Files changed less than `settle` seconds ago: probably still being written."""
    newest = time.time() - settle
    return sorted(name for name, (_, mtime) in _stats(files).items() if mtime / 1e9 > newest)


def _settle(files: dict[str, list[Path]], settings: Settings) -> list[str]:
    """Wait (up to a minute beyond the settle interval) for files to stop changing."""
    deadline = time.time() + settings.settle_seconds + 60
    while (waiting := _unsettled(files, settings.settle_seconds)) and time.time() < deadline:
        time.sleep(min(1.0, settings.settle_seconds / 4 or 0.1))
    return waiting


def _waiting(
    settings: Settings, served: dict, last: dict, names: list[str], now: str
) -> BuildResult:
    """Keep serving the last good data while an extract is still being written."""
    notice = (
        f"{', '.join(names)} changed in the last few seconds and may still be being "
        "written: the dashboard keeps showing the data it has, and reads the new file "
        f"once it has stayed the same for {settings.settle_seconds} seconds."
    )
    result = BuildResult(
        last.get("ok", True),
        served["database"],
        last.get("fingerprint", ""),
        False,
        checked_at=now,
        built_at=served.get("built_at", ""),
        problems=last.get("problems", []),
        warnings=last.get("warnings", []),
        flags=last.get("flags", []),
        notices=[notice],
        future_rows=last.get("future_rows", 0),
        rejects_file=last.get("rejects_file"),
    )
    _write_json(settings.cache_dir / "status.json", asdict(result))
    return result


def _repair(settings: Settings, served: dict | None, notices: list[str]) -> dict | None:
    """The database being served, if it is sound; a damaged one is set aside to be rebuilt."""
    if served is None:
        return None
    path = settings.cache_dir / served["database"]
    damage = db.damage(path)
    if damage is None:
        return served
    LOG.warning("the database %s could not be opened (%s): rebuilding it", path.name, damage)
    path.rename(path.with_suffix(".damaged"))
    notices.append(
        "The dashboard's own database was damaged, so it has been rebuilt from the extracts."
    )
    return None


def _refresh_locked(settings: Settings, force: bool, wait: bool) -> BuildResult:
    now = datetime.now().isoformat(timespec="seconds")
    try:
        mappings = mapping.load(settings.mapping_file)
    except mapping.MappingError as exc:
        return _failed(settings, now, [str(exc)])
    files, problems, skipped = locate(settings.data_dir, mappings)
    last = status(settings) or {}
    notices: list[str] = []
    served = _repair(settings, current(settings), notices)
    unsettled = _unsettled(files, settings.settle_seconds)
    if unsettled and served and not wait:
        return _waiting(settings, served, last, unsettled, now)
    if unsettled:
        _settle(files, settings)
    # rows rejected for a future date may be accepted on a later day: rebuild each day then
    prints = fingerprint(
        files, settings, mappings, date.today() if last.get("future_rows") else None
    )
    fp = prints.whole
    seen = last.get("fingerprint") == fp or (served or {}).get("fingerprint") == fp
    if served and seen and not force:
        # nothing changed since the last check: the same verdict (a file that could not be
        # read still cannot), and no rebuild
        failed = last.get("fingerprint") == fp and not last.get("ok", True)
        result = BuildResult(
            not failed,
            served["database"],
            fp,
            False,
            checked_at=now,
            built_at=served.get("built_at", ""),
            problems=last.get("problems", []) if failed else [],
            warnings=last.get("warnings", []),
            flags=last.get("flags", []),
            future_rows=last.get("future_rows", 0),
            rejects_file=last.get("rejects_file"),
        )
        _write_json(settings.cache_dir / "status.json", asdict(result))
        return result
    before = _stats(files)
    result = BuildResult(
        False, None, fp, True, problems=problems, checked_at=now, built_at=now, notices=notices
    )
    changed = None if force else prints.changed(served)
    result.reread = sorted(files) if changed is None else changed
    name = f"db-{fp}-{int(time.time() * 1000)}.duckdb"
    building = settings.cache_dir / (name + ".building")
    rejects = rejects_path(settings.cache_dir / name)
    try:
        # the databases no longer needed once this one is served are deleted meanwhile
        # (a large file takes a while to delete): all but the one being served
        with ThreadPoolExecutor(1) as pruner:
            if served:
                pruner.submit(_prune, settings.cache_dir, served["database"], 0)
            _build(
                building,
                files,
                skipped,
                mappings,
                result,
                settings,
                changed=changed,
                served=None if changed is None else settings.cache_dir / served["database"],
                rejects=rejects,
            )
    except BaseException:
        building.unlink(missing_ok=True)  # never leave a half-built file behind
        rejects.unlink(missing_ok=True)
        raise
    if _stats(files) != before and served:  # a file changed while it was being read
        building.unlink(missing_ok=True)
        rejects.unlink(missing_ok=True)
        return _waiting(
            settings,
            served,
            last,
            sorted(n for n, s in _stats(files).items() if before.get(n) != s),
            now,
        )
    result.ok = not result.problems
    result.rejects_file = str(rejects)
    if result.ok or served is None:
        _swap_in(settings, building, name, result, prints)
    else:
        building.unlink(missing_ok=True)
        kept = settings.cache_dir / "last-failed.rejects.csv"  # for the command line
        os.replace(rejects, kept)
        result.rejects_file = str(kept)
        result.database = served["database"]
        result.built_at = served.get("built_at", "")
    _write_json(settings.cache_dir / "status.json", asdict(result))
    return result


def _write_rejects(con, target: Path) -> None:
    """Every rejected and excluded row as a spreadsheet-safe CSV (no cell runs as a formula)."""
    cursor = con.execute(
        "select 'rejected' as outcome, * from rejects union all "
        "select 'excluded by design', * from exclusions "
        "order by extract, file, line, column_name, reason, outcome"
    )
    names = [column[0] for column in cursor.description]
    target.write_text(exports.safe_csv_rows(names, cursor.fetchall()), encoding="utf-8")


def rejects_path(database: Path) -> Path:
    """The CSV of a database's rejected rows, beside it: db-x.duckdb -> db-x.rejects.csv."""
    database = Path(database)
    return database.with_name(database.name.removesuffix(".duckdb") + ".rejects.csv")


def _swap_in(
    settings: Settings, building: Path, name: str, result: BuildResult, prints: Fingerprint
) -> None:
    """Make the new database the one served: rename it, then point current.json at it (the
    last step, so readers never see a half-built database). The pointer keeps what the
    database was built from, so the next refresh re-reads only the extracts that changed."""
    os.replace(building, settings.cache_dir / name)
    result.database = name
    _write_json(
        settings.cache_dir / "current.json",
        {
            "database": name,
            "fingerprint": result.fingerprint,
            "built_at": result.built_at,
            "data_dir": str(settings.data_dir),
            "base": prints.base,
            "extracts": prints.extracts,
            "complete": result.ok,
        },
    )
    _prune(settings.cache_dir, keep=name)


def _failed(settings: Settings, now: str, problems: list[str]) -> BuildResult:
    served = current(settings)
    result = BuildResult(
        False,
        served["database"] if served else None,
        "",
        False,
        problems=problems,
        checked_at=now,
        built_at=served.get("built_at", "") if served else "",
    )
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    _write_json(settings.cache_dir / "status.json", asdict(result))
    return result


def _prune(cache_dir: Path, keep: str, others: int = KEEP_DATABASES - 1) -> None:
    """Delete older databases, keeping `keep` and the newest few others (sessions may still
    be reading them)."""
    older = sorted(
        (p for p in cache_dir.glob("db-*.duckdb") if p.name != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in older[others:]:
        path.unlink(missing_ok=True)
        rejects_path(path).unlink(missing_ok=True)


EXIT_CODES = {
    0: "every extract supplied was loaded",
    1: "nothing was loaded: the settings, the mapping file or the folder could not be used",
    2: "a fault in the dashboard, not in your data (please report it)",
    3: "a file could not be read, or its staging query failed; the last good data is kept",
    4: "loaded, but an extract loaded no rows or had more of its rows rejected than "
    "max_rejected_share expects: look at the rejected rows",
}


def _print_report(result: BuildResult) -> None:
    """One line per extract: rows read, loaded, excluded by design and rejected."""
    width = max(len(r.extract) for r in result.reports) if result.reports else 10
    print(
        f"{'extract'.ljust(width)}  {'read':>10}  {'loaded':>10}  {'excluded':>9}  "
        f"{'rejected':>9}  file"
    )
    for r in result.reports:
        absent = r.status in ("missing", "not supplied", "failed")
        shown = (
            f"{r.file or ''} (could not be used)".strip()
            if r.status == "failed"
            else r.file or "(not supplied)"
        )
        note = f"  {r.message}" if r.message and r.status == "loaded" else ""
        if r.staged is not None:
            note += f"  ({r.rows_read:,} rows in the file gave {r.staged:,} after staging)"
        read = r.rows_read if r.staged is None else r.staged
        counts = (
            [f"{read:>10,}", f"{r.loaded:>10,}", f"{r.excluded:>9,}", f"{r.rejected:>9,}"]
            if not absent
            else [f"{'-':>10}", f"{'-':>10}", f"{'-':>9}", f"{'-':>9}"]
        )
        print(f"{r.extract.ljust(width)}  {'  '.join(counts)}  {shown}{note}")
    kept = sorted({r.extract for r in result.reports} - set(result.reread or []))
    if result.rebuilt and result.reread is not None and kept:
        print(
            f"Re-read {', '.join(result.reread) or 'nothing'}; the other extracts had not "
            f"changed and were kept as loaded before ({', '.join(kept)})."
        )
    if result.phases:
        print(f"Took: {took(result)}.")
    if result.rejects_file and any(r.rejected or r.excluded for r in result.reports):
        print(
            f"Rejected and excluded rows (file, line, column, value, reason): {result.rejects_file}"
        )


def exit_code(result: BuildResult) -> int:
    """The documented exit status for a refresh's outcome (EXIT_CODES)."""
    if result.problems:
        return 3
    return 4 if result.flags else 0


def _to_db(settings: Settings, target: Path) -> Settings:
    """With --db and no --cache, build in a scratch folder beside the target (removed after),
    so nothing is written anywhere else."""
    scratch = Path(tempfile.mkdtemp(prefix=".scorecard-build-", dir=target.parent))
    return replace(settings, cache_dir=scratch)


def _write_db(settings: Settings, result: BuildResult, target: Path) -> None:
    """Copy the database built to --db, with its rejected rows beside it."""
    if not (result.database and (settings.cache_dir / result.database).exists()):
        return
    shutil.copyfile(settings.cache_dir / result.database, target)
    print(f"Database written to {target}")
    rejects = rejects_path(settings.cache_dir / result.database)
    if rejects.exists():
        beside = rejects_path(target)
        shutil.copyfile(rejects, beside)
        print(f"Rejected rows written to {beside}")


def main(argv: list[str] | None = None) -> int:
    """Command line: validate and load a folder of extracts; one line per problem, never a
    traceback for bad input, and an exit status that says what happened (EXIT_CODES)."""
    parser = argparse.ArgumentParser(
        prog="python -m scorecard.ingest",
        description=__doc__,
        epilog="exit status:\n" + "\n".join(f"  {k}  {v}" for k, v in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=Path, help="folder of CSV extracts")
    parser.add_argument("--mapping", type=Path, help="mapping file (docs/mapping.md)")
    parser.add_argument("--cache", type=Path, help="folder for the database files")
    parser.add_argument(
        "--db",
        type=Path,
        help="write the database to this path (and nothing else, unless --cache is given)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    args = parser.parse_args(argv)
    overrides = {
        k: v
        for k, v in (
            ("data_dir", args.data),
            ("cache_dir", args.cache),
            ("mapping_file", args.mapping),
        )
        if v
    }
    try:
        settings = load(overrides)
    except (ValueError, OSError) as exc:  # a settings file we cannot use: say which and why
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not settings.data_dir.is_dir():
        print(
            f"error: {settings.data_dir}: no such folder. Give --data the folder that "
            "holds the extracts.",
            file=sys.stderr,
        )
        return 1
    scratch = args.db and not args.cache
    if args.db and not args.db.parent.is_dir():
        print(f"error: {args.db.parent}: no such folder for --db.", file=sys.stderr)
        return 1
    if scratch:
        settings = _to_db(settings, args.db)
    try:
        return _run(settings, args)
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback, ever
        print(
            f"error: loading failed unexpectedly ({type(exc).__name__}: {exc}). This is a "
            "fault in the dashboard, not your data: please report it.",
            file=sys.stderr,
        )
        return 2
    finally:
        if scratch:
            shutil.rmtree(settings.cache_dir, ignore_errors=True)


def _run(settings: Settings, args) -> int:
    result = refresh(settings, force=args.force or bool(args.db), wait=True)
    if not result.reports and not result.problems:
        print(f"Unchanged since {result.built_at}: serving {result.database}")
    elif result.reports:
        _print_report(result)
    for warning in result.warnings + result.flags:
        print(f"warning: {warning}")
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    if not result.reports and result.problems:
        return 1
    if args.db:
        _write_db(settings, result, args.db)
    code = exit_code(result)
    if code:
        print(f"Exit status {code}: {EXIT_CODES[code]}.", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
