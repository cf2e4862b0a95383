"""Small-number suppression for breakdowns.

Primary: a group whose base is below the minimum is not shown. Secondary: when a breakdown is
shown beside its total, one suppressed group could be worked out by subtracting the others
from the total, so the next-smallest group is suppressed too (and so on until at least two
groups, or none, are hidden). Suppressed rows keep their label, so a reader sees that the
group exists and why its figure is missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIGURES = ("value", "numerator", "denominator", "low", "high", "effective_base")


def protect(frame: pd.DataFrame, min_base: int, base: str = "base",
            with_total: bool = True) -> pd.DataFrame:
    """Mark and blank groups with a base under `min_base`, plus any needed to stop one
    being recovered from the total. Adds `suppressed` and `suppressed_reason`."""
    out = frame.copy()
    primary = out[base] < min_base
    out["suppressed"] = primary
    out["suppressed_reason"] = np.where(primary, f"fewer than {min_base}", "")
    if with_total and primary.sum() == 1 and len(out) > 1:
        candidates = out[~out["suppressed"]].sort_values(base)
        if len(candidates):
            extra = candidates.index[0]
            out.loc[extra, "suppressed"] = True
            out.loc[extra, "suppressed_reason"] = "hidden so a small group cannot be worked out"
    for column in FIGURES:
        if column in out:
            out[column] = out[column].astype(float)
            out.loc[out["suppressed"], column] = np.nan
    out.loc[out["suppressed"], base] = np.nan
    return out
