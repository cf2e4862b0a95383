"""AppTest: every page renders through app.py, shows the right title and the right figures."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1.element_tree import Block

from scorecard import settings
from scorecard.engine import catalogue
from scorecard.ui import components as ui

from apptest import app, open_page, page_urls, texts
from support import FIXTURES, MINI, ROOT

PAGES = {
    "": "Scorecard: Customer Experience Strategy",
    "ethos": "Customer ethos",
    "understanding": "Understanding our customers",
    "access": "Access",
    "end_to_end": "End-to-end experience",
    "complaints": "Complaints",
    "data": "Data and definitions",
    "measure": None,  # the first measure in the catalogue, until one is chosen (see below)
    "service": "Service view",
    "actions": "Action plan",
    "map": "Strategy map",
}


@pytest.fixture
def mini_app(monkeypatch, tmp_path):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1)
    return at.run()


def served_config() -> tuple[catalogue.Strategy, dict[str, catalogue.Measure]]:
    """The strategy and catalogue the app under test reads (after `app()` has set its
    environment): what a page should show is worked out from these, never listed by hand,
    so adding a measure to the config needs no change here."""
    s = settings.load()
    return (
        catalogue.load_strategy(s.strategy_file, s.catalogue_file),
        catalogue.load_catalogue(s.catalogue_file),
    )


ABSENT = re.compile(r":material/block: \*\*(?P<reason>.+):\*\* (?P<titles>.+)\.")


def shown_measures(at, measures: dict[str, catalogue.Measure]):
    """What a page shows of each measure, top to bottom, as (heading above it, measure id):
    its cards (containers keyed card-<id>, or card-<id>--<pillar> for a measure's second card
    on the overview), and apart from them the measures listed as not supplied or not
    measured (by title: the data cannot give them, so there is no card)."""
    by_title = {m.title: m.id for m in measures.values()}
    heading, cards, absent = None, [], []
    for node in at.main:
        if getattr(node, "type", None) == "header":
            heading = node.value
        elif isinstance(node, Block) and (node.key or "").startswith("card-"):
            cards.append((heading, node.key.removeprefix("card-").split("--")[0]))
        elif getattr(node, "type", None) == "markdown" and (match := ABSENT.fullmatch(node.value)):
            absent += [(heading, by_title[title]) for title in match["titles"].split("; ")]
    return cards, absent


def assert_shows_exactly(cards: list, absent: list, expected: list) -> None:
    """A card for each expected measure in order, once, and nothing else; a measure the
    data cannot give is listed in words instead of a card, still exactly once."""
    assert expected  # a config that lists nothing proves nothing
    assert cards == [e for e in expected if e not in absent], (
        f"missing {[e for e in expected if e not in cards + absent]}, "
        f"unexpected {[c for c in cards if c not in expected]}"
    )
    assert sorted(cards + absent, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(("url", "title"), PAGES.items())
def test_every_page_renders_with_its_title(mini_app, url, title):
    at = open_page(mini_app, url) if url else mini_app
    assert not at.exception
    assert at.title[0].value == (title or next(iter(served_config()[1].values())).title)


def test_overview_shows_every_pillar_measure_once_under_its_pillar(mini_app):
    assert not mini_app.exception
    strategy, measures = served_config()
    cards, absent = shown_measures(mini_app, measures)
    # each pillar's measures under its heading, then the action plan's under theirs
    assert_shows_exactly(
        cards,
        absent,
        [(p.title, m) for p in strategy.pillars for m in p.measures]
        + [("Delivering the action plan", m) for m in strategy.plan_measures],
    )


def test_each_pillar_page_shows_its_own_measures_once(mini_app):
    strategy, measures = served_config()
    for pillar in strategy.pillars:
        at = open_page(mini_app, pillar.id)
        assert not at.exception, pillar.id
        cards, absent = shown_measures(at, measures)
        assert_shows_exactly([m for _, m in cards], [m for _, m in absent], list(pillar.measures))


def test_overview_cards_show_hand_worked_figures(mini_app):
    text = "\n".join(texts(mini_app))
    # calls: 2 of 4 answered within 60 seconds in September 2026 (see test_measure_queries)
    assert "50.0% of calls were answered within 60 seconds" not in text  # compact cards
    assert ">50.0%<" in text
    assert ">40.0%<" in text  # digital take-up: 4 of 10
    assert (
        "Target 80% (higher is better) · 30.0 percentage points to go to reach the target" in text
    )


def test_what_needs_attention_comes_first_and_agrees_with_the_tally(mini_app):
    at = mini_app
    assert not at.exception
    assert at.header[0].value == "What needs attention"  # first, before any card
    lines = [m.value for m in at.markdown if "/measure?" in m.value]
    block = next(line for line in lines if "Calls answered within 60 seconds" in line)
    # 2 of 4 calls answered within 60 seconds against 80%: off target, a line in words
    assert "[Calls answered within 60 seconds](/measure?" in block
    assert "&measure=Calls+answered+within+60+seconds): 50.0% (target at least 80%)" in block
    assert ":red-badge[:material/cancel: Off target]" in block
    flagged = sum(line.count("-badge[:material/") for line in lines)
    counts = {m.label.split(": ")[-1]: int(m.value) for m in at.metric}
    assert flagged >= counts["Off target"] + counts["Near target"]


def test_overview_table_shows_every_measure_with_its_status(mini_app):
    mini_app.segmented_control(key="layout").set_value("Table").run()
    assert not mini_app.exception
    table = next(d.value for d in mini_app.dataframe if "Figure" in d.value.columns)
    strategy, _ = served_config()
    # a row for every pillar measure and then the action plan's, once, in strategy order
    expected = [(p.title, m) for p in strategy.pillars for m in p.measures] + [
        ("Action plan", m) for m in strategy.plan_measures
    ]
    assert list(zip(table["Pillar"], table["measure_id"])) == expected
    table = table.set_index("Measure")
    calls = table.loc["Calls answered within 60 seconds"]
    # 2 of 4 answered within 60 seconds, target 80% (as on the card): red, no commentary
    assert (calls["Pillar"], calls["Figure"], calls["Target"], calls["Status"]) == (
        "Access",
        "50.0%",
        "80%",
        "Off target",
    )
    assert calls["Commentary"] == ""  # never "needed" before the committee: see below
    assert table.loc["Digital take-up", "Figure"] == "40.0%"
    assert table.loc["Actions on track or complete", "Pillar"] == "Action plan"
    link = table.loc["Calls abandoned", "Details"]
    assert link.startswith("/measure?") and "measure=Calls+abandoned" in link
    assert not mini_app.get("plotly_chart")  # the table replaces the cards


def test_access_page_sentence_and_trend(mini_app):
    at = open_page(mini_app, "access")
    text = "\n".join(texts(at))
    assert (
        "50.0% of calls were answered within 60 seconds in September 2026, below the target of "
        "80%; the same as August 2026 (50.0%)."
    ) in text
    keys = {chart.key for chart in at.get("plotly_chart")}
    assert {
        "fig-spc-calls_answered_60s",
        "fig-guardrail",
        "fig-channel-mix",
        "fig-calls",
        "fig-demand",
        "fig-centres",
        "fig-site-f2f_average_wait",
        "fig-groups-digital-age",
    } <= keys
    # channel mix: August phone C11 C12 alone; September phone C01-C04 of ten contacts, web
    # C05 C07 and app C06 (digital), face to face C08 C09, email C10
    assert (
        "Phone went from 100% of contacts in August 2026 to 40% in September 2026; website or "
        "app from 0% to 30%" in text
    )
    assert (
        "Digital take-up also counts contacts where staff helped a resident online (assisted "
        "digital), so it can be higher than the share that came in on the website or app "
        "shown here." in text
    )
    mix = next(d.value for d in at.dataframe if "Face to face" in d.value.columns)
    assert mix.set_index("Period").loc["September 2026"].to_dict() == {
        "App": 10.0,
        "Email": 10.0,
        "Face to face": 20.0,
        "Phone": 40.0,
        "Website": 20.0,
        "Note": "",
    }
    # the mini contacts have no avoidable_reason column: that chart says so, and is not drawn
    assert "fig-avoidable" not in keys
    assert (
        ":material/block: Not measured: the contacts extract has no avoidable_reason "
        "values." in text
    )


def test_understanding_page_shows_satisfaction_by_group(mini_app):
    at = open_page(mini_app, "understanding")
    table = next(d.value for d in at.dataframe if "Dimension" in d.value.columns)
    disability = table[table["Dimension"] == "Disability"].set_index("Group")
    # resident survey, August 2026: disabled R2 (weight 1) and R4 (1.5) both dissatisfied;
    # not disabled R1 (2.0) and R3 (0.5) both satisfied
    assert disability.loc["Disabled", "Satisfied (%)"] == 0.0
    assert disability.loc["Not disabled", "Satisfied (%)"] == 100.0
    assert disability.loc["Disabled", "Answers"] == 2


def test_service_filter_changes_the_figures(mini_app):
    mini_app.multiselect(key="service").set_value(["Waste and Recycling"]).run()
    text = "\n".join(texts(mini_app))
    assert ">25.0%<" in text  # digital take-up, Waste and Recycling: C05 of C04, C05, C09, C10


def test_link_reproduces_the_view(monkeypatch, tmp_path):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1)
    at.query_params.update(
        {"grain": "Quarter", "period": "Q2 2026/27", "service": ["Housing"], "channel": ["Phone"]}
    )
    at.run()
    assert not at.exception
    assert at.segmented_control(key="grain").value == "Quarter"
    assert at.selectbox(key="period").value == "Q2 2026/27"
    assert "Q2 2026/27 · Housing · Phone" in "\n".join(texts(at))


def test_filters_survive_a_page_switch(mini_app):
    mini_app.segmented_control(key="grain").set_value("Quarter").run()
    at = open_page(mini_app, "complaints")
    assert at.segmented_control(key="grain").value == "Quarter"
    assert at.title[0].value == "Complaints"


def test_changing_grain_keeps_the_period(mini_app):
    mini_app.selectbox(key="period").set_value("August 2026").run()
    mini_app.segmented_control(key="grain").set_value("Quarter").run()
    assert mini_app.selectbox(key="period").value == "Q2 2026/27"


def test_data_page_lists_extracts_and_sql(mini_app):
    at = open_page(mini_app, "data")
    extracts = at.dataframe[0].value
    assert list(extracts["Extract"])[:4] == ["contacts", "cases", "satisfaction", "complaints"]
    assert extracts.set_index("Extract").loc["contacts", "Rows read"] == "12"
    assert any("from contact_counts as k" in c.value for c in at.code)


def test_four_pillar_strategy_needs_no_code_change(monkeypatch, tmp_path):
    at = app(
        monkeypatch, MINI, tmp_path / "cache", strategy=FIXTURES / "strategy_four_pillars.toml"
    ).run()
    assert not at.exception
    assert page_urls(at) == {
        "": "Scorecard",
        "information": "Information management",
        "improved_access": "Improved access",
        "staff": "Staff skills and standards",
        "awareness": "Awareness",
        "data": "Data and definitions",
        "measure": "Measure detail",
        "service": "Service view",
        "actions": "Action plan",
        "map": "Strategy map",
    }
    at = open_page(at, "staff")
    assert at.title[0].value == "Staff skills and standards"


def test_no_sql_or_duckdb_in_pages():
    pages = sorted((ROOT / "scorecard" / "ui" / "pages").glob("*_page.py"))
    assert pages  # the pages moved here from pages/: a glob of nothing checks nothing
    for page in pages:
        source = page.read_text().lower()
        assert "duckdb" not in source and " from contacts" not in source, page.name
        assert "select " not in source, page.name


def test_sample_card_matches_an_independent_calculation(monkeypatch, tmp_path):
    """The calls card on the shipped sample equals a pandas count straight from the CSV."""
    import pandas as pd

    contacts = pd.read_csv(
        ROOT / "data" / "sample" / "contacts.csv.gz", parse_dates=["received_at"]
    )
    calls = contacts[
        (contacts["channel"] == "phone")
        & (contacts["received_at"].dt.strftime("%Y-%m") == "2026-09")
    ]
    answered = (calls["abandoned"] == "N") & (calls["wait_seconds"] <= 60)
    expected = f">{100 * answered.sum() / len(calls):.1f}%<"
    at = app(monkeypatch, ROOT / "data" / "sample", tmp_path / "cache").run()
    assert not at.exception
    assert expected in "\n".join(texts(at))


def test_measure_detail_drills_down_by_channel_and_site(monkeypatch, tmp_path):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1)
    at.query_params["measure"] = "Calls answered within 60 seconds"
    at = open_page(at.run(), "measure")
    assert not at.exception
    assert at.title[0].value == "Calls answered within 60 seconds"
    tables = {tuple(d.value.columns)[0]: d.value for d in at.dataframe}
    # September 2026 calls by service: Housing 1 of 3, Waste and Recycling 1 of 1
    services = tables["Service"].set_index("Service")
    assert services.loc["Waste and Recycling", "Calls answered within 60 seconds (%)"] == 100.0
    assert services.loc["Housing", "Calls answered within 60 seconds (%)"] == 33.3
    assert list(tables["Site"]["Site"]) == ["Contact Centre"]  # every call went there
    assert list(tables["Channel"]["Channel"]) == ["Phone"]


def test_data_page_shows_rejects_warnings_and_a_failed_refresh(monkeypatch, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with open(data / "contacts.csv", "a", encoding="utf-8") as handle:
        handle.write("C13,2026-09-08 09:00:00,pigeon,Housing,Contact Centre,,,,,,N\n")
    with open(data / "targets.csv", "a", encoding="utf-8") as handle:
        handle.write("happiness_index,,2026-04-01,90,5\n")
    at = open_page(app(monkeypatch, data, tmp_path / "cache", min_base=1).run(), "data")
    assert not at.exception
    rejects = next(d.value for d in at.dataframe if "Reason" in d.value.columns)
    row = rejects.iloc[0]
    assert (
        row["Extract"],
        row["Column"],
        row["Rows"],
        row["Example lines"],
        row["Example values"],
    ) == ("contacts", "channel", 1, "14", "pigeon")
    assert any(
        "targets.csv: 1 row(s) with measure_id 'happiness_index'" in w.value for w in at.warning
    )
    (data / "cases.csv").write_bytes(b"PK\x03\x04")  # the next refresh fails
    at.button(key="refresh").click().run()
    assert any(
        re.search(
            r"The latest data refresh failed, so the dashboard is showing the "
            r"data loaded on \d+ \w+ 20\d\d at \d\d:\d\d\. cases\.csv: is an "
            r"Excel workbook",
            e.value,
        )
        for e in at.error
    )
    assert (
        next(d.value for d in at.dataframe if "Rows read" in d.value.columns)
        .set_index("Extract")
        .loc["cases", "Loaded"]
        == "6"
    )  # still the last good data


def test_a_first_load_with_an_unreadable_file_serves_the_rest_and_says_so(monkeypatch, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "cases.csv").write_bytes(b"\x00\x00")
    at = app(monkeypatch, data, tmp_path / "cache", min_base=1).run()
    assert not at.exception
    message = (
        "Some extracts could not be read, so the figures that depend on them are "
        "missing. cases.csv: is not a text file"
    )
    assert any(message in e.value for e in at.error)
    assert ">50.0%<" in "\n".join(texts(at))  # calls (from contacts) are still shown
    at = open_page(at, "ethos").run()  # and it keeps saying so on the next run and page
    assert any(message in e.value for e in at.error)


def test_commentary_beside_red_measures_and_flags_where_missing(mini_app):
    at = open_page(mini_app, "end_to_end")
    text = "\n".join(texts(at))
    # cases within standard is red in September 2026; the mini commentary.csv has a note for
    # Housing only, so the council-wide figure has none: its owners are told, apart from the
    # cards the committee sees
    assert "No commentary yet" not in text
    owners = next(e for e in at.expander if e.label.startswith("For measure owners"))
    assert "Cases resolved within standard" in owners.markdown[-1].value
    at.multiselect(key="service").set_value(["Housing"]).run()
    text = "\n".join(texts(at))
    # the mini commentary.csv has no status column, so its rows are drafts: shown inside,
    # marked as such, and the measure is still listed for its owners
    assert "<p><strong>Commentary:</strong> Repairs backlog after staff vacancies" in text
    assert (
        "<p><strong>Corrective action (Head of Housing):</strong> Agency surveyors until December"
    ) in text
    assert "Draft, not yet approved (from commentary.csv)" in text
    owners = next(e for e in at.expander if e.label.startswith("For measure owners"))
    assert "Cases resolved within standard" in owners.markdown[-1].value


def test_a_fault_in_a_section_is_a_message_with_a_reference_in_the_log(monkeypatch, tmp_path):
    import logging

    from scorecard.ui import errors, views

    def broken(ctx, filters):
        raise ValueError("boom in /srv/secret/path")

    monkeypatch.setitem(views.SECTIONS, "backlog", broken)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    errors.LOG.addHandler(handler)
    try:
        at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1)
        monkeypatch.delenv("SCORECARD_STRICT")  # as served: no traceback, a reference
        at = open_page(at.run(), "end_to_end")
    finally:
        errors.LOG.removeHandler(handler)
    assert not at.exception
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and shown[0].startswith(
        "The chart 'backlog' could not be shown because of a fault in the dashboard"
    )
    reference = shown[0].rsplit("reference ", 1)[1].rstrip(".")
    assert "/srv/secret" not in shown[0] and "boom" not in shown[0]
    records = [r for r in records if r.name != "scorecard.pages"]  # the page timings
    assert [r.getMessage() for r in records] == [
        f"fault {reference}: The chart 'backlog' could not be shown"
    ]
    assert records[0].exc_info[1].args == ("boom in /srv/secret/path",)
    # the rest of the page carried on
    assert any("Cases needing several services" in t for t in texts(at))


def test_charts_that_cannot_follow_a_filter_say_so(mini_app):
    mini_app.multiselect(key="channel").set_value(["Website"]).run()
    at = open_page(mini_app, "access")
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert (
        ":material/filter_alt_off: Not split by channel: calls are phone contacts, shown "
        "whatever channels are chosen."
    ) in captions
    assert (
        ":material/filter_alt_off: Not split by channel: visits are face to face "
        "contacts, shown whatever channels are chosen."
    ) in captions
    # the resident survey is council-wide: its resident-group chart says so
    at = open_page(mini_app, "understanding")
    assert (
        ":material/filter_alt_off: Not split by channel: the resident survey asks about "
        "the council as a whole."
    ) in [c.value for c in at.caption]
    # and the overview table names what each figure is not split by
    at = open_page(mini_app, "")
    at.segmented_control(key="layout").set_value("Table").run()
    table = next(d.value for d in at.dataframe if "Figure" in d.value.columns)
    table = table.set_index("measure_id")
    assert table.loc["resident_satisfaction", "Not split by"] == "channel"
    # a share of channels under a channel filter is every channel's figure, not 100%
    assert table.loc["digital_takeup", "Not split by"] == "channel"
    assert table.loc["digital_takeup", "Figure"] == "40.0%"
    assert table.loc["avoidable_contact", "Not split by"] == ""


def test_one_service_reads_as_a_sentence_not_a_ranking(mini_app):
    mini_app.multiselect(key="service").set_value(["Housing"]).run()
    for page in ("complaints", "end_to_end"):
        at = open_page(mini_app, page)
        assert not at.exception
        text = "\n".join(texts(at))
        assert "fewest:" not in text and "Slowest:" not in text, page
    # a bar chart of one bar is a sentence and a table instead
    assert ui.one_bar(go.Figure(go.Bar(x=[31.1], y=["Housing"], orientation="h")))
    assert not ui.one_bar(
        go.Figure(go.Bar(x=[31.1, 12.0], y=["Housing", "Waste"], orientation="h"))
    )
    assert not ui.one_bar(go.Figure(go.Scatter(x=[1], y=[1])))


def test_a_chart_whose_every_bar_is_withheld_is_not_drawn(monkeypatch, tmp_path):
    # on the sample with the usual minimum of 10, every open complaint's cell and every
    # Ombudsman decision is under 10: the table says so and there is no empty frame
    sample = ROOT / "data" / "sample"
    at = open_page(app(monkeypatch, sample, tmp_path / "cache").run(), "complaints")
    keys = {chart.key for chart in at.get("plotly_chart")}
    assert "fig-complaints-open" not in keys and "fig-complaints-ombudsman" not in keys
    assert "fig-complaints-refusals" in keys  # bars of 15 to 32 refusals
    assert "every figure is withheld or nought" in "\n".join(texts(at))
    withheld = go.Bar(x=[0.0, None], y=["Housing", "Waste"], orientation="h")
    assert ui.no_bar(go.Figure([withheld, withheld]))
    assert not ui.no_bar(go.Figure([withheld, go.Bar(x=[0, 3], y=["a", "b"], orientation="h")]))
    assert not ui.no_bar(go.Figure(go.Bar(x=["a", "b"], y=[0, 2])))
    assert not ui.no_bar(go.Figure(go.Scatter(x=[0], y=[0])))


def test_every_page_logs_its_server_side_time(mini_app):
    import logging

    from scorecard.ui import errors

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    errors.LOG.addHandler(handler)
    try:
        open_page(mini_app, "access")
    finally:
        errors.LOG.removeHandler(handler)
    timed = [r.getMessage() for r in records if r.name == "scorecard.pages"]
    assert timed and re.fullmatch(
        r"page access ran in \d+ ms \(September 2026 · all services · all channels\)", timed[-1]
    ), timed


def test_a_measure_under_two_pillars_is_a_card_under_each(monkeypatch, tmp_path):
    """The strategy config allows a measure under more than one pillar (digital take-up under
    Access and under Customer ethos): the overview shows its card under both headings."""
    text = (ROOT / "config" / "strategy.toml").read_text(encoding="utf-8")
    twice = text.replace('"contractor_checks"]', '"contractor_checks", "digital_takeup"]', 1)
    assert twice != text
    (tmp_path / "strategy.toml").write_text(twice, encoding="utf-8")
    at = app(
        monkeypatch, MINI, tmp_path / "cache", min_base=1, strategy=tmp_path / "strategy.toml"
    ).run()
    assert not at.exception
    strategy, measures = served_config()
    cards, absent = shown_measures(at, measures)
    assert ("Customer ethos", "digital_takeup") in cards and ("Access", "digital_takeup") in cards
    assert_shows_exactly(
        cards,
        absent,
        [(p.title, m) for p in strategy.pillars for m in p.measures]
        + [("Delivering the action plan", m) for m in strategy.plan_measures],
    )


def test_a_pillar_fetches_its_slow_sections_side_by_side_before_drawing(monkeypatch, tmp_path):
    """The end-to-end page's backlog and the understanding page's resident groups fetch
    their rows on the panels' pool, once each, before the page draws them; the charts are
    then drawn from those rows."""
    import threading

    from scorecard.ui import views

    ran = []
    for name in ("backlog", "resident_groups"):
        step = views.DATA[name]

        def spy(ctx, filters, step=step, name=name):
            ran.append((name, threading.current_thread().name.split("_")[0]))
            return step(ctx, filters)

        monkeypatch.setitem(views.DATA, name, spy)
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1).run()
    at = open_page(at, "end_to_end")
    assert not at.exception
    assert any("already past their standard" in s for s in texts(at))
    at = open_page(at, "understanding")
    assert not at.exception
    assert ran == [("backlog", "panels"), ("resident_groups", "panels")]
