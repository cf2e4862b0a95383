"""Mapping files: how a council's own extracts map onto our contracts, without editing code.

A mapping file is TOML with one table per extract (docs/mapping.md has worked examples):

    [cases]
    file = "MyLA311*.csv"                  # the file(s) in the data folder (a glob or a list)
    columns = { case_id = "SRNumber", opened_at = "CreatedDate" }   # ours = theirs
    values.channel = { "Call" = "phone", "Mobile App" = "app" }     # theirs = ours
    formats = { opened_at = "%m/%d/%Y %I:%M:%S %p" }                # date formats
    missing = { channel = ["N/A", "9"] }   # codes that mean "no answer": blanked, and a row
                                           # whose required column holds one is excluded
    constants = { standard_days = "10" }   # columns the file does not have
    clean = { received_on = [[" \\(re-issued\\)", ""]] }   # regex replacements first
    staging = "staging/cases.sql"          # a DuckDB query over the raw file(s) first
    scope = { channels = ["phone"] }       # what the extract covers (channels, services,
                                           # surveys, from, to)

    [satisfaction]
    supplied = false                       # this council has no such extract

A column mapped to a list of source columns joins them with "/" (to build a unique id).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath

from ..contracts import BY_NAME, CHANNELS, SURVEYS
from .readers import DELIMITER_NAMES, normalise_name

KEYS = {
    "file",
    "supplied",
    "columns",
    "values",
    "formats",
    "missing",
    "constants",
    "clean",
    "encoding",
    "delimiter",
    "staging",
    "scope",
}
SCOPE_KEYS = {
    "channels": "channel",
    "services": "service",
    "surveys": "survey",
    "from": None,
    "to": None,
}  # scope key -> the contract column it limits
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "iso-8859-1")


class MappingError(ValueError):
    """A mapping file that cannot be used: says which file, which key and what to do."""


@dataclass(frozen=True)
class Scope:
    """What an extract covers, as its mapping declares: channels, services, surveys (empty =
    all) and the period (None = the dates the rows span)."""

    channels: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    surveys: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def limits(self) -> dict[str, tuple[str, ...]]:
        """Contract column -> the values the extract is limited to (only those declared)."""
        return {
            column: getattr(self, key)
            for key, column in SCOPE_KEYS.items()
            if column and getattr(self, key)
        }


@dataclass(frozen=True)
class ExtractMapping:
    """How one extract's file maps onto its contract."""

    file: tuple[str, ...] = ()  # glob patterns inside the data folder
    supplied: bool = True
    columns: dict = field(default_factory=dict)  # our column -> their column(s), normalised
    values: dict = field(default_factory=dict)  # our column -> {their value: our value}
    formats: dict = field(default_factory=dict)  # our column -> tuple of strptime formats
    missing: dict = field(default_factory=dict)  # our column -> tuple of sentinel codes
    constants: dict = field(default_factory=dict)  # our column -> value
    clean: dict = field(default_factory=dict)  # our column -> ((pattern, replacement), ...)
    encoding: str | None = None
    delimiter: str | None = None
    staging: str | None = None  # the staging file's name, for messages
    staging_sql: str | None = None  # its text
    scope: Scope = Scope()

    def sources(self, column: str) -> tuple[str, ...]:
        """The normalised source column(s) that feed one of our columns."""
        mapped = self.columns.get(column, column)
        return tuple(mapped) if isinstance(mapped, (list, tuple)) else (mapped,)


NONE = ExtractMapping()


class _Reader:
    """Checks one extract's table of a mapping file, naming the file, table and key."""

    def __init__(self, path: Path, extract: str, raw: dict):
        self.path, self.extract, self.raw = path, extract, raw
        self.known = {c.name for c in BY_NAME[extract].columns}

    def fail(self, key: str, expected: str) -> MappingError:
        return MappingError(f"{self.path.name}: [{self.extract}] {key}: {expected}")

    def table(self, key: str, what: str) -> dict:
        """A sub-table keyed by our column names."""
        value = self.raw.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(
                key, f"expected a table of {what}, e.g. {key} = {{ ... }}; found {_kind(value)}."
            )
        unknown = sorted(set(value) - self.known)
        if unknown:
            raise self.fail(
                key,
                f"names {', '.join(unknown)}, which {self.extract}.csv does "
                f"not have. Its columns are: {', '.join(sorted(self.known))}.",
            )
        return value

    def strings(self, key: str, column: str, value, what: str) -> tuple[str, ...]:
        """A string or a list of strings (numbers accepted as their text)."""
        items = value if isinstance(value, list) else [value]
        if not items or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in items
        ):
            raise self.fail(
                f"{key}.{column}",
                f"expected {what} (text, or a list of text); found {_kind(value)}.",
            )
        return tuple(str(v) for v in items)


def _kind(value) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"{type(value).__name__} {value!r}"


def _files(r: _Reader) -> tuple[str, ...]:
    """File name patterns, each confined to the data folder (never an absolute path or ..)."""
    if "file" not in r.raw:
        return ()
    patterns = r.strings("file", "", r.raw["file"], "a file name or glob")
    for pattern in patterns:
        parts = PurePath(pattern.replace("\\", "/")).parts
        if (
            PurePath(pattern).is_absolute()
            or pattern.startswith(("/", "\\"))
            or ".." in parts
            or re.match(r"^[A-Za-z]:", pattern)
        ):
            raise r.fail(
                "file",
                "must name a file inside the data folder (no absolute path "
                "and no '..'); the file was not opened.",
            )
    return patterns


def _columns(r: _Reader) -> dict:
    out = {}
    for ours, theirs in r.table("columns", "our column = your column").items():
        names = r.strings("columns", ours, theirs, "your column's name")
        out[ours] = (
            [normalise_name(n) for n in names]
            if isinstance(theirs, list)
            else normalise_name(names[0])
        )
    return out


def _values(r: _Reader) -> dict:
    out = {}
    for column, codes in r.table("values", "your code = our code tables").items():
        if not isinstance(codes, dict):
            raise r.fail(
                f"values.{column}",
                f"expected a table of your code = our code, e.g. "
                f'values.{column} = {{ "Tel" = "phone" }}; '
                f"found {_kind(codes)}.",
            )
        out[column] = {
            str(k).strip().lower(): r.strings(f"values.{column}", k, v, "our code")[0]
            for k, v in codes.items()
        }
    return out


def _clean(r: _Reader) -> dict:
    out = {}
    for column, pairs in r.table("clean", "[pattern, replacement] lists").items():
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in pairs
        ):
            raise r.fail(
                f"clean.{column}",
                "expected a list of [pattern, replacement] pairs, "
                'e.g. [[" \\\\(re-issued\\\\)", ""]].',
            )
        for pattern, _ in pairs:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise r.fail(
                    f"clean.{column}",
                    f"the pattern {pattern!r} is not a valid regular expression ({exc}).",
                ) from exc
        out[column] = tuple((p, rep) for p, rep in pairs)
    return out


def _date(r: _Reader, key: str, value) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise r.fail(f"scope.{key}", f"expected a date as YYYY-MM-DD; found {value!r}.") from None


def _scope(r: _Reader) -> Scope:
    raw = r.raw.get("scope", {})
    if not isinstance(raw, dict):
        raise r.fail(
            "scope",
            f'expected a table, e.g. scope = {{ channels = ["phone"] }}; found {_kind(raw)}.',
        )
    unknown = sorted(set(raw) - set(SCOPE_KEYS))
    if unknown:
        raise r.fail("scope", f"unknown key(s) {', '.join(unknown)}; use {', '.join(SCOPE_KEYS)}.")
    limits = {}
    for key, allowed in (("channels", CHANNELS), ("services", None), ("surveys", SURVEYS)):
        if key not in raw:
            continue
        column = SCOPE_KEYS[key]
        if column not in r.known:
            raise r.fail(f"scope.{key}", f"{r.extract}.csv has no {column} column to limit.")
        values = r.strings("scope", key, raw[key], f"a list of {key}")
        bad = [v for v in values if allowed and v not in allowed]
        if bad:
            raise r.fail(f"scope.{key}", f"{', '.join(bad)} is not one of: {', '.join(allowed)}.")
        limits[key] = values
    start, end = _date(r, "from", raw.get("from")), _date(r, "to", raw.get("to"))
    if start and end and end < start:
        raise r.fail("scope", "'to' is before 'from'.")
    return Scope(**limits, start=start, end=end)


def _staging(r: _Reader) -> tuple[str | None, str | None]:
    name = r.raw.get("staging")
    if name is None:
        return None, None
    if not isinstance(name, str) or not name.endswith(".sql"):
        raise r.fail(
            "staging",
            "expected the name of a .sql file beside the mapping file, "
            'e.g. staging = "staging/contacts.sql".',
        )
    path = r.path.parent / name
    if not path.is_file():
        raise r.fail("staging", f"the staging query {name} was not found beside the mapping file.")
    return name, path.read_text(encoding="utf-8-sig")


def _extract_mapping(path: Path, extract: str, raw) -> ExtractMapping:
    if isinstance(raw, list):
        raise MappingError(
            f"{path.name}: [[{extract}]] is an array of tables; write "
            f"[{extract}] (one table per extract). For several files, give "
            f'file = ["a.csv", "b.csv"] or a glob such as "calls_*.csv".'
        )
    if not isinstance(raw, dict):
        raise MappingError(
            f"{path.name}: {extract} must be a table ([{extract}]); found {_kind(raw)}."
        )
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise MappingError(
            f"{path.name}: [{extract}] has unknown key(s) {', '.join(unknown)}; "
            f"use {', '.join(sorted(KEYS))}."
        )
    r = _Reader(path, extract, raw)
    if not isinstance(raw.get("supplied", True), bool):
        raise r.fail("supplied", "expected true or false.")
    delimiter = raw.get("delimiter")
    if delimiter is not None and delimiter not in DELIMITER_NAMES:
        raise r.fail("delimiter", f"must be one of {', '.join(map(repr, DELIMITER_NAMES))}.")
    encoding = raw.get("encoding")
    if encoding is not None and str(encoding).lower() not in ENCODINGS:
        raise r.fail("encoding", f"must be one of {', '.join(ENCODINGS)}.")
    staging, sql = _staging(r)
    return ExtractMapping(
        file=_files(r),
        supplied=raw.get("supplied", True),
        columns=_columns(r),
        values=_values(r),
        formats={
            c: r.strings("formats", c, f, "a strptime format")
            for c, f in r.table("formats", "our column = date format").items()
        },
        missing={
            c: tuple(v.strip() for v in r.strings("missing", c, m, "codes"))
            for c, m in r.table("missing", "our column = codes").items()
        },
        constants={
            c: r.strings("constants", c, v, "a value")[0]
            for c, v in r.table("constants", "our column = value").items()
        },
        clean=_clean(r),
        encoding=encoding.lower() if encoding else None,
        delimiter=delimiter,
        staging=staging,
        staging_sql=sql,
        scope=_scope(r),
    )


def load(path: Path | None) -> dict[str, ExtractMapping]:
    """Every extract's mapping from a file (an empty dict when there is no file)."""
    if path is None:
        return {}
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise MappingError(f"{Path(path).name}: mapping file not found.") from exc
    except UnicodeDecodeError as exc:
        raise MappingError(f"{Path(path).name}: is not UTF-8 text.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{Path(path).name}: is not valid TOML ({exc}).") from exc
    unknown = sorted(set(raw) - set(BY_NAME))
    if unknown:
        raise MappingError(
            f"{Path(path).name}: unknown extract(s) {', '.join(unknown)}; the "
            f"extracts are {', '.join(BY_NAME)}."
        )
    return {name: _extract_mapping(Path(path), name, table) for name, table in raw.items()}
