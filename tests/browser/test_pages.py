"""Every page opened in Chromium on the sample data; filters carried in the URL."""

from __future__ import annotations

import re

import pytest

from browser_helpers import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = [
    ("", "Scorecard: Customer Experience Strategy 2023 to 2027"),
    ("ethos", "Customer ethos"),
    ("understanding", "Understanding our customers"),
    ("access", "Access"),
    ("end_to_end", "End-to-end experience"),
    ("complaints", "Complaints"),
    ("data", "Data and definitions"),
]


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_page_opens_without_error(server, page, path, title):
    page.goto(f"{server}/{path}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == title
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, path or "overview")


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
    assert "Q2 2026/27 · Housing · all channels" in page.locator(
        "[data-testid='stMain']").inner_text()
    page.get_by_role("link", name="Complaints").first.click()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Complaints"
    assert re.search(r"grain=Quarter", page.url) and "service=Housing" in page.url
    assert "Q2 2026/27 · Housing · all channels" in page.locator(
        "[data-testid='stMain']").inner_text()
