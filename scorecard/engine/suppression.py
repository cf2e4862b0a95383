"""Small-number suppression: one policy for every view of a figure.

Primary: a group whose base is below the minimum is not shown. Secondary (complementary):
when a breakdown is shown beside its total, one suppressed group could be worked out by
subtracting the others from the total, so the next-smallest group is suppressed too (and so
on until at least two groups, or none, are hidden). Suppressed rows keep their label, so a
reader sees that the group exists and why its figure is missing.

The same decision holds wherever any part of a breakdown is shown. A figure for a chosen set
of groups (a card filtered to one service, or to two) is published only when the set holds
none of the breakdown's hidden groups, or all of them: otherwise subtracting the set's
published members from it, or it from the council total and the other published groups,
would recover a hidden one (`hides_selection`).

Counts. Every output that prints a count of people or cases (a table, its CSV, a chart and
its hover text, the pack, the annual report) takes it through this module: a count from 1 to
the minimum base less one is withheld (`small`), in words "fewer than 10" (`count_text`),
together with whatever on its row would give it back: the percentage worked out from it,
the base, and any verdict (`withhold`, `rate`). A base under the minimum withholds its whole
row. The threshold is always the caller's `min_base` (the settings', raised in public mode,
or a measure's own), never a number written here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import frames
from .fmt import missing

FIGURES = ("value", "numerator", "denominator", "low", "high", "effective_base")
VERDICTS = ("versus_rest",)  # a judgement about a figure: blank with it
SECONDARY = "hidden so a small group cannot be worked out"


def under(bases, min_base: int):
    """The base rule: True where a base (one, or an array) is under the minimum, none at
    all included (a blank is not: it sorts last); the figure on it is not shown."""
    with np.errstate(invalid="ignore"):
        return np.asarray(bases, dtype=float) < min_base


def _next_smallest(sizes: np.ndarray, hidden: np.ndarray):
    """The complementary rule's choice: where exactly one of several parts of a published
    total is hidden, the smallest shown part (the first of equals; no size sorts last), so
    the total less the others does not give the hidden one back; else None."""
    if hidden.sum() != 1 or len(sizes) < 2:
        return None
    shown = np.flatnonzero(~hidden)
    return shown[np.argsort(sizes[shown], kind="stable")[0]] if len(shown) else None


def hide(
    sizes: np.ndarray, min_base: int, with_total: bool = True, forced=None, forced_reason: str = ""
) -> tuple[np.ndarray, np.ndarray]:
    """The rule itself, on the groups' sizes: (hidden, reason) for each group, hidden when
    its base is under `min_base` (or `forced`), plus the one needed to stop a lone hidden
    group being recovered from the total (`with_total`)."""
    small = under(sizes, min_base)
    forced = (
        np.zeros(len(sizes), dtype=bool)
        if forced is None
        else np.asarray(forced, dtype=bool) & ~small
    )
    hidden = small | forced
    reason = np.where(small, withheld_words(min_base), np.where(forced, forced_reason, "")).astype(
        object
    )  # any length
    extra = _next_smallest(sizes, hidden) if with_total else None
    if extra is not None:
        hidden[extra] = True
        reason[extra] = SECONDARY
    return hidden, reason


def protect(
    frame: pd.DataFrame,
    min_base: int,
    base: str = "base",
    with_total: bool = True,
    forced=None,
    forced_reason: str = "",
) -> pd.DataFrame:
    """Mark and blank groups with a base under `min_base`, plus any needed to stop one
    being recovered from the total. Adds `suppressed` and `suppressed_reason`. `forced`
    (a boolean mask) hides groups for another reason, given as `forced_reason`; they count
    as hidden when deciding what else must be. (Worked out on plain arrays and made a frame
    once: it runs for every breakdown shown.)"""
    columns = frames.arrays(frame)
    sizes = _floats(columns[base])
    hidden, reason = hide(sizes, min_base, with_total, forced, forced_reason)
    columns["suppressed"] = hidden
    columns["suppressed_reason"] = pd.array(reason, dtype="str")
    for name in (*FIGURES, base):
        if name in columns:
            columns[name] = np.where(hidden, np.nan, _floats(columns[name]))
    for name in VERDICTS:
        if name in columns:
            columns[name] = pd.array([("" if h else v) for v, h in zip(columns[name], hidden)])
    return frames.frame(columns, frame.index)


def _floats(values) -> np.ndarray:
    """A column's values as floats (a blank as NaN)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return values
    return pd.Series(values, copy=False).to_numpy(dtype=float, na_value=np.nan)


def hidden_groups(
    rows: pd.DataFrame, min_base: int, group: str = "service", base: str = "base"
) -> set:
    """The groups a breakdown hides (primary and complementary), by label."""
    marked = protect(rows.reset_index(drop=True), min_base, base)
    return set(marked.loc[marked["suppressed"], group])


def hidden_by_period(
    rows: pd.DataFrame,
    min_base: int,
    group: str = "service",
    base: str = "base",
    period: str = "period_start",
) -> dict:
    """`hidden_groups` for every period of a breakdown at once (the same rule as `protect`,
    worked out on arrays for all periods together: it runs for every measure on every
    filter change): period -> the groups hidden."""
    codes, keys, labels, hidden = _hidden_rows(rows, min_base, group, base, period)
    out: dict = {key: set() for key in keys}
    for code, label in zip(codes[hidden], labels[hidden]):
        out[keys[code]].add(label)
    return out


def periods_hiding(
    rows: pd.DataFrame,
    min_base: int,
    chosen,
    group: str = "service",
    base: str = "base",
    period: str = "period_start",
) -> set:
    """The periods of a breakdown in which a figure for the `chosen` groups would let a
    hidden group be worked out (`hides_selection` of each period's `hidden_by_period`,
    on arrays: the chosen groups hold some of the period's hidden groups, not all)."""
    codes, keys, labels, hidden = _hidden_rows(rows, min_base, group, base, period)
    return _hiding(codes, labels, hidden, chosen, lambda at: keys[at])


def periods_hiding_marked(rows, marks: dict, chosen, group: str = "service") -> set:
    """`periods_hiding` of a breakdown whose rows are already marked (`hidden_marks` of
    the rows it is a slice of, whole periods, in period order)."""
    periods, codes = frames.values(rows, "period_start"), marks["period_code"]
    labels = np.asarray(frames.values(rows, group), dtype=object)
    return _hiding(
        codes, labels, marks["hidden"], chosen, lambda at: periods[np.searchsorted(codes, at)]
    )


def hidden_marks(rows, min_base: int, group: str = "service") -> dict:
    """Each row of a breakdown marked hidden or not by `protect`'s rule, with its period's
    code (codes rise period by period), as arrays: a period's marks depend on that
    period's rows alone, so a slice of whole periods keeps its rows' marks."""
    codes, _, _, hidden = _hidden_rows(rows, min_base, group, "base", "period_start")
    return {"period_code": codes, "hidden": hidden}


def _hiding(codes, labels, hidden, chosen, period_of) -> set:
    """The periods (`period_of` each code) in which the chosen groups hold some of the
    hidden groups but not all."""
    size = int(codes.max()) + 1 if len(codes) else 0
    inside = np.isin(labels, list(chosen))
    some_in = np.bincount(codes[hidden & inside], minlength=size) > 0
    some_out = np.bincount(codes[hidden & ~inside], minlength=size) > 0
    return {period_of(at) for at in np.flatnonzero(some_in & some_out).tolist()}


def _period_codes(periods: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's period as a code and the periods, in order of first appearance (as
    `pd.factorize(sort=False)` gives them): counted off where the period changes when the
    rows come period by period, as a query orders them (a tenth of factorize's cost)."""
    if len(periods):
        changes = np.flatnonzero(periods[1:] != periods[:-1]) + 1
        keys = periods[np.r_[0, changes]]
        if len(set(keys.tolist())) == len(keys):
            codes = np.zeros(len(periods), dtype=np.intp)
            codes[changes] = 1
            return np.cumsum(codes), keys
    return pd.factorize(periods, sort=False)


def _hidden_rows(rows: pd.DataFrame, min_base: int, group: str, base: str, period: str):
    """A breakdown's rows marked hidden or not by `protect`'s rule, every period at once:
    (each row's period code, the periods, each row's group, hidden)."""
    codes, keys = _period_codes(frames.values(rows, period))
    labels = np.asarray(frames.values(rows, group), dtype=object)
    sizes = _floats(rows[base] if isinstance(rows, frames.Columns) else rows[base].array)
    hidden = under(sizes, min_base)
    parts = np.bincount(codes, minlength=len(keys))
    # the complementary rule where exactly one of two or more parts is hidden
    one = (np.bincount(codes, weights=hidden, minlength=len(keys)) == 1) & (parts >= 2)
    shown = np.flatnonzero(one[codes] & ~hidden)
    if len(shown):
        # per period, the smallest shown part, the first of equals, no size last
        order = np.lexsort(
            (shown, np.where(np.isnan(sizes[shown]), np.inf, sizes[shown]), codes[shown])
        )
        ranked = shown[order]
        first = np.r_[True, codes[ranked][1:] != codes[ranked][:-1]]
        hidden[ranked[first]] = True
    return codes, keys, labels, hidden


def hides_selection(hidden: set, chosen) -> bool:
    """True when a figure for the chosen groups would let a hidden group be worked out:
    it holds some of the hidden groups but not all of them."""
    inside = hidden & set(chosen)
    return bool(inside) and not hidden <= set(chosen)


# --- Counts: the primary rule wherever a count of people or cases is published ------------


def small(count, min_base: int) -> bool:
    """True for a count of people or cases that must not be published: 1 to `min_base` - 1.
    Nought and a blank are not small."""
    try:
        value = float(count)
    except (TypeError, ValueError):
        return False
    return 0 < value < min_base


def _small(values: np.ndarray, min_base: int) -> np.ndarray:
    """`small` over an array (a blank is not small)."""
    with np.errstate(invalid="ignore"):
        return (values > 0) & (values < min_base)


def withheld_words(min_base: int) -> str:
    """Why a count is not shown: 'fewer than 10'."""
    return f"fewer than {min_base}"


def count_text(count, min_base: int, one: str = "", many: str | None = None) -> str:
    """A count as it may be published, with its noun: '1,204 complaints', '1 complaint',
    'fewer than 10 complaints' (a small count, or one already withheld, in words)."""
    if missing(count):
        return withheld_words(min_base) + ("" if not one else " " + (many or one + "s"))
    value = int(count)
    noun = "" if not one else " " + (one if value == 1 else (many or one + "s"))
    if small(value, min_base):
        return withheld_words(min_base) + ("" if not one else " " + (many or one + "s"))
    return f"{value:,}{noun}"


def rate(numerator, denominator, min_base: int, scale: float = 100) -> float:
    """numerator / denominator x `scale`, or NaN where it may not be published: no base, a
    base under `min_base`, or a numerator that is a small count (the rate and its base
    would give it back)."""
    if (
        missing(denominator)
        or missing(numerator)
        or not denominator
        or under(denominator, min_base)
        or small(numerator, min_base)
    ):
        return np.nan
    return scale * numerator / denominator


def _numbers(frame: pd.DataFrame, column) -> np.ndarray:
    values = frame[column]
    if not pd.api.types.is_numeric_dtype(values.dtype):  # text: what is not a number is blank
        values = pd.to_numeric(values, errors="coerce")
    return values.to_numpy(dtype=float, na_value=np.nan)


def withhold(
    frame: pd.DataFrame,
    min_base: int,
    counts=(),
    bases=(),
    derived=(),
    total: tuple | None = None,
    summed=(),
    by=None,
    note: str | None = "Note",
) -> pd.DataFrame:
    """A published table of counts with the primary rule applied: each count of people or
    cases from 1 to `min_base` - 1 is withheld (blank), with anything on its row that would
    give it back, and `note` says why ('fewer than 10').

    `bases`: count columns that are the row's base: a small one withholds every figure on
    the row. `counts`: other count columns: a small one withholds itself and the `derived`
    figures built on it. `derived`: a list of columns worked out from the row's counts (a
    percentage, an average, a rate per 1,000), or a dict of column -> the counts it comes
    from. Count columns come back as whole numbers with blanks (Int64).

    Where the table itself gives totals, a withheld count must not be left the only unknown
    in one (the complementary rule `protect` applies to groups): `total` is (total column,
    its part columns) on each row; `summed` names count columns whose total over the rows
    is published elsewhere (a title, a chart, a percentage of it), within each group of the
    `by` column(s) (None: the whole table). Where one count in a total is withheld, the next
    smallest is too, until no total has exactly one."""
    rows = len(frame)
    names = list(dict.fromkeys((*bases, *counts)))
    sizes = {c: _numbers(frame, c) for c in names}
    whole = np.zeros(rows, dtype=bool)
    for column in bases:
        whole |= _small(sizes[column], min_base)
    cells = {c: _small(sizes[c], min_base) | whole for c in names}
    secondary = {c: np.zeros(rows, dtype=bool) for c in names}
    totals = _totals(frame, total, summed, by)
    while True:  # each pass hides one more count, so this ends
        extra = next(
            (found for found in (_complement(cells, sizes, *t) for t in totals) if found), None
        )
        if extra is None:
            break
        column, i = extra
        cells[column][i] = secondary[column][i] = True
    sources = derived if isinstance(derived, dict) else dict.fromkeys(derived, names)
    hidden_derived = {
        c: whole | np.any([cells[d] for d in deps] or [whole], axis=0)
        for c, deps in sources.items()
    }
    # made a frame once, from arrays (it runs for every published table of counts)
    out = frames.arrays(frame)
    for column in names:
        blank = np.isnan(sizes[column]) | cells[column]
        whole_numbers = np.rint(np.where(blank, 0, sizes[column])).astype("int64")
        out[column] = pd.arrays.IntegerArray(whole_numbers, blank)
    for column, hide in hidden_derived.items():
        if hide.any():
            masked = pd.Series(out[column], copy=False).mask(hide)
            out[column] = masked.to_numpy() if isinstance(masked.dtype, np.dtype) else masked.array
    if note:
        shown = ~np.any([whole, *cells.values()], axis=0)
        words = [
            "" if shown[i] else _why(i, whole, cells, secondary, min_base) for i in range(rows)
        ]
        before = frame[note].fillna("").astype(str) if note in frame else [""] * rows
        out[note] = pd.array(
            ["; ".join(p for p in (b, w) if p) for b, w in zip(before, words)], dtype="str"
        )
    return frames.frame(out, frame.index)


def _totals(frame: pd.DataFrame, total, summed, by) -> list[tuple]:
    """Each published total as (its column or None, [(part column, row)...])."""
    out = []
    if total is not None:
        head, parts = total
        out += [(head, i, [(p, i) for p in parts]) for i in range(len(frame))]
    keys = [None] if by is None else ([by] if isinstance(by, str) else list(by))
    for key in keys:
        groups = [np.arange(len(frame))] if key is None else _row_groups(frame[key])
        out += [(None, None, [(c, i) for i in rows]) for c in summed for rows in groups]
    return out


def _row_groups(column: pd.Series) -> list[np.ndarray]:
    """The row numbers of each value of `column`, in order of first appearance (a row with
    no value is in none)."""
    codes, values = pd.factorize(column)
    return [np.flatnonzero(codes == code) for code in range(len(values))]


def _complement(cells: dict, sizes: dict, head, row, parts) -> tuple | None:
    """The next count to withhold for one total, or None: where exactly one part is
    withheld and the total is shown, the smallest part still shown; where the total on a
    row is withheld and every part shown (they would add up to it), the smallest part."""
    hidden = np.array([cells[c][i] for c, i in parts])
    values = np.array([sizes[c][i] for c, i in parts])
    if head is not None and cells[head][row]:
        if len(parts) and not hidden.any():
            return parts[int(np.argsort(values, kind="stable")[0])]
        return None
    extra = _next_smallest(values, hidden)
    return None if extra is None else parts[extra]


def _why(i: int, whole, cells: dict, secondary: dict, min_base: int) -> str:
    """Why figures on row `i` are withheld, in words."""
    if whole[i]:
        return withheld_words(min_base)
    small_ = [c for c in cells if cells[c][i] and not secondary[c][i]]
    extra = [c for c in cells if secondary[c][i]]
    if len(cells) == 1 and small_:
        return withheld_words(min_base)
    parts = [f"{c}: {withheld_words(min_base)}" for c in small_]
    parts += [f"{c}: {SECONDARY}" for c in extra]
    return "; ".join(parts)


def hidden_text(row, min_base: int) -> str:
    """Why a suppressed figure is not shown, in a few words: 'fewer than 10', or 'not shown'
    when it is hidden so that a small group cannot be worked out from it."""
    by = row.get("suppressed_by") if hasattr(row, "get") else None
    return "not shown" if isinstance(by, str) and by else withheld_words(min_base)
