"""Every page opened in Chromium on the sample data; filters carried in the URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from scorecard.ui.components import TABLE_WIDTHS

from browser_helpers import click_and_wait, screenshot, wait_for_app
from support import ROOT

pytestmark = pytest.mark.browser

PAGES = [
    ("", "Scorecard: Customer Experience Strategy"),
    ("ethos", "Customer ethos"),
    ("understanding", "Understanding our customers"),
    ("access", "Access"),
    ("end_to_end", "End-to-end experience"),
    ("complaints", "Complaints"),
    ("data", "Data and definitions"),
    ("service?service_view=Housing", "Service view"),
    ("actions", "Action plan"),
    ("map", "Strategy map"),
    ("measure?measure=Cases+resolved+within+standard", "Cases resolved within standard"),
]


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_page_opens_without_error(server, page, path, title):
    page.goto(f"{server}/{path}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == title
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, path.split("?")[0] or "overview")


def test_a_council_with_two_extracts_sees_every_page_and_what_is_missing(example_server, page):
    for path, _ in PAGES:
        page.goto(f"{example_server}/{path.replace('Housing', 'Highways')}")
        wait_for_app(page)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert page.locator("[data-testid='stException']").count() == 0, path
        assert "Traceback" not in text and str(ROOT) not in text, path
    page.goto(example_server)
    wait_for_app(page)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Eastmoor City Council (example)" in text
    assert "Not supplied: no complaints extract:" in text
    assert "Not measured: the contacts extract has no wait_seconds values:" in text
    screenshot(page, "example-request-log-overview")


def test_overview_shows_cards_with_words_not_just_colour(server, page):
    page.goto(server)
    wait_for_app(page)
    text = page.locator("[data-testid='stMain']").inner_text()
    for word in ("On target", "Near target", "Off target"):
        assert word in text
    assert page.locator(".st-key-card-calls_answered_60s").count() == 1


def test_filters_in_the_url_survive_navigation(server, page):
    page.goto(f"{server}/?grain=Quarter&service=Housing")
    wait_for_app(page)
    assert (
        "Q2 2026/27 · Housing · all channels" in page.locator("[data-testid='stMain']").inner_text()
    )
    # the menu's link (not a card's "Complaints ..." link, which opens a new tab): the menu's
    # links can be drawn a moment after the script has finished, so the locator waits for it
    click_and_wait(page, page.locator(".st-key-page-nav").get_by_role("link", name="Complaints"))
    # a page change may take a second run (the address bar's filters applied): each check
    # waits for the app to show what it should, up to its timeout
    expect(page.locator("h1").first).to_have_text("Complaints")
    # the address bar is rewritten in place (history.replaceState, no navigation): polled
    expect(page).to_have_url(re.compile(r"^(?=.*[?&]grain=Quarter)(?=.*[?&]service=Housing)"))
    expect(page.locator("[data-testid='stMain']")).to_contain_text(
        "Q2 2026/27 · Housing · all channels"
    )


def test_committee_pack_opens_offline(browser, tmp_path):
    """The pack opened from disk in Chromium requests nothing from any network."""
    from datetime import date

    from scorecard import ingest, settings
    from scorecard.engine import db
    from scorecard.reports import pack

    s = settings.load({"data_dir": ROOT / "data" / "sample", "cache_dir": tmp_path / "c"})
    ingest.refresh(s)
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    filters = pack.filters_for("Q2 2026/27", date(2026, 9, 30), date(2022, 4, 1))
    path = tmp_path / "pack.html"
    path.write_text(pack.render(database, s, filters, date(2026, 9, 30)), encoding="utf-8")
    database.close()
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_selector("figure .chart .main-svg", timeout=60000)
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert page.locator("h2").count() >= 9
    context.close()


def test_scorecard_table_opens_a_measure_with_the_same_filters(server, page):
    """The overview's table view: a row per measure, and its 'Open' link leads to that
    measure's detail with the filters of the view it came from."""
    page.goto(f"{server}/?layout=Table&grain=Quarter&service=Housing")
    wait_for_app(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # columns Pillar and Measure (their widths in TABLE_WIDTHS), then Details; the third
    # row is 'Mystery shopping standards met' (rows are 35 px under a 35 px header)
    widths = TABLE_WIDTHS
    x, y = box["x"] + widths["Pillar"] + widths["Measure"] + 18, box["y"] + 35 + 2 * 35 + 17
    page.mouse.move(x, y)
    page.mouse.move(x + 1, y)
    with page.context.expect_page(timeout=15000) as opened:
        page.mouse.click(x + 1, y)
    detail = opened.value
    wait_for_app(detail)
    assert "measure=Mystery+shopping+standards+met" in detail.url
    assert "grain=Quarter" in detail.url and "service=Housing" in detail.url
    assert detail.locator("h1").first.inner_text().strip() == "Mystery shopping standards met"
    assert "Q2 2026/27 · Housing" in detail.locator("[data-testid='stMain']").inner_text()
    detail.close()
