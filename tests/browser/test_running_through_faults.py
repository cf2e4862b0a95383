"""A damaged extract while the dashboard is running, in Chromium: the Data page's "Check for
new data now" reports it in one line on every page, the last good figures stay, no traceback
or server path appears, and putting the file right clears it."""

from __future__ import annotations

import pytest

from browser_helpers import click_and_wait, wait_for_app

pytestmark = pytest.mark.browser


def _check_now(page, url):
    page.goto(f"{url}/data")
    wait_for_app(page)
    click_and_wait(page, page.get_by_role("button", name="Check for new data now"))


def test_a_stray_quote_while_running(mini_council, page):
    url, data = mini_council
    page.goto(url)  # the dashboard is up and serving good data first
    wait_for_app(page)
    assert (
        "The latest data refresh failed" not in page.locator("[data-testid='stMain']").inner_text()
    )
    good = (data / "complaints.csv").read_bytes()
    (data / "complaints.csv").write_bytes(good.replace(b",1,Housing,", b',1,"Housing,', 1))
    try:
        _check_now(page, url)
        for path in ("", "complaints", "data"):
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            text = page.locator("[data-testid='stMain']").inner_text()
            assert page.locator("[data-testid='stException']").count() == 0, path
            assert "The latest data refresh failed" in text, path
            assert "complaints.csv: has a double quote on line" in text, path
            assert "Traceback" not in text and str(data) not in text, path
    finally:
        (data / "complaints.csv").write_bytes(good)
    _check_now(page, url)
    page.goto(url)
    wait_for_app(page)
    assert (
        "The latest data refresh failed" not in page.locator("[data-testid='stMain']").inner_text()
    )
