"""The annual complaints performance and service improvement report (Code section 8), on the
mini fixture: financial year 2026/27, data as at 30 September 2026 (a part year).

Figures are worked by hand from tests/fixtures/mini/complaints.csv (see test_complaints and
test_measure_queries for each complaint's clock).
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from scorecard import ingest
from scorecard.engine import db
from scorecard.engine.catalogue import load_catalogue
from scorecard.reports import annual_report, pdf
from scorecard.reports.html_report import Document

from support import MINI, build

AS_AT = date(2026, 9, 30)
SECTIONS = [
    "Contents",
    "Summary",
    "Volumes",
    "Timeliness",
    "Outcomes",
    "Complaint themes",
    "Refusals",
    "Ombudsman",
    "Learning and service improvement",
    "About these figures",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The 2026/27 report built with a minimum base of 1, so every mini rate shows."""
    settings, result = build(MINI, tmp_path_factory.mktemp("report-cache"), min_base=1)
    assert result.ok, result.problems
    database = db.Database(settings.cache_dir / ingest.current(settings)["database"])
    catalogue = load_catalogue(settings.catalogue_file)
    folder = tmp_path_factory.mktemp("report")
    html_path, _ = annual_report.write(
        database, settings, catalogue, "2026/27", AS_AT, folder / "report.html"
    )
    yield html_path, html_path.read_text(encoding="utf-8")
    database.close()


class Outline(HTMLParser):
    """Headings, attributes of every element, tables and figures, outside scripts."""

    def __init__(self):
        super().__init__()
        self.headings, self.attrs, self.stack = [], [], []
        self.tables = []  # per table: [has caption, header cells, header cells with scope]
        self.figures = []  # per figure: [aria-label of its chart, its data table's caption]
        self._text = None
        self._caption = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attrs.append((tag, attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self._text = [int(tag[1]), ""]
        elif tag == "table":
            self.tables.append([False, 0, 0])
        elif tag == "caption":
            self.tables[-1][0] = True
            self._caption = ""
        elif tag == "th":
            self.tables[-1][1] += 1
            self.tables[-1][2] += "scope" in attrs
        elif tag == "figure":
            self.figures.append([None, None])
        elif attrs.get("role") == "img" and self.figures:
            self.figures[-1][0] = attrs.get("aria-label")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self._text and tag == f"h{self._text[0]}":
            self.headings.append(tuple(self._text))
            self._text = None
        if tag == "caption":
            if self.figures and self._caption.startswith(f"Data for figure {len(self.figures)}:"):
                self.figures[-1][1] = self._caption
            self._caption = None
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data):
        if self._text is not None:
            self._text[1] += data
        if self._caption is not None:
            self._caption += data


def _outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    return parser


def test_cover_states_council_year_as_at_and_convention(report):
    _, text = report
    assert "<h1>Annual complaints performance and service improvement report 2026/27</h1>" in text
    for line in (
        "Minitown Council",
        "Financial year 2026/27: 1 April 2026 to 31 March 2027",
        "Data as at 30 September 2026",
        "Part year: the data runs only to 30 September 2026.",
        "The day a complaint is received is day 0; working days exclude weekends and "
        "England and Wales bank holidays.",
    ):
        assert line in text, line


def test_every_required_section_in_order(report):
    headings = _outline(report[1]).headings
    sections = [t for level, t in headings if level == 2]
    assert sections == SECTIONS
    levels = [level for level, _ in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"


def test_key_figures_worked_by_hand(report):
    text = report[1]

    def figure(value, label):
        return f'<span class="figure">{value}</span>{label}'

    # stage 1: CMP1-CMP8 received; stage 2: CMP8 and CMP2
    assert figure("8", "complaints received at stage 1") in text
    assert figure("2", "complaints received at stage 2") in text
    # 8 new complaints per 12 contacts (C01-C12) = 666.7 per 1,000
    assert figure("666.7", "new complaints per 1,000 contacts") in text
    # stage 1 due: CMP8, CMP1, CMP7 on time of CMP8, CMP3, CMP1, CMP2, CMP7, CMP4 (open past
    # due) = 3 of 6; with permitted extension CMP2 too = 4 of 6
    assert (
        figure(
            "50.0%", "of stage 1 responses within 10 working days; 66.7% with permitted extensions"
        )
        in text
    )
    assert (
        figure(
            "100.0%",
            "of stage 2 responses within 20 working days; 100.0% with permitted extensions",
        )
        in text
    )  # CMP8 answered on 19 Aug
    # decisions at either stage: CMP8 upheld, CMP8 (stage 2) not, CMP3 partly, CMP1 upheld,
    # CMP2 not -> 3 of 5
    assert figure("60.0%", "of decisions upheld in full or in part") in text
    # stage 1 answers (withdrawn CMP6 left out): CMP8, CMP3, CMP1, CMP2, CMP7; escalated CMP8,
    # CMP2 -> 2 of 5
    assert figure("40.0%", "of stage 1 answers taken to stage 2") in text
    assert figure("1", "complaints referred to an Ombudsman") in text  # CMP8 to the LGSCO


def test_volumes_and_sections_show_hand_worked_figures(report):
    text = report[1]
    # answered in the year: stage 1 CMP8, CMP3, CMP1, CMP2, CMP6, CMP7; stage 2 CMP8
    assert '<th scope="row">Stage 1</th><td class="num">8</td><td class="num">6</td>' in text
    assert '<th scope="row">Stage 2</th><td class="num">2</td><td class="num">1</td>' in text
    for finding in (
        "Of 8 stage 1 complaints received, 2 (25.0%) went to stage 2 and 1 to an Ombudsman",
        "1 complaint refused; most often: made outside the time limit (1)",
        "1 complaint went to an Ombudsman: 1 upheld of 1 investigated (100.0%)",
        "Decisions upheld in full or in part: stage 1: 75.0%; stage 2: 0.0%",
        "2 of the 5 most common themes have an action in the plan",
    ):
        assert finding in text, finding
    assert "Train complaint handlers on the Code" in text  # A4, linked to Delay


def test_tables_have_captions_and_header_scopes(report):
    outline = _outline(report[1])
    assert outline.tables
    for has_caption, headers, scoped in outline.tables:
        assert has_caption and headers and headers == scoped


def test_every_figure_has_a_text_alternative_and_its_table(report):
    figures = _outline(report[1]).figures
    assert len(figures) >= 8
    for alt, table_caption in figures:
        assert alt and len(alt) > 20 and table_caption


def test_makes_no_external_requests(report):
    text = report[1]
    outline = _outline(text)
    links = [
        v
        for _, attrs in outline.attrs
        for k, v in attrs.items()
        if k in ("src", "href", "srcset", "data", "action", "poster") and v
    ]
    assert links and all(v.startswith("#") for v in links), links  # within the page only
    assert not any(tag in ("link", "iframe", "img", "object", "embed") for tag, _ in outline.attrs)
    style = text[text.index("<style>") : text.index("</style>")]
    assert "url(" not in style and "@import" not in style
    assert "<script" not in text and "plotly.js" not in text.lower()  # static: no script
    assert not re.search(r"(href|src)=\"https?:", text)  # no drawing fetches anything


def test_pdf_has_pages(report, tmp_path):
    if pdf.chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium), so no PDF")
    made = pdf.html_to_pdf(report[0], tmp_path / "report.pdf")
    data = made.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 5


def test_pdf_returns_none_without_chromium(monkeypatch, tmp_path):
    monkeypatch.setenv("SCORECARD_CHROMIUM", "no-such-browser")
    assert pdf.html_to_pdf(tmp_path / "x.html", tmp_path / "x.pdf") is None


def test_command_line(tmp_path):
    out = tmp_path / "out" / "annual.html"
    code = annual_report.main(
        [
            "--year",
            "2026/27",
            "--out",
            str(out),
            "--data",
            str(MINI),
            "--cache",
            str(tmp_path / "cache"),
        ]
    )
    assert code == 0 and out.is_file()
    text = out.read_text(encoding="utf-8")
    # the shipped minimum base is 10: no mini rate is big enough to show
    assert (
        '<span class="figure">fewer than 10 cases</span>of decisions upheld in full or in part'
    ) in text
    assert (
        annual_report.main(
            ["--year", "2026-27", "--data", str(MINI), "--cache", str(tmp_path / "cache")]
        )
        == 2
    )
    assert (
        annual_report.main(
            ["--year", "2027/28", "--data", str(MINI), "--cache", str(tmp_path / "cache")]
        )
        == 2
    )  # after the data


def test_financial_years():
    assert annual_report.year_span("2025/26") == (date(2025, 4, 1), date(2026, 3, 31))
    with pytest.raises(ValueError):
        annual_report.year_span("2025/27")
    assert annual_report.latest_complete(date(2026, 9, 30)) == "2025/26"
    assert annual_report.latest_complete(date(2026, 3, 31)) == "2025/26"
    assert annual_report.latest_complete(date(2026, 3, 30)) == "2024/25"
    assert annual_report.years(date(2024, 5, 1), date(2026, 9, 30)) == [
        "2026/27",
        "2025/26",
        "2024/25",
    ]


def test_document_refuses_a_skipped_heading_level():
    doc = Document("Title")
    doc.cover([])
    with pytest.raises(ValueError):
        doc.heading("Too deep", 3)
