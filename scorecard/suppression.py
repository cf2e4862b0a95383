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
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIGURES = ("value", "numerator", "denominator", "low", "high", "effective_base")
SECONDARY = "hidden so a small group cannot be worked out"


def protect(frame: pd.DataFrame, min_base: int, base: str = "base",
            with_total: bool = True, forced=None, forced_reason: str = "") -> pd.DataFrame:
    """Mark and blank groups with a base under `min_base`, plus any needed to stop one
    being recovered from the total. Adds `suppressed` and `suppressed_reason`. `forced`
    (a boolean mask) hides groups for another reason, given as `forced_reason`; they count
    as hidden when deciding what else must be. (Worked out on plain arrays and made a frame
    once: it runs for every breakdown shown.)"""
    sizes = frame[base].to_numpy(dtype=float, na_value=np.nan)
    small = sizes < min_base
    forced = np.zeros(len(frame), dtype=bool) if forced is None else \
        np.asarray(forced, dtype=bool) & ~small
    hidden = small | forced
    reason = np.where(small, f"fewer than {min_base}",
                      np.where(forced, forced_reason, "")).astype(object)  # any length
    if with_total and hidden.sum() == 1 and len(frame) > 1:
        shown = np.flatnonzero(~hidden)
        if len(shown):  # the next-smallest group (the first of equals; no base sorts last)
            extra = shown[np.argsort(sizes[shown], kind="stable")[0]]
            hidden[extra] = True
            reason[extra] = SECONDARY
    columns = {name: frame[name] for name in frame.columns}
    columns["suppressed"] = hidden
    columns["suppressed_reason"] = pd.array(reason, dtype="str")
    for name in (*FIGURES, base):
        if name in columns:
            values = frame[name].to_numpy(dtype=float, na_value=np.nan).copy()
            values[hidden] = np.nan
            columns[name] = values
    return pd.DataFrame(columns, index=frame.index)


def hidden_groups(rows: pd.DataFrame, min_base: int, group: str = "service",
                  base: str = "base") -> set:
    """The groups a breakdown hides (primary and complementary), by label."""
    marked = protect(rows.reset_index(drop=True), min_base, base)
    return set(marked.loc[marked["suppressed"], group])


def hidden_by_period(rows: pd.DataFrame, min_base: int, group: str = "service",
                     base: str = "base", period: str = "period_start") -> dict:
    """`hidden_groups` for every period of a breakdown at once (the same rule as `protect`,
    worked out in one pass over plain values: it runs for every measure on every filter
    change): period -> the groups hidden."""
    members: dict = {}
    for key, label, size in zip(rows[period], rows[group], rows[base]):
        members.setdefault(key, []).append((label, float(size)))
    out = {}
    for key, groups in members.items():
        hidden = {label for label, size in groups if size < min_base}
        small = sum(size < min_base for _, size in groups)
        if small == 1 and len(groups) > 1:
            # the next-smallest group (the first of equals; a missing base sorts last)
            others = [(np.isnan(size), size, i) for i, (_, size) in enumerate(groups)
                      if not size < min_base]
            if others:
                hidden.add(groups[min(others)[2]][0])
        out[key] = hidden
    return out


def hides_selection(hidden: set, chosen) -> bool:
    """True when a figure for the chosen groups would let a hidden group be worked out:
    it holds some of the hidden groups but not all of them."""
    inside = hidden & set(chosen)
    return bool(inside) and not hidden <= set(chosen)
