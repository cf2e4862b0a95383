"""The benchmark's plain-pandas baseline for a whole page: every measure on the scorecard
overview worked out with pandas from the extracts already read into memory, and judged.

`load(data_dir)` reads the extracts once (untimed, as a pandas app would hold them) and adds
each record's flags (a call answered within 60 seconds, a case's working days, a complaint's
deadlines). `overview(frames, ...)` is what a filter change costs: for each measure, the rows
in the filters and date range, each period's figure by service and for the selection, the
value, small bases withheld, a process chart (XmR limits with the astronomical-point and
run-of-seven rules) over the selection's series and the latest figure rated against its
target. The question each measure answers (its date range, filters and parameters) is the
engine's own (`measures.query_params`), so the two answer the same thing;
tests/test_benchmark_scripts.py checks the figures are the engine's on the bundled sample.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard.engine import calendar as cal
from scorecard.engine import measures

YES = "Y"
OLDER = ("65-74", "75+")


def _flag(column: pd.Series) -> pd.Series:
    """Y/N as True/False; blank stays missing."""
    return column.map({"Y": True, "N": False}).astype("boolean")


def _day(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.normalize()


def _working_day_index(days: pd.Series) -> np.ndarray:
    """Working days since a fixed Monday (weekends and bank holidays skipped): two days'
    difference is the working days after the first up to and including the second."""
    values = days.to_numpy().astype("datetime64[D]")
    out = np.full(len(values), -1, dtype=np.int64)
    known = ~np.isnat(values)
    out[known] = np.busday_count(
        np.datetime64("2000-01-03"), values[known] + 1, holidays=cal.holiday_array()
    )
    return out


def _read(path: Path, dates: list[str]) -> pd.DataFrame:
    """An extract with its dates parsed and its groups as categories (a blank group is
    'Not recorded', as the queries name it), as a pandas app would hold it."""
    frame = pd.read_csv(path, parse_dates=dates, low_memory=False)
    for column in ("service", "channel", "site"):
        if column in frame:
            frame[column] = frame[column].fillna("Not recorded").astype("category")
    return frame


def load(data: Path, digital_channels=("web", "app")) -> dict[str, pd.DataFrame]:
    """The extracts read once, with each record's flags."""
    contacts = _read(data / "contacts.csv.gz", ["received_at"])
    wait = contacts["wait_seconds"]
    call = contacts["channel"] == "phone"
    abandoned = _flag(contacts["abandoned"]).fillna(False).astype(bool)
    answered = call & ~abandoned & wait.notna()
    visit = (contacts["channel"] == "face_to_face") & wait.notna()
    avoidable, resolved = _flag(contacts["avoidable"]), _flag(contacts["resolved_first_contact"])
    contacts = contacts.assign(
        day=contacts["received_at"].dt.normalize(),
        contacts=1,
        digital=(
            contacts["channel"].isin(digital_channels)
            | _flag(contacts["assisted_digital"]).fillna(False).astype(bool)
        ).astype(int),
        calls=call.astype(int),
        answered_within_60s=(call & ~abandoned & (wait <= 60)).astype(int),
        abandoned=(call & abandoned).astype(int),
        answered_with_wait=answered.astype(int),
        answered_wait_seconds=wait.where(answered, 0.0),
        visits_with_wait=visit.astype(int),
        visit_wait_seconds=wait.where(visit, 0.0),
        avoidable_classified=avoidable.notna().astype(int),
        avoidable=avoidable.fillna(False).astype(int),
        resolution_recorded=resolved.notna().astype(int),
        resolved_first_contact=resolved.fillna(False).astype(int),
    )
    cases = _read(data / "cases.csv.gz", ["opened_at", "closed_at"])
    cases = cases[cases["status"] == "closed"].copy()
    cases["day"] = cases["closed_at"].dt.normalize()
    cases["days"] = _working_day_index(cases["day"]) - _working_day_index(
        cases["opened_at"].dt.normalize()
    )
    cases["within"] = (cases["days"] <= cases["standard_days"]).astype(int)
    cases["multi"] = cases["services_involved"] > 1
    cases["reopened"] = _flag(cases["reopened"]).fillna(False).astype(int)
    answers = _read(data / "satisfaction.csv.gz", ["responded_on"])
    w = answers["weight"].fillna(1.0)
    answers = answers.assign(
        day=answers["responded_on"],
        w=w,
        w2=w * w,
        satisfied_w=w.where(answers["score"] >= 4, 0.0),
        answers=1,
        digital=answers["channel"].isin(digital_channels),
        older_or_disabled=(
            answers["age_band"].isin(OLDER) | _flag(answers["disability"]).fillna(False)
        ).astype(bool),
    )
    contacts["month"] = _months(contacts["day"])
    needed = ["day", "month", "service", "channel", "site", *COUNTS]
    return {
        "contacts": contacts[needed],  # the columns the measures read
        "cases": cases[["day", "service", "channel", "days", "within", "multi", "reopened"]].assign(
            month=_months(cases["day"])
        ),
        "answers": answers[
            ["day", "service", "channel", "satisfied_w", "w", "w2", "answers", "digital"]
            + ["older_or_disabled"]
        ].assign(
            month=_months(answers["day"]),
            survey=answers["survey"].astype("category"),
            question=answers["question"].astype("category"),
        ),
        "complaints": _complaints(_read(data / "complaints.csv", [])),
        "returns": pd.read_csv(data / "returns.csv", parse_dates=["period_start"]).assign(
            day=lambda r: r["period_start"], month=lambda r: _months(r["period_start"])
        ),
        "actions": pd.read_csv(data / "actions.csv", parse_dates=["due_on"]),
        "targets": pd.read_csv(data / "targets.csv", parse_dates=["from_period"]),
    }


def _complaints(frame: pd.DataFrame) -> pd.DataFrame:
    """Each complaint with its Complaint Handling Code deadlines, as working-day indexes:
    acknowledge within 5 working days; respond within 10 (stage 1) or 20 (stage 2) of the
    acknowledgement (or of its deadline); an extension up to as many again."""
    for column in ("received_on", "acknowledged_on", "extended_to", "responded_on"):
        frame[column] = _day(frame[column])
    days = {
        c: frame[c].to_numpy().astype("datetime64[D]") for c in ("received_on", "acknowledged_on")
    }
    response = np.where(frame["stage"] == 1, 10, 20)
    ack_due = cal.add_working_days(days["received_on"], 5)
    start = np.where(np.isnat(days["acknowledged_on"]), ack_due, days["acknowledged_on"])
    due = cal.add_working_days(start, response)
    permitted = cal.add_working_days(start, 2 * response)
    extended = frame["extended_to"].to_numpy().astype("datetime64[D]")
    extended = np.maximum(due, np.minimum(np.where(np.isnat(extended), due, extended), permitted))
    for name, values in (
        ("ack_due_by", cal.grace_until(ack_due)),
        ("due_on", due),
        ("due_by", cal.grace_until(due)),
        ("extended_due_on", extended),
        ("extended_due_by", cal.grace_until(extended)),
    ):
        frame[name] = pd.to_datetime(values)
    frame["withdrawn"] = frame["outcome"].fillna("") == "withdrawn"
    escalated = set(frame.loc[frame["stage"] == 2, "complaint_id"])
    frame["escalated"] = frame["complaint_id"].isin(escalated)
    return frame


def _months(days: pd.Series) -> np.ndarray:
    """Months since January 1970, for each day."""
    return days.to_numpy().astype("datetime64[M]").astype(np.int64)


def _period(rows: pd.DataFrame | pd.Series, grain: str, day: str = "day") -> pd.Series:
    """Each row's period: its month, financial quarter (Q1 = April) or financial year (from
    the month worked out at load for an extract's own date)."""
    if isinstance(rows, pd.Series):
        months = _months(rows)
    else:
        months = rows["month"].to_numpy() if day == "day" else _months(rows[day])
    if grain == "quarter":
        months = months - months % 3
    elif grain == "year":
        months = months - (months - 3) % 12
    index = rows.index
    return pd.Series(months.astype("datetime64[M]").astype("datetime64[ns]"), index=index)


def _in(frame: pd.DataFrame, params: dict, day: str = "day") -> pd.DataFrame:
    """The rows in the date range and the service and channel filters."""
    keep = frame[day].between(pd.Timestamp(params["start"]), pd.Timestamp(params["end"]))
    for column, wanted in (("service", params["services"]), ("channel", params["channels"])):
        if wanted is not None:
            keep &= frame[column].isin(list(wanted))
    return frame[keep]


COUNTS = (
    "contacts",
    "digital",
    "calls",
    "answered_within_60s",
    "abandoned",
    "answered_with_wait",
    "answered_wait_seconds",
    "visits_with_wait",
    "visit_wait_seconds",
    "avoidable_classified",
    "avoidable",
    "resolution_recorded",
    "resolved_first_contact",
)


def _contact_counts(frames: dict, params: dict) -> pd.DataFrame:
    """Every contact count by period and group under these filters: worked out once per
    filter change and shared by the contact measures, as a pandas page would."""
    key = ("contacts", params["grain"], params["by"], params["start"], params["end"])
    key += tuple(tuple(params[k] or ()) for k in ("services", "channels"))
    memo = frames.setdefault("memo", {})
    if key not in memo:
        rows = _in(frames["contacts"], params)
        memo[key] = _grouped(
            rows, _period(rows, params["grain"]), {n: rows[n] for n in COUNTS}, params["by"]
        )
    return memo[key]


def _grouped(rows: pd.DataFrame, period: pd.Series, sums: dict, by: str) -> pd.DataFrame:
    """Each sum by period and group (service or channel: in the `service` column, as the
    queries name it), and by period for the selection (service NaN)."""
    values = pd.concat(sums, axis=1)  # side by side, not copied into one block
    keys = [period.rename("period_start"), rows[by].rename("service")]
    by_service = values.groupby(keys, observed=True).sum().reset_index()
    by_service["service"] = by_service["service"].astype(object)
    total = values.groupby(keys[0]).sum().reset_index()
    return pd.concat([total.assign(service=np.nan), by_service], ignore_index=True)


def _figures(m, params: dict, frames: dict, as_at: date) -> pd.DataFrame:
    """A measure's numerator, denominator (or value) and base by period and service."""
    grain, family = params["grain"], m.sql.rsplit("/", 1)[-1]
    if family in ("contacts_share_by_period", "contacts_average_by_period"):
        if family == "contacts_share_by_period":
            num, den = params["numerator_count"], params["denominator_count"]
        else:
            num, den = params["total_count"], params["of_count"]
        counts = _contact_counts(frames, params)
        out = counts[["period_start", "service"]].assign(
            numerator=counts[num], denominator=counts[den]
        )
        out = out[out["denominator"] > 0]
        if family == "contacts_average_by_period":
            out["value"] = out["numerator"] / params["per"] / out["denominator"]
            out = out.rename(columns={"denominator": "base"}).drop(columns="numerator")
        return out
    if family == "survey_share_by_period":
        a = frames["answers"]
        keep = a["survey"] == params["survey"]
        if params["question"] is not None:
            keep &= a["question"] == params["question"]
        if params["digital"] is not None:
            keep &= a["digital"] == params["digital"]
        if params["older_or_disabled"]:
            keep &= a["older_or_disabled"]
        rows = _in(a[keep], params)
        out = _grouped(
            rows,
            _period(rows, grain),
            {
                "numerator": rows["satisfied_w"],
                "denominator": rows["w"],
                "base": rows["answers"],
                "w2": rows["w2"],
            },
            params["by"],
        )
        out["effective_base"] = out["denominator"] ** 2 / out["w2"]
        return out.drop(columns="w2")
    if family == "returns_share_by_period":
        r = frames["returns"]
        rows = _in(r[r["measure_id"] == params["measure_id"]], params | {"channels": None})
        return _grouped(
            rows,
            _period(rows, grain),
            {"numerator": rows["numerator"], "denominator": rows["denominator"]},
            params["by"],
        )
    if family.startswith("cases_") or family.startswith("working_days"):
        c = frames["cases"]
        if params.get("services_involved") is not None:
            c = c[c["multi"] == (params["services_involved"] == "multi")]
        rows = _in(c, params)
        period = _period(rows, grain)
        if family.startswith("working_days"):
            return _quantiles(rows, period, params["quantile"], params["by"])
        num = rows["reopened"] if family == "cases_reopened_by_period" else rows["within"]
        ones = pd.Series(1, rows.index)
        return _grouped(rows, period, {"numerator": num, "denominator": ones}, params["by"])
    if family.startswith("complaints_"):
        return _complaint_figures(family, params, frames, as_at)
    return _actions(frames["actions"], grain, as_at)


def _quantiles(rows: pd.DataFrame, period: pd.Series, q: float, by: str) -> pd.DataFrame:
    """The smallest number of days with at least q of the cases within it."""

    def observed(days: pd.Series) -> float:
        return float(np.percentile(days, 100 * q, method="inverted_cdf"))

    frame = pd.DataFrame(
        {"period_start": period, "service": rows[by].astype(object), "days": rows["days"]}
    )
    by_service = frame.groupby(["period_start", "service"])["days"].agg([observed, "size"])
    total = frame.groupby("period_start")["days"].agg([observed, "size"])
    out = pd.concat([total.assign(service=np.nan).reset_index(), by_service.reset_index()])
    return out.rename(columns={"observed": "value", "size": "base"}).reset_index(drop=True)


def _complaint_figures(family: str, params: dict, frames: dict, as_at: date) -> pd.DataFrame:
    c, grain, now = frames["complaints"], params["grain"], pd.Timestamp(as_at)
    if family == "complaints_per_1000_contacts_by_period":
        k = _in(c[c["stage"] == 1], params | {"start": params["start"]}, "received_on")
        counts = _contact_counts(frames, params)
        n = counts[["period_start", "service"]].assign(d=counts["contacts"])
        k = _grouped(
            k, _period(k, grain, "received_on"), {"n": pd.Series(1, k.index)}, params["by"]
        )
        out = n.merge(k, on=["period_start", "service"], how="left").fillna({"n": 0})
        return out.rename(columns={"n": "numerator", "d": "denominator"})
    if family == "complaints_acknowledged_within_5_days_by_period":
        c = c[c["acknowledged_on"].notna() | (now > c["ack_due_by"])]
        day, met = "received_on", (c["acknowledged_on"] <= c["ack_due_by"])
    elif family == "complaints_responded_on_time_by_period":
        extended = params["with_extension"]
        c = c[(c["stage"] == params["stage"]) & ~c["withdrawn"]]
        c = c.assign(deadline=c["extended_due_on" if extended else "due_on"])
        by = c["extended_due_by" if extended else "due_by"]
        c = c[c["responded_on"].notna() | (now > by)]
        day, met = "deadline", (c["responded_on"] <= by.loc[c.index])
    elif family == "complaints_upheld_by_period":
        c = c[c["outcome"].isin(["upheld", "partly_upheld", "not_upheld"])]
        if params["stage"] is not None:
            c = c[c["stage"] == params["stage"]]
        day, met = "responded_on", c["outcome"].isin(["upheld", "partly_upheld"])
    else:  # escalated to stage 2
        c = c[(c["stage"] == 1) & ~c["withdrawn"]]
        day, met = "responded_on", c["escalated"]
    rows = _in(c, params, day)
    return _grouped(
        rows,
        _period(rows, grain, day),
        {"numerator": met.loc[rows.index].astype(int), "denominator": pd.Series(1, rows.index)},
        params["by"],
    )


def _actions(actions: pd.DataFrame, grain: str, as_at: date) -> pd.DataFrame:
    live = actions[actions["status"] != "withdrawn"]
    overdue = (live["due_on"] < pd.Timestamp(as_at)) & (live["status"] != "complete")
    on_track = live["status"].isin(["on_track", "complete"]) & ~overdue
    period = _period(pd.Series([pd.Timestamp(as_at)]), grain)[0]
    return pd.DataFrame(
        {
            "period_start": [period],
            "service": [np.nan],
            "numerator": [int(on_track.sum())],
            "denominator": [len(live)],
        }
    )


def _xmr(values: pd.Series) -> dict:
    """Process limits over a series and the signals at its latest point."""
    x = values.dropna()
    if len(x) < 2:
        return {"signal": "too few points"}
    centre, mr = x.mean(), x.diff().abs().mean()
    lower, upper = centre - 2.66 * mr, centre + 2.66 * mr
    above = (x > centre).astype(int)
    run = above.groupby((above != above.shift()).cumsum()).cumcount() + 1
    astronomical = x.iloc[-1] > upper or x.iloc[-1] < lower
    return {
        "centre": centre,
        "lower": lower,
        "upper": upper,
        "signal": "special" if astronomical or run.iloc[-1] >= 7 else "common",
    }


def _target(targets: pd.DataFrame, m, period: pd.Timestamp, defaults) -> tuple:
    """The council's target in force for the period, else a default its settings name."""
    rows = targets[
        (targets["measure_id"] == m.id)
        & targets["service"].isna()
        & (targets["from_period"] <= period)
    ]
    if len(rows):
        last = rows.sort_values("from_period").iloc[-1]
        margin = last["amber_margin"]
        return last["target"], m.amber_margin if pd.isna(margin) else margin
    default = m.default_target if defaults == "catalogue" else dict(defaults or ()).get(m.id)
    return default, m.amber_margin


def _withheld_periods(rows: pd.DataFrame, chosen, min_base: int) -> set:
    """Periods where the selection's figure would give back a withheld group: the groups
    under the minimum base and, where exactly one of several is, the smallest shown one too;
    a selection holding some of them but not all is withheld."""
    out = set()
    for period, groups in rows.groupby("period_start"):
        hidden = groups["base"].fillna(np.inf) < min_base
        if hidden.sum() == 1 and len(groups) >= 2:
            shown = groups.loc[~hidden, "base"].fillna(np.inf)
            hidden.loc[shown.idxmin()] = True
        names = set(groups.loc[hidden, "service"])
        if names & set(chosen) and not names <= set(chosen):
            out.add(period)
    return out


def _values(m, rows: pd.DataFrame, min_base: int) -> pd.DataFrame:
    if "value" not in rows:
        with np.errstate(divide="ignore", invalid="ignore"):
            rows["value"] = rows["numerator"] / rows["denominator"] * m.scale
        rows["base"] = rows.get("base", rows["denominator"])
    rows["suppressed"] = rows["base"].fillna(0) < min_base
    rows.loc[rows["suppressed"], "value"] = np.nan
    return rows


def judged(m, params: dict, frames: dict, as_at: date, min_base: int, defaults=""):
    """A measure's series for the selection with value, withheld bases, process limits and
    the latest figure's RAG; and its rows by service."""
    min_base = m.min_base or min_base
    rows = _values(m, _figures(m, params, frames, as_at), min_base)
    for by, chosen in (("services", params["services"]), ("channels", params["channels"])):
        if chosen is None:
            continue
        wider = params | {by: None, "by": by[:-1]}
        groups = _values(m, _figures(m, wider, frames, as_at), min_base)
        withheld = _withheld_periods(groups[groups["service"].notna()], chosen, min_base)
        total = rows["service"].isna() & rows["period_start"].isin(withheld)
        rows.loc[total, ["value", "suppressed"]] = [np.nan, True]
    series = rows[rows["service"].isna()].sort_values("period_start").reset_index(drop=True)
    limits = _xmr(series["value"]) if m.spc != "run" else {"signal": "run chart"}
    rag = "none"
    if len(series) and not np.isnan(series["value"].iloc[-1]):
        target, margin = _target(frames["targets"], m, series["period_start"].iloc[-1], defaults)
        if target is not None and not pd.isna(target):
            rag = measures.rag(series["value"].iloc[-1], target, margin, m.better, m.decimals)
    return series, rows[rows["service"].notna()], limits, rag


def overview(frames, catalogue: dict, ids, filters, as_at: date, min_base=10, defaults=""):
    """Every measure on the overview under `filters`, in plain pandas: {id: judged(...)}."""
    frames["memo"] = {}  # a filter change: nothing kept from the last
    return {
        m: judged(
            catalogue[m],
            measures.query_params(catalogue[m], filters),
            frames,
            as_at,
            min_base,
            defaults,
        )
        for m in ids
    }
