"""What the data covers: the dates it spans, which extracts were supplied, what each covers,
and so whether a measure or a chart can be shown at all.

One home for the rule "anything absent is said in words, never rated, never shown as 0": a
measure whose extract was not supplied is "Not supplied: no complaints extract"; one whose
extract does not cover it (its declared scope) is "Not measured: the contacts extract covers
phone only". The engine asks here before it computes; pages, the pack and the annual report
show the words it gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..contracts import BY_NAME, CHANNEL_WORDS
from . import fmt

ABSENT = ("missing", "not supplied")
UNUSABLE = ("failed", "refused")
SURVEY_WORDS = {
    "resident_survey": "the resident survey",
    "post_contact": "the post-contact survey",
    "staff_survey": "the staff survey",
    "mystery_shop": "mystery shopping",
}
SCOPE_WORDS = {
    "channels": {c: w.lower() for c, w in CHANNEL_WORDS.items()},
    "services": {},
    "surveys": SURVEY_WORDS,
}


@dataclass(frozen=True)
class Extract:
    """One extract as loaded: its status, rows and declared scope."""

    name: str
    status: str
    loaded: int
    scope: dict = field(default_factory=dict)  # channels/services/surveys -> tuple (declared)
    covers_from: date | None = None
    covers_to: date | None = None
    first: date | None = None  # the dates its loaded rows span
    last: date | None = None
    empty_columns: tuple[str, ...] = ()  # optional columns it gives no data for

    @property
    def supplied(self) -> bool:
        """A file was given and could be used."""
        return self.status not in ABSENT + UNUSABLE


@dataclass(frozen=True)
class Coverage:
    """The data's dates and what each extract holds."""

    first: date
    as_at: date
    from_activity: bool  # False: no dated activity at all; as_at is the day it was loaded
    extracts: dict[str, Extract]

    def extract(self, name: str) -> Extract:
        """An extract by name (not supplied when the database does not know it)."""
        return self.extracts.get(name, Extract(name, "not supplied", 0))


def _date(value) -> date | None:
    return None if fmt.missing(value) else pd.Timestamp(value).date()


def load(database) -> Coverage:
    """The coverage of a served database (worked out once per data version)."""
    return database.reference(("coverage",), lambda: _load(database))


def _load(database) -> Coverage:
    dates = database.query("tables/coverage").iloc[0]
    as_at = _date(dates["as_at_date"]) or date.today()
    first = _date(dates["first_date"]) or as_at
    loads = database.table("loads").set_index("extract")
    scope = database.table("scope").set_index("extract")
    extracts = {}
    for name in loads.index:
        row = scope.loc[name] if name in scope.index else None
        declared = (
            {}
            if row is None
            else {
                key: tuple(row[key])
                for key in ("channels", "services", "surveys")
                if row[key] is not None and len(row[key])
            }
        )
        extracts[name] = Extract(
            name,
            loads.loc[name, "status"],
            int(loads.loc[name, "loaded"]),
            declared,
            None if row is None else _date(row["covers_from"]),
            None if row is None else _date(row["covers_to"]),
            _date(loads.loc[name, "first_date"]),
            _date(loads.loc[name, "last_date"]),
            tuple(_items(loads.loc[name, "empty_columns"])),
        )
    return Coverage(first, as_at, bool(dates["from_activity"]), extracts)


def _items(value) -> list:
    """A list cell as a list (None or NaN when the build had none)."""
    return [] if value is None or fmt.missing(value) else list(value)


def _listed(values, words: dict) -> str:
    named = [words.get(v, v) for v in values]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _not_supplied(extract: Extract) -> str:
    if extract.status in UNUSABLE:
        return f"Not available: the {extract.name} extract could not be used"
    return f"Not supplied: no {extract.name} extract"


def _scope_gap(extract: Extract, key: str, needed) -> str | None:
    """Why an extract's declared scope does not cover what is needed, or None."""
    declared = extract.scope.get(key)
    if not declared:
        return None
    if needed == "all" or not set(needed) <= set(declared):
        return (
            f"Not measured: the {extract.name} extract covers "
            f"{_listed(declared, SCOPE_WORDS[key])} only"
        )
    return None


def absence(coverage: Coverage, sources, needs: dict | None = None) -> str | None:
    """Why something built on these extracts cannot be shown ("Not supplied: ...", "Not
    measured: ..."), or None when it can. `needs` maps channels, services or surveys to the
    values it must cover, or "all"."""
    for name in sources:
        extract = coverage.extract(name)
        if not extract.supplied:
            return _not_supplied(extract)
    for name in sources:
        extract = coverage.extract(name)
        for key, needed in (needs or {}).items():
            gap = (
                _column_gap(extract, needed)
                if key == "columns"
                else _scope_gap(extract, key, needed)
            )
            if gap:
                return gap
    return None


def _column_gap(extract: Extract, columns) -> str | None:
    """Why an extract cannot give a figure that needs these columns, or None."""
    known = {c.name for c in BY_NAME[extract.name].columns} if extract.name in BY_NAME else set()
    empty = [c for c in columns if c in known and c in extract.empty_columns]
    if not empty:
        return None
    return f"Not measured: the {extract.name} extract has no {' or '.join(empty)} values"


def measure_needs(measure) -> dict:
    """What a measure needs its extracts to cover: the catalogue's `needs`, and the survey a
    survey measure reads."""
    needs = dict(measure.needs)
    if "survey" in measure.params:
        needs.setdefault("surveys", [measure.params["survey"]])
    return needs


def measure_absence(coverage: Coverage, measure) -> str | None:
    """Why a measure cannot be shown, or None."""
    return absence(coverage, measure.sources, measure_needs(measure))


def scope_notes(coverage: Coverage, sources) -> list[str]:
    """Caveats for a figure from extracts that cover only some services."""
    notes = []
    for name in sources:
        services = coverage.extract(name).scope.get("services")
        if services:
            notes.append(f"The {name} extract covers {_listed(services, {})} only.")
    return notes


def covered_span(
    coverage: Coverage,
    name: str,
    start: date,
    end: date,
    first: date | None = None,
    last: date | None = None,
) -> tuple[date, date]:
    """The part of start..end an extract covers: its declared period, else the dates its
    rows span (`first`, `last`), so a rate per day divides by days the data covers."""
    extract = coverage.extract(name)
    lower = extract.covers_from or first or extract.first or start
    upper = extract.covers_to or last or extract.last or end
    return max(start, lower), min(end, upper)


def known_extract(name: str) -> bool:
    """True for an extract the contracts declare (the catalogue's sources are checked)."""
    return name in BY_NAME
