"""Complaint panels: for each question, the finding (as a title), the figure, its data table
and alt text. The Complaints page draws a panel with `components.chart_block`; the annual
report draws the same panel with `html_report`, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ..charts import complaints as charts
from ..engine import fmt, frames, suppression
from ..engine.complaint_clock import RESPONSE_DAYS
from . import figures as cx

PERCENT = "Per cent"


@dataclass
class Panel:
    """One chart block: a title stating the finding, the figure, its table and alt text."""

    key: str
    title: str
    figure: go.Figure | None
    table: pd.DataFrame
    alt: str
    note: str = ""
    caption: str = ""  # names the table when there is no chart (the title is the finding)


def span(scope) -> str:
    """'1 April 2025 to 31 March 2026'."""
    return f"{fmt.long_date(scope.start)} to {fmt.long_date(scope.end)}"


def count(value, one: str, many: str | None = None, *, min_base: int) -> str:
    """'1 complaint', '1,204 complaints', or 'fewer than 10 complaints' (too few to show)."""
    return suppression.count_text(value, min_base, one, many)


def shown(value, min_base: int) -> str:
    """A count from a table as published: '1,204', or 'fewer than 10' where it is withheld."""
    return suppression.withheld_words(min_base) if pd.isna(value) else f"{int(value):,}"


def wide(table: pd.DataFrame, index: str, columns: str, values: str) -> tuple[list, dict]:
    """A long table as chart series, in the table's order: the index labels, and column ->
    values per label (a combination not in the table is none; a withheld one is blank, so it
    is not drawn)."""
    labels = list(dict.fromkeys(table[index]))
    parts: dict = {}  # column -> label -> value
    for name, label, value in zip(table[columns], table[index], table[values]):
        if not pd.isna(name):
            parts.setdefault(name, {})[label] = value
    series = {
        name: [None if pd.isna(v) else v for v in (at.get(r, 0) for r in labels)]
        for name, at in parts.items()
    }
    return labels, series


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(value) -> str:
    return "" if fmt.missing(value) else f"{value:.1f}%"


TIMELINESS = (
    ("Acknowledged within 5 working days", "ack_within_5", "ack_due"),
    ("Answered on time, no extension", "on_time", "responses_due"),
    (
        "Answered on time with permitted extensions",
        "on_time_with_extension",
        "responses_due_with_extension",
    ),
)
EXTENSIONS = (
    ("Extended", "extended", "responses_due_with_extension"),
    (
        "Extended beyond what the Code permits",
        "extended_beyond_code",
        "responses_due_with_extension",
    ),
)


NOT_SHOWN = "not shown for this selection, so a small service cannot be worked out"


def _timeliness_rows(frame, min_base, hidden: set = frozenset()) -> pd.DataFrame:
    """Long table: stage, measure, number, of, per cent (number, base and per cent all blank
    where too few cases, or where the selection would give a small service away; a small
    number withheld with its per cent)."""
    rows = []
    for r in frame.itertuples(index=False):
        out = r.stage in hidden
        for label, met, due in TIMELINESS + EXTENSIONS:
            m, d = int(getattr(r, met)), int(getattr(r, due))
            rows.append(
                {
                    "Stage": cx.STAGES[r.stage],
                    "Measure": label,
                    "Number": None if out else m,
                    "Of": None if out else d,
                    PERCENT: None if out else _round(cx.rate(m, d, min_base)),
                    "Note": NOT_SHOWN if out else "",
                }
            )
        rows.append(
            {
                "Stage": cx.STAGES[r.stage],
                "Measure": "Open, not yet due (pending)",
                "Number": None if out else int(r.pending),
                "Of": None,
                PERCENT: None,
                "Note": NOT_SHOWN if out else "",
            }
        )
    table = pd.DataFrame(rows, columns=["Stage", "Measure", "Number", "Of", PERCENT, "Note"])
    return suppression.withhold(table, min_base, counts=["Number"], bases=["Of"], derived=[PERCENT])


def _round(value, decimals: int = 1):
    """A figure rounded for a table, or None where it is not shown."""
    return None if fmt.missing(value) else round(float(value), decimals)


def _stage_words(r, min_base, hidden: set = frozenset()) -> str:
    """'stage 1: 72.4% answered within 10 working days, 85.1% with permitted extensions'."""
    if r.stage in hidden:
        return f"stage {r.stage}: {NOT_SHOWN}"
    plain = cx.rate(r.on_time, r.responses_due, min_base)
    if fmt.missing(plain):
        few = (
            "responses due" if suppression.under(r.responses_due, min_base) else "answered on time"
        )
        return f"stage {r.stage}: too few {few} to show ({suppression.withheld_words(min_base)})"
    extended = cx.rate(r.on_time_with_extension, r.responses_due_with_extension, min_base)
    with_ext = "" if fmt.missing(extended) else f", {extended:.1f}% with permitted extensions"
    return (
        f"stage {r.stage}: {plain:.1f}% answered within {RESPONSE_DAYS[r.stage]} "
        f"working days{with_ext}"
    )


def timeliness_panel(database, scope, min_base: int) -> Panel:
    """Acknowledged within 5 days, on time without and with extension, per stage."""
    frame = cx.timeliness(database, scope)
    hidden = cx.hidden_stages(database, scope, min_base)
    table = _timeliness_rows(frame, min_base, hidden)
    shown = table[table["Measure"].isin([t[0] for t in TIMELINESS])]
    texts = [n or _pct(v) for v, n in zip(shown[PERCENT], shown["Note"])]
    stages = {s: list(p[PERCENT]) for s, p in shown.groupby("Stage")}
    labels = {s: [t for t, st in zip(texts, shown["Stage"]) if st == s] for s in stages}
    figure = charts.grouped_rates([t[0] for t in TIMELINESS], stages, labels)
    alt = fmt.listing(
        "Bar chart of Complaint Handling Code timeliness by stage",
        (
            f"{s.lower()}, {m.lower()}: {t}"
            for s, m, t in zip(shown["Stage"], shown["Measure"], texts)
        ),
    )
    note = (
        f"Acknowledgements counted by the date received, responses by the date they were "
        f"due, {span(scope)}; withdrawn complaints left out; a complaint still open past "
        "its deadline counts as late; open and not yet due is pending."
    )
    title = "; ".join(_stage_words(r, min_base, hidden) for r in frame.itertuples())
    # the span in the title: beside a card for one month, the two figures say which is which
    return Panel("timeliness", f"{span(scope)}: {title}", figure, table, alt, note)


BANDS = {
    "open_0_to_5_days": "0 to 5 working days",
    "open_6_to_10_days": "6 to 10",
    "open_11_to_20_days": "11 to 20",
    "open_over_20_days": "Over 20",
}


def open_totals(frame) -> dict:
    """Open, overdue and due within the next 5 working days, all stages and services."""
    return {k: int(frame[k].sum()) for k in ("open_complaints", "overdue", "due_within_5_days")}


OPEN_COUNTS = ("Overdue", "Due in the next 5 working days")


def open_panel(database, scope, as_at, min_base: int) -> Panel:
    """Open complaints at the as-at date: ageing by stage and service, overdue, due soon
    (a service and stage with few open has its counts withheld)."""
    frame = cx.open_complaints(database, scope)
    totals = open_totals(frame)
    table = pd.DataFrame(
        {
            "Stage": [cx.STAGES[s] for s in frame["stage"]],
            "Service": frame["service"],
            "Open": frame["open_complaints"],
        }
        | {w: frame[c] for c, w in BANDS.items()}
        | {
            "Overdue": frame["overdue"],
            "Due in the next 5 working days": frame["due_within_5_days"],
            "Longest open (working days)": frame["oldest_days_open"],
        }
    )
    table = suppression.withhold(
        table,
        min_base,
        bases=["Open"],
        counts=[*BANDS.values(), *OPEN_COUNTS],
        derived={"Longest open (working days)": ["Open"]},
        total=("Open", list(BANDS.values())),
        summed=("Open", *OPEN_COUNTS),
    )  # the totals above the table
    title = (
        f"{count(totals['open_complaints'], 'complaint', min_base=min_base)} open on "
        f"{fmt.long_date(as_at)}: {count(totals['overdue'], '', min_base=min_base)} "
        f"already overdue, {count(totals['due_within_5_days'], '', min_base=min_base)} "
        "due in the next 5 working days"
    )
    labels = [
        f"{s} ({st.lower()})" + (f": {shown(d, min_base)} overdue" if pd.isna(d) or d else "")
        for s, st, d in zip(table["Service"], table["Stage"], table["Overdue"])
    ]
    figure = (
        None
        if frame.empty
        else charts.stacked_hbars(
            labels,
            {w: table[w] for w in BANDS.values()},
            dict(zip(BANDS.values(), charts.BAND_COLOURS)),
            "Open complaints",
        )
    )
    alt = fmt.listing(
        "Stacked bar chart of open complaints by service and stage, split by working days open",
        (
            f"{s} ({st.lower()}) {shown(o, min_base)} open, {shown(d, min_base)} overdue"
            for s, st, o, d in zip(
                table["Service"], table["Stage"], table["Open"], table["Overdue"]
            )
        ),
    )
    note = (
        f"As at {fmt.long_date(as_at)}, whatever period is chosen; working days since "
        "receipt (day 0). Overdue: past the deadline, including any permitted extension; "
        "due soon: the deadline falls on or before the fifth working day from today."
    )
    return Panel(
        "open",
        title if len(frame) else f"No complaints open on {fmt.long_date(as_at)}",
        figure,
        table,
        alt,
        note,
    )


def flow_panel(database, scope, min_base: int) -> Panel:
    """Stage 1 complaints received in the span: outcome, stage 2, Ombudsman, decision (a
    step taken by few complaints is withheld, and not drawn)."""
    links = cx.flow(database, scope)
    step = links.groupby("step")["complaints"].sum()
    received, escalated, referred = (int(step.get(i, 0)) for i in (1, 2, 4))
    table = suppression.withhold(
        pd.DataFrame(
            {
                "From": links["from_words"],
                "To": links["to_words"],
                "Complaints": links["complaints"],
            }
        ),
        min_base,
        counts=["Complaints"],
        summed=["Complaints"],
        by=["From", "To"],
    )  # each step's total is in the title
    share = suppression.rate(escalated, received, min_base)
    share = "" if fmt.missing(share) else f" ({share:.1f}%)"
    title = (
        f"Of {count(received, 'stage 1 complaint', min_base=min_base)} received, "
        f"{count(escalated, '', min_base=min_base)}{share} went to stage 2 and "
        f"{count(referred, '', min_base=min_base)} to an Ombudsman"
    )
    alt = fmt.listing(
        "Flow diagram of complaints",
        (
            f"{f} to {t}: {shown(c, min_base)}"
            for f, t, c in zip(table["From"], table["To"], table["Complaints"])
        ),
    )
    note = (
        f"Stage 1 complaints received {span(scope)}, followed to their latest stage; an "
        "Ombudsman referral is read from either stage."
    )
    drawn = links[table["Complaints"].notna().to_numpy()]
    return Panel("flow", title, charts.sankey(drawn) if len(drawn) else None, table, alt, note)


OUTCOME_RATES = ("Per cent of responses", "Per cent of decisions")


UPHELD = "Upheld or partly upheld"


def _outcome_table(frame, min_base) -> pd.DataFrame:
    """Each outcome per stage, then upheld and partly upheld together; a few complaints
    withheld, and so is one more outcome where the stage's per cents would give it back.
    (On plain rows: a few dozen at most.)"""
    columns = frames.arrays(frame)
    found = list(zip(columns["stage"], columns["outcome"], columns["complaints"]))
    decisions = {}  # stage -> its decisions, in the order the stages come
    for stage, number in zip(columns["stage"], columns["decisions"]):
        decisions.setdefault(stage, int(number))
    answered = {stage: 0 for stage in decisions}
    for stage, _, count in found:
        answered[stage] += int(count)
    rows = [
        (
            cx.STAGES[stage],
            cx.words(outcome, cx.OUTCOMES),
            int(count),
            _round(cx.rate(count, answered[stage], min_base)),
            _round(cx.rate(count, decisions[stage], min_base)) if outcome in cx.DECISIONS else None,
        )
        for stage in sorted(decisions)
        for s, outcome, count in found
        if s == stage
    ]
    table = suppression.withhold(
        pd.DataFrame(rows, columns=["Stage", "Outcome", "Complaints", *OUTCOME_RATES]),
        min_base,
        counts=["Complaints"],
        derived=OUTCOME_RATES,
        summed=["Complaints"],
        by="Stage",
    )
    # upheld in full or in part: the two rows added as published (withheld if either is),
    # on the stage's decisions (a base: too few withhold the row)
    upheld = {cx.words(o, cx.OUTCOMES) for o in cx.DECISIONS[:2]}
    shown = frames.arrays(table)
    combined = []
    for stage in sorted(decisions):
        counts = [
            c
            for s, o, c in zip(shown["Stage"], shown["Outcome"], shown["Complaints"])
            if s == cx.STAGES[stage] and o in upheld
        ]
        count = pd.NA if any(pd.isna(c) for c in counts) else sum(int(c) for c in counts)
        combined.append(
            (
                cx.STAGES[stage],
                UPHELD,
                count,
                None,
                None if pd.isna(count) else _round(cx.rate(count, decisions[stage], min_base)),
                suppression.SECONDARY if pd.isna(count) else "",
                decisions[stage],
            )
        )
    combined = suppression.withhold(
        pd.DataFrame(combined, columns=[*table.columns, "decisions"]),
        min_base,
        bases=["decisions"],
        counts=["Complaints"],
        derived=OUTCOME_RATES,
    )
    table = pd.concat([table, combined[table.columns]], ignore_index=True)
    order = {s: i for i, s in enumerate(cx.STAGES.values())}
    return table.sort_values("Stage", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def outcomes_panel(database, scope, min_base: int) -> Panel:
    """Upheld, partly upheld and not upheld kept apart, plus refused and withdrawn."""
    table = _outcome_table(cx.outcomes(database, scope), min_base)
    combined = table[table["Outcome"] == UPHELD]
    parts = [
        f"{s.lower()}: {_pct(v) or f'not shown ({suppression.withheld_words(min_base)})'}"
        for s, v in zip(combined["Stage"], combined["Per cent of decisions"])
    ]
    title = (
        "Decisions upheld in full or in part: " + "; ".join(parts)
        if parts
        else "No complaints were answered in the period"
    )
    single = table[table["Outcome"] != UPHELD]
    # each outcome's share of the stage's answers, as the table shows it (withheld: not drawn)
    stages, shares = wide(single, "Stage", "Outcome", "Per cent of responses")
    series = {o: shares[o] for o in cx.OUTCOMES.values() if o in shares}
    figure = (
        charts.stacked_hbars(
            stages, series, charts.OUTCOME_COLOURS, "Per cent of complaints answered", percent=True
        )
        if parts
        else None
    )
    alt = fmt.listing(
        "Stacked bar chart of complaint outcomes by stage",
        (
            f"{s.lower()} {o.lower()} {shown(c, min_base)}"
            for s, o, c in zip(single["Stage"], single["Outcome"], single["Complaints"])
        ),
    )
    note = (
        f"Responses {span(scope)}. Decisions are upheld, partly upheld or not upheld; "
        "refused and withdrawn complaints are not decisions."
    )
    return Panel("outcomes", title, figure, table, alt, note)


def refusals_panel(database, scope, min_base: int) -> Panel:
    """Complaints refused, by reason in words (few refusals for a reason withheld)."""
    frame = cx.refusals(database, scope)
    refusals: dict = {}  # (reason, stage) -> complaints
    for reason, stage, n in zip(frame["reason_words"], frame["stage"], frame["complaints"]):
        refusals[reason, stage] = refusals.get((reason, stage), 0) + int(n)
    reasons = sorted({reason for reason, _ in refusals})
    table = pd.DataFrame(
        {"Reason": reasons}
        | {
            cx.STAGES.get(stage, stage): [refusals.get((r, stage), 0) for r in reasons]
            for stage in sorted({stage for _, stage in refusals})
        }
    )
    table["Total"] = table.iloc[:, 1:].sum(axis=1)
    table = table.sort_values("Total", ascending=False).reset_index(drop=True)
    if table.empty:
        return Panel("refusals", "No complaints were refused in the period", None, table, "")
    refused = int(table["Total"].sum())
    stages = [c for c in table.columns if c not in ("Reason", "Total")]
    table = suppression.withhold(
        table,
        min_base,
        counts=[*stages, "Total"],
        total=("Total", stages),
        summed=[*stages, "Total"],
    )
    top = table.iloc[0]
    title = (
        f"{count(refused, 'complaint', min_base=min_base)} refused; most often: "
        f"{top['Reason'].lower()} ({shown(top['Total'], min_base)})"
    )
    figure = charts.hbars(
        table["Reason"],
        table["Total"],
        [shown(t, min_base) for t in table["Total"]],
        "Complaints refused",
        colour=charts.OUTCOME_COLOURS["Refused"],
    )
    alt = fmt.listing(
        "Bar chart of complaints refused by reason",
        (f"{r} {shown(t, min_base)}" for r, t in zip(table["Reason"], table["Total"])),
    )
    return Panel("refusals", title, figure, table, alt, f"Refusals {span(scope)}.")


def ombudsman_panel(database, scope, min_base: int) -> Panel:
    """Referrals to each Ombudsman and their decisions, with the upheld rate of those
    investigated (upheld or not upheld; not investigated and pending left out)."""
    frame = cx.ombudsman(database, scope)
    table = suppression.withhold(
        pd.DataFrame(
            {
                "Ombudsman": frame["ombudsman_words"],
                "Decision": frame["decision_words"],
                "Complaints": frame["complaints"],
            }
        ),
        min_base,
        counts=["Complaints"],
        summed=["Complaints"],
    )  # the title gives the total
    upheld = int(frame.loc[frame["decision"] == "upheld", "complaints"].sum())
    investigated = int(
        frame.loc[frame["decision"].isin(["upheld", "not_upheld"]), "complaints"].sum()
    )
    rate = cx.rate(upheld, investigated, min_base)
    verdict = (
        f"{upheld:,} upheld of {investigated:,} investigated ({rate:.1f}%)"
        if not fmt.missing(rate)
        else f"too few investigated to give an upheld rate (fewer than {min_base})"
        if suppression.under(investigated, min_base)
        else f"{count(upheld, '', min_base=min_base)} upheld of {investigated:,} investigated"
    )
    title = (
        f"{count(frame['complaints'].sum(), 'complaint', min_base=min_base)} went to an "
        f"Ombudsman: {verdict}"
        if len(table)
        else "No complaints went to an Ombudsman in the period"
    )
    ombudsmen, series = wide(table, "Ombudsman", "Decision", "Complaints")
    series = {d: series[d] for d in cx.OMBUDSMAN_DECISIONS.values() if d in series}
    colours = dict(zip(cx.OMBUDSMAN_DECISIONS.values(), charts.DECISION_COLOURS))
    figure = (
        charts.stacked_hbars(ombudsmen, series, colours, "Complaints referred")
        if len(table)
        else None
    )
    alt = fmt.listing(
        "Stacked bar chart of Ombudsman decisions",
        (
            f"{o}, {d.lower()}: {shown(c, min_base)}"
            for o, d, c in zip(table["Ombudsman"], table["Decision"], table["Complaints"])
        ),
    )
    note = (
        f"Complaints whose last council response fell {span(scope)} (the extract holds "
        "no referral or decision date). Upheld rate: upheld of those the Ombudsman "
        "investigated."
    )
    return Panel("ombudsman", title, figure, table, alt, note)
