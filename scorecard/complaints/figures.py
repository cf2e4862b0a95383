"""The complaint figures the Complaints page and the annual report use (their SQL is in
queries/complaints); the Code's clocks themselves are `engine.complaint_clock`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..engine import suppression
from ..engine.filters import sql_params
from ..engine.measures import PARAM_DEFAULTS
from ..engine.suppression import hidden_groups, hides_selection

STAGES = {1: "Stage 1", 2: "Stage 2"}
OUTCOMES = {
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
    "open": "Not yet answered",
}
DECISIONS = ("upheld", "partly_upheld", "not_upheld")
REFUSALS = {
    "out_of_time": "Made outside the time limit",
    "duplicate": "Duplicate of a complaint already made",
    "legal_proceedings": "Subject to legal proceedings",
    "not_a_complaint": "Not a complaint (a service request or an appeal)",
    "unreasonable_behaviour": "Unreasonable behaviour policy applied",
    "not_recorded": "Reason not recorded",
}
OMBUDSMEN = {"lgsco": "Local Government and Social Care Ombudsman", "housing": "Housing Ombudsman"}
OMBUDSMAN_DECISIONS = {
    "upheld": "Upheld",
    "not_upheld": "Not upheld",
    "not_investigated": "Not investigated",
    "pending": "Awaiting a decision",
}


def words(code, table: dict) -> str:
    """A code in words from `table`; unknown codes with underscores turned into spaces."""
    text = "" if code is None or (isinstance(code, float) and np.isnan(code)) else str(code)
    return table.get(text, text.replace("_", " ").capitalize() or "Not recorded")


@dataclass(frozen=True)
class Scope:
    """The complaints a figure covers: a span of dates and the service and channel filters."""

    start: date
    end: date
    services: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    @classmethod
    def from_filters(cls, filters) -> Scope:
        """The span and filters the user chose (the trend span, to the reporting period)."""
        return cls(filters.start, filters.end, tuple(filters.services), tuple(filters.channels))

    def params(self, **extra) -> dict:
        """Bound parameters for a queries/complaints file (lists, or NULL for all)."""
        return sql_params(self.services, self.channels, start=self.start, end=self.end, **extra)


def hidden_stages(database, scope: Scope, min_base: int) -> set[int]:
    """Stages whose figures must not be shown for the chosen services or channels: showing
    them would let a small service (or channel) be worked out (suppression policy)."""
    out = set()
    for by, chosen in (("service", scope.services), ("channel", scope.channels)):
        if not chosen:
            continue
        wider = Scope(
            scope.start,
            scope.end,
            () if by == "service" else scope.services,
            () if by == "channel" else scope.channels,
        )
        rows = database.query("complaints/complaints_by_stage_and_group", by=by, **wider.params())
        for stage, part in rows.groupby("stage"):
            if hides_selection(hidden_groups(part, min_base), chosen):
                out.add(int(stage))
    return out


def rate(numerator, denominator, min_base: int) -> float:
    """Per cent, or NaN where it may not be published (suppression.rate: too few cases, or
    a count too small to give back)."""
    return suppression.rate(numerator, denominator, min_base)


def rate_words(numerator, denominator, min_base: int) -> str:
    """'72.4% (21 of 29)', 'no cases', or 'fewer than 10 cases' when too few to show."""
    if not denominator:
        return "no cases"
    value = rate(numerator, denominator, min_base)
    if np.isnan(value):
        return f"{suppression.withheld_words(min_base)} cases"
    return f"{value:.1f}% ({numerator:,} of {denominator:,})"


def timeliness(database, scope: Scope) -> pd.DataFrame:
    """Per stage: received, acknowledged in 5 days, on time without and with extension."""
    return database.query("complaints/timeliness_by_stage", **scope.params())


def open_complaints(database, scope: Scope) -> pd.DataFrame:
    """Open complaints now (the as-at date), by stage and service, with ageing bands."""
    return database.query("complaints/open_complaints_by_stage_and_service", **scope.params())


FLOW_NODES = {"s1": "Received at stage 1", "s2": "Escalated to stage 2"}


def _node(code: str) -> str:
    """A flow node code ('s1:upheld', 'omb:lgsco', 'decision:pending') in words."""
    if code in FLOW_NODES:
        return FLOW_NODES[code]
    kind, _, value = code.partition(":")
    if kind == "omb":
        return words(value, OMBUDSMEN)
    if kind == "decision":
        return f"Ombudsman: {words(value, OMBUDSMAN_DECISIONS).lower()}"
    return f"{STAGES[int(kind[1])]}: {words(value, OUTCOMES).lower()}"


def flow(database, scope: Scope) -> pd.DataFrame:
    """The links of the complaint journey (stage 1 received in the span), nodes in words."""
    links = database.query("complaints/complaint_flow_links", **scope.params())
    links["from_words"] = [_node(c) for c in links["source"]]
    links["to_words"] = [_node(c) for c in links["target"]]
    return links


def outcomes(database, scope: Scope) -> pd.DataFrame:
    """Per stage and outcome (responses in the span), with each decision's share of all
    decisions; refused and withdrawn complaints are not decisions."""
    frame = database.query("complaints/outcomes_by_stage", **scope.params())
    decided = frame[frame["outcome"].isin(DECISIONS)].groupby("stage")["complaints"].sum()
    frame["decisions"] = frame["stage"].map(decided).fillna(0).astype(int)
    frame["order"] = frame["outcome"].map({o: i for i, o in enumerate(OUTCOMES)})
    return frame.sort_values(["stage", "order"]).drop(columns="order").reset_index(drop=True)


def refusal_words(code) -> str:
    """A refusal reason in words. The column is text, so anything that is not a short code
    (it could be a note about a person) is shown only as 'Other reason'."""
    text = "" if code is None or (isinstance(code, float) and np.isnan(code)) else str(code)
    if not text:
        return REFUSALS["not_recorded"]
    if text in REFUSALS or re.fullmatch(r"[a-z0-9_]{1,40}", text):
        return words(text, REFUSALS)
    return "Other reason"


def refusals(database, scope: Scope) -> pd.DataFrame:
    """Refused complaints by reason (in words) and stage."""
    frame = database.query("complaints/refusals_by_reason", **scope.params())
    frame["reason_words"] = [refusal_words(r) for r in frame["reason"]]
    return frame


def ombudsman(database, scope: Scope) -> pd.DataFrame:
    """Complaints referred to each Ombudsman, by decision (in words)."""
    frame = database.query("complaints/ombudsman_decisions", **scope.params())
    frame["ombudsman_words"] = [words(o, OMBUDSMEN) for o in frame["ombudsman"]]
    frame["decision_words"] = [words(d, OMBUDSMAN_DECISIONS) for d in frame["decision"]]
    return frame


def measure_total(database, measure, scope: Scope) -> tuple[float, float]:
    """A rate measure's numerator and denominator pooled over the span, all services."""
    params = PARAM_DEFAULTS | scope.params(grain="span") | measure.params
    rows = database.query(measure.sql, **params)
    total = rows[rows["service"].isna()]
    if total.empty:
        return 0.0, 0.0
    return float(total["numerator"].iloc[0]), float(total["denominator"].iloc[0])


def convention(day_zero: str = "received") -> str:
    """The clock convention in words, from the `complaint_day_zero` setting (the settings
    loader accepts only the Codes' "received")."""
    start = f"The day a complaint is {day_zero} is day 0"
    return (
        f"{start}; working days exclude weekends and England and Wales bank holidays. "
        "Complaints are acknowledged within 5 working days and answered within 10 "
        "working days of acknowledgement at stage 1 (20 at stage 2); an extension may add "
        "up to 10 more (20 at stage 2). A complaint still open past its deadline counts "
        "as late; one open and not yet due is pending and shown apart."
    )
