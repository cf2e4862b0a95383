"""Comparison with similar councils: the council's figure beside its peers' published ones.

The optional peers extract holds figures published for many councils (a benchmarking
service's download, or a national indicator from LG Inform or Oflog), one row per council,
measure and period. For each measure and period with peer figures this module gives the
number of peers (never counting the council itself), their median and quartiles, the
council's figure and its rank among council and peers (1 = best by the measure's polarity;
councils with the same figure, as shown, share the better rank), and the words a card, the
measure page and the committee pack print: "2nd of 16 similar councils (2025/26)".

The council's figure is, like for like, its own published row in the file (found by the
`area_code` setting); failing that, the dashboard's own figure for the same period (for the
council as a whole), labelled as such; failing that, it says so in words and gives no rank.
Published figures are for the council as a whole, so with a service or channel filter on the
comparison says which filter it ignores. Median and quartiles are DuckDB's `quantile_cont`
(queries/peers/peer_figures_by_period.sql): linear interpolation between the two nearest
ranks, as Excel's QUARTILE.INC and numpy's default; quartiles need at least four peers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import pandas as pd

from . import calendar as cal
from . import coverage, fmt, frames, measures
from .catalogue import Measure
from .filters import DIMENSIONS, Filters
from .suppression import hidden_text

SIMILAR = "similar councils"
DEFINITION_NOTE = "Published comparison: the peers' definition differs from ours"
MIN_QUARTILE_PEERS = 4  # fewer peers than this: a median, but no quartiles
SOURCE_WORDS = {
    "published": "Published (the council's own row in the comparison file)",
    "dashboard": "This dashboard (no published row for the council)",
    "withheld": "Withheld (too few cases)",
    "none": "No figure",
}


@dataclass(frozen=True)
class PeerPeriod:
    """One period's comparison: the peers' spread and the council's figure and rank."""

    period_start: date
    grain: str
    peers: int  # councils compared with, not counting the council itself
    median: float
    lower_quartile: float | None  # None with fewer than MIN_QUARTILE_PEERS peers
    upper_quartile: float | None
    council: float | None  # the council's figure compared (None: none to compare)
    source: str  # published | dashboard | withheld | none
    rank: int | None  # 1 = best; None without a figure of the council's
    ranked: int  # councils ranked: the peers and the council
    tied: bool  # another council has the same figure, as shown
    same_definition: bool  # False: a row says its definition differs from ours
    peer_group: str  # the file's name for the group ('' when it gives none)
    withheld: str = ""  # why the dashboard's figure is not shown ('fewer than 10 cases')
    so_far: bool = False  # the dashboard's figure is for the part of the period to date
    differing: tuple[str, ...] = ()  # the councils whose figures are defined differently

    @property
    def label(self) -> str:
        """'2025/26', 'Q2 2025/26' or 'September 2025'."""
        return cal.period_label(self.period_start, self.grain)


@dataclass(frozen=True)
class Comparison:
    """A measure's comparison with similar councils, period by period (oldest first)."""

    measure: Measure
    council_name: str
    area_code: str
    periods: tuple[PeerPeriod, ...]
    ignored: tuple[str, ...] = ()  # active filters it does not follow (service, channel)

    @property
    def latest(self) -> PeerPeriod:
        """The latest period with peer figures up to the reporting period."""
        return self.periods[-1]

    @property
    def same_definition(self) -> bool:
        """False when any period's published figures are defined differently from ours."""
        return all(p.same_definition for p in self.periods)


def rank(council: float, peers, better: str, decimals: int = 1) -> tuple[int, int, bool]:
    """(position, councils ranked, tied) of the council among itself and its peers: 1 = best
    by polarity. Figures are compared as shown (rounded to the measure's decimals); councils
    with the same figure share the better position."""
    mine = round(float(council), decimals)
    shown = [round(float(v), decimals) for v in peers]
    ahead = sum((v > mine) if better == "higher" else (v < mine) for v in shown)
    return 1 + ahead, len(shown) + 1, mine in shown


def group_words(peer_group: str | None) -> str:
    """The peers as the words name them: 'similar councils', or the file's own group
    ('CIPFA nearest neighbours'; a leading capital is lowered unless it starts an acronym)."""
    group = " ".join(str(peer_group or "").split())
    if not group:
        return SIMILAR
    if group[:1].isupper() and group[1:2].islower():
        group = group[0].lower() + group[1:]
    return group


def rank_words(p: PeerPeriod) -> str:
    """'2nd of 16 similar councils', 'joint 3rd of 16 CIPFA nearest neighbours'."""
    group = group_words(p.peer_group)
    return f"{'joint ' if p.tied else ''}{fmt.ordinal(p.rank)} of {p.ranked} {group}"


def _value(v, m: Measure) -> str:
    return fmt.value(v, m.unit, m.decimals)


def _no_rank(p: PeerPeriod) -> str:
    """Why the council has no rank in a period."""
    if p.source == "withheld":
        return f"our figure for {p.label} is withheld ({p.withheld}), so no rank"
    return f"we have no figure for {p.label} to compare, so no rank"


def _bracketed(words: str, aside: str) -> str:
    """'2nd of 16 similar councils (2025/26)'; after a group's name that ends in brackets
    itself, a comma instead: '5th of 16 nearest neighbours (fictional), 2025/26'."""
    return f"{words}, {aside}" if words.endswith(")") else f"{words} ({aside})"


def filter_note(c: Comparison) -> str:
    """'Council-wide comparison: not split by service.' while such a filter is on."""
    if not c.ignored:
        return ""
    return f"Council-wide comparison: not split by {' or '.join(c.ignored)}."


def card_lines(c: Comparison | None) -> list[str]:
    """What a measure card and the committee pack print: the rank in the latest period
    ('2nd of 16 similar councils (2025/26)'), then any note (a definition that differs, a
    filter it ignores). Nothing without peer figures for the measure."""
    if c is None:
        return []
    p, m = c.latest, c.measure
    if p.rank is None:
        head = _bracketed(
            f"Median of {p.peers} {group_words(p.peer_group)}: {_value(p.median, m)}", p.label
        )
        head += f"; {_no_rank(p)}"
    else:
        ours = "; our figure from this dashboard" if p.source == "dashboard" else ""
        head = _bracketed(rank_words(p), f"{p.label}{ours}")
    notes = [] if p.same_definition else [f"{DEFINITION_NOTE}."]
    return [head, *notes, *([filter_note(c)] if c.ignored else [])]


def finding(c: Comparison) -> str:
    """The section's title, stating the finding: 'Eastvale Council ranked 2nd of 16 similar
    councils in 2025/26'."""
    p, m = c.latest, c.measure
    if p.rank is None:
        return f"The median of {p.peers} {group_words(p.peer_group)} in {p.label} was " + (
            f"{_value(p.median, m)}; {_no_rank(p)}"
        )
    return f"{c.council_name} ranked {rank_words(p)} in {p.label}"


def source_words(c: Comparison, p: PeerPeriod) -> str:
    """Where the council's figure in a period comes from, in a sentence."""
    name = c.council_name
    if p.source == "published":
        own = (
            f"{name}'s figure is its own published row in the comparison file (area code "
            f"{c.area_code})"
        )
        if p.same_definition:
            return f"{own}, so the comparison is like for like."
        return f"{own}, but not every published figure is defined as ours is."
    missing = (
        f"has no row for the council's area code {c.area_code}"
        if c.area_code
        else "cannot be matched to the council: set area_code in council.toml"
    )
    if p.source == "dashboard":
        so_far = " so far" if p.so_far else ""
        return (
            f"{name}'s figure for {p.label}{so_far} is this dashboard's own, for the council "
            f"as a whole: the comparison file {missing}, so it may not be defined quite as "
            "the published figures are."
        )
    return f"The comparison file {missing}, and {_no_rank(p)}."


def sentences(c: Comparison) -> list[str]:
    """The section's sentences: the figures behind the rank, and where ours comes from."""
    p, m = c.latest, c.measure
    better = "Higher" if m.better == "higher" else "Lower"
    spread = (
        f"; the middle half of them ranged from {_value(p.lower_quartile, m)} to "
        f"{_value(p.upper_quartile, m)}"
        if p.lower_quartile is not None
        else f" (too few to give quartiles: {MIN_QUARTILE_PEERS} are needed)"
    )
    ours = "" if p.council is None else f"{c.council_name}: {_value(p.council, m)}, against "
    lead = f"{ours}a median of {_value(p.median, m)} across {p.peers} {group_words(p.peer_group)}"
    differ = [f"Defined differently from ours: {_listed(p.differing)}."] if p.differing else []
    return [
        f"{lead[0].upper()}{lead[1:]} in {p.label}{spread}. {better} is better.",
        source_words(c, p),
        *differ,
    ]


def _listed(names) -> str:
    """'Coldmere, Hartwell Vale and Northwold'."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def table(c: Comparison) -> pd.DataFrame:
    """The comparison as tidy data, period by period, as the chart shows it."""
    m = c.measure

    def shown(v):
        return None if v is None or fmt.missing(v) else round(float(v), m.decimals)

    return pd.DataFrame(
        [
            {
                "Period": p.label,
                fmt.with_unit("Our figure", m.unit): shown(p.council),
                "Our figure from": SOURCE_WORDS[p.source],
                "Rank": rank_words(p) if p.rank is not None else "Not ranked",
                fmt.with_unit("Median of similar councils", m.unit): shown(p.median),
                fmt.with_unit("Lower quartile", m.unit): shown(p.lower_quartile),
                fmt.with_unit("Upper quartile", m.unit): shown(p.upper_quartile),
                fmt.with_unit("Similar councils", "count"): p.peers,  # councils, not people
                "Definition": "Same as ours" if p.same_definition else "Differs from ours",
            }
            for p in c.periods
        ]
    )


def _figures(database, area_code: str) -> Mapping[str, tuple]:
    """Every measure's peer figures (queries/peers/peer_figures_by_period.sql), by measure,
    each row a record with its period's start and end as dates: one query per data version,
    shared by every card and every filter change (records are never written into)."""

    def load():
        frame = database.query("peers/peer_figures_by_period", area_code=area_code)
        starts = [pd.Timestamp(s).date() for s in frame["period_start"]]
        ends = [cal.period_end(s, g) for s, g in zip(starts, frame["grain"])]
        frame = frame.assign(period_start=starts, period_end=ends)
        by_measure: dict[str, list] = {}
        for row in frame.itertuples(index=False):
            by_measure.setdefault(row.measure, []).append(row)
        return MappingProxyType({m: tuple(rows) for m, rows in by_measure.items()})

    return database.reference(("peer figures", area_code), load)


def _rows(database, measure: Measure, filters: Filters, area_code: str) -> list:
    """The measure's peer figures at one grain (that of the latest period up to the end of
    the reporting period; a financial year, where two end together), from the trend charts'
    start, and always the latest period, however long ago it ended."""
    rows = _figures(database, area_code).get(measure.id, ())
    shown = [r for r in rows if r.period_start <= filters.end]
    if not shown:
        return []
    order = {g: i for i, g in enumerate(cal.GRAINS)}  # month, quarter, year: a year last
    latest = max(
        enumerate(shown), key=lambda ir: (ir[1].period_end, order.get(ir[1].grain, -1), ir[0])
    )[1]
    same = sorted((r for r in shown if r.grain == latest.grain), key=lambda r: r.period_start)
    # the trend from the filters' start; published figures lag, so the latest always stays
    return [
        r for r in same if r.period_end >= filters.start or r.period_start == latest.period_start
    ]


def _dashboard(database, measure, grain, starts, targets, min_base, area_code="") -> dict:
    """The dashboard's own council-wide figure for each of `starts`: {start: (value,
    withheld, so far)}: a figure withheld (too few cases) is None, with the words saying
    why. Worked out once per data version for every period of the grain the peers file has
    for the measure (a council-wide figure is the same whatever the filters), not on every
    filter change."""
    every = database.reference(
        ("council figures beside peers", measure, grain, min_base, area_code),
        lambda: MappingProxyType(
            _council_figures(
                database,
                measure,
                grain,
                _periods(database, measure, grain, area_code),
                targets,
                min_base,
            )
        ),
    )
    return {start: every[start] for start in starts if start in every}


def _periods(database, measure, grain, area_code) -> list[date]:
    """Every period of this grain the peers file has a figure for, for the measure."""
    rows = _figures(database, area_code).get(measure.id, ())
    return sorted({r.period_start for r in rows if r.grain == grain})


def _council_figures(database, measure, grain, starts, targets, min_base) -> dict:
    """`_dashboard` worked out for these periods."""
    if not starts:
        return {}
    as_at = coverage.load(database).as_at
    end = min(cal.period_end(max(starts), grain), as_at)
    if end < min(starts):
        return {}
    result = measures.compute(
        database, measure, Filters(grain, min(starts), end), targets, min_base, judged=False
    )
    out = {}
    series = result.held("series")  # read as columns: no frame needed
    for at in range(len(series)):
        row = frames.row(series, at)
        start = pd.Timestamp(row["period_start"]).date()
        so_far = cal.period_end(start, grain) > as_at
        if row["suppressed"]:
            words = hidden_text(row, result.min_base)
            out[start] = (None, f"{words} cases" if words.startswith("fewer") else words, so_far)
        elif not fmt.missing(row["value"]):
            out[start] = (float(row["value"]), "", so_far)
    return out


def _period(row, measure: Measure, ours: tuple) -> PeerPeriod:
    """One period's comparison from its row of the peers query and the council's figure:
    `ours` is (value, source, why withheld, so far)."""
    value, source, withheld, so_far = ours
    enough = row.peers >= MIN_QUARTILE_PEERS
    position, ranked, tied = (
        rank(value, row.peer_values, measure.better, measure.decimals)
        if value is not None
        else (None, row.peers + 1, False)
    )
    return PeerPeriod(
        period_start=row.period_start,
        grain=row.grain,
        peers=int(row.peers),
        median=float(row.median),
        lower_quartile=float(row.lower_quartile) if enough else None,
        upper_quartile=float(row.upper_quartile) if enough else None,
        council=value,
        source=source,
        rank=position,
        ranked=ranked,
        tied=tied,
        same_definition=bool(row.same_definition),
        peer_group="" if fmt.missing(row.peer_group) else str(row.peer_group),
        withheld=withheld,
        so_far=so_far,
        differing=tuple(str(n) for n in _items(row.differing)),
    )


def _items(value) -> list:
    """A list cell as a list (NULL when no row qualifies)."""
    return [] if value is None or fmt.missing(value) else list(value)


def compare(
    database,
    measure: Measure,
    filters: Filters,
    targets,
    min_base: int = 10,
    area_code: str = "",
    council_name: str = "",
) -> Comparison | None:
    """The measure's comparison with similar councils for the filters' periods, or None when
    the peers extract is not supplied or has no peer figure for it up to the reporting
    period. Worked out once per data version, measure and filters."""
    if not coverage.load(database).extract("peers").supplied:
        return None
    key = ("peers", measure, filters, min_base, area_code, council_name)
    return database.memo(
        key,
        lambda: _compare(database, measure, filters, targets, min_base, area_code, council_name),
    )


def _compare(database, measure, filters, targets, min_base, area_code, council_name):
    rows = [r for r in _rows(database, measure, filters, area_code) if r.peers > 0]
    if not rows:
        return None
    wanted = [r.period_start for r in rows if fmt.missing(r.council_value)]
    own = (
        _dashboard(database, measure, rows[0].grain, wanted, targets, min_base, area_code)
        if wanted
        else {}
    )
    periods = []
    for row in rows:
        if not fmt.missing(row.council_value):
            ours = (float(row.council_value), "published", "", False)
        elif row.period_start in own:
            value, withheld, so_far = own[row.period_start]
            ours = (value, "withheld" if value is None else "dashboard", withheld, so_far)
        else:
            ours = (None, "none", "", False)
        periods.append(_period(row, measure, ours))
    named = [r.council_name for r in rows if not fmt.missing(r.council_name)]
    chosen = {"service": filters.services, "channel": filters.channels}
    return Comparison(
        measure,
        council_name or (named[-1] if named else "The council"),
        area_code,
        tuple(periods),
        tuple(d for d in DIMENSIONS if chosen[d]),
    )


def for_result(database, result, targets, settings) -> Comparison | None:
    """The comparison beside a measure's result, with the council's own settings."""
    return compare(
        database,
        result.measure,
        result.filters,
        targets,
        settings.min_base,
        settings.area_code,
        settings.council,
    )
