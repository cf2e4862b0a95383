"""The comparison with similar councils in Chromium, on the sample (Eastvale and its 15
fictional neighbours, data/sample/peers.csv): the card's line, and the measure page's chart."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.engine import fmt

from browser_helpers import screenshot, wait_for_app
from support import ROOT

pytestmark = pytest.mark.browser


def _place() -> str:
    """Eastvale's place for calls abandoned in 2025/26, read from the file itself (lower is
    better): '5th'."""
    frame = pd.read_csv(ROOT / "data" / "sample" / "peers.csv")
    year = frame[(frame["measure"] == "call_abandonment") & (frame["period"] == "2025-04-01")]
    ours = year.loc[year["area_name"] == "Eastvale", "value"].item()
    return fmt.ordinal(1 + int((year.loc[year["area_name"] != "Eastvale", "value"] < ours).sum()))


def test_card_line_and_measure_page_chart(server, page):
    words = f"{_place()} of 16 nearest neighbours (fictional), 2025/26"
    page.goto(f"{server}/access")
    wait_for_app(page)
    card = page.locator(".st-key-card-call_abandonment")
    assert words in card.inner_text()
    page.goto(f"{server}/measure?measure=Calls+abandoned")
    wait_for_app(page)
    section = page.locator(".st-key-chart-peers-call_abandonment")
    section.scroll_into_view_if_needed()
    section.locator(".main-svg").first.wait_for(timeout=30_000)  # the chart has drawn
    text = section.inner_text()
    assert f"Eastvale Council ranked {words.replace(', 2025/26', ' in 2025/26')}" in text
    legend = section.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert legend == [
        "Eastvale Council",
        "Median of nearest neighbours (fictional)",
        "Middle half (quartiles) of nearest neighbours (fictional)",
    ]
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "measure-peers")
