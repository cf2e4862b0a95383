"""Tests for the synthetic Eastvale Council extracts: layout, determinism, scaling and patterns.

The extracts are generated once at scale 0.05 (about 10,000 contacts), so thresholds allow for
sampling noise; the comments give the level the generator aims for at scale 1.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest

from tools.sample import generate

SCALE = 0.05
END = pd.Timestamp("2026-09-30")
BANK_HOLIDAYS = np.array(
    sorted(holidays.country_holidays("GB", subdiv="ENG", years=range(2022, 2029))),
    dtype="datetime64[D]",
)
HEADERS = {
    "contacts.csv.gz": "contact_id,received_at,channel,service,site,wait_seconds,handle_seconds,"
    "abandoned,avoidable,resolved_first_contact,assisted_digital,avoidable_reason",
    "cases.csv.gz": "case_id,service,channel,opened_at,closed_at,standard_days,services_involved,"
    "reopened,status",
    "satisfaction.csv.gz": "response_id,survey,responded_on,question,score,weight,service,channel,"
    "age_band,sex,disability,ethnicity,first_language_english,"
    "imd_quintile,ward",
    "complaints.csv": "complaint_id,stage,service,channel,received_on,acknowledged_on,extended_to,"
    "responded_on,outcome,category,contractor,ombudsman,ombudsman_outcome,"
    "refusal_reason",
    "returns.csv": "measure_id,period_start,service,contractor,numerator,denominator",
    "targets.csv": "measure_id,service,from_period,target,amber_margin",
    "actions.csv": "action_id,pillar,title,owner,due_on,status,progress_pct,last_update_on,update,"
    "measures,categories",
    "events.csv": "date,label,pillar,measure,rebase",
    "commentary.csv": "measure,period,service,commentary,corrective_action,owner_role,status",
    "peers.csv": "area_code,area_name,measure,period,grain,value,peer_group,same_definition",
}
RANDOM_FILES = (
    "contacts.csv.gz",
    "cases.csv.gz",
    "satisfaction.csv.gz",
    "complaints.csv",
    "returns.csv",
    "peers.csv",
)
FIXED_FILES = ("returns.csv", "targets.csv", "actions.csv", "events.csv", "commentary.csv")
DATES = {
    "contacts.csv.gz": ["received_at"],
    "cases.csv.gz": ["opened_at", "closed_at"],
    "satisfaction.csv.gz": ["responded_on"],
    "complaints.csv": ["received_on", "acknowledged_on", "extended_to", "responded_on"],
    "returns.csv": ["period_start"],
    "targets.csv": ["from_period"],
    "actions.csv": ["due_on", "last_update_on"],
    "events.csv": ["date"],
    "commentary.csv": ["period"],
    "peers.csv": ["period"],
}
CENTRES = (
    "Northgate Customer Service Centre",
    "Riverside Customer Service Centre",
    "Market Hall Customer Service Centre",
)


def raw(path: Path) -> bytes:
    """A file's content, decompressed when gzipped."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def fy(stamps: pd.Series) -> pd.Series:
    """Financial year (April start) of each date, e.g. 2024 for 2024/25."""
    return stamps.dt.year - (stamps.dt.month < 4)


def working_days(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Working days after `start` up to and including `end` (England bank holidays excluded)."""
    a, b = start.to_numpy().astype("datetime64[D]"), end.to_numpy().astype("datetime64[D]")
    return np.busday_count(a + 1, b + 1, holidays=BANK_HOLIDAYS)


def satisfied(frame: pd.DataFrame) -> float:
    """Share of answers scoring 4 or 5."""
    return float((frame["score"] >= 4).mean())


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """Generate the extracts once at test scale."""
    out = tmp_path_factory.mktemp("sample")
    return out, generate(out, scale=SCALE)


@pytest.fixture(scope="module")
def data(sample) -> dict[str, pd.DataFrame]:
    """Every extract read with pandas, dates parsed, blanks as missing."""
    out, _ = sample
    return {
        name.split(".")[0]: pd.read_csv(
            out / name, keep_default_na=False, na_values=[""], parse_dates=cols
        )
        for name, cols in DATES.items()
    }


# ---------------------------------------------------------------- layout, determinism, scale
def test_headers_and_encoding(sample):
    out, rows = sample
    for name, header in HEADERS.items():
        text = raw(out / name)
        assert text.split(b"\n", 1)[0].decode("utf-8") == header, name
        assert not text.startswith(b"\xef\xbb\xbf") and b"\r" not in text, name
        assert text.count(b"\n") - 1 == rows[name] > 0, name  # no newlines inside fields
    assert (out / "contacts.csv.gz").read_bytes()[4:8] == b"\0\0\0\0"  # gzip mtime 0


def test_rows_returned_match_files(sample, data):
    _, rows = sample
    for name in HEADERS:
        assert rows[name] == len(data[name.split(".")[0]]), name


def test_same_seed_same_bytes_and_other_seed_differs(sample, tmp_path):
    out, _ = sample
    generate(tmp_path / "again", scale=SCALE)
    generate(tmp_path / "other", scale=SCALE, seed=7)
    for name in HEADERS:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
    for name in RANDOM_FILES:
        assert (tmp_path / "other" / name).read_bytes() != (out / name).read_bytes(), name


def test_volumes_scale_and_small_extracts_do_not(sample, tmp_path):
    out, rows = sample
    double = generate(tmp_path / "double", scale=2 * SCALE)
    assert 1.8 <= double["contacts.csv.gz"] / rows["contacts.csv.gz"] <= 2.2  # within 10%
    for name in ("cases.csv.gz", "satisfaction.csv.gz", "complaints.csv"):
        assert 1.7 <= double[name] / rows[name] <= 2.3, name
    for name in FIXED_FILES:
        assert (tmp_path / "double" / name).read_bytes() == (out / name).read_bytes(), name
    assert double["peers.csv"] == rows["peers.csv"]  # the same councils; Eastvale's own rows
    # are worked out from its extracts, so their values move with the scale
    assert 8_000 <= rows["contacts.csv.gz"] <= 12_000  # about 200,000 x scale
    assert 1_600 <= rows["cases.csv.gz"] <= 2_400  # about 40,000 x scale
    assert 1_000 <= rows["satisfaction.csv.gz"] <= 2_000  # 20,000-40,000 x scale
    assert 160 <= rows["complaints.csv"] <= 240  # about 4,000 x scale


# ---------------------------------------------------------------- contacts
def test_contact_ids_and_times(data):
    c = data["contacts"]
    assert c["contact_id"].str.fullmatch(r"CT\d{9}").all() and c["contact_id"].is_unique
    assert c["contact_id"].is_monotonic_increasing and c["received_at"].is_monotonic_increasing
    assert c["received_at"].min() >= pd.Timestamp("2022-04-01")
    assert c["received_at"].max() < END + pd.Timedelta(days=1)


def test_contact_fields_filled_only_where_they_apply(data):
    c = data["contacts"]
    phone, f2f, web = (c["channel"] == ch for ch in ("phone", "face_to_face", "web"))
    assert (c["wait_seconds"].notna() == (phone | f2f)).all()
    unhandled = c["channel"].isin(["web", "app", "social", "letter"])
    assert c.loc[unhandled, "handle_seconds"].isna().all()
    abandoned = c["abandoned"] == "Y"
    assert c.loc[abandoned, ["handle_seconds", "resolved_first_contact"]].isna().all().all()
    assert (c["abandoned"].notna() == phone).all()
    assert c.loc[c["avoidable"].notna(), "channel"].isin(["phone", "face_to_face", "email"]).all()
    sampled = c.loc[c["channel"].isin(["phone", "face_to_face", "email"]), "avoidable"].notna()
    assert 0.15 <= sampled.mean() <= 0.25  # a ~20% NI 14 sample
    fcr = c.loc[c["resolved_first_contact"].notna(), "channel"]
    assert fcr.isin(["phone", "face_to_face", "webchat"]).all()
    assisted = c["assisted_digital"] == "Y"
    assert c["assisted_digital"].isin(["Y", "N"]).all()
    assert c.loc[assisted, "channel"].eq("web").all()
    assert 0.03 <= assisted[web].mean() <= 0.09  # ~6%


def test_contact_sites(data):
    c = data["contacts"]
    assisted = c["assisted_digital"] == "Y"
    assert c.loc[assisted, "site"].isin(("Contact Centre", *CENTRES)).all()
    assert c.loc[c["channel"].isin(["web", "app"]) & ~assisted, "site"].eq("Online").all()
    remote = c["channel"].isin(["phone", "email", "webchat", "letter", "social"])
    assert c.loc[remote, "site"].eq("Contact Centre").all()
    f2f = c[c["channel"] == "face_to_face"]
    assert f2f["site"].isin(CENTRES).all()
    assert f2f["site"].value_counts().idxmax() == "Market Hall Customer Service Centre"
    assert (
        f2f.groupby("site")["wait_seconds"].mean().idxmax() == "Market Hall Customer Service Centre"
    )
    assert 5 <= f2f["wait_seconds"].median() / 60 <= 20


def test_contact_opening_hours(data):
    c = data["contacts"]
    t = c["received_at"]
    minutes, weekday = t.dt.hour * 60 + t.dt.minute, t.dt.day_of_week
    office = c["channel"].isin(["phone", "face_to_face"])
    weekday_hours = (weekday < 5) & (minutes >= 510) & (minutes < 1050)  # 08:30-17:30
    saturday = (c["channel"] == "phone") & (weekday == 5) & (minutes >= 540) & (minutes < 720)
    assert (weekday_hours | saturday)[office].all()
    f2f_days = t[c["channel"] == "face_to_face"].to_numpy().astype("datetime64[D]")
    assert not np.isin(f2f_days, BANK_HOLIDAYS).any()
    by_day = weekday[c["channel"] == "phone"].value_counts()
    assert by_day.idxmax() == 0 and by_day.get(5, 0) < by_day[4] / 3  # Monday busiest
    online = c["channel"].isin(["web", "app"])
    assert ((weekday >= 5) & online).any()
    assert (online & t.dt.hour.between(18, 21)).sum() > 3 * (online & t.dt.hour.between(2, 5)).sum()


def test_channel_shift_every_financial_year(data):
    c = data["contacts"]
    share = pd.crosstab(fy(c["received_at"]), c["channel"], normalize="index")
    # ~50% phone in 2022/23 to ~30% in 2026/27; allow one point of sampling noise per step
    assert share["phone"].diff().dropna().lt(0.01).all()
    assert (share["web"] + share["app"]).diff().dropna().gt(-0.01).all()
    assert 0.44 <= share.loc[2022, "phone"] <= 0.54 and 0.25 <= share.loc[2026, "phone"] <= 0.35
    assert (share["web"] + share["app"]).loc[2026] - (share["web"] + share["app"]).loc[2022] > 0.15


def test_seasonal_peaks(data):
    c = data["contacts"]
    month = c["received_at"].dt.to_period("M")
    tax = c[c["service"] == "Council Tax"].groupby(month).size()
    assert tax[tax.index.month.isin([3, 4])].mean() >= 1.6 * tax.mean()  # annual billing
    roads = c[c["service"] == "Highways"].groupby(month).size()
    winter = roads.index.month.isin([12, 1, 2])
    assert roads[winter].mean() >= 1.3 * roads[~winter].mean()


def test_telephony_step(data):
    c = data["contacts"]
    calls = c[c["channel"] == "phone"]
    answered_60 = (calls["abandoned"] == "N") & (calls["wait_seconds"] <= 60)
    after = calls["received_at"] >= pd.Timestamp("2024-07-01")
    assert 0.60 <= answered_60[~after].mean() <= 0.69  # ~64%
    assert 0.76 <= answered_60[after].mean() <= 0.85  # ~80%
    abandoned = calls["abandoned"] == "Y"
    assert 0.10 <= abandoned[~after].mean() <= 0.14 and 0.04 <= abandoned[after].mean() <= 0.08


# ---------------------------------------------------------------- cases
def test_case_fields(data):
    k = data["cases"]
    assert k["case_id"].str.fullmatch(r"CS\d{8}").all() and k["case_id"].is_unique
    assert set(k["status"]) == {"open", "closed", "cancelled"}
    assert (k["closed_at"].isna() == (k["status"] == "open")).all()
    assert not (k["closed_at"] < k["opened_at"]).any()
    assert (k["closed_at"].dropna() < END + pd.Timedelta(days=1)).all()
    assert k.loc[k["status"] == "open", "reopened"].isna().all()
    assert k.loc[k["status"] == "cancelled", "reopened"].eq("N").all()
    assert 0.01 <= (k.loc[k["status"] == "closed", "reopened"] == "Y").mean() <= 0.08  # ~4%
    assert 0.80 <= (k["services_involved"] == 1).mean() <= 0.90
    assert k["services_involved"].between(1, 4).all()
    standards = k.groupby("service")["standard_days"].agg(set)
    assert standards["Housing"] == {15} and standards["Planning"] == {40}
    assert standards["Highways"] == {10, 20} and standards["Waste and Recycling"] == {5}


def test_open_backlog(data):
    k = data["cases"]
    backlog = k[k["status"] == "open"]
    assert (backlog["opened_at"] >= pd.Timestamp("2026-08-01")).mean() > 0.5
    assert (backlog["opened_at"] < pd.Timestamp("2026-06-01")).sum() >= 3  # some very old
    recent = k[k["opened_at"] >= pd.Timestamp("2026-09-01")]
    assert 0.15 <= (recent["status"] == "open").mean() <= 0.9  # ~40% of September's cases


def test_housing_misses_standard_every_year(data):
    k = data["cases"]
    closed = k[k["status"] == "closed"].copy()
    days = working_days(closed["opened_at"], closed["closed_at"])
    closed["within"] = days <= closed["standard_days"]
    closed["year"] = fy(closed["closed_at"])
    housing = closed["service"] == "Housing"
    by_year = closed[housing].groupby("year")["within"].mean()
    others = closed[~housing].groupby("year")["within"].mean()
    assert len(by_year) == 5 and others.between(0.80, 0.90).all()  # ~85% every year
    assert by_year.between(0.45, 0.76).all() and (others - by_year).min() >= 0.10  # ~60-65%
    assert 0.57 <= closed.loc[housing, "within"].mean() <= 0.67
    single = closed["services_involved"] == 1
    gap = closed.loc[single, "within"].mean() - closed.loc[~single, "within"].mean()
    assert gap >= 0.10  # ~15 points


# ---------------------------------------------------------------- satisfaction
def test_survey_fields(data):
    s = data["satisfaction"]
    assert not s.duplicated(["response_id", "question"]).any()
    assert s["score"].between(1, 5).all() and s["responded_on"].is_monotonic_increasing
    assert s.groupby("response_id")["survey"].nunique().eq(1).all()
    questions = s.groupby("survey")["question"].agg(set)
    assert questions["resident_survey"] == {"satisfied_with_council", "trust_council"}
    assert questions["post_contact"] == {"overall_satisfaction"}
    assert questions["staff_survey"] == {"customer_focused"} and len(questions["mystery_shop"]) == 5
    assert s.loc[s["survey"] != "resident_survey", "weight"].eq(1).all()
    post = s[s["survey"] == "post_contact"]
    assert post[["service", "channel", "ward"]].notna().all().all()


def test_resident_survey(data):
    s = data["satisfaction"]
    resident = s[s["survey"] == "resident_survey"]
    assert resident["weight"].between(0.4, 2.5).all() and 0.9 <= resident["weight"].mean() <= 1.1
    assert set(resident["responded_on"].dt.month) == {2, 5, 8, 11}
    assert resident[["service", "channel"]].isna().all().all()
    assert 0.0 < resident["age_band"].isna().mean() < 0.08 and resident["ward"].nunique() == 20
    council = resident[resident["question"] == "satisfied_with_council"]
    trust = resident[resident["question"] == "trust_council"]
    assert 0.55 <= satisfied(council) <= 0.66 and 0.50 <= satisfied(trust) <= 0.61  # ~60%, ~55%
    by_imd = council.groupby("imd_quintile")[["score"]].apply(satisfied)
    assert by_imd[1] < by_imd[[3, 4, 5]].min()


def test_app_well_below_phone(data):
    s = data["satisfaction"]
    post = s[s["survey"] == "post_contact"]
    by_channel = post.groupby("channel")[["score"]].apply(satisfied)
    assert by_channel["phone"] - by_channel["app"] >= 0.20  # ~28 points
    assert by_channel["face_to_face"] > by_channel["web"] > by_channel["app"]


def test_digital_fails_older_and_disabled(data):
    s = data["satisfaction"]
    post = s[s["survey"] == "post_contact"]
    barrier = post["age_band"].isin(["65-74", "75+"]) | (post["disability"] == "Y")
    digital = post["channel"].isin(["web", "app"])
    gap = satisfied(post[digital & ~barrier]) - satisfied(post[digital & barrier])
    assert gap >= 0.15  # ~23 points
    assisted = post["channel"].isin(["phone", "face_to_face"])
    assert abs(satisfied(post[assisted & ~barrier]) - satisfied(post[assisted & barrier])) < 0.15


def test_staff_survey(data):
    s = data["satisfaction"]
    staff = s[s["survey"] == "staff_survey"]
    assert set(staff["responded_on"].dt.month) == {10}
    assert staff["age_band"].isna().all() and staff["service"].notna().all()
    by_year = staff.groupby(staff["responded_on"].dt.year)[["score"]].apply(satisfied)
    assert by_year.index.tolist() == [2022, 2023, 2024, 2025]  # none yet in 2026
    assert by_year.diff().dropna().gt(-0.03).all() and by_year[2025] - by_year[2022] >= 0.08


def test_mystery_shop(data):
    s = data["satisfaction"]
    shop = s[s["survey"] == "mystery_shop"]
    assert shop["score"].isin([1, 5]).all() and 0.81 <= (shop["score"] == 5).mean() <= 0.89
    assert shop.groupby("response_id").size().eq(5).all()
    assert set(shop["channel"]) == {"phone", "face_to_face", "email", "web"}
    met = (shop["score"] == 5).groupby(shop["channel"].isin(["phone", "face_to_face"])).mean()
    assert met[True] - met[False] >= 0.06  # ~12 points


# ---------------------------------------------------------------- complaints
def test_complaint_keys_and_stages(data):
    q = data["complaints"]
    assert q["complaint_id"].str.fullmatch(r"CMP\d{6}").all()
    assert not q.duplicated(["complaint_id", "stage"]).any() and set(q["stage"]) == {1, 2}
    first = q[q["stage"] == 1].set_index("complaint_id")
    second = q[q["stage"] == 2].set_index("complaint_id")
    assert second.index.isin(first.index).all()
    assert (second["received_on"] > first.loc[second.index, "responded_on"]).all()
    assert 0.08 <= len(second) / len(first) <= 0.16  # ~12% escalate
    assert (q["outcome"].isna() == q["responded_on"].isna()).all()
    assert (q["refusal_reason"].notna() == (q["outcome"] == "refused")).all()
    assert not (q["acknowledged_on"] < q["received_on"]).any()
    assert not (q["responded_on"] < q["received_on"]).any()


def test_complaint_timeliness(data):
    q = data["complaints"]
    acked = q[q["acknowledged_on"].notna()]
    within_5 = working_days(acked["received_on"], acked["acknowledged_on"]) <= 5
    assert 0.85 <= within_5.mean() <= 0.97  # ~92%
    one = q[(q["stage"] == 1) & q["responded_on"].notna()]
    days = working_days(one["acknowledged_on"], one["responded_on"])
    extended = one["extended_to"].notna()
    on_time = np.where(extended, one["responded_on"] <= one["extended_to"], days <= 10)
    assert 0.65 <= (days <= 10).mean() <= 0.85 and 0.82 <= on_time.mean() <= 0.94  # 75%, 88%
    assert on_time.mean() - (days <= 10).mean() >= 0.07 and 0.08 <= extended.mean() <= 0.22
    ext = q[q["extended_to"].notna()]
    limit = np.where(ext["stage"] == 1, 10, 20)
    extra = working_days(ext["acknowledged_on"], ext["extended_to"]) - limit
    assert (extra >= 1).all() and (extra > limit).any()  # some beyond the permitted length


def test_complaint_outcomes_and_open_cases(data):
    q = data["complaints"]
    decided = q["outcome"].dropna()
    assert 0.35 <= decided.isin(["upheld", "partly_upheld"]).mean() <= 0.55  # ~45%
    assert 0 < (decided == "refused").mean() <= 0.08 and 0 < (decided == "withdrawn").mean() <= 0.08
    still_open = q[q["responded_on"].isna()]
    assert (still_open["received_on"] >= pd.Timestamp("2026-09-01")).any()
    assert (still_open["received_on"] < pd.Timestamp("2026-07-01")).sum() >= 2  # old, overdue


def test_complaint_themes_contractors_and_ombudsman(data):
    q = data["complaints"]
    themes = pd.crosstab(q["service"], q["category"], normalize="index")
    assert themes.loc["Waste and Recycling"].idxmax() == "Missed bin collection"
    assert themes.loc["Council Tax"].idxmax() == "Billing error"
    damage = (q["category"] == "Damage to property").groupby(q["service"] == "Highways").mean()
    assert damage[True] >= 0.2 and damage[False] <= 0.1  # ~30% for Highways
    pairs = (
        ("Greenway Waste Services", "Waste and Recycling"),
        ("Roadstone Highways Ltd", "Highways"),
        ("CareWell Homecare", "Adult Social Care"),
    )
    first = q[q["stage"] == 1]
    for contractor, service in pairs:
        assert q.loc[q["contractor"] == contractor, "service"].eq(service).all()
        share = (first.loc[first["service"] == service, "contractor"] == contractor).mean()
        assert 0.05 <= share <= 0.30, contractor  # ~15%
    assert set(q["ombudsman"]) <= {"none", "lgsco", "housing"}
    referred = q[q["ombudsman"] != "none"]
    assert 1 <= len(referred) <= 0.15 * (q["stage"] == 2).sum() and referred["stage"].eq(2).all()
    body = np.where(referred["service"] == "Housing", "housing", "lgsco")
    assert (referred["ombudsman"] == body).all()
    assert q.loc[q["ombudsman"] == "none", "ombudsman_outcome"].isna().all()


# ---------------------------------------------------------------- small extracts
def test_returns(data):
    r = data["returns"]
    assert (r["numerator"] <= r["denominator"]).all()
    training = r[r["measure_id"] == "training_completion"]
    assert len(training) == 54 * 10 and training["denominator"].between(20, 300).all()
    totals = training.groupby(fy(training["period_start"]))[["numerator", "denominator"]].sum()
    completion = totals["numerator"] / totals["denominator"]
    assert completion.is_monotonic_increasing  # ~78% rising to ~94%
    assert completion.iloc[0] < 0.82 and completion.iloc[-1] > 0.90
    checks = r[r["measure_id"] == "contractor_checks"]
    assert len(checks) == 18 * 3 and set(checks["period_start"].dt.month) == {1, 4, 7, 10}
    assert checks["denominator"].between(30, 60).all()
    passed = checks.groupby("contractor")[["numerator", "denominator"]].sum()
    share = passed["numerator"] / passed["denominator"]
    assert share.idxmin() == "CareWell Homecare"
    assert share.drop("CareWell Homecare").between(0.84, 0.94).all()


def test_targets_step_each_year(data):
    t = data["targets"]
    council = t[t["service"].isna()]
    assert council["measure_id"].nunique() == 27
    assert council.groupby("measure_id").size().eq(5).all()
    assert set(council["from_period"].dt.strftime("%m-%d")) == {"04-01"}
    steps = council.sort_values("from_period").groupby("measure_id")["target"]
    assert steps.apply(lambda x: x.is_monotonic_increasing or x.is_monotonic_decreasing).all()
    assert steps.nunique().gt(1).sum() >= 20
    abandonment = council[council["measure_id"] == "call_abandonment"]["target"].tolist()
    assert abandonment == [10, 10, 8, 7, 6]
    assert set(t.loc[t["service"].notna(), "service"]) == {"Housing", "Planning"}


def test_actions(data):
    a = data["actions"]
    assert 25 <= len(a) <= 35 and a["action_id"].str.fullmatch(r"A\d{2}").all()
    assert a["action_id"].is_unique and a["pillar"].nunique() == 5
    assert a["pillar"].value_counts().between(4, 8).all()
    assert ((a["progress_pct"] == 100) == (a["status"] == "complete")).all()
    overdue = (a["due_on"] < END) & ~a["status"].isin(["complete", "withdrawn"])
    assert 3 <= overdue.sum() <= 7  # about 5
    assert (a["last_update_on"] <= END).all()
    assert a["due_on"].between(pd.Timestamp("2023-03-31"), pd.Timestamp("2027-03-31")).all()
    assert a["owner"].str.contains("Head|Director|Manager|Lead").all()  # roles, not people
    assert a["measures"].str.split(";").explode().isin(set(data["targets"]["measure_id"])).all()
    themed = a[a["categories"].notna()]
    assert themed["pillar"].eq("complaints").all()
    categories = set(data["complaints"]["category"])
    assert themed["categories"].str.split(";").explode().isin(categories).all()


def test_events_and_commentary(data):
    e = data["events"]
    assert 6 <= len(e) <= 12
    telephony = e[e["label"] == "New telephony system live"]
    assert set(telephony["date"]) == {pd.Timestamp("2024-07-01")}
    assert set(telephony["measure"]) == {
        "calls_answered_60s",
        "call_abandonment",
        "average_speed_of_answer",
    }
    assert (telephony["rebase"] == "Y").all()
    assert e.set_index("label").loc["Complaint Handling Code in force", "pillar"] == "complaints"
    c = data["commentary"]
    assert 5 <= len(c) <= 12 and c["period"].dt.day.eq(1).all()
    assert ((c["measure"] == "cases_within_standard") & (c["service"] == "Housing")).any()
    assert c["measure"].isin(set(data["targets"]["measure_id"])).all()


def test_peers_are_eastvale_and_fifteen_neighbours(sample, data):
    _, rows = sample
    p = data["peers"]
    # Eastvale publishes three of the four measures, its 15 neighbours all four; four years
    assert rows["peers.csv"] == len(p) == (16 * 3 + 15) * 4
    assert p["area_code"].nunique() == 16 and p["area_code"].str.fullmatch(r"E07000\d{3}").all()
    assert not p.duplicated(["area_code", "measure", "period"]).any()
    assert sorted(p["period"].dt.strftime("%Y-%m-%d").unique()) == [
        f"{year}-04-01" for year in range(2022, 2026)
    ]
    assert (p["grain"] == "year").all()
    assert (p["peer_group"] == "Nearest neighbours (fictional)").all()
    eastvale = p[p["area_code"] == "E07000999"]
    assert set(eastvale["area_name"]) == {"Eastvale"}
    assert set(eastvale["measure"]) == {
        "call_abandonment",
        "complaints_upheld",
        "resident_satisfaction",
    }  # no stage 1 timeliness row: the dashboard compares its own figure
    other = p[p["same_definition"] == "N"]
    assert set(other["measure"]) == {"complaints_upheld"}
    assert other.groupby("period").size().eq(3).all()  # three neighbours count stage 1 only
    neighbours = p[p["area_code"] != "E07000999"].groupby("measure")["value"]
    assert (
        neighbours.median()
        .between(
            pd.Series(
                {
                    "call_abandonment": 6,
                    "complaints_upheld": 40,
                    "resident_satisfaction": 55,
                    "stage1_on_time": 70,
                }
            ),
            pd.Series(
                {
                    "call_abandonment": 14,
                    "complaints_upheld": 55,
                    "resident_satisfaction": 66,
                    "stage1_on_time": 85,
                }
            ),
        )
        .all()
    )
    assert p["value"].between(0, 100).all()


def test_shipped_sample_is_reproduced_exactly(tmp_path):
    """`python -m tools.sample` (scale 1, default seed) writes data/sample byte for byte."""
    shipped = Path(__file__).resolve().parent.parent / "data" / "sample"
    generate(tmp_path, scale=1)
    names = sorted(p.name for p in shipped.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name


def test_avoidable_reasons_follow_the_service(data):
    c = data["contacts"]
    avoidable = c[c["avoidable"] == "Y"]
    assert avoidable["avoidable_reason"].notna().all()
    assert c.loc[c["avoidable"] != "Y", "avoidable_reason"].isna().all()
    share = avoidable.groupby("service")["avoidable_reason"].value_counts(normalize=True)
    assert share["Council Tax"]["Unclear information"] > 0.3  # bills people cannot follow
    assert share["Waste and Recycling"]["Failure to act"] > 0.3  # missed collections
