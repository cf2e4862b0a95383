"""The measure catalogue and the strategy: both configuration, read and checked here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..contracts import BY_NAME
from ..settings import digital_words
from .db import QUERIES

UNITS = ("percent", "per_1000", "seconds", "minutes", "working_days", "count")
DIMENSIONS = ("service", "channel")
BREAKDOWNS = ("service", "channel", "site", "contractor")
SCALE = {"percent": 100.0, "per_1000": 1000.0}
NEEDS = ("channels", "services", "surveys", "columns")


@dataclass(frozen=True)
class Measure:
    """One catalogue entry: what the measure is, how it is worked out and how it is judged."""

    id: str
    title: str
    pillar: str
    definition: str
    unit: str
    better: str
    sql: str
    statement: str
    source: str
    params: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)  # what its extracts must cover (coverage.py)
    dimensions: tuple[str, ...] = ("service", "channel")
    breakdowns: tuple[str, ...] = ()  # service, channel, site, contractor (default: dims)
    survey: bool = False
    snapshot: bool = False
    min_base: int | None = None
    spc: str = "xmr"  # xmr, or run: always a run chart (a median of whole numbers)
    lag_days: int = 0  # days after a period ends before its figure is complete (provisional)
    default_target: float | None = None
    amber_margin: float = 0.0
    decimals: int = 1

    @property
    def sources(self) -> tuple[str, ...]:
        """The extracts it is calculated from ('complaints, contacts')."""
        return tuple(s.strip() for s in self.source.split(",") if s.strip())

    @property
    def scale(self) -> float:
        """Multiplier from numerator/denominator to the unit (100 for percent)."""
        return SCALE.get(self.unit, 1.0)

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class Commitment:
    """A promise the strategy makes, in its own words, with the measures that show whether
    it is kept and the ids of the actions that deliver it (checked against the action plan
    when the map is drawn, since actions come from the extract)."""

    id: str
    text: str
    measures: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pillar:
    """One strategy pillar: its title, aim, the measures on its scorecard and its
    commitments (none in an older strategy file)."""

    id: str
    title: str
    aim: str
    measures: tuple[str, ...]
    icon: str = "flag"
    headline: str | None = None
    charts: tuple[str, ...] = ()
    commitments: tuple[Commitment, ...] = ()


@dataclass(frozen=True)
class Strategy:
    """The strategy: its pillars and the measures shown across all of them."""

    title: str
    vision: str
    pillars: tuple[Pillar, ...]
    plan_measures: tuple[str, ...] = ()

    def pillar(self, pillar_id: str) -> Pillar:
        """The pillar with this id."""
        return next(p for p in self.pillars if p.id == pillar_id)

    def home_pillar(self, measure_id: str) -> Pillar | None:
        """The first pillar that lists a measure (None for plan-wide measures)."""
        return next((p for p in self.pillars if measure_id in p.measures), None)

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        """Every pillar's commitments, in strategy order (empty in an older file)."""
        return tuple(c for p in self.pillars for c in p.commitments)


class ConfigError(ValueError):
    """A catalogue or strategy file that does not make sense, with the file named."""


def _measure(entry: dict, file: Path) -> Measure:
    known = set(Measure.__dataclass_fields__)
    unknown = set(entry) - known
    if unknown:
        raise ConfigError(
            f"{file.name}: measure {entry.get('id')} has unknown key(s) "
            f"{', '.join(sorted(unknown))}"
        )
    if "dimensions" not in entry:
        raise ConfigError(
            f"{file.name}: measure {entry.get('id')} must declare dimensions, "
            "the filters meaningful for it (service, channel, or [] for "
            "neither): a filter it does not name is shown as 'not split by'"
        )
    dims = tuple(entry["dimensions"])
    entry = {**entry, "dimensions": dims, "breakdowns": tuple(entry.get("breakdowns", dims))}
    measure = Measure(**entry)
    problems = []
    if measure.unit not in UNITS:
        problems.append(f"unit {measure.unit!r} is not one of {', '.join(UNITS)}")
    if measure.better not in ("higher", "lower"):
        problems.append("better must be 'higher' or 'lower'")
    if not (QUERIES / f"{measure.sql}.sql").is_file():
        problems.append(f"its query queries/{measure.sql}.sql does not exist")
    if set(measure.dimensions) - set(DIMENSIONS):
        problems.append(f"dimensions must be among {', '.join(DIMENSIONS)}")
    if set(measure.breakdowns) - set(BREAKDOWNS):
        problems.append(f"breakdowns must be among {', '.join(BREAKDOWNS)}")
    unknown = [s for s in measure.sources if s not in BY_NAME]
    if measure.spc not in ("xmr", "run"):
        problems.append("spc must be 'xmr' or 'run'")
    if unknown or not measure.sources:
        problems.append(f"source must name its extracts among {', '.join(BY_NAME)}")
    for key, value in measure.needs.items():
        if key not in NEEDS or not (value == "all" or isinstance(value, list)):
            problems.append(f'needs.{key}: use {", ".join(NEEDS)} = "all" or a list')
    if problems:
        raise ConfigError(f"{file.name}: measure {measure.id}: " + "; ".join(problems))
    return measure


@lru_cache(maxsize=8)
def load_catalogue(file: Path, digital_channels: tuple = ("web", "app")) -> dict[str, Measure]:
    """Every measure in the catalogue file, by id, in file order; `{digital_channels}` in a
    definition is the council's digital channels in words."""
    entries = tomllib.loads(file.read_text(encoding="utf-8")).get("measure", [])
    words = digital_words(digital_channels)
    measures = [
        replace(m, definition=m.definition.replace("{digital_channels}", words))
        for m in (_measure(e, file) for e in entries)
    ]
    ids = [m.id for m in measures]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{file.name}: measure id(s) {', '.join(dupes)} appear more than once")
    return {m.id: m for m in measures}


# the addresses of the dashboard's own pages (app.py): a pillar's page is at /<pillar id>
PAGE_PATHS = ("overview", "service", "actions", "map", "data", "measure")


@lru_cache(maxsize=8)
def load_strategy(file: Path, catalogue_file: Path) -> Strategy:
    """The strategy file, checked against the catalogue."""
    raw = tomllib.loads(file.read_text(encoding="utf-8"))
    catalogue = load_catalogue(catalogue_file)
    pillars = tuple(
        Pillar(
            id=p["id"],
            title=p["title"],
            aim=p.get("aim", ""),
            measures=tuple(p.get("measures", ())),
            icon=p.get("icon", "flag"),
            headline=p.get("headline"),
            charts=tuple(p.get("charts", ())),
            commitments=tuple(_commitment(c, p["id"], file) for c in p.get("commitment", [])),
        )
        for p in raw.get("pillar", [])
    )
    if not pillars:
        raise ConfigError(f"{file.name}: the strategy has no [[pillar]] entries")
    strategy = Strategy(
        title=raw.get("title", "Customer strategy"),
        vision=raw.get("vision", ""),
        pillars=pillars,
        plan_measures=tuple(raw.get("plan_measures", ())),
    )
    _check_strategy(strategy, catalogue, file)
    return strategy


COMMITMENT_KEYS = ("id", "text", "measures", "actions")


def _commitment(entry: dict, pillar_id: str, file: Path) -> Commitment:
    """One [[pillar.commitment]] table, its keys and their types checked."""
    where = f"{file.name}: pillar {pillar_id} commitment {entry.get('id', '(no id)')}"
    unknown = sorted(set(entry) - set(COMMITMENT_KEYS))
    if unknown:
        raise ConfigError(
            f"{where} has unknown key(s) {', '.join(unknown)}; use {', '.join(COMMITMENT_KEYS)}"
        )
    missing = [k for k in ("id", "text") if not str(entry.get(k, "")).strip()]
    if missing:
        raise ConfigError(f"{where} needs {' and '.join(missing)}")
    for key in ("measures", "actions"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{where}: {key} must be a list of ids, e.g. {key} = ["a", "b"]')
    return Commitment(
        id=str(entry["id"]).strip(),
        text=" ".join(str(entry["text"]).split()),
        measures=tuple(entry.get("measures", ())),
        actions=tuple(a.strip() for a in entry.get("actions", ())),
    )


def _check_strategy(strategy: Strategy, catalogue: dict[str, Measure], file: Path) -> None:
    ids = [p.id for p in strategy.pillars]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{file.name}: pillar ids must be unique")
    taken = sorted(set(ids) & set(PAGE_PATHS))
    if taken:
        raise ConfigError(
            f"{file.name}: pillar id {', '.join(taken)} is the address of one of the "
            f"dashboard's own pages ({', '.join(PAGE_PATHS)}); choose another id"
        )
    for pillar in strategy.pillars:
        unknown = [m for m in pillar.measures if m not in catalogue]
        if unknown:
            raise ConfigError(
                f"{file.name}: pillar {pillar.id} lists unknown measure(s) "
                f"{', '.join(unknown)}; see config/measures.toml"
            )
        if pillar.headline and pillar.headline not in pillar.measures:
            raise ConfigError(
                f"{file.name}: pillar {pillar.id} headline {pillar.headline} "
                "is not one of its measures"
            )
    unknown = [m for m in strategy.plan_measures if m not in catalogue]
    if unknown:
        raise ConfigError(f"{file.name}: plan_measures lists unknown {', '.join(unknown)}")
    _check_commitments(strategy, catalogue, file)


def _check_commitments(strategy: Strategy, catalogue: dict[str, Measure], file: Path) -> None:
    """Commitment ids unique across the strategy; every measure they name in the catalogue
    (action ids are checked against the action plan when the map is drawn)."""
    ids = [c.id for c in strategy.commitments]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{file.name}: commitment id(s) {', '.join(dupes)} appear more than once")
    for pillar in strategy.pillars:
        for c in pillar.commitments:
            unknown = [m for m in c.measures if m not in catalogue]
            if unknown:
                raise ConfigError(
                    f"{file.name}: pillar {pillar.id} commitment {c.id} lists unknown "
                    f"measure(s) {', '.join(unknown)}; see config/measures.toml"
                )
