"""Complaint panels: for each question, the finding (as a title), the figure, its data table
and alt text. The Complaints page draws a panel with `components.chart_block`; the annual
report draws the same panel with `html_report`, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import complaint_charts as charts
from . import complaints as cx
from . import fmt

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


def count(value, one: str, many: str | None = None) -> str:
    """'1 complaint', '1,204 complaints'."""
    value = int(value)
    return f"{value:,} {one if value == 1 else (many or one + 's')}"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(value) -> str:
    return "" if charts._missing(value) else f"{value:.1f}%"


TIMELINESS = (("Acknowledged within 5 working days", "ack_within_5", "ack_due"),
              ("Answered on time, no extension", "on_time", "responses_due"),
              ("Answered on time with permitted extensions", "on_time_with_extension",
               "responses_due_with_extension"))
EXTENSIONS = (("Extended", "extended", "responses_due_with_extension"),
              ("Extended beyond what the Code permits", "extended_beyond_code",
               "responses_due_with_extension"))


NOT_SHOWN = "not shown for this selection, so a small service cannot be worked out"


def _timeliness_rows(frame, min_base, hidden: set = frozenset()) -> pd.DataFrame:
    """Long table: stage, measure, number, of, per cent (all blank where too few cases, or
    where the selection would give a small service away)."""
    rows = []
    for r in frame.itertuples(index=False):
        for label, met, due in TIMELINESS + EXTENSIONS:
            m, d = int(getattr(r, met)), int(getattr(r, due))
            small = d < min_base or r.stage in hidden
            note = NOT_SHOWN if r.stage in hidden else (
                f"fewer than {min_base} cases" if d < min_base else "")
            rows.append({"Stage": cx.STAGES[r.stage], "Measure": label,
                         "Number": None if small else m, "Of": None if small else d,
                         PERCENT: None if small else round(cx.rate(m, d, min_base), 1),
                         "Note": note})
        rows.append({"Stage": cx.STAGES[r.stage], "Measure": "Open, not yet due (pending)",
                     "Number": int(r.pending), "Of": None, PERCENT: None, "Note": ""})
    return pd.DataFrame(rows).astype({"Of": "Int64", "Number": "Int64"})


def _stage_words(r, min_base, hidden: set = frozenset()) -> str:
    """'stage 1: 72.4% answered within 10 working days, 85.1% with permitted extensions'."""
    if r.stage in hidden:
        return f"stage {r.stage}: {NOT_SHOWN}"
    if r.responses_due < min_base:
        return f"stage {r.stage}: too few responses due to show (fewer than {min_base})"
    plain = cx.rate(r.on_time, r.responses_due, min_base)
    extended = cx.rate(r.on_time_with_extension, r.responses_due_with_extension, min_base)
    with_ext = "" if charts._missing(extended) else \
        f", {extended:.1f}% with permitted extensions"
    return (f"stage {r.stage}: {plain:.1f}% answered within {cx.RESPONSE_DAYS[r.stage]} "
            f"working days{with_ext}")


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
    alt = ("Bar chart of Complaint Handling Code timeliness by stage: " + "; ".join(
        f"{s.lower()}, {m.lower()}: {t}" for s, m, t in
        zip(shown["Stage"], shown["Measure"], texts)) + ".")
    note = (f"Acknowledgements counted by the date received, responses by the date they were "
            f"due, {span(scope)}; withdrawn complaints left out; a complaint still open past "
            "its deadline counts as late; open and not yet due is pending.")
    title = "; ".join(_stage_words(r, min_base, hidden) for r in frame.itertuples())
    # the span in the title: beside a card for one month, the two figures say which is which
    return Panel("timeliness", f"{span(scope)}: {title}", figure, table, alt, note)


BANDS = {"open_0_to_5_days": "0 to 5 working days", "open_6_to_10_days": "6 to 10",
         "open_11_to_20_days": "11 to 20", "open_over_20_days": "Over 20"}


def open_totals(frame) -> dict:
    """Open, overdue and due within the next 5 working days, all stages and services."""
    return {k: int(frame[k].sum()) for k in ("open_complaints", "overdue", "due_within_5_days")}


def open_panel(database, scope, as_at) -> Panel:
    """Open complaints at the as-at date: ageing by stage and service, overdue, due soon."""
    frame = cx.open_complaints(database, scope)
    totals = open_totals(frame)
    table = pd.DataFrame({"Stage": [cx.STAGES[s] for s in frame["stage"]],
                          "Service": frame["service"], "Open": frame["open_complaints"]}
                         | {w: frame[c] for c, w in BANDS.items()}
                         | {"Overdue": frame["overdue"],
                            "Due in the next 5 working days": frame["due_within_5_days"],
                            "Longest open (working days)": frame["oldest_days_open"]})
    title = (f"{count(totals['open_complaints'], 'complaint')} open on {fmt.long_date(as_at)}: "
             f"{totals['overdue']:,} already overdue, {totals['due_within_5_days']:,} due in "
             "the next 5 working days")
    labels = [f"{s} ({st.lower()}): {d} overdue" if d else f"{s} ({st.lower()})"
              for s, st, d in zip(table["Service"], table["Stage"], table["Overdue"])]
    figure = None if frame.empty else charts.stacked_hbars(
        labels, {w: table[w] for w in BANDS.values()},
        dict(zip(BANDS.values(), charts.BAND_COLOURS)), "Open complaints")
    alt = ("Stacked bar chart of open complaints by service and stage, split by working days "
           "open: " + "; ".join(f"{s} ({st.lower()}) {o} open, {d} overdue" for s, st, o, d in
                                zip(table["Service"], table["Stage"], table["Open"],
                                    table["Overdue"])) + ".")
    note = (f"As at {fmt.long_date(as_at)}, whatever period is chosen; working days since "
            "receipt (day 0). Overdue: past the deadline, including any permitted extension; "
            "due soon: the deadline falls on or before the fifth working day from today.")
    return Panel("open", title if len(frame) else f"No complaints open on "
                 f"{fmt.long_date(as_at)}", figure, table, alt, note)


def flow_panel(database, scope) -> Panel:
    """Stage 1 complaints received in the span: outcome, stage 2, Ombudsman, decision."""
    links = cx.flow(database, scope)
    step = links.groupby("step")["complaints"].sum()
    received, escalated, referred = (int(step.get(i, 0)) for i in (1, 2, 4))
    table = pd.DataFrame({"From": links["from_words"], "To": links["to_words"],
                          "Complaints": links["complaints"]})
    share = f" ({100 * escalated / received:.1f}%)" if received else ""
    title = (f"Of {count(received, 'stage 1 complaint')} received, {escalated:,}{share} went "
             f"to stage 2 and {referred:,} to an Ombudsman")
    alt = ("Flow diagram of complaints: " + "; ".join(
        f"{f} to {t}: {c:,}" for f, t, c in zip(table["From"], table["To"],
                                                 table["Complaints"])) + ".")
    note = (f"Stage 1 complaints received {span(scope)}, followed to their latest stage; an "
            "Ombudsman referral is read from either stage.")
    return Panel("flow", title, charts.sankey(links) if received else None, table, alt, note)


def _outcome_table(frame, min_base) -> pd.DataFrame:
    rows = []
    for stage, part in frame.groupby("stage"):
        answered, decisions = int(part["complaints"].sum()), int(part["decisions"].iloc[0])
        for r in part.itertuples(index=False):
            decided = r.outcome in cx.DECISIONS
            rows.append({"Stage": cx.STAGES[stage], "Outcome": cx.words(r.outcome, cx.OUTCOMES),
                         "Complaints": int(r.complaints),
                         "Per cent of responses": round(cx.rate(r.complaints, answered,
                                                                min_base), 1),
                         "Per cent of decisions": round(cx.rate(r.complaints, decisions,
                                                                min_base), 1)
                         if decided else None})
        upheld = int(part[part["outcome"].isin(cx.DECISIONS[:2])]["complaints"].sum())
        rows.append({"Stage": cx.STAGES[stage], "Outcome": "Upheld or partly upheld",
                     "Complaints": upheld, "Per cent of responses": None,
                     "Per cent of decisions": round(cx.rate(upheld, decisions, min_base), 1)})
    return pd.DataFrame(rows, columns=["Stage", "Outcome", "Complaints",
                                       "Per cent of responses", "Per cent of decisions"])


def outcomes_panel(database, scope, min_base: int) -> Panel:
    """Upheld, partly upheld and not upheld kept apart, plus refused and withdrawn."""
    table = _outcome_table(cx.outcomes(database, scope), min_base)
    combined = table[table["Outcome"] == "Upheld or partly upheld"]
    parts = [f"{s.lower()}: {_pct(v) or f'fewer than {min_base} decisions'}"
             for s, v in zip(combined["Stage"], combined["Per cent of decisions"])]
    title = "Decisions upheld in full or in part: " + "; ".join(parts) if parts else \
        "No complaints were answered in the period"
    single = table[table["Outcome"] != "Upheld or partly upheld"]
    wide = single.pivot_table(index="Stage", columns="Outcome", values="Complaints",
                              aggfunc="sum", fill_value=0)
    shares = wide.div(wide.sum(axis=1), axis=0) * 100
    series = {o: shares[o] for o in cx.OUTCOMES.values() if o in shares}
    figure = charts.stacked_hbars(list(shares.index), series, charts.OUTCOME_COLOURS,
                                  "Per cent of complaints answered", percent=True) \
        if parts else None
    alt = ("Stacked bar chart of complaint outcomes by stage: " + "; ".join(
        f"{s.lower()} {o.lower()} {c:,}" for s, o, c in
        zip(single["Stage"], single["Outcome"], single["Complaints"])) + ".")
    note = (f"Responses {span(scope)}. Decisions are upheld, partly upheld or not upheld; "
            "refused and withdrawn complaints are not decisions.")
    return Panel("outcomes", title, figure, table, alt, note)


def refusals_panel(database, scope) -> Panel:
    """Complaints refused, by reason in words."""
    frame = cx.refusals(database, scope)
    table = frame.pivot_table(index="reason_words", columns="stage", values="complaints",
                              aggfunc="sum", fill_value=0)
    table = table.rename(columns=cx.STAGES).assign(Total=lambda t: t.sum(axis=1))
    table = table.sort_values("Total", ascending=False).rename_axis("Reason").reset_index()
    table.columns.name = None
    if table.empty:
        return Panel("refusals", "No complaints were refused in the period", None, table, "")
    top = table.iloc[0]
    title = (f"{count(table['Total'].sum(), 'complaint')} refused; most often: "
             f"{top['Reason'].lower()} ({top['Total']:,})")
    figure = charts.hbars(table["Reason"], table["Total"], table["Total"].map("{:,}".format),
                          "Complaints refused", colour=charts.OUTCOME_COLOURS["Refused"])
    alt = "Bar chart of complaints refused by reason: " + "; ".join(
        f"{r} {t:,}" for r, t in zip(table["Reason"], table["Total"])) + "."
    return Panel("refusals", title, figure, table, alt, f"Refusals {span(scope)}.")


def ombudsman_panel(database, scope, min_base: int) -> Panel:
    """Referrals to each Ombudsman and their decisions, with the upheld rate of those
    investigated (upheld or not upheld; not investigated and pending left out)."""
    frame = cx.ombudsman(database, scope)
    table = pd.DataFrame({"Ombudsman": frame["ombudsman_words"],
                          "Decision": frame["decision_words"], "Complaints": frame["complaints"]})
    upheld = int(frame.loc[frame["decision"] == "upheld", "complaints"].sum())
    investigated = int(frame.loc[frame["decision"].isin(["upheld", "not_upheld"]),
                                 "complaints"].sum())
    rate = cx.rate(upheld, investigated, min_base)
    verdict = (f"{upheld:,} upheld of {investigated:,} investigated ({rate:.1f}%)"
               if not charts._missing(rate) else
               f"too few investigated to give an upheld rate (fewer than {min_base})")
    title = (f"{count(table['Complaints'].sum(), 'complaint')} went to an Ombudsman: {verdict}"
             if len(table) else "No complaints went to an Ombudsman in the period")
    wide = table.pivot_table(index="Ombudsman", columns="Decision", values="Complaints",
                             aggfunc="sum", fill_value=0, sort=False)
    series = {d: wide[d] for d in cx.OMBUDSMAN_DECISIONS.values() if d in wide}
    colours = dict(zip(cx.OMBUDSMAN_DECISIONS.values(), charts.DECISION_COLOURS))
    figure = charts.stacked_hbars(list(wide.index), series, colours,
                                  "Complaints referred") if len(table) else None
    alt = "Stacked bar chart of Ombudsman decisions: " + "; ".join(
        f"{o}, {d.lower()}: {c:,}" for o, d, c in
        zip(table["Ombudsman"], table["Decision"], table["Complaints"])) + "."
    note = (f"Complaints whose last council response fell {span(scope)} (the extract holds "
            "no referral or decision date). Upheld rate: upheld of those the Ombudsman "
            "investigated.")
    return Panel("ombudsman", title, figure, table, alt, note)
