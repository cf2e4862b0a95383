"""The measure engine: one calculation for every measure in the catalogue.

A measure's query returns numerator and denominator (or value and base) per period and
service; the engine turns that into value, base, target, RAG, the distance still to travel,
direction of travel against the previous period and the same period last year, and the
summary sentence, for the council as a whole and per service.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property, partial
from types import MappingProxyType

import numpy as np
import pandas as pd

from . import calendar as cal
from . import coverage, db, fmt, frames, glossary, kept, sentences, spc, survey
from .catalogue import Measure
from .filters import Filters
from .frames import Columns
from .suppression import (
    SECONDARY,
    hidden_marks,
    hide,
    periods_hiding,
    periods_hiding_marked,
    protect,
    under,
)

RAG_WORDS = glossary.STATUS
SHARED = ("measure", "filters", "targets")  # a result's parts that are never changed
RAG_ICONS = {"green": "check_circle", "amber": "error", "red": "cancel", "none": "remove"}
PER_YEAR = {"month": 12, "quarter": 4, "year": 1}


# Values a copy can share: nothing can change them in place
_ATOMIC = (str, int, float, bool, type(None), date, np.generic)


def _copied(value, memo):
    """A copy of a result's part of its own, made quickly for the usual kinds (a row of
    scalars, a list of notes, a comparison: copied one level, their items being atomic)."""
    if isinstance(value, (dict, list)) and all(
        isinstance(item, _ATOMIC) for item in (value.values() if isinstance(value, dict) else value)
    ):
        return value.copy()
    if isinstance(value, Change):
        return copy.copy(value)
    return copy.deepcopy(value, memo)


@dataclass
class Change:
    """Direction of travel against an earlier period."""

    word: str  # better | worse | no change | no real change | not comparable
    diff: float | None = None
    label: str = ""
    earlier: float | None = None


@dataclass
class MeasureResult:
    """Everything a card, chart or sentence needs about one measure under one set of filters.

    Shared between sessions through the result cache: treat it as read-only."""

    measure: Measure
    filters: Filters
    series: pd.DataFrame
    frame: pd.DataFrame  # the query's rows with values: the per-service breakdown's source
    latest: Mapping | None  # the latest period's row of `series` (column -> value)
    vs_previous: Change
    vs_last_year: Change
    distance: str
    sentence: str
    min_base: int
    notes: list[str] = field(default_factory=list)
    spc: pd.DataFrame | None = None
    variation: str = "common"
    assurance: str = "none"
    targets: Targets | None = None
    absent: str = ""  # why the measure cannot be shown at all ("Not supplied: ...")
    coarse: str = ""  # why the trend is a run chart, not a process chart
    groups: pd.DataFrame | None = None  # every service's rows (the chosen ones' source)
    as_at: date | None = None  # the data's as-at date
    judged: bool = True  # False: the figures alone (compute(judged=False)), no SPC or words

    def __deepcopy__(self, memo) -> MeasureResult:
        """A copy of its own for each caller of the result cache, made quickly: frames
        copied shallow (db.handout: copy-on-write), the catalogue entry, filters and targets
        (never changed, and frozen where they can be) shared."""
        copied = object.__new__(type(self))
        memo[id(self)] = copied
        for name, value in self.__dict__.items():
            if isinstance(value, (pd.DataFrame, pd.Series)):
                value = db.handout(value)
            elif isinstance(value, Columns):  # arrays never written into: shared
                value = Columns(value, value.rows)
            elif name not in SHARED and not isinstance(value, _ATOMIC):
                value = _copied(value, memo)
            copied.__dict__[name] = value
        return copied

    def held(self, name: str):
        """One of the result's tables (series, frame, spc, groups) as the engine holds it:
        its columns (`frames.Columns`) until something has read it as a frame, then the
        frame; for the engine's own reading, which needs no frame."""
        return self.__dict__.get(TABLES[name])

    @cached_property
    def by_service(self) -> pd.DataFrame:
        """Each service's figure in the latest period, best first (worked out when needed)."""
        table = self._services(
            lambda frame, period: service_table(
                frame, self.measure, period, self.targets, self.min_base
            )
        )
        return self.frame.iloc[0:0] if table is None else table

    @cached_property
    def service_figures(self) -> Columns:
        """Each service's figure in the latest period, suppressed as `by_service` shows it,
        without targets, RAG or order (service, value, base, suppressed), as columns: what a
        rank or a count of services needs, worked out on plain arrays (the service view asks
        it of every measure; the whole table cost it 6 ms a measure)."""
        table = self._services(
            lambda frame, period: service_figures(frame, period, self.min_base), held=True
        )
        if table is None:
            empty = np.zeros(0)
            return Columns(
                {
                    "service": empty.astype(object),
                    "value": empty,
                    "base": empty,
                    "suppressed": empty.astype(bool),
                },
                0,
            )
        return table

    def _services(self, table_of, held: bool = False) -> pd.DataFrame | Columns | None:
        """`table_of(rows, period)` for the latest period, suppression decided over every
        service and the chosen ones kept; None when the measure has no service split. With
        `held`, the rows as the engine holds them (`table_of` reads columns or a frame)."""
        if "service" not in self.measure.dimensions or self.absent:
            return None
        period = self.filters.report_start if self.latest is None else self.latest["period_start"]
        read = self.held if held else lambda name: getattr(self, name)
        groups = read("groups")
        if groups is None:
            return table_of(read("frame"), period)
        # suppression decided over every service, then the chosen ones shown
        table = table_of(groups, period)
        if isinstance(table, Columns):
            return table.take(np.isin(table["service"], list(self.filters.services)))
        return table[table["service"].isin(self.filters.services)].reset_index(drop=True)

    @property
    def rag(self) -> str:
        """RAG of the latest figure ('none' without a target or a figure)."""
        return "none" if self.latest is None else self.latest["rag"]

    @property
    def has_figure(self) -> bool:
        """True when there is a figure to judge (supplied, with data, maybe suppressed)."""
        return not self.absent and self.latest is not None

    @property
    def default_target(self) -> bool:
        """True when the latest figure is judged against a default, not the council's own."""
        return bool(
            self.latest is not None
            and self.targets is not None
            and not fmt.missing(self.latest["target"])
            and self.targets.is_default(
                self.measure, self.latest["period_start"], self.filters.single_service
            )
        )

    def complete_on(self, period_start: date) -> date | None:
        """For a lagging measure (escalations, reopened cases), the day a period's figure
        becomes complete, when that is after the data's as-at date; else None."""
        if not self.measure.lag_days or self.as_at is None:
            return None
        complete = cal.period_end(period_start, self.filters.grain) + timedelta(
            days=self.measure.lag_days
        )
        return complete if complete > self.as_at else None

    @property
    def ignored_filters(self) -> tuple[str, ...]:
        """The active filters this measure cannot be split by ('service', 'channel'): its
        figure is then for the council as a whole (or every channel), and says so."""
        chosen = {"service": self.filters.services, "channel": self.filters.channels}
        return tuple(
            d for d, picked in chosen.items() if picked and d not in self.measure.dimensions
        )

    @property
    def provisional_until(self) -> date | None:
        """The day the latest figure becomes complete, while it is still provisional."""
        return None if self.latest is None else self.complete_on(self.latest["period_start"])

    @property
    def is_current(self) -> bool:
        """True when the latest figure is for the reporting period itself."""
        return self.latest is not None and (
            self.latest["period_start"] == self.filters.report_start or self.measure.snapshot
        )


class _Table:
    """A result's table, held as the engine worked it out (`frames.Columns`) and made a
    DataFrame the first time it is read: a page reads a few of its results' tables (a chart,
    a breakdown), and making every one a frame was a fifth of judging a measure."""

    def __init__(self, name: str):
        self.slot = TABLES[name]

    def __get__(self, result, owner=None):
        if result is None:
            return self
        value = result.__dict__.get(self.slot)
        if isinstance(value, Columns):  # two threads may both make it: the same frame
            value = result.__dict__[self.slot] = frames.frame(value)
        return value

    def __set__(self, result, value) -> None:
        result.__dict__[self.slot] = value


TABLES = {name: f"_{name}" for name in ("series", "frame", "spc", "groups")}
for _name in TABLES:  # after the dataclass has made its fields: reads and writes go through
    setattr(MeasureResult, _name, _Table(_name))


class Targets:
    """Targets from the council's targets.csv; where it has none for a measure, a default
    target only when the council's settings name one (`default_targets`), marked as such."""

    def __init__(self, frame: pd.DataFrame, defaults: str | tuple = ""):
        self._steps: dict[tuple[str, str | None], list] = {}
        self._defaults = defaults if defaults == "catalogue" else dict(defaults or ())
        for row in frame.sort_values("from_period").itertuples(index=False):
            service = None if fmt.missing(row.service) else row.service
            margin = None if fmt.missing(row.amber_margin) else float(row.amber_margin)
            self._steps.setdefault((row.measure_id, service), []).append(
                (pd.Timestamp(row.from_period).date(), float(row.target), margin)
            )
        self._starts = {key: [s[0] for s in steps] for key, steps in self._steps.items()}
        self._arrays = {  # the same steps as arrays, for `over`
            key: (
                np.array([start for start, _, _ in steps], dtype="datetime64[D]"),
                np.array([target for _, target, _ in steps], dtype=float),
                np.array([np.nan if m is None else m for _, _, m in steps], dtype=float),
            )
            for key, steps in self._steps.items()
        }

    def _own(self, measure: Measure, period: date, service: str | None):
        for scope in ([service] if service else []) + [None]:
            index = bisect.bisect_right(self._starts.get((measure.id, scope), ()), period) - 1
            if index >= 0:
                _, target, margin = self._steps[(measure.id, scope)][index]
                return target, measure.amber_margin if margin is None else margin
        return None

    def over(self, measure: Measure, periods, service: str | None = None) -> tuple:
        """(targets, amber margins) in force for each of `periods`, as `lookup` gives them one
        by one (None as NaN), as arrays, worked out together (a series asks for two or three
        dozen periods on every filter change)."""
        days = cal.days(tuple(periods))
        target, margin = np.full(len(days), np.nan), np.full(len(days), np.nan)
        todo = np.ones(len(days), dtype=bool)
        for scope in ([service] if service else []) + [None]:
            steps = self._arrays.get((measure.id, scope))
            if steps is None:
                continue
            starts, targets, margins = steps
            at = np.searchsorted(starts, days, "right") - 1
            hit = todo & (at >= 0)
            target[hit], margin[hit] = targets[at[hit]], margins[at[hit]]
            todo &= ~hit
        default = self.default(measure)
        if default is not None:
            target[todo] = float(default)
        if measure.amber_margin is not None:  # a step without its own margin, or a default
            margin[np.isnan(margin) & (~todo | (default is not None))] = measure.amber_margin
        return target, margin

    def default(self, measure: Measure) -> float | None:
        """The default target the settings name for a measure, if any."""
        if self._defaults == "catalogue":
            return measure.default_target
        return self._defaults.get(measure.id)

    def lookup(self, measure: Measure, period: date, service: str | None = None):
        """(target, amber margin) in force for a period: the service's own, else the
        council's, else a default the settings name; (None, None) without one."""
        own = self._own(measure, period, service)
        if own is not None:
            return own
        default = self.default(measure)
        if default is None:
            return None, None
        return float(default), float(measure.amber_margin)

    def is_default(self, measure: Measure, period: date, service: str | None = None) -> bool:
        """True when the target in force is a default, not the council's own."""
        return self._own(measure, period, service) is None and self.default(measure) is not None


def targets_for(database, settings) -> Targets:
    """The council's targets for a served database, with any defaults its settings name."""
    return Targets(database.query("tables/targets"), settings.default_targets)


def rag(value, target, margin, better: str, decimals: int = 1) -> str:
    """Green meets target; amber misses by no more than the margin; red beyond; none."""
    return str(_rags([value], [target], [margin], better, decimals)[0])


# What a measure's query is given unless the filters or its catalogue params say otherwise
PARAM_DEFAULTS = {
    "by": "service",
    "services": None,
    "channels": None,
    "only_channels": None,
    "digital": None,
    "only_ages": None,
    "stage": None,
    "question": None,
    "older_or_disabled": None,
    "services_involved": None,
}


def query_params(measure: Measure, filters: Filters) -> dict:
    """Bound parameters for a measure's query: filters it supports, plus its catalogue params."""
    first = min(
        filters.start, cal.shift(filters.report_start, filters.grain, -PER_YEAR[filters.grain])
    )
    params = PARAM_DEFAULTS | filters.params(
        measure.dimensions, grain=filters.grain, start=first, end=filters.end
    )
    params.update(measure.params)
    if params["services_involved"] == "all":
        params["services_involved"] = None
    return params


def kept_queries(catalogue: dict[str, Measure], extracts=None, channels=(), large=()):
    """The measure queries whose results the build keeps whole (engine/kept.py): each
    measure's own query and its breakdowns by service and by channel, with no filter, and,
    for an additive query, its cube by month (kept.from_cube: any services and channels),
    for a quantile query, its histogram by month (kept.from_histogram: the same);
    for another measure that reads one of the `large` extracts, its own query with each of
    `channels` chosen alone; by month, quarter and financial year; as (query text, bound
    parameters). With `extracts`, only the measures that read one of them (a refresh of
    those extracts)."""
    for measure in catalogue.values():
        used = db.parameters(measure.sql)
        if not kept.keepable(used) or (
            extracts is not None and not set(measure.sources) & set(extracts)
        ):
            continue
        histogram = kept.histogram_of(db.sql_text(measure.sql))
        if histogram:  # by month: a quantile for any services and channels from it
            whole = {"grain": "month", "start": kept.EARLIEST, "end": kept.LATEST}
            yield db.sql_text(histogram), {k: whole[k] for k in sorted(db.parameters(histogram))}
        cube = "by" in used and kept.additive(db.sql_text(measure.sql), over="period")
        if cube:  # by month: any services, channels and grain are sums of it
            own = query_params(measure, Filters("month", kept.EARLIEST, kept.LATEST))
            yield db.sql_text(measure.sql), {k: (own | {"by": kept.CUBE})[k] for k in sorted(used)}
        reads_large = set(measure.sources) & set(large)
        alone = channels if "channel" in measure.dimensions and reads_large and not cube else ()
        for params, _ in _kept_params(measure, alone):
            yield db.sql_text(measure.sql), {k: params[k] for k in sorted(used)}


def _kept_params(measure: Measure, alone=()):
    """A measure's queries kept whole (`kept_queries`, its cube aside), by month, quarter
    and financial year, as (parameters, how the engine reads them: as its own rows (False),
    as a breakdown (True), or both): its own, its breakdowns, and its own with each of
    `alone` chosen (by service: a service's figures on that channel, and the council's)."""
    for grain in kept.GRAINS:
        own = query_params(measure, Filters(grain, kept.EARLIEST, kept.LATEST))
        yield own, (False,)
        for by in kept.SPLITS:
            yield {**own, "by": by}, (True,)
        for c in alone:
            chosen = query_params(measure, Filters(grain, kept.EARLIEST, kept.LATEST, (), (c,)))
            yield chosen, (False, True)


def keep_figures(database, catalogue: dict[str, Measure], min_base: int) -> int:
    """Work out, once per data version, the figures of every measure's rows kept whole in
    memory (`_kept_params`): values and suppression (`_values`) of its own rows, and of
    its breakdowns by service and by channel with each row marked hidden or not
    (`hidden_marks`), so that a filter change that reads kept rows slices these instead
    of working them out again (`_held_values`); and a quantile query's histogram made ready
    (`Database.ready_histogram`). Returns how many figures were worked out."""

    def jobs():
        for measure in catalogue.values():
            if not kept.keepable(db.parameters(measure.sql)):
                continue
            base = measure.min_base or min_base
            alone = kept.CHANNELS if "channel" in measure.dimensions else ()
            for params, ways in _kept_params(measure, alone):
                for groups in ways:
                    yield (
                        measure.sql,
                        params,
                        (measure.id, base, groups),
                        partial(_marked_values, measure=measure, min_base=base, groups=groups),
                    )

    worked_out = database.keep_figures(jobs())
    for measure in catalogue.values():  # a quantile's histogram, made ready for selections
        if kept.histogram_of(db.sql_text(measure.sql)):
            whole = Filters("month", kept.EARLIEST, kept.LATEST)
            database.ready_histogram(measure.sql, **query_params(measure, whole))
    return worked_out


def _marked_values(rows, measure: Measure, min_base: int, groups: bool):
    """`_values` of rows, and for a breakdown (`groups`) each row's `hidden_marks`."""
    values = _values(rows, measure, min_base, groups_only=groups)
    return values, (hidden_marks(values, min_base) if groups else {})


def _held_values(database, measure: Measure, params: dict, min_base: int, groups: bool):
    """`_marked_values` of the query's rows, from those worked out once (`keep_figures`),
    or None."""
    return database.kept_figures(measure.sql, (measure.id, min_base, groups), **params)


def add_values(
    frame: pd.DataFrame, measure: Measure, min_base: int, groups_only: bool = False
) -> pd.DataFrame:
    """Value, base and effective base from a query's rows; suppress small bases; with
    `groups_only`, the rows of each group alone (no total rows)."""
    index = frame.index if isinstance(frame, pd.DataFrame) else pd.RangeIndex(len(frame))
    if groups_only:
        index = index[~pd.isna(np.asarray(frames.values(frame, "service"), dtype=object))]
    return frames.frame(_values(frame, measure, min_base, groups_only), index)


def _values(frame, measure: Measure, min_base: int, groups_only: bool = False) -> Columns:
    """`add_values` as columns (built column by column as arrays: this runs for every
    measure on every filter change)."""
    out = frames.arrays(frame)
    if "service" in out:  # text as Python objects: the engine's many small picks are cheaper
        out["service"] = np.asarray(out["service"], dtype=object)
    out["period_start"] = _dates(out["period_start"])  # (before picking: numpy's is quicker)
    if groups_only:
        keep = ~pd.isna(out["service"])
        out = {name: values[keep] for name, values in out.items()}
    if "numerator" in out:
        den = _floats(out["denominator"])
        num = _floats(out["numerator"])
        with np.errstate(divide="ignore", invalid="ignore"):
            out["value"] = np.where(
                den > 0, num / np.where(den > 0, den, np.nan) * measure.scale, np.nan
            )
        if "base" not in out:
            out["base"] = den
    base = _floats(out["base"])
    out["base"] = np.where(np.isnan(base), 0.0, base)
    if "weight_squares" in out:  # weighted answers: Kish's effective base from the sums
        out["effective_base"] = survey.effective_base(out["denominator"], out.pop("weight_squares"))
    if "effective_base" not in out:
        out["effective_base"] = out["base"]
    suppressed = under(out["base"], min_base)
    value = _floats(out["value"])  # a figure is a float, whether any row is suppressed or not
    if suppressed.any():
        value = value.copy()
        value[suppressed] = np.nan
    out["value"] = value
    out["suppressed"] = suppressed
    out["low"], out["high"] = _intervals(out, measure)
    return frames.columns(out)


def _dates(values) -> np.ndarray:
    """A period column as `date`s (DuckDB's DATE arrives as datetime64; a frame held in
    memory gives pandas' own datetime array, with no time zone, read as datetime64 too)."""
    if isinstance(values, pd.arrays.DatetimeArray) and values.tz is None:
        values = values.to_numpy()
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[D]").astype(object)
    return pd.to_datetime(pd.Series(values)).dt.date.to_numpy()


def _intervals(columns: dict, measure: Measure):
    """Wilson 95% intervals (Kish effective base) for survey measures; NaN otherwise."""
    if not measure.survey or "numerator" not in columns:
        return np.nan, np.nan
    low, high = survey.intervals_from_sums(
        _floats(columns["numerator"]),
        _floats(columns["denominator"]),
        _floats(columns["effective_base"]),
    )
    hidden = np.asarray(columns["suppressed"], dtype=bool)
    return np.where(hidden, np.nan, low), np.where(hidden, np.nan, high)


def _floats(values) -> np.ndarray:
    if isinstance(values, (pd.Series, pd.api.extensions.ExtensionArray)):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def _target_values(periods, services, measure, targets, service_of) -> dict:
    """Target, amber margin and RAG for each row (period, service), as lists."""
    pairs = [targets.lookup(measure, p, service_of(s)) for p, s in zip(periods, services)]
    target = [t for t, _ in pairs]
    margin = [m for _, m in pairs]
    return {"target": target, "amber_margin": margin}


def _target_columns(frame, measure, targets, service_of) -> pd.DataFrame:
    services = frame["service"] if "service" in frame else [None] * len(frame)
    columns = _target_values(frame["period_start"], services, measure, targets, service_of)
    columns["rag"] = _rag_column(frame["value"], columns, measure)
    return _with_columns(frame, columns)


def _rags(values, target, margin, better: str, decimals: int) -> np.ndarray:
    """`rag` of each row, worked out together (it runs for every period of every measure):
    the figure as shown (`_as_shown`) against the target, within the amber margin (none:
    0) or not; "none" without a figure or a target."""
    value = _as_shown(_floats(values), decimals)
    target, margin = _floats(target), _floats(margin)
    margin = np.where(np.isnan(margin), 0.0, margin)
    with np.errstate(invalid="ignore"):
        gap = value - target if better == "higher" else target - value
        words = np.where(gap >= -1e-9, "green", np.where(-gap <= margin + 1e-9, "amber", "red"))
    return np.where(np.isnan(value) | np.isnan(target), "none", words).astype(object)


def _rag_column(values, columns: dict, measure: Measure) -> np.ndarray:
    return _rags(
        values, columns["target"], columns["amber_margin"], measure.better, measure.decimals
    )


def _as_shown(values: np.ndarray, decimals: int) -> np.ndarray:
    """Figures rounded as Python's `round` (and so the page) shows them: numpy's rounding
    (scaled, to the nearest whole, scaled back) agrees except within a hair of a half,
    where it can go the other way, so those few are rounded by Python."""
    scale = 10.0**decimals
    scaled = values * scale
    whole = np.rint(scaled)
    out = whole / scale
    with np.errstate(invalid="ignore"):
        near = np.abs(scaled - whole) > 0.5 - 1e-6
    if near.any():
        out[near] = [round(value, decimals) for value in values[near].tolist()]
    return out


def _with_columns(frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """The frame with these columns set (added at the end, or replaced), in one step."""
    if frame.empty:  # column assignment's own types for empty columns
        frame = frame.copy()
        for name, values in columns.items():
            frame[name] = values
        return frame
    out = {name: frame[name] for name in frame.columns}
    out |= {
        name: pd.Series(values, index=frame.index) if isinstance(values, list) else values
        for name, values in columns.items()
    }
    return pd.DataFrame(out, index=frame.index)


def total_series(
    frame: pd.DataFrame, measure: Measure, filters: Filters, targets: Targets
) -> pd.DataFrame:
    """One row per period, every period present (gaps as no data), with target and RAG."""
    series = _series(frame, measure, filters, targets)
    return series if isinstance(series, pd.DataFrame) else frames.frame(series)


def _series(frame, measure: Measure, filters: Filters, targets: Targets):
    """`total_series` as columns (built column by column: this runs for every measure on
    every filter change); a frame where pandas' reindex had to make it."""
    columns = frames.arrays(frame)
    is_total = pd.isna(columns.pop("service"))
    is_total = np.asarray(is_total, dtype=bool)
    at = np.flatnonzero(is_total) if not is_total.all() else np.arange(len(frame))
    periods = np.asarray(columns["period_start"])[at]
    first = min([filters.start, *periods]) if len(at) else filters.start
    span = cal.span(first, filters.report_start, filters.grain)
    take, once = _places(periods, at, span)
    if not once or not all(isinstance(values, np.ndarray) for values in columns.values()):
        # a period twice, or a column pandas holds its own way: pandas' reindex
        if isinstance(frame, Columns):
            frame = frames.frame(frame)
        totals = frame.iloc[at]
        series = totals.set_index("period_start").reindex(list(span.starts))
        series = series.rename_axis("period_start").reset_index()
        series["base"] = series["base"].fillna(0)
        series["suppressed"] = series["suppressed"].fillna(False).astype(bool)
        series = series.drop(columns=["service"])
        if series.empty:
            series.insert(len(series.columns), "label", [])
            return _target_columns(series, measure, targets, lambda _: filters.single_service)
        columns = frames.arrays(series)
    else:  # the rows in period order, a period with none as no data (as reindex would)
        columns = _at_or_gap(columns, take)
        columns["period_start"] = span.objects
    columns["label"] = span.labels
    columns["target"], columns["amber_margin"] = targets.over(
        measure, span.starts, filters.single_service
    )
    columns["rag"] = _rag_column(columns["value"], columns, measure)
    return frames.columns(columns)


def _places(periods: np.ndarray, at: np.ndarray, span: cal.Span) -> tuple[np.ndarray, bool]:
    """For each period of the span, the row (of `at`, the rows of `periods`) that holds
    it, -1 for none; and whether no period has two rows. Usually the rows are the span's
    periods in order, a run of them, and that is checked as a whole."""
    if not len(periods):
        return np.full(len(span.starts), -1), True
    begin = span.index.get(periods[0])
    listed = tuple(periods.tolist())
    if begin is not None and span.starts[begin : begin + len(listed)] == listed:
        take = np.full(len(span.starts), -1)
        take[begin : begin + len(listed)] = at
        return take, True
    row_of = {p: i for i, p in enumerate(listed)}
    take = np.array([at[row_of[p]] if p in row_of else -1 for p in span.starts], dtype=int)
    return take, len(row_of) == len(at)


def _at_or_gap(columns: dict, take: np.ndarray) -> dict:
    """Each column's values at `take`, new arrays; at -1 (a period with no row) no data,
    as pandas' reindex fills a gap: NaN, numbers made floats; no base and not suppressed."""
    gaps = take < 0
    if not gaps.any():
        return {name: values[take] for name, values in columns.items()}
    at = np.where(gaps, 0, take)
    out = {}
    for name, values in columns.items():
        if not len(values):
            out[name] = np.full(len(take), np.nan)
            continue
        picked = values[at].astype(float if values.dtype.kind in "iuf" else object)
        picked[gaps] = np.nan
        out[name] = picked
    out["base"][gaps] = 0
    out["suppressed"] = np.where(gaps, False, out["suppressed"]).astype(bool)
    return out


def service_table(
    frame: pd.DataFrame, measure: Measure, period: date, targets: Targets, min_base: int
) -> pd.DataFrame:
    """Each service's figure for one period, with its own target and RAG, best first; small
    services suppressed so that none can be worked out from the council total."""
    rows = frame[frame["service"].notna() & (frame["period_start"] == period)]
    rows = protect(rows.reset_index(drop=True), min_base)
    rows = _target_columns(rows, measure, targets, lambda s: s)
    ascending = measure.better == "lower"
    return rows.sort_values(["suppressed", "value"], ascending=[True, ascending]).reset_index(
        drop=True
    )


def service_figures(frame: pd.DataFrame, period: date | None, min_base: int) -> Columns:
    """Each service's figure for one period, suppressed by the same rule as `service_table`
    (suppression.hide over the same rows, on plain arrays): service, value, base,
    suppressed, as columns."""
    columns = frames.arrays(frame)
    services = np.asarray(columns["service"], dtype=object)
    rows = (np.asarray(columns["period_start"]) == period) & ~pd.isna(services)
    sizes = _floats(columns["base"])[rows]
    hidden, _ = hide(sizes, min_base)
    values = _floats(columns["value"])[rows]
    values[hidden] = np.nan
    sizes[hidden] = np.nan
    return Columns(
        {"service": services[rows], "value": values, "base": sizes, "suppressed": hidden},
        int(rows.sum()),
    )


def breakdown_columns(database, measure: Measure, filters: Filters, by: str, min_base: int):
    """The measure for every group of one dimension (no filter on that dimension, the other
    filters kept), as columns: the rows suppression is decided over."""
    return _groups(database, measure, filters, by, min_base)[0]


def _groups(database, measure: Measure, filters: Filters, by: str, min_base: int):
    """`breakdown_columns`, and each row's `hidden_marks` when they were worked out once
    for the data version (`keep_figures`), else None."""
    params = _breakdown_params(measure, filters, by)
    held = _held_values(database, measure, params, min_base, True)
    if held is not None:
        return held
    rows = _breakdown_query(database, measure, filters, by)
    return _values(rows, measure, min_base, groups_only=True), None


def _breakdown_query(database, measure: Measure, filters: Filters, by: str):
    """The query's own rows for every group of one dimension, the other filters kept."""
    if by == "channel":
        rows = _one_service_by_channel(database, measure, filters)
        if rows is not None:
            return rows
    return database.rows(measure.sql, **_breakdown_params(measure, filters, by))


def _by_channel_parts(database, measure: Measure, filters: Filters) -> list | None:
    """For one service chosen, the kept queries its rows by channel are read from: every
    service's rows (the service's own total), then every service's rows on each channel
    chosen alone (kept for large extracts); None unless all are kept and every record the
    measure reads has a channel (else a 'Not recorded' group would be missing)."""
    if filters.single_service is None or "by" not in db.parameters(measure.sql):
        return None
    wider = replace(filters, services=(), channels=())
    own = query_params(measure, wider)
    if own.get("by") != "service" or not _channels_recorded(database, measure):
        return None
    parts = [(None, own)] + [
        (c, query_params(measure, replace(wider, channels=(c,)))) for c in kept.CHANNELS
    ]
    return parts if all(database.kept(measure.sql, **p) for _, p in parts) else None


def _channels_recorded(database, measure: Measure) -> bool:
    """True when no record of the extracts the measure reads lacks a channel."""
    unrecorded = database.reference(
        ("unrecorded channels",),
        lambda: dict(database.query("tables/unrecorded_channels").itertuples(index=False)),
    )
    return not any(unrecorded.get(extract, 0) for extract in measure.sources)


def _one_service_by_channel(database, measure, filters) -> Columns | None:
    """The query's rows by channel for the one service chosen, from kept rows: on each
    channel, that service's row of every service's rows on the channel chosen alone, and as
    the total its row of every service's rows (the same records as the query would group,
    so the same figures), in the query's own order; None when they are not kept."""
    parts = _by_channel_parts(database, measure, filters)
    if parts is None:
        return None
    service, picked, labels = filters.single_service, [], []
    for label, params in parts:
        rows = database.kept_rows(measure.sql, **params)
        if rows is None:  # a range the kept rows cannot serve
            return None
        columns = frames.arrays(rows)
        at = np.flatnonzero(np.asarray(columns["service"], dtype=object) == service)
        picked.append({name: values[at] for name, values in columns.items()})
        labels.append(np.full(len(at), np.nan if label is None else label, dtype=object))
    out = {name: np.concatenate([p[name] for p in picked]) for name in picked[0]}
    out["service"] = np.concatenate(labels)
    # by period, the total first, then the channels by name
    total = pd.isna(out["service"])
    names = np.where(total, "", out["service"]).astype(str)
    order = np.lexsort((names, ~total, np.asarray(out["period_start"])))
    return Columns({name: values[order] for name, values in out.items()}, len(order))


def _breakdown_params(measure: Measure, filters: Filters, by: str) -> dict:
    wider = replace(filters, **{"services" if by == "service" else "channels": ()})
    return query_params(measure, wider) | {"by": by}


def asked(database, measure: Measure, filters: Filters) -> list[dict]:
    """The parameters of the queries `compute` asks of a measure under the filters: every
    service's rows when services are chosen, every channel's when channels are, and its
    own rows unless those give them (one service; several, for an additive query)."""
    if coverage.measure_absence(coverage.load(database), measure):
        return []
    groups = bool(filters.services) and "service" in measure.dimensions
    asks = [_breakdown_params(measure, filters, "service")] if groups else []
    if not groups or not (filters.single_service or db.additive(measure.sql)):
        asks.append(query_params(measure, filters))
    if (
        filters.channels
        and "channel" in measure.dimensions
        and _by_channel_parts(database, measure, filters) is None
    ):
        asks.append(_breakdown_params(measure, filters, "channel"))
    return asks


def _by_service(measure: Measure, filters: Filters) -> bool:
    """True when a service filter is on and the measure has services (their figures are
    then read for suppression and, for several, summed as the selection)."""
    return bool(filters.services) and "service" in measure.dimensions


def _own_values(database, measure: Measure, filters: Filters, min_base: int) -> Columns:
    """`_values` of the measure's own rows under the filters: worked out once for the data
    version where its rows are kept whole (`keep_figures`), else from `_rows`."""
    held = _held_values(database, measure, query_params(measure, filters), min_base, False)
    if held is not None:
        return held[0]
    return _values(_rows(database, measure, filters), measure, min_base)


def _rows(database, measure: Measure, filters: Filters):
    """The measure's query rows under the filters: for several services and an additive
    query, summed from every service's rows (already read for suppression), else asked."""
    if _by_service(measure, filters) and db.additive(measure.sql):
        every = _breakdown_query(database, measure, filters, "service")
        rows = kept.summed_selection(every, filters.services)
        if rows is not None:
            return rows
    return database.rows(measure.sql, **query_params(measure, filters))


def _one_service(groups: Columns, service: str) -> Columns:
    """The query's rows for one chosen service, from every service's rows: its own rows, and
    the same again as the selection's total (the same records, summed or ranked the same
    way), the total first in each period, as the query orders them."""
    columns = frames.arrays(groups)
    own = np.flatnonzero(np.asarray(columns["service"] == service, dtype=bool))
    own = own[np.argsort(np.asarray(columns["period_start"])[own], kind="stable")]
    take = np.repeat(own, 2)
    columns = {name: values[take] for name, values in columns.items()}
    columns["service"][::2] = np.nan  # the selection's total: no service named
    return Columns(columns, len(take))


def _protect_selection(frame, measure, filters, groups, database, min_base) -> pd.DataFrame:
    """Hide the chosen services' (or channels') figure in any period where showing it would
    let a suppressed service (or channel) be worked out (suppression.hides_selection);
    `groups`: every service's figures and their marks (`_groups`), when already read."""
    hidden: set = set()
    for by, chosen, read in (
        ("service", filters.services, groups),
        ("channel", filters.channels, None),
    ):
        if not chosen or by not in measure.dimensions:
            continue
        rows, marks = read or _groups(database, measure, filters, by, min_base)
        if marks is None:
            hidden |= periods_hiding(rows, min_base, chosen)
        else:
            hidden |= periods_hiding_marked(rows, marks, chosen)
    if not hidden:
        return frame
    columns = frames.arrays(frame)
    suppressed = np.asarray(columns["suppressed"], dtype=bool)
    mask = (
        pd.isna(columns["service"])
        & np.isin(np.asarray(columns["period_start"], dtype=object), list(hidden))
        & ~suppressed
    )
    if not mask.any():
        return frame
    columns["suppressed"] = suppressed | mask
    for column in ("value", "low", "high"):
        if column in columns:
            columns[column] = np.where(mask, np.nan, _floats(columns[column]))
    by = columns.get("suppressed_by", np.full(len(mask), np.nan, dtype=object))
    columns["suppressed_by"] = np.where(mask, SECONDARY, np.asarray(by, dtype=object))
    if isinstance(frame, Columns):
        return Columns(columns, len(mask))
    return frames.frame(columns, frame.index)


def change(latest, earlier, measure: Measure) -> Change:
    """Better, worse or no (real) change, by the measure's polarity."""
    if (
        latest is None
        or earlier is None
        or fmt.missing(latest["value"])
        or fmt.missing(earlier["value"])
    ):
        return Change("not comparable")
    diff = float(latest["value"]) - float(earlier["value"])
    label, value = earlier["label"], float(earlier["value"])
    if measure.survey and "numerator" in earlier:
        word = survey.change_words(
            float(earlier["value"]) / 100,
            float(earlier["effective_base"]),
            float(latest["value"]) / 100,
            float(latest["effective_base"]),
            measure.better,
        )
        return Change(word, diff, label, value)
    if round(diff, measure.decimals) == 0:
        return Change("no change", diff, label, value)
    improved = diff > 0 if measure.better == "higher" else diff < 0
    return Change("better" if improved else "worse", diff, label, value)


def distance(latest, measure: Measure) -> str:
    """How far there is still to travel to the target, in the measure's unit."""
    if latest is None or fmt.missing(latest["value"]) or fmt.missing(latest["target"]):
        return ""
    gap = round(float(latest["value"]), measure.decimals) - float(latest["target"])
    to_go = -gap if measure.better == "higher" else gap
    size = fmt.gap(to_go, measure.unit, measure.decimals)
    if to_go <= 1e-9:
        return "Target met" if abs(to_go) < 1e-9 else f"Target met with {size} to spare"
    return f"{size} to go to reach the target"


def _row_at(series: pd.DataFrame, period: date):
    hit = np.flatnonzero(frames.values(series, "period_start") == period)
    return None if not len(hit) else frames.row(series, hit[0])


def _with_data(series: pd.DataFrame) -> np.ndarray:
    """True for each period with a base (a figure, shown or suppressed)."""
    base = frames.values(series, "base")
    if base.dtype.kind not in "iuf":
        base = _floats(series["base"])
    with np.errstate(invalid="ignore"):
        return base > 0  # NaN compares False: no data


def _latest(series: pd.DataFrame, report: date, snapshot: bool):
    """The reporting period's row, or the latest earlier one with data (surveys run in
    waves; a snapshot measure has one figure, whenever it is)."""
    with_data = _with_data(series)
    if not snapshot:
        with_data &= frames.values(series, "period_start") <= report
    hit = np.flatnonzero(with_data)
    return None if not len(hit) else frames.row(series, hit[-1])


def _previous(series: pd.DataFrame, latest):
    if latest is None:
        return None
    earlier = _with_data(series) & (frames.values(series, "period_start") < latest["period_start"])
    hit = np.flatnonzero(earlier)
    return None if not len(hit) else frames.row(series, hit[-1])


def breakdown(
    database,
    measure: Measure,
    filters: Filters,
    targets: Targets,
    by: str,
    min_base: int = 10,
    months: int | None = None,
) -> pd.DataFrame:
    """The measure for each channel, site, contractor or service (the `service` column holds
    the group), best first, suppressed where small: for the latest period with data, or, with
    `months`, pooled over that many months to the end of the reporting period (surveys)."""
    min_base = measure.min_base or min_base
    params = query_params(measure, filters) | {"by": by}
    if months:
        start = cal.shift(cal.period_start(filters.end, "month"), "month", 1 - months)
        params |= {"grain": "span", "start": start}
    frame = add_values(database.query(measure.sql, **params), measure, min_base)
    if months:
        frame["period_start"] = filters.report_start
        last_month = cal.period_label(cal.period_start(filters.end, "month"), "month")
        label = f"{months} months to {last_month}"
        period = filters.report_start
    else:
        latest = _latest(
            total_series(frame, measure, filters, targets), filters.report_start, measure.snapshot
        )
        if latest is None:
            return frame.iloc[0:0].assign(target=[], amber_margin=[], rag=[], label=[])
        period, label = latest["period_start"], latest["label"]
    table = service_table(frame, measure, period, targets, min_base)
    table["label"] = label
    return table


def spc_frame(series: pd.DataFrame, measure: Measure, rebase_dates=(), held: bool = False):
    """Making Data Count XmR over the periods shown, restarting at known process changes; a
    run chart instead where the data are too coarse for process limits. Returns the frame
    (with `held`, its columns) and, for a run chart, why."""
    return spc_frames([(series, measure, rebase_dates)], held)[0]


def spc_frames(charts, held: bool = False) -> list[tuple]:
    """`spc_frame` of each (series, measure, rebase dates), the process charts worked out
    together (spc.xmr_many: a page's measures in one pass)."""
    out: list = [None] * len(charts)
    together, at = [], []
    for i, (series, measure, rebases) in enumerate(charts):
        rebase = []
        if rebases:  # the place of the first period on or after each process change
            starts = list(frames.values(series, "period_start"))
            rebase = sorted(
                {next((i for i, p in enumerate(starts) if p >= d), None) for d in rebases}
                - {None, 0}
            )
        targets = _floats(frames.values(series, "target"))
        targets = targets[~np.isnan(targets)]
        target = float(targets[-1]) if len(targets) else None
        values = _floats(frames.values(series, "value"))
        coarse = spc.too_coarse(values, whole_steps=measure.spc == "run")
        if coarse:
            out[i] = spc.run_chart(values, target, held=held), coarse
        else:
            together.append((values, measure.better, target, rebase))
            at.append(i)
    for i, frame in zip(at, spc.xmr_many(together, held=held)):
        out[i] = frame, ""
    return out


def rebase_dates(database) -> Mapping[str, tuple[date, ...]]:
    """Known process changes (new telephony, a new form) by measure: SPC restarts there."""

    def load():
        rebases = database.query("tables/rebase_dates")
        out: dict[str, tuple[date, ...]] = {}
        for measure_id, day in zip(rebases["measure"], pd.to_datetime(rebases["date"]).dt.date):
            out[measure_id] = (*out.get(measure_id, ()), day)
        return MappingProxyType(out)

    return database.reference(("rebase_dates",), load)


# A page's live queries run here side by side (compute_many warms them: DuckDB works outside
# Python's lock) while the page's thread judges its measures. One pool for the whole server,
# so viewers never add threads.
_POOL = ThreadPoolExecutor(
    max_workers=max(2, min(4, os.cpu_count() or 2)), thread_name_prefix="measures"
)


# A page's panels built side by side (`side_by_side`): a pool of their own, since a panel may
# itself judge measures on the pool above (one pool waiting on itself could deadlock).
_PANELS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="panels")


def side_by_side(calls) -> list:
    """Start zero-argument calls (a page's panels: their queries, then their tables and
    figures) two at a time; returns their futures in order. A call must not draw anything
    (only the script's own thread may): the page draws each result as it reads it."""
    return [_PANELS.submit(call) for call in calls]


def compute_many(
    database, jobs, targets: Targets, min_base: int = 10, judged: bool = True
) -> list[MeasureResult]:
    """`compute` for each (measure, filters) pair, results in order: the queries they ask
    that are not kept are started side by side on the pool first (DuckDB works outside
    Python's lock), while the measures are worked out on this thread, those served from
    kept rows first, so that the live queries have run by the time their measures are
    reached (two threads working at once only contend for Python's lock). Each group's
    measures are judged together (`_judge`)."""
    jobs = list(jobs)
    live: set[int] = set()
    if len(jobs) > 1:
        for at, (measure, filters) in enumerate(jobs):
            for params in asked(database, measure, filters):
                if not database.in_memory(measure.sql, **params):
                    _POOL.submit(_warm, database, measure.sql, params)
                    live.add(at)
    done: dict[int, MeasureResult] = {}
    for group in ([at for at in range(len(jobs)) if at not in live], sorted(live)):
        made = {}
        for at in group:
            measure, filters = jobs[at]
            held = _held(database, measure, filters, min_base, judged)
            if held is not None:
                done[at] = held
            else:
                made[at] = _figures(database, measure, filters, targets, min_base)
        if judged:
            _judge(database, list(made.values()))
        for at, result in made.items():
            key = _key(result.measure, result.filters, min_base, judged)
            done[at] = database.memo(key, lambda result=result: result)
    return [done[at] for at in range(len(jobs))]


def _warm(database, name: str, params: dict) -> None:
    """Warm one query ahead (`Database.warm`); a fault is left for `compute` to meet and
    report when it asks for the same rows."""
    with contextlib.suppress(Exception):  # compute asks again and reports it
        database.warm(name, **params)


def compute(
    database,
    measure: Measure,
    filters: Filters,
    targets: Targets,
    min_base: int = 10,
    judged: bool = True,
) -> MeasureResult:
    """Run a measure's query and judge it: the one calculation behind every card and chart.
    With `judged` False, the figures alone (every period's value, suppression, target and
    RAG, the changes, each service's figure), without the process chart, its verdict or the
    sentence, for a table that shows none of them (the service comparison, the council's
    own figures beside its peers, the action plan, the strategy map). Results are cached
    per data version, measure, filters and kind; figures asked for when the judged result
    is already held come from it (it holds every one of them)."""
    held = _held(database, measure, filters, min_base, judged)
    if held is not None:
        return held
    return database.memo(
        _key(measure, filters, min_base, judged),
        lambda: _compute(database, measure, filters, targets, min_base, judged),
    )


def _key(measure: Measure, filters: Filters, min_base: int, judged: bool) -> tuple:
    return ("compute" if judged else "figures", measure, filters, min_base)


def _held(database, measure, filters, min_base, judged) -> MeasureResult | None:
    """The result already held for these (for the figures alone, the judged result will
    do), or None."""
    for kind in (True,) if judged else (False, True):
        held = database.memo_held(_key(measure, filters, min_base, kind))
        if held is not None:
            return held
    return None


SERIES_COLUMNS = (
    "period_start",
    "value",
    "base",
    "effective_base",
    "suppressed",
    "low",
    "high",
    "label",
    "target",
    "amber_margin",
    "rag",
)


def _absent(measure, filters, targets, min_base, reason: str) -> MeasureResult:
    """The result for a measure the data cannot give: no figure, never rated, and why."""
    empty = pd.DataFrame(columns=list(SERIES_COLUMNS))
    return MeasureResult(
        measure,
        filters,
        empty,
        empty.assign(service=[]),
        None,
        Change("not comparable"),
        Change("not comparable"),
        "",
        f"{reason}.",
        measure.min_base or min_base,
        targets=targets,
        absent=reason,
    )


def _compute(database, measure, filters, targets, min_base, judged=True) -> MeasureResult:
    result = _figures(database, measure, filters, targets, min_base)
    if judged:
        _judge(database, [result])
    return result


def _figures(database, measure, filters, targets, min_base) -> MeasureResult:
    """A measure's figures under the filters, not yet judged (`_judge`); or why it has
    none."""
    reason = coverage.measure_absence(coverage.load(database), measure)
    if reason:
        return _absent(measure, filters, targets, min_base, reason)
    min_base = measure.min_base or min_base
    by_service = _by_service(measure, filters)
    read = _groups(database, measure, filters, "service", min_base) if by_service else None
    groups = None if read is None else read[0]
    if groups is not None and filters.single_service:
        frame = _one_service(groups, filters.single_service)  # the same query, not again
    else:
        frame = _own_values(database, measure, filters, min_base)
    frame = _protect_selection(frame, measure, filters, read, database, min_base)
    series = _series(frame, measure, filters, targets)
    latest = _latest(series, filters.report_start, measure.snapshot)
    grain = filters.grain
    vs_previous = change(latest, _previous(series, latest), measure)
    year_ago = (
        None
        if latest is None
        else _row_at(series, cal.shift(latest["period_start"], grain, -PER_YEAR[grain]))
    )
    vs_last_year = change(latest, year_ago, measure)
    first = cal.period_start(filters.start, grain)  # periods before it: comparisons only
    cut = int(np.sum(frames.values(series, "period_start") < first))
    if isinstance(series, Columns):
        shown = series.take(slice(cut, None))
    else:
        shown = series.iloc[cut:].reset_index(drop=True)
    result = MeasureResult(
        measure,
        filters,
        shown,
        frame,
        latest,
        vs_previous,
        vs_last_year,
        distance(latest, measure),
        "",
        min_base,
        targets=targets,
        groups=groups,
    )
    result.as_at = coverage.load(database).as_at
    # the figures alone until judged: no process chart, verdict or sentence
    result.judged, result.variation, result.assurance = False, "", ""
    return result


def _judge(database, results: list[MeasureResult]) -> None:
    """Judge measures' figures: each one's process chart (worked out together), verdict,
    notes and sentence."""
    results = [result for result in results if not result.absent]
    charted = [result for result in results if not result.measure.snapshot]
    rebases = rebase_dates(database)
    charts = spc_frames(
        [(r.held("series"), r.measure, rebases.get(r.measure.id, ())) for r in charted],
        held=True,
    )
    for result, (frame, coarse) in zip(charted, charts):
        result.spc, result.coarse = frame, coarse
        result.variation, result.assurance = spc.icons(frame, result.measure.better)
    covered = coverage.load(database)
    for result in results:
        if result.measure.snapshot:
            result.variation, result.assurance = "common", "none"
        result.judged = True
        result.notes = sentences.notes(result) + coverage.scope_notes(
            covered, result.measure.sources
        )
        result.sentence = sentences.summary(result)
