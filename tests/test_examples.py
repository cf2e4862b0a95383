"""The three example councils in data/examples, recomputed independently from their raw files.

Each figure is worked out here with plain Python (csv, datetime, statistics and, for working
days, numpy.busday_count with the `holidays` package's England and Wales bank holidays), never
with the project's loader, checks or SQL, from the rules each example's mapping states:

- telephony (Northfield call logs, two tab-separated months): calls answered within 60 seconds,
  calls abandoned and the average speed of answer, for August and September 2026, all services
  and Housing alone; and the row accounting (rows read = physical data rows of both files;
  excluded by design = phantom calls + abandons with no time in the queue).
- resident_survey (Southmere, one wide file): weighted satisfaction and trust for November 2025
  (the month in the file name), their unweighted bases, and the accounting (240 respondents give
  one answer per answered question; "don't know" (9) answers are excluded by design).
- request_log (Eastmoor, Windows-1252, UK dates): cases resolved within their standard and the
  median working days to resolve (day opened = day 0, counted in the month closed), for May
  2026 (whose two bank holidays change both figures) and September 2026, all services and
  Waste and Recycling alone (two request types with different standards); Highways in
  September (fewer closed cases than the minimum base) is suppressed.

The engine (scorecard.engine.measures.compute) must give the same values and bases, and one page per
example must show the same figure as text; each overview must say the complaints extract was
not supplied (none of these councils supplied one).
"""

from __future__ import annotations

import csv
import re
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import holidays
import numpy as np
import pytest

from scorecard import ingest
from scorecard.engine import catalogue, db, measures

from apptest import app, open_page, texts
from support import ROOT, build

EXAMPLES = ROOT / "data" / "examples"
TELEPHONY = EXAMPLES / "telephony"
SURVEY = EXAMPLES / "resident_survey"
REQUESTS = EXAMPLES / "request_log"

SEPTEMBER = date(2026, 9, 1)
AUGUST = date(2026, 8, 1)
MAY = date(2026, 5, 1)  # early May and spring bank holidays: ignoring them changes its figures

# Northfield's queue codes (telephony/mapping.toml).
QUEUES = {
    "CTAX": "Council Tax",
    "HSG": "Housing",
    "WASTE": "Waste and Recycling",
    "BENS": "Benefits",
}
# Eastmoor's request types: service and standard in working days, as the council publishes them.
REQUEST_TYPES = {
    "Missed bin": ("Waste and Recycling", 2),
    "Fly-tipping": ("Waste and Recycling", 5),
    "Pothole": ("Highways", 10),
    "Streetlight out": ("Highways", 10),
    "Noise nuisance": ("Environmental Health", 15),
    "Housing repair": ("Housing", 20),
}
SURVEY_QUESTIONS = {
    "resident_satisfaction": "Q1 Satisfaction with the council",
    "resident_trust": "Q2 Trust the council",
}


# ---- helpers: the raw files, read with plain Python ----------------------------------------


def month_end(start: date) -> date:
    """The last day of the month starting `start`."""
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def month_words(start: date) -> str:
    return start.strftime("%B %Y")


def percent(part: float, whole: float) -> float:
    return 100 * part / whole


def data_rows(path: Path) -> int:
    """Physical data rows in a delimited file: its lines less the header."""
    return len(path.read_bytes().splitlines()) - 1


def read_delimited(path: Path, encoding: str, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as f:
        return list(csv.DictReader(f, delimiter=delimiter))


@dataclass(frozen=True)
class Call:
    month: date
    service: str
    outcome: str  # ANS answered, TRF transferred (answered), ABN abandoned, PHN phantom
    queue_seconds: int | None

    @property
    def excluded(self) -> bool:
        """Left out by design: phantom calls, and callers who hung up before the queue."""
        return self.outcome == "PHN" or (self.outcome == "ABN" and self.queue_seconds == 0)

    @property
    def answered(self) -> bool:
        return self.outcome in ("ANS", "TRF")


def call_files() -> list[Path]:
    return sorted(TELEPHONY.glob("calls_*.tsv"))


def calls() -> list[Call]:
    """Every row of both call logs (queue time = Queue Exit - Queue Entry, in seconds)."""
    stamp = "%d/%m/%Y %H:%M:%S"
    out = []
    for path in call_files():
        for row in read_delimited(path, "utf-8", "\t"):
            queue = None
            if row["Queue Entry"] and row["Queue Exit"]:
                entered = datetime.strptime(row["Queue Entry"], stamp)
                left = datetime.strptime(row["Queue Exit"], stamp)
                queue = int((left - entered).total_seconds())
            offered = datetime.strptime(row["Call Date"], "%d/%m/%Y").date()
            out.append(Call(offered.replace(day=1), QUEUES[row["Queue"]], row["Outcome"], queue))
    return out


def calls_offered(month: date, service: str | None) -> list[Call]:
    return [
        c for c in calls() if not c.excluded and c.month == month and service in (None, c.service)
    ]


def answered_within_60s(offered: list[Call]) -> int:
    """Answered (or transferred) after no more than 60 seconds in the queue."""
    return sum(
        1 for c in offered if c.answered and c.queue_seconds is not None and c.queue_seconds <= 60
    )


def survey_file() -> Path:
    (path,) = SURVEY.glob("resident_survey_*.csv")
    return path


def survey_month() -> date:
    """The fieldwork month, from the file name (the file itself has no date)."""
    year, month = re.search(r"(\d{4})-(\d{2})", survey_file().name).groups()
    return date(int(year), int(month), 1)


def survey_rows() -> list[dict[str, str]]:
    return read_delimited(survey_file(), "utf-8-sig")


def valid_answers(column: str) -> list[tuple[int, float]]:
    """(score, weight) for every 1-5 answer to a question (9 = don't know, blank = skipped)."""
    return [
        (int(row[column]), float(row["Weight"]))
        for row in survey_rows()
        if row[column].strip() in ("1", "2", "3", "4", "5")
    ]


def weighted_share_satisfied(column: str) -> float:
    """Sum of the weights of 4 and 5 answers over the sum of the weights of all 1-5 answers."""
    answers = valid_answers(column)
    return percent(sum(w for score, w in answers if score >= 4), sum(w for _, w in answers))


@dataclass(frozen=True)
class ClosedCase:
    month: date  # the month it closed
    service: str
    standard: int
    working_days: int


@cache
def bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    """England and Wales bank holidays in those years."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def working_days(opened: date, closed: date) -> int:
    """Working days after the day opened up to and including the day closed (day 0 = opened),
    Monday to Friday less England and Wales bank holidays."""
    return int(
        np.busday_count(
            opened + timedelta(days=1),
            closed + timedelta(days=1),
            holidays=bank_holidays(opened.year, closed.year),
        )
    )


def closed_cases(month: date, service: str | None) -> list[ClosedCase]:
    """Requests with a response date (the rest are open) that closed in `month`."""
    out = []
    for row in read_delimited(REQUESTS / "service_requests.csv", "cp1252"):
        if not row["Date Responded"].strip():
            continue
        opened = datetime.strptime(row["Date Received"], "%d/%m/%Y").date()
        closed = datetime.strptime(row["Date Responded"], "%d/%m/%Y").date()
        owner, standard = REQUEST_TYPES[row["Request Type"]]
        out.append(ClosedCase(closed.replace(day=1), owner, standard, working_days(opened, closed)))
    return [c for c in out if c.month == month and service in (None, c.service)]


def within_standard(closed: list[ClosedCase]) -> int:
    return sum(1 for c in closed if c.working_days <= c.standard)


# ---- the engine ----------------------------------------------------------------------------


@dataclass
class Built:
    settings: object
    result: object
    database: db.Database
    catalogue: dict
    targets: measures.Targets

    def report(self, extract: str):
        return next(r for r in self.result.reports if r.extract == extract)

    def latest(self, measure_id: str, month: date, services: tuple[str, ...] = ()):
        """The engine's figure for `month` (grain month), with its period checked."""
        filters = measures.Filters("month", month, month_end(month), services=services)
        result = measures.compute(
            self.database, self.catalogue[measure_id], filters, self.targets, self.settings.min_base
        )
        assert not result.absent, result.absent
        assert result.latest is not None and result.latest["period_start"] == month
        return result.latest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each example built once, into its own cache folder, on first use."""
    done: dict[str, Built] = {}

    def get(name: str) -> Built:
        if name not in done:
            s, result = build(EXAMPLES / name, tmp_path_factory.mktemp(name))
            assert result.ok, result.problems
            database = db.Database(s.cache_dir / ingest.current(s)["database"])
            done[name] = Built(
                s,
                result,
                database,
                catalogue.load_catalogue(s.catalogue_file),
                measures.targets_for(database, s),
            )
        return done[name]

    yield get
    for example in done.values():
        example.database.close()


# ---- telephony ----------------------------------------------------------------------------


@pytest.mark.parametrize("service", [None, "Housing"])
@pytest.mark.parametrize("month", [AUGUST, SEPTEMBER], ids=month_words)
def test_telephony_call_measures_match_the_call_logs(built, month, service):
    offered = calls_offered(month, service)
    answered_waits = [
        c.queue_seconds for c in offered if c.answered and c.queue_seconds is not None
    ]
    abandoned = sum(1 for c in offered if c.outcome == "ABN")
    services = (service,) if service else ()
    engine = built("telephony")

    answered_60s = engine.latest("calls_answered_60s", month, services)
    assert answered_60s["value"] == pytest.approx(
        percent(answered_within_60s(offered), len(offered))
    )
    assert answered_60s["base"] == len(offered)

    abandonment = engine.latest("call_abandonment", month, services)
    assert abandonment["value"] == pytest.approx(percent(abandoned, len(offered)))
    assert abandonment["base"] == len(offered)

    speed = engine.latest("average_speed_of_answer", month, services)
    assert speed["value"] == pytest.approx(statistics.fmean(answered_waits))
    assert speed["base"] == len(answered_waits)


def test_telephony_rows_are_all_accounted_for(built):
    report = built("telephony").report("contacts")
    everything = calls()
    phantom = sum(1 for c in everything if c.outcome == "PHN")
    no_queue = sum(1 for c in everything if c.outcome == "ABN" and c.queue_seconds == 0)
    read = sum(data_rows(path) for path in call_files())
    assert len(everything) == read  # no blank or continued lines hide in the files
    assert (report.rows_read, report.excluded, report.rejected) == (read, phantom + no_queue, 0)
    assert report.loaded == read - phantom - no_queue
    assert report.staged is None  # one call, one contact: the grain is unchanged


# ---- resident survey ----------------------------------------------------------------------


@pytest.mark.parametrize("measure_id", SURVEY_QUESTIONS)
def test_survey_shares_match_the_weighted_answers(built, measure_id):
    column = SURVEY_QUESTIONS[measure_id]
    latest = built("resident_survey").latest(measure_id, survey_month())
    assert latest["value"] == pytest.approx(weighted_share_satisfied(column))
    assert latest["base"] == len(valid_answers(column))


def test_survey_rows_are_all_accounted_for(built):
    report = built("resident_survey").report("satisfaction")
    rows = survey_rows()
    given = [row[q] for row in rows for q in SURVEY_QUESTIONS.values() if row[q].strip()]
    dont_know = given.count("9")
    assert report.rows_read == len(rows) == data_rows(survey_file())
    assert report.staged == len(given)  # one answer per respondent and question answered
    assert (report.excluded, report.rejected) == (dont_know, 0)
    assert report.loaded == len(given) - dont_know


# ---- request log --------------------------------------------------------------------------


@pytest.mark.parametrize("service", [None, "Waste and Recycling"])
@pytest.mark.parametrize("month", [MAY, SEPTEMBER], ids=month_words)
def test_case_measures_match_the_request_log(built, month, service):
    closed = closed_cases(month, service)
    services = (service,) if service else ()
    engine = built("request_log")

    share = engine.latest("cases_within_standard", month, services)
    assert share["value"] == pytest.approx(percent(within_standard(closed), len(closed)))
    assert share["base"] == len(closed)

    typical = engine.latest("days_to_resolve_median", month, services)
    assert typical["value"] == pytest.approx(statistics.median(c.working_days for c in closed))
    assert typical["base"] == len(closed)


def test_a_service_with_too_few_closed_cases_is_suppressed(built):
    engine = built("request_log")
    closed = closed_cases(SEPTEMBER, "Highways")
    assert 0 < len(closed) < engine.settings.min_base
    share = engine.latest("cases_within_standard", SEPTEMBER, ("Highways",))
    assert share["base"] == len(closed)
    assert share["suppressed"] and np.isnan(share["value"])


def test_request_log_rows_are_all_accounted_for(built):
    report = built("request_log").report("cases")
    read = data_rows(REQUESTS / "service_requests.csv")
    assert (report.rows_read, report.loaded, report.excluded, report.rejected) == (read, read, 0, 0)


# ---- pages ---------------------------------------------------------------------------------


def calls_answered_60s() -> float:
    offered = calls_offered(SEPTEMBER, None)
    return percent(answered_within_60s(offered), len(offered))


def residents_satisfied() -> float:
    return weighted_share_satisfied(SURVEY_QUESTIONS["resident_satisfaction"])


def cases_resolved_within_standard() -> float:
    closed = closed_cases(SEPTEMBER, None)
    return percent(within_standard(closed), len(closed))


# example -> (page, reporting month, the figure, the words after "<figure> of" on the page)
PAGES = {
    "telephony": ("access", SEPTEMBER, calls_answered_60s, "calls were answered within 60 seconds"),
    "resident_survey": (
        "understanding",
        survey_month(),
        residents_satisfied,
        "residents were satisfied",
    ),
    "request_log": (
        "end_to_end",
        SEPTEMBER,
        cases_resolved_within_standard,
        "cases were resolved within their service standard",
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_pages_show_the_independent_figure(monkeypatch, tmp_path, name):
    page, month, figure, words = PAGES[name]
    at = app(monkeypatch, EXAMPLES / name, tmp_path).run()
    assert not at.exception
    assert any("Not supplied: no complaints extract" in t for t in texts(at))

    at = open_page(at, page)
    assert not at.exception
    sentence = f"{figure():.1f}% of {words}"
    assert any(sentence in t and month_words(month) in t for t in texts(at)), sentence
