"""Complaint panels about where complaints come from and what is learnt from them: complaints
per 1,000 contacts by service, themes over time, contractors, and the action plan items that
answer the top themes. Each returns a `panels.Panel` (finding, figure, table, alt).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..charts import complaints as charts
from ..engine import calendar as cal
from ..engine import fmt, frames, glossary, suppression
from ..engine.suppression import protect
from . import figures as cx
from .panels import Panel, count, shown, span, wide


def service_rates(database, scope: cx.Scope, catalogue: dict, min_base: int) -> pd.DataFrame:
    """Per service over the span: complaints per 1,000 contacts, escalation and upheld rates,
    each from its measure's own query, small groups suppressed."""
    parts = {
        "per_1000": "complaints_per_1000_contacts",
        "escalated": "complaints_escalated",
        "upheld": "complaints_upheld",
    }
    columns: dict[str, dict] = {}  # column -> service -> value
    for name, measure_id in parts.items():
        measure = catalogue[measure_id]
        params = cx.PARAM_DEFAULTS | scope.params(grain="span") | measure.params
        found = frames.arrays(database.query(measure.sql, **params))
        groups = ~pd.isna(np.asarray(found["service"], dtype=object))  # not the total
        rows = frames.frame(
            {("base" if k == "denominator" else k): v[groups] for k, v in found.items()}
        )
        rows = frames.arrays(protect(rows, min_base if name != "per_1000" else 1))
        services = rows["service"]
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = rows["numerator"] / rows["base"] * measure.scale
        columns[name] = dict(zip(services, rates))
        columns[f"{name}_n"] = dict(zip(services, rows["numerator"]))
        columns[f"{name}_base"] = dict(zip(services, rows["base"]))
        columns[f"{name}_note"] = dict(zip(services, rows["suppressed_reason"]))
    services = sorted({s for values in columns.values() for s in values})  # every service
    merged = pd.DataFrame(
        {"service": services}
        | {c: [values.get(s, np.nan) for s in services] for c, values in columns.items()}
    )
    return merged.sort_values("per_1000", ascending=False, na_position="last")


def theme_counts(database, scope: cx.Scope, grain: str, top: int = 5) -> pd.DataFrame:
    """New complaints by theme and period: the `top` themes over the span, the rest as
    'Other themes'."""
    frame = database.query("complaints/categories_by_period", **scope.params(grain=grain))
    totals: dict = {}
    for category, n in zip(frame["category"], frame["complaints"]):
        totals[category] = totals.get(category, 0) + n
    leaders = sorted(sorted(totals), key=lambda c: -totals[c])[:top]  # ties by name
    rank = {t: i for i, t in enumerate(leaders)}
    summed: dict = {}  # (period, theme) -> [complaints, upheld]
    for period, category, n, upheld in zip(
        frame["period_start"], frame["category"], frame["complaints"], frame["upheld"]
    ):
        theme = category if category in rank else "Other themes"
        counts = summed.setdefault((pd.Timestamp(period).date(), theme), [0, 0])
        counts[0] += n
        counts[1] += upheld
    keys = sorted(summed, key=lambda k: (k[0], rank.get(k[1], top)))
    return pd.DataFrame(
        {
            "period_start": [period for period, _ in keys],
            "theme": [theme for _, theme in keys],
            "complaints": pd.array([summed[k][0] for k in keys], dtype="int64"),
            "upheld": pd.array([summed[k][1] for k in keys], dtype="int64"),
            "rank": [float(rank.get(theme, top)) for _, theme in keys],
        }
    )


def contractor_counts(database, scope: cx.Scope, min_base: int) -> pd.DataFrame:
    """Complaints about each contractor, with the upheld rate of decisions on them
    (suppressed where there are too few decisions)."""
    frame = database.query("complaints/complaints_by_contractor", **scope.params())
    frame = frame.rename(columns={"upheld": "numerator", "decisions": "base"})
    frame = protect(frame, min_base, with_total=False)
    frame["upheld_rate"] = [
        suppression.rate(n, b, min_base) for n, b in zip(frame["numerator"], frame["base"])
    ]
    return frame


def learning_rows(database, scope: cx.Scope, top: int = 5) -> pd.DataFrame:
    """The top themes and the action plan items that address them."""
    frame = database.query("complaints/themes_and_actions", **scope.params(top=top))
    frame["status_words"] = [
        cx.words(s, glossary.ACTION_STATUS) if isinstance(s, str) else "" for s in frame["status"]
    ]
    frame["due_on"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in frame["due_on"]]
    return frame


RATE_NOTES = {"escalated": "escalation", "upheld": "upheld rate"}


def _notes(frame) -> list[str]:
    """Why a service's rate is blank, in words."""
    notes = [[(word, note) for note in frame[f"{key}_note"]] for key, word in RATE_NOTES.items()]
    return [
        "; ".join(f"{word}: {note}" for word, note in row if isinstance(note, str) and note)
        for row in zip(*notes)
    ]


def _round(values, decimals: int = 1) -> list:
    return [None if pd.isna(v) else round(float(v), decimals) for v in values]


def services_panel(database, scope, catalogue: dict, min_base: int) -> Panel:
    """Complaints per 1,000 contacts by service, with escalation and upheld rates."""
    frame = service_rates(database, scope, catalogue, min_base)
    table = pd.DataFrame(
        {
            "Service": frame["service"],
            "New complaints": frame["per_1000_n"].astype("Int64"),
            "Contacts": frame["per_1000_base"].astype("Int64"),
            "Per 1,000 contacts": _round(frame["per_1000"]),
            "Escalated to stage 2 (%)": _round(frame["escalated"]),
            "Upheld or partly upheld (%)": _round(frame["upheld"]),
            "Note": _notes(frame),
        }
    )
    table = suppression.withhold(
        table,
        min_base,
        bases=["Contacts"],
        counts=["New complaints"],
        derived=["Per 1,000 contacts"],
    )
    rated = table.dropna(subset=["Per 1,000 contacts"])
    if rated.empty:
        return Panel("services", "No contacts recorded to set complaints against", None, table, "")
    most, least = rated.iloc[0], rated.iloc[-1]
    title = (
        (
            f"Most complaints per 1,000 contacts: {most['Service']} "
            f"({most['Per 1,000 contacts']:.1f}); fewest: {least['Service']} "
            f"({least['Per 1,000 contacts']:.1f})"
        )
        if len(rated) > 1
        else (f"{most['Service']}: {most['Per 1,000 contacts']:.1f} complaints per 1,000 contacts")
    )
    figure = charts.hbars(
        rated["Service"],
        rated["Per 1,000 contacts"],
        rated["Per 1,000 contacts"].map("{:.1f}".format),
        "Complaints per 1,000 contacts",
    )
    alt = fmt.listing(
        "Bar chart of new complaints per 1,000 contacts by service",
        (f"{s} {v:.1f}" for s, v in zip(rated["Service"], rated["Per 1,000 contacts"])),
    )
    note = (
        f"{span(scope)}. New complaints: stage 1 received; escalation: stage 1 answers "
        "taken to stage 2; upheld: decisions at either stage upheld in full or in part. "
        f"Rates on fewer than {min_base} cases are not shown."
    )
    return Panel("services", title, figure, table, alt, note)


THEME_COUNTS = ("New complaints", "Upheld or partly upheld at stage 1")


def themes_panel(database, scope, grain: str, min_base: int, top: int = 5) -> Panel:
    """New complaints by theme over time, the top themes apart and the rest together (a
    theme with few complaints in a period withheld)."""
    frame = theme_counts(database, scope, grain, top)
    table = pd.DataFrame(
        {
            "Period": [cal.period_label(p, grain) for p in frame["period_start"]],
            "Theme": frame["theme"],
            "New complaints": frame["complaints"],
            "Upheld or partly upheld at stage 1": frame["upheld"],
        }
    )
    table = suppression.withhold(
        table,
        min_base,
        bases=THEME_COUNTS[:1],
        counts=THEME_COUNTS[1:],
        summed=THEME_COUNTS[:1],
        by="Theme",
    )  # each theme's total is in the alt text
    if frame.empty:
        return Panel("themes", "No new complaints in the period", None, table, "")
    totals = frame.groupby("theme")["complaints"].sum()
    order = list(frame.sort_values("rank", kind="stable")["theme"].unique())
    leader = order[0]
    share = suppression.rate(totals[leader], totals.sum(), min_base)
    title = (
        f"{leader} was the most common theme: "
        f"{count(totals[leader], '', min_base=min_base)} of "
        f"{count(totals.sum(), 'new complaint', min_base=min_base)}"
        + ("" if fmt.missing(share) else f" ({share:.1f}%)")
    )
    periods, series = wide(
        table.assign(period_start=frame["period_start"]), "period_start", "Theme", "New complaints"
    )
    colours = dict(zip(order, charts.PALETTE[:top])) | {"Other themes": charts.OTHER}
    labels = None if grain == "month" else [cal.period_label(p, grain) for p in periods]
    figure = charts.trend_stack(periods, {t: series[t] for t in order}, colours, labels)
    alt = (
        f"Stacked bar chart of new complaints by theme, {span(scope)}: "
        + "; ".join(f"{t} {count(totals[t], '', min_base=min_base)}" for t in order)
        + " over the period."
    )
    note = f"Stage 1 complaints received {span(scope)}, by {cal.GRAIN_WORDS[grain].lower()}."
    return Panel("themes", title, figure, table, alt, note)


def contractors_panel(database, scope, min_base: int) -> Panel:
    """Complaints about each contractor and how many decisions upheld them."""
    frame = contractor_counts(database, scope, min_base)
    table = pd.DataFrame(
        {
            "Contractor": frame["contractor"],
            "Service": frame["service"],
            "New complaints": frame["complaints"],
            "Escalated to stage 2": frame["escalated"],
            "Decisions": frame["base"].astype("Int64"),
            "Upheld or partly upheld (%)": _round(frame["upheld_rate"]),
            "Note": frame["suppressed_reason"],
        }
    )
    table = suppression.withhold(
        table,
        min_base,
        bases=["New complaints"],
        counts=["Escalated to stage 2", "Decisions"],
        derived={"Upheld or partly upheld (%)": ["Decisions"]},
    )
    if table.empty:
        return Panel(
            "contractors", "No complaints about contractors in the period", None, table, ""
        )
    top = table.iloc[0]
    upheld = (
        ""
        if pd.isna(top["Upheld or partly upheld (%)"])
        else f", {top['Upheld or partly upheld (%)']:.1f}% of decisions upheld in full or in part"
    )
    title = (
        f"{top['Contractor']} had the most complaints about a contractor: "
        f"{shown(top['New complaints'], min_base)}{upheld}"
    )
    figure = charts.hbars(
        table["Contractor"],
        table["New complaints"],
        [shown(n, min_base) for n in table["New complaints"]],
        "New complaints",
        colour=charts.PALETTE[2],
    )
    alt = fmt.listing(
        "Bar chart of new complaints about each contractor",
        (
            f"{c} ({s}) {shown(n, min_base)}"
            for c, s, n in zip(table["Contractor"], table["Service"], table["New complaints"])
        ),
    )
    note = (
        f"Stage 1 complaints received {span(scope)} naming a contractor; decisions at "
        f"either stage. Upheld rates on fewer than {min_base} decisions are not shown."
    )
    return Panel("contractors", title, figure, table, alt, note)


def _action_rows(frame) -> pd.DataFrame:
    has = frame["action_id"].notna()
    return pd.DataFrame(
        {
            "Theme": frame["category"],
            "New complaints": frame["complaints"],
            "Upheld or partly upheld at stage 1": frame["upheld"],
            "Action": frame["action_id"].where(has, "None in the plan"),
            "What is being done": frame["title"].where(has, ""),
            "Owner": frame["owner"].where(has, ""),
            "Status": frame["status_words"],
            "Due": [fmt.long_date(d) if d else "" for d in frame["due_on"]],
        }
    )


def learning_panel(database, scope, min_base: int, top: int = 5) -> Panel:
    """For the top themes, the action plan items addressing them (figure-less panel; a
    theme's few complaints withheld)."""
    frame = learning_rows(database, scope, top)
    table = suppression.withhold(
        _action_rows(frame), min_base, bases=THEME_COUNTS[:1], counts=THEME_COUNTS[1:]
    )
    themes: dict = {}  # rank -> [theme, has an action]
    for rank, theme, action in zip(frame["theme_rank"], frame["category"], frame["action_id"]):
        if not fmt.missing(rank):
            themes.setdefault(rank, [theme, False])[1] |= not fmt.missing(action)
    covered = [themes[rank] for rank in sorted(themes)]
    missing = [theme for theme, has in covered if not has]
    title = (
        (
            f"{sum(has for _, has in covered)} of the {len(covered)} most common themes have "
            "an action in the plan"
        )
        if covered
        else "No complaint themes in the period"
    )
    if missing:
        title += "; none yet for " + ", ".join(missing)
    note = (
        f"Themes ranked by new (stage 1) complaints received {span(scope)}; actions are "
        "linked through the complaint themes listed against them in the action plan."
    )
    return Panel(
        "learning",
        title,
        None,
        table,
        "",
        note,
        caption="The most common themes and the actions that address them",
    )
