"""Who is less well served: a survey measure broken down by resident group, with intervals.

Each group's weighted share gets a Wilson 95% interval on its Kish effective base, and is
tested against everyone else in the same dimension with Newcombe's interval for a
difference: a group is called more or less satisfied only when that interval excludes zero.
Small groups are suppressed (and a second one hidden where one could be worked out).
"""

from __future__ import annotations

import pandas as pd

from . import calendar as cal
from . import survey
from .suppression import hidden_by_period, hides_selection, protect

DIMENSIONS = {
    "age": "Age",
    "disability": "Disability",
    "ethnicity": "Ethnicity",
    "first_language": "First language",
    "deprivation": "Deprivation of home area",
}


def phrase(dimension: str, group: str) -> str:
    """A group in words for a sentence: 'aged 75+', 'disabled', 'the most deprived areas'."""
    if dimension == "age":
        return f"aged {group}"
    if dimension == "disability":
        return group.lower()
    if dimension == "first_language":
        return f"first language {group.replace('Not ', 'not ')}"
    if dimension == "deprivation":
        return {
            "1 (most deprived)": "the most deprived areas",
            "5 (least deprived)": "the least deprived areas",
        }.get(group, f"deprivation quintile {group}")
    return group


def span(filters) -> tuple:
    """The twelve months to the end of the reporting period (enough answers per group)."""
    end = filters.end
    start = cal.shift(cal.period_start(end, "month"), "month", -11)
    return start, end


def versus_rest(rows: pd.DataFrame) -> list[str]:
    """'lower', 'higher' or '' for each group against the rest of its dimension."""
    total_num, total_den, total_w2 = (
        rows["numerator"].sum(),
        rows["denominator"].sum(),
        rows["sum_w2"].sum(),
    )
    words = []
    for r in rows.itertuples(index=False):
        rest_den, rest_w2 = total_den - r.denominator, total_w2 - r.sum_w2
        if r.denominator <= 0 or rest_den <= 0 or rest_w2 <= 0:
            words.append("")
            continue
        result = survey.difference(
            (total_num - r.numerator) / rest_den,
            rest_den**2 / rest_w2,
            r.numerator / r.denominator,
            r.denominator**2 / r.sum_w2,
        )
        words.append("" if not result["real"] else ("higher" if result["diff"] > 0 else "lower"))
    return words


def lower_but_not_flagged(table: pd.DataFrame) -> list[str]:
    """Groups shown with a lower figure than a group flagged as less satisfied in the same
    dimension, but not flagged themselves (a wider interval): in words,
    'aged 16-24 (54.9% of 41 answers)', so a reader is told why."""
    shown = [
        (d, g, v, b, w)
        for d, g, v, b, w, hidden in zip(
            table["dimension"],
            table["resident_group"],
            table["value"],
            table["base"],
            table["versus_rest"],
            table["suppressed"].astype(bool),
        )
        if not hidden
    ]
    out = []
    for dimension in dict.fromkeys(d for d, *_ in shown):  # in the table's order
        flagged = [v for d, _, v, _, w in shown if d == dimension and w == "lower" and v == v]
        if not flagged:
            continue
        out += [
            f"{phrase(dimension, g)} ({v:.1f}% of {int(b):,} answers)"
            for d, g, v, b, w in shown
            if d == dimension and w == "" and v < max(flagged)
        ]
    return out


VERSUS_WORDS = {
    "lower": "Less satisfied: the interval for the difference is wholly below zero",
    "higher": "More satisfied: the interval for the difference is wholly above zero",
    "": "No significant difference: the interval for the difference includes zero",
}


def intervals(rows: pd.DataFrame) -> tuple[list, list, list]:
    """Weighted percent and Wilson 95% bounds from numerator, denominator and sum_w2."""
    n_eff = survey.effective_base(rows["denominator"], rows["sum_w2"])
    bounds = [
        survey.interval_from_sums(n, d, e)
        for n, d, e in zip(rows["numerator"], rows["denominator"], n_eff)
    ]
    return [b[0] for b in bounds], [b[1] for b in bounds], [b[2] for b in bounds]


NOT_SHOWN = "not shown for this selection, so a small group cannot be worked out"


def breakdown(
    database, filters, params: dict, min_base: int, split: tuple = ("service", "channel")
) -> pd.DataFrame:
    """Percent satisfied by dimension and group, with interval, base and verdict, for the
    services and channels chosen where the survey is `split` by them (a council-wide survey
    follows neither). Suppression: small groups, a second group where one could be worked
    out, and a chosen service's (or channel's) group wherever it would give away a small
    group in another. Kept once per data version and question (a page fetches it before
    it draws it: views.pillar_sections)."""
    key = ("groups", filters, tuple(sorted(params.items())), min_base, tuple(split))
    return database.memo(key, lambda: _breakdown(database, filters, params, min_base, split))


def _breakdown(database, filters, params: dict, min_base: int, split: tuple) -> pd.DataFrame:
    start, end = span(filters)
    chosen = {
        "services": list(filters.services) if "service" in split else [],
        "channels": list(filters.channels) if "channel" in split else [],
    }
    query = (
        {
            "survey": None,
            "question": None,
            "only_channels": None,
            "digital": None,
            "start": start,
            "end": end,
        }
        | filters.params(split)
        | params
    )
    raw = database.query("understanding/satisfaction_by_resident_group", **query)
    hidden = _hidden_for_selection(database, query, chosen, min_base)
    frames = []
    for dimension, rows in raw.groupby("dimension", sort=False):
        rows = rows.reset_index(drop=True)
        rows["versus_rest"] = versus_rest(rows)
        rows["value"], rows["low"], rows["high"] = intervals(rows)
        forced = rows["resident_group"].isin(hidden.get(dimension, set()))
        frames.append(protect(rows, min_base, forced=forced, forced_reason=NOT_SHOWN))
    if not frames:
        return pd.DataFrame(
            columns=[
                "dimension",
                "resident_group",
                "value",
                "low",
                "high",
                "base",
                "suppressed",
                "suppressed_reason",
                "versus_rest",
            ]
        )
    out = pd.concat(frames, ignore_index=True)  # a hidden group's verdict blank (protect)
    out["dimension"] = pd.Categorical(out["dimension"], categories=list(DIMENSIONS))
    return out.sort_values(["dimension", "resident_group"]).reset_index(drop=True)


def _hidden_for_selection(database, query: dict, chosen: dict, min_base: int) -> dict:
    """dimension -> the groups whose figure for the chosen services (or channels) must not
    be shown: across every service, that group is hidden in some but the selection does not
    hold them all (suppression.hides_selection), so the council's figure for the group, less
    the other services', would give a small one away."""
    hidden: dict[str, set] = {}
    for by, key in (("service", "services"), ("channel", "channels")):
        if not chosen[key]:
            continue
        rows = database.query(
            "understanding/resident_group_bases_by_service", by=by, **(query | {key: None})
        )
        cells = rows.assign(cell=list(zip(rows["dimension"], rows["resident_group"])))
        # each (dimension, group) is a breakdown by service (or channel) of its own
        for (dimension, group), groups in hidden_by_period(cells, min_base, period="cell").items():
            if hides_selection(groups, chosen[key]):
                hidden.setdefault(dimension, set()).add(group)
    return hidden
