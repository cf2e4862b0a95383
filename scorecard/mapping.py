"""Mapping files: how a council's own extracts map onto our contracts, without editing code.

A mapping file is TOML with one table per extract (see docs/mapping.md for a worked example
of each):

    [cases]
    file = "MyLA311*.csv"                  # the file (a glob) in the data folder
    columns = { case_id = "SRNumber", opened_at = "CreatedDate" }   # ours = theirs
    values.channel = { "Call" = "phone", "Mobile App" = "app" }     # theirs = ours
    formats = { opened_at = "%m/%d/%Y %I:%M:%S %p" }                # date formats
    missing = { channel = ["N/A", "9"] }   # codes that mean "blank"
    constants = { standard_days = "10" }   # columns the file does not have
    clean = { received_on = [[" \\(re-issued\\)", ""]] }   # regex replacements first

    [satisfaction]
    supplied = false                       # this council has no such extract

A column mapped to a list of source columns joins them with "/" (to build a unique id).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .contracts import BY_NAME
from .readers import DELIMITER_NAMES, normalise_name

KEYS = {"file", "supplied", "columns", "values", "formats", "missing", "constants", "clean",
        "encoding", "delimiter"}


class MappingError(ValueError):
    """A mapping file that cannot be used: says which file, which key and what to do."""


@dataclass(frozen=True)
class ExtractMapping:
    """How one extract's file maps onto its contract."""

    file: str | None = None
    supplied: bool = True
    columns: dict = field(default_factory=dict)  # our column -> their column(s), normalised
    values: dict = field(default_factory=dict)  # our column -> {their value: our value}
    formats: dict = field(default_factory=dict)  # our column -> tuple of strptime formats
    missing: dict = field(default_factory=dict)  # our column -> tuple of sentinel codes
    constants: dict = field(default_factory=dict)  # our column -> value
    clean: dict = field(default_factory=dict)  # our column -> ((pattern, replacement), ...)
    encoding: str | None = None
    delimiter: str | None = None

    def sources(self, column: str) -> tuple[str, ...]:
        """The normalised source column(s) that feed one of our columns."""
        mapped = self.columns.get(column, column)
        return tuple(mapped) if isinstance(mapped, (list, tuple)) else (mapped,)


NONE = ExtractMapping()


def _as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _check_columns(path: Path, extract: str, section: str, names) -> None:
    known = {c.name for c in BY_NAME[extract].columns}
    unknown = sorted(set(names) - known)
    if unknown:
        raise MappingError(f"{path.name}: [{extract}] {section} names {', '.join(unknown)}, "
                           f"which {extract}.csv does not have. Its columns are: "
                           f"{', '.join(sorted(known))}.")


def _extract_mapping(path: Path, extract: str, raw: dict) -> ExtractMapping:
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise MappingError(f"{path.name}: [{extract}] has unknown key(s) {', '.join(unknown)}; "
                           f"use {', '.join(sorted(KEYS))}.")
    for section in ("columns", "values", "formats", "missing", "constants", "clean"):
        _check_columns(path, extract, section, raw.get(section, {}))
    for column, pairs in raw.get("clean", {}).items():
        for pattern, _ in pairs:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise MappingError(f"{path.name}: [{extract}] clean.{column}: the pattern "
                                   f"{pattern!r} is not a valid regular expression ({exc}).") \
                    from exc
    delimiter = raw.get("delimiter")
    if delimiter is not None and delimiter not in DELIMITER_NAMES:
        raise MappingError(f"{path.name}: [{extract}] delimiter must be one of "
                           f"{', '.join(repr(d) for d in DELIMITER_NAMES)}.")
    columns = {ours: ([normalise_name(t) for t in theirs] if isinstance(theirs, list)
                      else normalise_name(theirs))
               for ours, theirs in raw.get("columns", {}).items()}
    return ExtractMapping(
        file=raw.get("file"), supplied=raw.get("supplied", True), columns=columns,
        values={c: {str(k).strip().lower(): str(v) for k, v in m.items()}
                for c, m in raw.get("values", {}).items()},
        formats={c: _as_tuple(f) for c, f in raw.get("formats", {}).items()},
        missing={c: tuple(str(v).strip() for v in _as_tuple(m))
                 for c, m in raw.get("missing", {}).items()},
        constants={c: str(v) for c, v in raw.get("constants", {}).items()},
        clean={c: tuple((p, r) for p, r in pairs) for c, pairs in raw.get("clean", {}).items()},
        encoding=raw.get("encoding"), delimiter=delimiter)


def load(path: Path | None) -> dict[str, ExtractMapping]:
    """Every extract's mapping from a file (an empty dict when there is no file)."""
    if path is None:
        return {}
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"{Path(path).name}: mapping file not found at {path}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{Path(path).name}: is not valid TOML ({exc}).") from exc
    unknown = sorted(set(raw) - set(BY_NAME))
    if unknown:
        raise MappingError(f"{Path(path).name}: unknown extract(s) {', '.join(unknown)}; the "
                           f"extracts are {', '.join(BY_NAME)}.")
    return {name: _extract_mapping(Path(path), name, table) for name, table in raw.items()}
