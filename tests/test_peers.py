"""Comparison with similar councils: the peers extract on the hand-made mini fixture.

tests/fixtures/peers/peers.csv is Minitown (area code E00000001) and four peers. Every
expected figure below is worked by hand from it; the quartiles are linear interpolation
between the nearest ranks (DuckDB's quantile_cont): for n sorted peers, the q-quartile sits
at position q * (n - 1) counting from 0.
"""

from __future__ import annotations

import re
import shutil
from datetime import date

import pandas as pd
import pytest

from scorecard import contracts, ingest
from scorecard.charts import peers as peer_charts
from scorecard.engine import catalogue, db, fmt, measures, peers
from scorecard.engine.filters import Filters
from scorecard.reports import pack

from apptest import app, open_page, texts
from support import FIXTURES, MINI, ROOT, build

PEERS = FIXTURES / "peers" / "peers.csv"
SEP = Filters("month", date(2024, 4, 1), date(2026, 9, 30))  # trend from April 2024
JULY_CALL = "C13,2026-07-15 09:00:00,phone,Housing,Contact Centre,30,100,N,,Y,N\n"


def with_peers(folder, area_code: str | None = "E00000001"):
    """The mini fixture with the peers file, one more (July) call, and the area code set."""
    shutil.copytree(MINI, folder)
    shutil.copy(PEERS, folder / "peers.csv")
    with open(folder / "contacts.csv", "a", encoding="utf-8") as handle:
        handle.write(JULY_CALL)
    if area_code:
        with open(folder / "council.toml", "a", encoding="utf-8") as handle:
            handle.write(f'area_code = "{area_code}"\n')
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data = with_peers(tmp_path_factory.mktemp("peers") / "data")
    s, result = build(data, tmp_path_factory.mktemp("peers-cache"), min_base=1)
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    yield s, result, database
    database.close()


@pytest.fixture(scope="module")
def compare(built):
    s, _, database = built
    cat = catalogue.load_catalogue(s.catalogue_file)
    targets = measures.Targets(database.query("tables/targets"))

    def run(measure_id, filters=SEP, min_base=1, area_code="E00000001"):
        return peers.compare(
            database, cat[measure_id], filters, targets, min_base, area_code, "Minitown Council"
        )

    return run


def plain(text: str) -> str:
    """Markdown as it reads on screen: escapes and invisible word joiners removed."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


# ---------------------------------------------------------------- pure functions
@pytest.mark.parametrize(
    ("council", "others", "better", "expected"),
    [
        (62, [70, 58, 62, 55], "higher", (2, 5, True)),  # 70 ahead; 62 shared: joint 2nd
        (40, [35, 50, 45, 60], "lower", (2, 5, False)),  # only 35 is lower
        (57.14, [70, 80, 90], "higher", (4, 4, False)),  # behind all three
        (10, [10, 10, 5], "higher", (1, 4, True)),  # a three-way tie shares the best place
        (9.96, [10.04], "lower", (1, 2, True)),  # compared as shown: both 10.0
    ],
)
def test_rank_by_polarity_and_ties_share_the_best_place(council, others, better, expected):
    assert peers.rank(council, others, better, 1) == expected


@pytest.mark.parametrize(
    ("group", "words"),
    [
        ("", "similar councils"),
        (None, "similar councils"),
        ("CIPFA nearest neighbours", "CIPFA nearest neighbours"),
        ("Nearest neighbours (fictional)", "nearest neighbours (fictional)"),
        ("  Family   group ", "family group"),
    ],
)
def test_group_words(group, words):
    assert peers.group_words(group) == words


def test_ordinal_lives_in_fmt_and_the_service_view_uses_it():
    from scorecard.ui import service_view

    assert [fmt.ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 102)] == [
        "1st",
        "2nd",
        "3rd",
        "11th",
        "12th",
        "13th",
        "21st",
        "102nd",
    ]
    assert service_view.ordinal is fmt.ordinal


# ---------------------------------------------------------------- loading the extract
def test_peers_is_declared_optional_with_a_checked_period():
    extract = contracts.BY_NAME["peers"]
    assert extract.optional and not extract.activity
    assert extract.column("period").type == "date"
    assert extract.column("grain").allowed == ("year", "quarter", "month")
    assert {c.name for c in extract.columns if c.required} == {
        "area_code",
        "area_name",
        "measure",
        "period",
        "value",
    }


def test_every_row_is_loaded_or_rejected_with_its_reason(built):
    _, result, database = built
    report = next(r for r in result.reports if r.extract == "peers")
    assert (report.rows_read, report.loaded, report.rejected) == (25, 23, 2)
    rejects = database.query("tables/rejects")
    rows = rejects[rejects["extract"] == "peers"].sort_values("line")
    assert list(rows["line"]) == [12, 25]  # the header is line 1
    assert list(rows["column_name"]) == ["period", "grain"]
    assert rows["reason"].iloc[0].startswith("is not a date")  # '2025/26' is a label
    assert rows["reason"].iloc[1] == "is not one of: year, quarter, month"


def test_an_unknown_measure_is_loaded_and_warned_about(built):
    _, result, _ = built
    assert (
        "peers.csv: 1 row(s) with measure 'happiness_index', which the catalogue does not "
        "know; they are loaded but not shown."
    ) in result.warnings


def test_without_a_peers_extract_there_is_no_comparison(mini_db, catalogue_, targets):
    m = catalogue_["resident_satisfaction"]
    assert peers.compare(mini_db, m, SEP, targets, 1, "E00000001") is None
    assert peers.card_lines(None) == []
    loads = mini_db.table("loads").set_index("extract")
    assert loads.loc["peers", "status"] == "missing"
    assert len(loads) == len(contracts.EXTRACTS)


# ---------------------------------------------------------------- the figures
def test_higher_is_better_with_the_council_s_own_row(compare):
    c = compare("resident_satisfaction")
    assert [p.label for p in c.periods] == ["2024/25", "2025/26"]
    old, p = c.periods
    # 2025/26: peers 55, 58, 62, 70 -> median (58 + 62) / 2 = 60; lower quartile at position
    # 0.75: 55 + 0.75 * 3 = 57.25; upper at 2.25: 62 + 0.25 * 8 = 64. Minitown's own row (its
    # code in lower case) is 62: only 70 is higher, Crossway has 62 too: joint 2nd of 5
    assert (p.peers, p.median, p.lower_quartile, p.upper_quartile) == (4, 60.0, 57.25, 64.0)
    assert (p.council, p.source, p.rank, p.ranked, p.tied) == (62.0, "published", 2, 5, True)
    # 2024/25: peers 52, 57, 61, 66 -> median 59; Minitown 60: 66 and 61 higher: 3rd of 5
    assert (old.median, old.council, old.rank, old.tied) == (59.0, 60.0, 3, False)
    assert peers.card_lines(c) == ["joint 2nd of 5 CIPFA nearest neighbours (2025/26)"]
    assert peers.finding(c) == (
        "Minitown Council ranked joint 2nd of 5 CIPFA nearest neighbours in 2025/26"
    )
    assert peers.sentences(c)[0] == (
        "Minitown Council: 62.0%, against a median of 60.0% across 4 CIPFA nearest "
        "neighbours in 2025/26; the middle half of them ranged from 57.2% to 64.0%. "
        "Higher is better."
    )
    assert (
        "own published row in the comparison file (area code E00000001)" in (peers.sentences(c)[1])
    )


def test_lower_is_better_and_a_different_definition_is_marked(compare):
    c = compare("complaints_upheld")
    (p,) = c.periods
    # peers 35, 45, 50, 60 -> median 47.5; quartiles 35 + 0.75 * 10 = 42.5 and
    # 50 + 0.25 * 10 = 52.5; Minitown 40: only 35 is lower: 2nd of 5. Brinkley's row says N.
    assert (p.median, p.lower_quartile, p.upper_quartile) == (47.5, 42.5, 52.5)
    assert (p.rank, p.ranked, p.tied, p.grain) == (2, 5, False, "year")  # blank grain: year
    assert not p.same_definition and not c.same_definition
    assert peers.card_lines(c) == [
        "2nd of 5 similar councils (2025/26)",
        "Published comparison: the peers' definition differs from ours.",
    ]
    assert peers.sentences(c)[1].endswith("but not every published figure is defined as ours is.")
    assert peers.sentences(c)[2] == "Defined differently from ours: Brinkley."
    table = peers.table(c)
    assert table.iloc[0]["Definition"] == "Differs from ours"
    figure = peer_charts.comparison(c)
    assert figure.layout.title.text == (
        "Published comparison: the peers' definition differs from ours."
    )
    assert "definition differs from ours" in peer_charts.alt_text(c)


def test_without_the_council_s_row_the_dashboard_figure_is_used_and_labelled(compare):
    c = compare("calls_answered_60s")
    (p,) = c.periods
    # 2026/27 so far: 7 calls, answered within 60 seconds C01 (30 s), C04 (60 s), C11 (20 s)
    # and the July call (30 s): 4 of 7 = 57.1%. Peers 70, 80, 90 are all higher: 4th of 4.
    assert p.council == pytest.approx(400 / 7)
    assert (p.source, p.rank, p.ranked, p.peers, p.median) == ("dashboard", 4, 4, 3, 80.0)
    assert p.lower_quartile is None  # three peers: too few for quartiles
    assert peers.card_lines(c) == [
        "4th of 4 similar councils (2026/27; our figure from this dashboard)"
    ]
    assert "is this dashboard's own, for the council as a whole" in peers.sentences(c)[1]
    assert "(too few to give quartiles: 4 are needed)" in peers.sentences(c)[0]
    council = next(
        t
        for t in peer_charts.comparison(c).data
        if t.name == "Minitown Council (this dashboard's own figures)"
    )
    assert list(council.marker.symbol) == ["circle-open"]  # not a published figure
    assert peers.table(c).iloc[0]["Our figure from"].startswith("This dashboard")


def test_a_withheld_dashboard_figure_gives_no_rank(compare):
    c = compare("calls_answered_60s", min_base=10)  # 7 calls: fewer than 10
    (p,) = c.periods
    assert (p.council, p.source, p.rank) == (None, "withheld", None)
    assert peers.card_lines(c) == [
        "Median of 3 similar councils: 80.0% (2026/27); our figure for 2026/27 is withheld "
        "(fewer than 10 cases), so no rank"
    ]


def test_with_no_figure_of_ours_it_says_so(compare):
    c = compare("call_abandonment")
    (p,) = c.periods
    # 2023/24: peers 8, 9, 10, 12 -> median 9.5; the mini extracts start in 2026
    assert (p.peers, p.median, p.lower_quartile, p.upper_quartile) == (4, 9.5, 8.75, 10.5)
    assert (p.council, p.source, p.rank) == (None, "none", None)
    assert peers.card_lines(c) == [
        "Median of 4 similar councils: 9.5% (2023/24); we have no figure for 2023/24 to "
        "compare, so no rank"
    ]


def test_a_service_filter_is_ignored_and_said(compare):
    housing = Filters("month", date(2024, 4, 1), date(2026, 9, 30), ("Housing",))
    c = compare("calls_answered_60s", housing)
    # still the council's 4 of 7, not Housing's 3 of 5 (C01, C11 and the July call)
    assert c.latest.council == pytest.approx(400 / 7)
    assert c.ignored == ("service",)
    assert peers.card_lines(c)[-1] == "Council-wide comparison: not split by service."
    assert compare("resident_satisfaction", housing).latest.rank == 2


def test_periods_after_the_reporting_period_are_not_used(compare):
    march_2025 = Filters("month", date(2024, 4, 1), date(2025, 3, 31))
    c = compare("resident_satisfaction", march_2025)
    assert [p.label for p in c.periods] == ["2024/25"]
    assert peers.card_lines(c) == ["3rd of 5 CIPFA nearest neighbours (2024/25)"]
    assert compare("calls_answered_60s", march_2025) is None  # its only period is later


def test_without_an_area_code_the_council_s_row_counts_as_a_peer(compare):
    c = compare("complaints_upheld", area_code="")
    p = c.latest
    # Minitown's 40 is now a peer: 35, 40, 45, 50, 60 -> median 45; ours is the dashboard's
    # (Minitown's mini complaints were decided in 2026/27, none in 2025/26: no figure)
    assert (p.peers, p.median, p.source) == (5, 45.0, "none")
    assert "set area_code in council.toml" in peers.source_words(c, p)


# ---------------------------------------------------------------- pages and papers
@pytest.fixture
def peers_app(monkeypatch, tmp_path):
    data = with_peers(tmp_path / "data")
    return app(monkeypatch, data, tmp_path / "cache", min_base=1)


def test_measure_page_shows_the_comparison(peers_app, downloads):
    peers_app.query_params["measure"] = "Residents satisfied with the council"
    at = open_page(peers_app.run(), "measure")
    assert not at.exception
    headers = [plain(h.value) for h in at.header]
    assert (
        "Compared with similar councils: Minitown Council ranked joint 2nd of 5 CIPFA "
        "nearest neighbours in 2025/26"
    ) in headers
    text = "\n".join(plain(t) for t in texts(at))
    assert "the middle half of them ranged from 57.2% to 64.0%" in text
    # the trend runs from the mini extracts' first month (July 2026); published figures lag,
    # so the latest period up to the reporting period (2025/26) is always shown
    table = next(d.value for d in at.dataframe if "Our figure from" in d.value.columns)
    assert list(table["Period"]) == ["2025/26"]
    assert list(table["Median of similar councils (%)"]) == [60.0]
    assert list(table["Lower quartile (%)"]) == [57.2]  # 57.25, as shown
    assert list(table["Rank"]) == ["joint 2nd of 5 CIPFA nearest neighbours"]
    assert any(name == "peers-resident_satisfaction.csv" for name, _ in downloads)


def test_measure_page_marks_a_different_definition(peers_app):
    peers_app.query_params["measure"] = "Complaints upheld or partly upheld, both stages"
    at = open_page(peers_app.run(), "measure")
    assert not at.exception
    assert any(
        "Published comparison: the peers' definition differs from ours." in plain(m.value)
        for m in at.markdown
    )


def test_a_measure_without_peer_figures_says_so(peers_app):
    peers_app.query_params["measure"] = "Residents who trust the council"
    at = open_page(peers_app.run(), "measure")
    assert not at.exception
    assert "Compared with similar councils" in [h.value for h in at.header]
    assert any(
        "No comparison: the peers extract has no figures for this measure up to 30 September "
        "2026." in m.value
        for m in at.markdown
    )


def test_pillar_cards_carry_the_line_and_only_with_peer_data(peers_app):
    at = open_page(peers_app.run(), "understanding")
    assert not at.exception
    cards = {b.key: b for b in at.main if getattr(b, "key", None) and b.key.startswith("card-")}

    def lines(key):
        return [plain(c.value) for c in cards[key].caption]

    assert any(
        "joint 2nd of 5 CIPFA nearest neighbours (2025/26)" in t
        for t in lines("card-resident_satisfaction")
    )
    assert not any("councils" in t or "neighbours" in t for t in lines("card-resident_trust"))


def test_a_service_filter_on_a_pillar_page_is_said_on_the_card(peers_app):
    peers_app.query_params["service"] = ["Housing"]
    at = open_page(peers_app.run(), "access")
    assert not at.exception
    card = next(b for b in at.main if getattr(b, "key", None) == "card-calls_answered_60s")
    captions = [plain(c.value) for c in card.caption]
    assert any(
        "4th of 4 similar councils (2026/27; our figure from this dashboard)" in t for t in captions
    )
    assert any("Council-wide comparison: not split by service." in t for t in captions)


def test_no_peers_extract_no_line_and_the_data_page_says_not_supplied(monkeypatch, tmp_path):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1).run()
    assert not at.exception
    assert not any("similar councils" in plain(t) for t in texts(at))
    at = open_page(at, "data")
    extracts = at.dataframe[0].value.set_index("Extract")
    assert extracts.loc["peers", "Status"] == "Not supplied (no file)"
    assert len(extracts) == len(contracts.EXTRACTS)


def test_the_pack_prints_the_line_under_each_measure(built, monkeypatch):
    monkeypatch.setenv("SCORECARD_CHROMIUM", "no-chromium-here")  # papers without pictures
    s, _, database = built
    html = pack.render(
        database,
        s,
        pack.filters_for("September 2026", date(2026, 9, 30), date(2025, 4, 1)),
        date(2026, 9, 30),
    )
    satisfaction = html.split(">Residents satisfied with the council</h3>")[1].split("<h3")[0]
    assert (
        "<p>Compared with similar councils: joint 2nd of 5 CIPFA nearest neighbours (2025/26)</p>"
        in satisfaction
    )
    upheld = html.split(">Complaints upheld or partly upheld, both stages</h3>")[1]
    upheld = upheld.split("<h3")[0]
    assert "<p>Compared with similar councils: 2nd of 5 similar councils (2025/26)</p>" in upheld
    assert "Published comparison: the peers&#x27; definition differs from ours." in upheld
    trust = html.split(">Residents who trust the council</h3>")[1].split("<h3")[0]
    assert "councils" not in trust


# ---------------------------------------------------------------- the shipped sample
def test_sample_eastvale_s_published_rows_are_its_dashboard_figures(tmp_path):
    s, result = build(ROOT / "data" / "sample", tmp_path / "cache")
    assert result.ok and s.area_code == "E07000999"
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        cat = catalogue.load_catalogue(s.catalogue_file)
        targets = measures.Targets(database.query("tables/targets"))
        years = Filters("year", date(2022, 4, 1), date(2026, 3, 31))
        for measure_id in ("call_abandonment", "complaints_upheld", "resident_satisfaction"):
            c = peers.compare(
                database, cat[measure_id], years, targets, s.min_base, s.area_code, s.council
            )
            own = measures.compute(database, cat[measure_id], years, targets, s.min_base)
            figures = {p: round(v, 1) for p, v in zip(own.series["label"], own.series["value"])}
            assert [p.source for p in c.periods] == ["published"] * 4, measure_id
            assert {p.label: p.council for p in c.periods} == figures, measure_id
            assert {p.peers for p in c.periods} == {15}
        # the card's words, against the file read independently: Eastvale's 2025/26 calls
        # abandoned, ranked among its 15 neighbours (lower is better)
        frame = pd.read_csv(ROOT / "data" / "sample" / "peers.csv")
        year = frame[(frame["measure"] == "call_abandonment") & (frame["period"] == "2025-04-01")]
        ours = year.loc[year["area_code"] == s.area_code, "value"].item()
        place = 1 + int((year.loc[year["area_code"] != s.area_code, "value"] < ours).sum())
        to_sep = Filters("month", date(2022, 4, 1), date(2026, 9, 30))
        c = peers.compare(
            database, cat["call_abandonment"], to_sep, targets, s.min_base, s.area_code, s.council
        )
        assert peers.card_lines(c) == [
            f"{fmt.ordinal(place)} of 16 nearest neighbours (fictional), 2025/26"
        ]
        c = peers.compare(
            database, cat["stage1_on_time"], years, targets, s.min_base, s.area_code, s.council
        )
        assert [p.source for p in c.periods] == ["dashboard"] * 4  # Eastvale has no row
        assert (
            peers.compare(
                database, cat["complaints_upheld"], years, targets, s.min_base, s.area_code
            ).same_definition
            is False
        )
    finally:
        database.close()
