"""Figures on the shipped sample, recomputed independently with pandas straight from the CSVs
(no DuckDB, no engine): proves the monthly summary tables and the histogram quantiles give
exactly what the raw rows give."""

from __future__ import annotations

from datetime import date

import holidays
import numpy as np
import pandas as pd
import pytest

from scorecard import ingest
from scorecard.engine import catalogue, db, measures

from support import ROOT, build

SAMPLE = ROOT / "data" / "sample"
SEP = measures.Filters("month", date(2025, 4, 1), date(2026, 9, 30))


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    s, result = build(SAMPLE, tmp_path_factory.mktemp("sample-cache"))
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    cat = catalogue.load_catalogue(s.catalogue_file)
    targets = measures.Targets(database.query("tables/targets"))
    yield lambda measure_id, filters=SEP: measures.compute(
        database, cat[measure_id], filters, targets
    )
    database.close()


@pytest.fixture(scope="module")
def cases():
    frame = pd.read_csv(SAMPLE / "cases.csv.gz", parse_dates=["opened_at", "closed_at"])
    closed = frame[frame["status"] == "closed"].copy()
    bank = [
        np.datetime64(d)
        for d in holidays.country_holidays("GB", subdiv="ENG", years=range(2021, 2028))
    ]
    opened = closed["opened_at"].dt.date.to_numpy("datetime64[D]")
    shut = closed["closed_at"].dt.date.to_numpy("datetime64[D]")
    # working days after the day opened up to and including the day closed
    closed["days"] = np.busday_count(opened + 1, shut + 1, holidays=bank)
    return closed


def _september(frame, column):
    return frame[frame[column].dt.strftime("%Y-%m") == "2026-09"]


@pytest.mark.parametrize(
    ("measure_id", "q"), [("days_to_resolve_median", 0.5), ("days_to_resolve_p90", 0.9)]
)
def test_resolution_quantiles_match_the_raw_cases(engine, cases, measure_id, q):
    # the observed value: the smallest number of days with at least q of the cases within it
    expected = np.percentile(_september(cases, "closed_at")["days"], 100 * q, method="inverted_cdf")
    assert engine(measure_id).latest["value"] == pytest.approx(expected)


def test_within_standard_matches_the_raw_cases(engine, cases):
    sep = _september(cases, "closed_at")
    expected = 100 * (sep["days"] <= sep["standard_days"]).mean()
    assert engine("cases_within_standard").latest["value"] == pytest.approx(expected)


def test_post_contact_satisfaction_matches_the_raw_answers(engine):
    answers = pd.read_csv(SAMPLE / "satisfaction.csv.gz", parse_dates=["responded_on"])
    sep = _september(answers[answers["survey"] == "post_contact"], "responded_on")
    weight = sep["weight"].fillna(1)
    expected = 100 * weight[sep["score"] >= 4].sum() / weight.sum()
    result = engine("post_contact_satisfaction")
    assert result.latest["value"] == pytest.approx(expected)
    assert result.latest["base"] == len(sep)


def test_average_speed_of_answer_matches_the_raw_calls(engine):
    contacts = pd.read_csv(SAMPLE / "contacts.csv.gz", parse_dates=["received_at"])
    calls = _september(contacts[contacts["channel"] == "phone"], "received_at")
    answered = calls[(calls["abandoned"] == "N") & calls["wait_seconds"].notna()]
    assert engine("average_speed_of_answer").latest["value"] == pytest.approx(
        answered["wait_seconds"].mean()
    )


def test_a_median_of_whole_days_gets_a_run_chart_not_a_false_signal(engine):
    # the scrutiny case: by quarter from 2022 the median was 7 in every quarter but one early
    # 6, and XmR called "15 points in a row above the average" a concern
    quarters = measures.Filters("quarter", date(2022, 4, 1), date(2026, 9, 30))
    result = engine("days_to_resolve_median", quarters)
    assert result.coarse == "a median or percentile of whole numbers moves in whole steps"
    assert result.variation == "common" and not result.spc["special"].any()
    assert "real" not in result.sentence and "in a row" not in result.sentence
