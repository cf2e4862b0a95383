"""Suppression everywhere: on the shipped sample, every page is opened with no filter and for
the smallest services (Libraries, Registration) and channels (letter, social media), and
everything it publishes is collected from the running page: each table shown, each chart's
traces and hover text, and the data behind every download button (each CSV, the committee
pack, the annual complaints report). No count or base of people or cases from 1 to the
minimum base less one may appear in any of them, and no verdict may stand beside a figure
that is withheld.

Which columns hold counts is declared here by header (COUNTS), and every other numeric
column must be declared as a figure that is not a count (FIGURES): a new column of counts
that nobody declared fails the sweep rather than slipping past it.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from html.parser import HTMLParser

import pandas as pd
import pytest

from scorecard.complaints import figures as cx
from scorecard.complaints import learning as learn
from scorecard.complaints import panels
from scorecard.contracts import CHANNEL_WORDS
from scorecard.engine import catalogue
from scorecard.reports import annual_report

from apptest import app, open_page
from support import ROOT, build

SAMPLE = ROOT / "data" / "sample"
PAGES = (
    "",
    "ethos",
    "understanding",
    "access",
    "end_to_end",
    "complaints",
    "service",
    "actions",
    "map",
    "data",
)
VIEWS = {
    "all": {},
    "libraries": {"service": "Libraries"},
    "registration": {"service": "Registration"},
    "letter": {"channel": "Letter"},
    "social": {"channel": "Social media"},
}

# Counts of people or cases, by column header (tables, CSVs, the pack, the report)
COUNTS = {
    "Base",
    "Of",
    "Number",
    "Answers",
    "Decisions",
    "Contacts",
    "Contacts classified",
    "Avoidable contacts",
    "Calls offered",
    "Answered within 60 s",
    "Answered later",
    "Abandoned",
    "Visits",
    "Open cases",
    "Past their standard",
    "Complaints",
    "New complaints",
    "Escalated to stage 2",
    "Upheld or partly upheld at stage 1",
    "Open",
    "0 to 5 working days",
    "6 to 10",
    "11 to 20",
    "Over 20",
    "Overdue",
    "Due in the next 5 working days",
    "Stage 1",
    "Stage 2",
    "Total",
    "Received in the year",
    "Answered in the year",
}
# Numeric columns that are not counts of people or cases: rates, averages, limits, targets,
# days, and counts of things (actions, rows of an extract, measures)
FIGURES = re.compile(
    r".*(\(%\)|%|\(per 1,000\)|\(seconds\)|\(minutes\)|\(working days\)|\(number\))$|"
    r"Per cent.*|Per 1,000 contacts|Average.*|Lower limit|Upper limit|Target.*|"
    r"Value|Median working days|90th percentile working days|Days overdue|Progress.*|"
    r"Rows read|Loaded|Rejected|Excluded.*|Line|Minimum base|Measures?|Actions?|"
    r"Group|"  # resident groups: deprivation quintiles are named by number
    + "|".join(re.escape(w) for w in CHANNEL_WORDS.values())
)  # channel shares
VERDICTS = (
    "Status",
    "Variation",
    "Compared with everyone else",
    "Compared with other wards",
    "Change",
    "Against target",
    "Difference from the council",
    "Rank among services",
    "Since the previous period",
)
NO_VERDICT = re.compile(
    r"(–|nan|None|No comparison|Not comparable|.*Not rated.*|"
    r"Not ranked.*)?"
)
WITHHELD = re.compile(r"fewer than \d+|not shown|hidden so")


def _small(value, min_base: int) -> bool:
    """A published count from 1 to min_base - 1 ('3', 3, 3.0, '1,204' is not)."""
    if isinstance(value, str):
        value = value.replace(",", "")
        if not re.fullmatch(r"\d+(\.0)?", value):
            return False
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number == number and 0 < number < min_base


def _threshold(source: str, catalogue_: dict, min_base: int) -> int:
    """The minimum base for an output: a measure's own (the action plan's is 1: it counts
    actions, not people) where the download is one measure's, else the settings'."""
    match = re.match(r"(spc|services|channel|site|contractor)-(\w+)\.csv$", source)
    measure = catalogue_.get(match[2]) if match else None
    return (measure.min_base or min_base) if measure else min_base


def leaks(frame: pd.DataFrame, source: str, min_base: int) -> list[str]:
    """What a published table gives away: small counts, verdicts beside withheld figures,
    and numeric columns nobody has declared."""
    found = []
    withheld_rows = frame.astype(str).apply(
        lambda row: bool(WITHHELD.search(" ".join(map(str, row)))), axis=1
    )
    if "Suppressed" in frame:
        withheld_rows |= frame["Suppressed"].astype(str).isin(["True", "Yes"])
    for column in frame.columns:
        name = str(column)
        values = frame[column]
        if name in COUNTS:
            found += [f"{source}: {name} = {v}" for v in values if _small(v, min_base)]
        elif name in VERDICTS and not ("Action" in frame and name == "Status"):
            # (an action's status beside a complaint theme is not a verdict on its count)
            judged = (
                _own_withheld(frame)
                if name in OWN_VERDICTS and "Council" in frame
                else withheld_rows
            )
            found += [
                f"{source}: {name} = {v!r} beside a withheld figure"
                for v, hidden in zip(values, judged)
                if hidden and not NO_VERDICT.fullmatch(str(v)) and not pd.isna(v)
            ]
        elif _numeric(values) and not FIGURES.fullmatch(name):
            found.append(f"{source}: numeric column {name!r} is not declared a count or not")
    return found


OWN_VERDICTS = ("Against target", "Rank among services", "Since the previous period")


def _own_withheld(frame: pd.DataFrame) -> pd.Series:
    """The service view: rows whose service's own figure (the column before 'Council') is
    withheld; its status and rank judge that figure, not the council's."""
    own = frame.columns[list(frame.columns).index("Council") - 1]
    return frame[own].astype(str).str.contains(WITHHELD)


def _numeric(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return values.notna().any()
    text = values.dropna().astype(str)
    return len(text) > 0 and text.str.fullmatch(r"-?[\d,]+(\.\d+)?").all()


class Tables(HTMLParser):
    """Every <table> of an HTML paper as (caption, DataFrame)."""

    def __init__(self):
        super().__init__()
        self.tables = []
        self._rows = self._cell = None
        self._caption = ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("caption", "th", "td") and self._rows is not None:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption, self._cell = self._cell, None
        elif tag in ("th", "td") and self._cell is not None:
            self._rows[-1].append(self._cell)
            self._cell = None
        elif tag == "table":
            head, *body = self._rows
            self.tables.append((self._caption, pd.DataFrame(body, columns=head)))
            self._rows = None


KEY_FIGURE = re.compile(r'<span class="figure">([^<]*)</span>([^<]*)</li>')


def paper_leaks(html: str, source: str, min_base: int) -> list[str]:
    """`leaks` for every table of an HTML paper, and its key figures that are counts."""
    parsed = Tables()
    parsed.feed(html)
    found = [
        leak
        for caption, table in parsed.tables
        for leak in leaks(table.replace("–", None), f"{source} / {caption}", min_base)
    ]
    found += [
        f"{source}: key figure {value} {label}"
        for value, label in KEY_FIGURE.findall(html)
        if label.startswith("complaints") and _small(value, min_base)
    ]
    return found


OPEN_METRICS = ("Open", "Already overdue", "Due in the next 5 working days")  # complaints
COUNT_AXES = {
    "Number",
    "Calls offered",
    "Open complaints",
    "Complaints referred",
    "Complaints refused",
    "New complaints",
    "Open cases",
}


def chart_leaks(spec: dict, source: str, min_base: int) -> list[str]:
    """Counts drawn on a count axis, written on a bar or in a node label, from 1 to
    min_base - 1 (the same numbers a reader hovers over)."""
    layout, found = spec.get("layout", {}), []

    def title(axis: str) -> str:
        text = (layout.get(axis) or {}).get("title") or {}
        return text.get("text", "") if isinstance(text, dict) else str(text)

    for trace in spec.get("data", []):
        if trace.get("type") == "bar":
            across = trace.get("orientation") == "h"
            axis = ("xaxis" if across else "yaxis") + (
                trace.get("xaxis" if across else "yaxis", "")[1:]
            )
            values = trace.get("x" if across else "y") or []
            if isinstance(values, dict):  # a typed array: plotly's binary form
                continue
            if title(axis) in COUNT_AXES:
                found += [
                    f"{source}: bar {trace.get('name', '')} = {v}"
                    for v in values
                    if _small(v, min_base)
                ]
            texts = trace.get("text") or []
            found += [
                f"{source}: bar label {t}"
                for t in (texts if isinstance(texts, list) else [texts])
                if title(axis) in COUNT_AXES and _small(t, min_base)
            ]
        if trace.get("type") == "sankey":
            found += [
                f"{source}: flow of {v}" for v in trace["link"]["value"] if _small(v, min_base)
            ]
            found += [
                f"{source}: node {label}"
                for label in trace["node"]["label"]
                if _small(re.search(r"\(([\d,]+)\)$", label)[1], min_base)
            ]
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample, loaded once; the catalogue, for each measure's own minimum base."""
    cache = tmp_path_factory.mktemp("sweep-cache")
    settings, result = build(SAMPLE, cache)
    assert result.ok, result.problems
    return cache, catalogue.load_catalogue(settings.catalogue_file), settings.min_base


def sweep(
    at,
    url: str,
    made: list,
    catalogue_: dict,
    min_base: int,
    papers: dict,
    layout: str | None = None,
) -> tuple[list, list]:
    """Open one page (the overview in a `layout`) and return everything it gives away, and
    the names of the files it offers."""
    made.clear()
    at = open_page(at, url)
    if layout:
        made.clear()
        at = at.segmented_control(key="layout").set_value(layout).run()
    return collect(at, url or "overview", made, catalogue_, min_base, papers)


def collect(at, page: str, made: list, catalogue_: dict, min_base: int, papers: dict):
    """Everything the page as it stands gives away, and the names of the files it offers."""
    assert not at.exception, (page, at.exception)
    found = []
    shown = [d.value for d in at.dataframe] + [t.value for t in at.table]
    for n, frame in enumerate(shown):
        frame = frame.data if hasattr(frame, "data") else frame  # a Styler
        found += leaks(frame, f"{page} table {n}", min_base)
    for n, chart in enumerate(at.get("plotly_chart")):
        found += chart_leaks(json.loads(chart.proto.spec), f"{page} chart {n}", min_base)
    found += [
        f"{page} metric {m.label} = {m.value}"
        for m in at.metric
        if m.label.endswith(OPEN_METRICS) and _small(m.value, min_base)
    ]
    for name, data in made:
        if name.endswith(".csv"):
            table = pd.read_csv(io.StringIO(data() if callable(data) else data))
            found += leaks(table, name, _threshold(name, catalogue_, min_base))
        elif name.endswith(".html"):
            if name not in papers:  # the annual report is the same whatever the filters
                text = data() if callable(data) else data.decode("utf-8")
                papers[name] = paper_leaks(text, name, min_base)
            found += papers[name]
    return found, [name for name, _ in made]


def _open(monkeypatch, cache, view: dict, **env):
    at = app(monkeypatch, SAMPLE, cache, **env)
    for key, value in view.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("view", VIEWS)
def test_no_page_publishes_a_small_count(monkeypatch, sample, downloads, view):
    cache, catalogue_, min_base = sample
    at, papers, found, names = _open(monkeypatch, cache, VIEWS[view]), {}, [], []
    for url, layout in [(url, None) for url in PAGES] + [("", "Table")]:
        leaked, made = sweep(at, url, downloads, catalogue_, min_base, papers, layout)
        found += leaked
        names += made
    assert not found, "\n".join(found[:40])
    # the sweep did reach the downloads it is about
    assert {"complaints-timeliness.csv", "calls.csv", "scorecard.csv"} <= set(names)
    assert any(n.startswith("committee-pack") for n in names)
    assert any(n.startswith("complaints-annual-report") for n in names)


@pytest.mark.parametrize("view", ["all", "libraries", "letter"])
def test_no_measure_page_publishes_a_small_count(monkeypatch, sample, downloads, view):
    cache, catalogue_, min_base = sample
    found, checked = [], 0
    at = open_page(_open(monkeypatch, cache, VIEWS[view]), "measure")
    for measure in catalogue_.values():  # each picked on the page, as a user would
        downloads.clear()
        at = at.selectbox(key="measure").set_value(measure.title).run()
        assert at.title[0].value == measure.title  # the page moved to this measure
        leaked, made = collect(at, "measure", downloads, catalogue_, min_base, {})
        found += leaked
        checked += sum(n.endswith(".csv") for n in made)
    assert not found, "\n".join(found[:40])
    assert checked >= len(catalogue_)  # every measure's trend, at the least


def test_a_stricter_minimum_base_is_followed_everywhere(monkeypatch, sample, downloads):
    # public mode raises the minimum base at load; every output takes it from the settings,
    # so a base of 20 leaves no count from 1 to 19 (Libraries' complaints, by month)
    cache, catalogue_, _ = sample
    at, found = _open(monkeypatch, cache, VIEWS["libraries"], min_base=20), []
    for url in ("complaints", "access", "end_to_end"):
        found += sweep(at, url, downloads, catalogue_, 20, {})[0]
    assert not found, "\n".join(found[:40])


# --- The leaks the sweep found, on the hand-made mini extracts -----------------------------
# tests/fixtures/mini/complaints.csv, worked by hand (see test_complaints): with a minimum
# base of 2, every count of 1 is withheld, with what would give it back.
MINI = cx.Scope(date(2025, 4, 1), date(2026, 9, 30))


def _row(table, **match):
    rows = table
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, match
    return rows.iloc[0]


def test_complaint_outcomes_withhold_single_complaints(mini_db):
    panel = panels.outcomes_panel(mini_db, MINI, min_base=2)
    # stage 1 answers: upheld CMP1, CMP8 (2); partly upheld CMP3, not upheld CMP2, refused
    # CMP7, withdrawn CMP6 (1 each, withheld); upheld 2 of 6 answers, 2 of 4 decisions
    upheld = _row(panel.table, Stage="Stage 1", Outcome="Upheld")
    assert (
        upheld["Complaints"],
        upheld["Per cent of responses"],
        upheld["Per cent of decisions"],
    ) == (2, 33.3, 50.0)
    for outcome in ("Partly upheld", "Not upheld", "Refused", "Withdrawn"):
        row = _row(panel.table, Stage="Stage 1", Outcome=outcome)
        assert pd.isna(row["Complaints"]) and pd.isna(row["Per cent of responses"])
        assert row["Note"] == "fewer than 2"
    # upheld in full or in part is 2 + a withheld 1: withheld too, or it gives the 1 back
    both = _row(panel.table, Stage="Stage 1", Outcome="Upheld or partly upheld")
    assert pd.isna(both["Complaints"]) and pd.isna(both["Per cent of decisions"])
    # stage 2: one decision (CMP8 not upheld): number, base and per cent all withheld
    assert (
        _row(panel.table, Stage="Stage 2", Outcome="Upheld or partly upheld")["Note"]
        == "fewer than 2"
    )
    assert panel.title == (
        "Decisions upheld in full or in part: stage 1: not shown (fewer "
        "than 2); stage 2: not shown (fewer than 2)"
    )
    assert "partly upheld fewer than 2" in panel.alt


def test_complaint_themes_and_learning_withhold_small_counts(mini_db):
    learning = learn.learning_panel(mini_db, MINI, min_base=2).table
    # Delay: CMP1 and CMP5 (2 shown); upheld at stage 1: CMP1 only (1, withheld)
    delay = _row(learning, Theme="Delay")
    assert delay["New complaints"] == 2 and pd.isna(delay["Upheld or partly upheld at stage 1"])
    # Communication: CMP3 alone, so its whole row's counts go
    communication = _row(learning, Theme="Communication")
    assert pd.isna(communication["New complaints"]) and communication["Note"] == "fewer than 2"
    themes = learn.themes_panel(mini_db, MINI, "month", min_base=2)
    # September: Missed bin collection CMP2, CMP4 (2); Delay CMP1, CMP5 (2); Other themes:
    # CMP6 (1)
    other = _row(themes.table, Period="September 2026", Theme="Other themes")
    assert pd.isna(other["New complaints"])
    assert themes.title == "Delay was the most common theme: 2 of 8 new complaints (25.0%)"


def test_refusals_flow_ombudsman_and_open_complaints_withhold_single_complaints(mini_db):
    refusals = panels.refusals_panel(mini_db, MINI, min_base=2)
    assert refusals.title == (
        "fewer than 2 complaints refused; most often: made outside the time limit (fewer than 2)"
    )  # CMP7
    assert refusals.table["Total"].isna().all()
    flow = panels.flow_panel(mini_db, MINI, min_base=2)
    # 8 received; 2 escalated (CMP8, CMP2); 1 referred (CMP8), withheld
    assert flow.title == (
        "Of 8 stage 1 complaints received, 2 (25.0%) went to stage 2 and "
        "fewer than 2 to an Ombudsman"
    )
    shown = flow.table.dropna(subset=["Complaints"])
    assert dict(zip(shown["To"], shown["Complaints"])) == {
        "Stage 1: upheld": 2,
        "Stage 1: not yet answered": 2,
    }
    sankey = flow.figure.data[0]
    assert sorted(sankey.link.value) == [2, 2]  # single complaints are not drawn
    ombudsman = panels.ombudsman_panel(mini_db, MINI, min_base=2)
    assert ombudsman.title.startswith("fewer than 2 complaints went to an Ombudsman")
    assert ombudsman.table["Complaints"].isna().all()
    # open on 30 September: CMP4 and CMP5 at stage 1 (Waste, Housing), CMP2 at stage 2; one
    # each, so every row is withheld; CMP4 overdue alone
    opened = panels.open_panel(mini_db, MINI, date(2026, 9, 30), min_base=2)
    assert opened.title == (
        "3 complaints open on 30 September 2026: fewer than 2 already "
        "overdue, 0 due in the next 5 working days"
    )
    assert opened.table[["Open", "Overdue", "Longest open (working days)"]].isna().all().all()


def test_annual_report_key_figures_withhold_a_single_referral(mini_db):
    cat = catalogue.load_catalogue(ROOT / "config" / "measures.toml")
    figures = dict(
        (label, value) for value, label in annual_report.key_figures(mini_db, MINI, cat, 2)
    )
    assert figures["complaints received at stage 1"] == "8"
    assert figures["complaints received at stage 2"] == "2"
    assert figures["complaints referred to an Ombudsman"] == "fewer than 2"  # CMP8 only
