"""The strategy map in Chromium on the sample data: the commitments in the strategy's own
words, their measures (linked to each measure's page) and actions, and the gaps."""

from __future__ import annotations

import shutil

import pytest
from conftest import _serve
from playwright.sync_api import expect

from browser_helpers import SHOTS, screenshot, wait_for_app
from support import FIXTURES, MINI

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def westbrook(tmp_path_factory):
    """A server on a copy of the mini extracts with a second council's strategy
    (tests/fixtures/strategy_alt.toml) and a minimum base of 1, as in the AppTests."""
    data = tmp_path_factory.mktemp("westbrook") / "data"
    shutil.copytree(MINI, data)
    yield from _serve(
        tmp_path_factory, "westbrook", data, strategy=FIXTURES / "strategy_alt.toml", min_base=1
    )


def _read(locator) -> str:
    """A block's text as it reads: the invisible word joiners that keep text shown as typed
    from turning into links (fmt.plain) taken out."""
    return locator.inner_text().replace("\u2060", "")


def test_strategy_map_shows_commitments_measures_actions_and_gaps(server, page):
    page.goto(f"{server}/map")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(page.locator("h1").first).to_have_text("Strategy map")
    assert page.locator("[data-testid='stException']").count() == 0
    # the first pillar's tab is open on its first commitment, in the strategy's words
    first = page.locator(".st-key-commitment-ethos-training")
    expect(first).to_be_visible()
    assert _read(first).startswith(
        "\u201cEvery member of staff will be trained in customer care, and new starters "
        "within their induction.\u201d"
    )
    assert "A01 Roll out customer care e-learning to all staff" in _read(first)
    # the gaps, under their heading with the count; the two left in the shipped strategy on
    # purpose, and none of the kinds the sample's plan does not have: every action the
    # commitments name is in it, and each overdue action (A05, A09, A10, A16, A20) was
    # updated after it fell due
    expect(page.locator("h2#gaps")).to_contain_text("Gaps (")
    gaps = {
        "no_measure": "Commitments with no measure (1)",
        "no_commitment": "Scorecard measures with no commitment (1)",
        "overdue_no_update": "Overdue actions with no update since they fell due (0)",
        "unknown_action": "Actions named that are not in the action plan (0)",
    }
    for kind, heading in gaps.items():
        expect(page.locator(f".st-key-gaps-{kind} h3")).to_have_text(heading)
    assert "Access: Avoidable contact is on the scorecard, but no commitment names it." in (
        _read(page.locator(".st-key-gaps-no_commitment"))
    )
    expect(page.locator(".st-key-gaps-red_no_action h3")).to_contain_text(
        "Measures off target with no open action ("
    )
    screenshot(page, "strategy-map")
    # another pillar's tab: a commitment's measures, each a link to its own page
    page.get_by_role("tab", name="Access").click()
    phone = page.locator(".st-key-commitment-access-phone")
    expect(phone).to_be_visible()
    expect(phone).to_contain_text("We will answer 80% of calls within a minute")
    link = phone.get_by_role("link", name="Calls answered within 60 seconds")
    href = link.get_attribute("href")
    assert "/measure?" in href and "measure=Calls+answered+within+60+seconds" in href
    expect(phone.get_by_text("A15", exact=True)).to_be_visible()  # its action
    page.goto(href)
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Calls answered within 60 seconds")
    assert "September 2026" in main.inner_text()


def test_strategy_map_fits_a_projector(server, browser):
    """At 1280 x 720 nothing runs off the side: no sideways scrolling on the map."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/map")
    wait_for_app(page)
    page.get_by_role("tab", name="End-to-end experience").click()
    expect(page.locator(".st-key-commitment-e2e-standards")).to_be_visible()
    overflow = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]');"
        " return m.scrollWidth - m.clientWidth; }"
    )
    assert overflow <= 0
    box = page.locator(".st-key-commitment-e2e-standards").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "strategy-map-1280x720.png"))
    context.close()


def test_strategy_map_on_a_second_strategy(westbrook, page):
    """Westbrook's three pillars and seven gaps, worked by hand in test_strategy_map.py."""
    page.goto(f"{westbrook}/map")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.get_by_role("tab")).to_have_text(
        ["Easy to reach", "Right first time", "Listening and learning"]
    )
    phone = page.locator(".st-key-commitment-reach-phone")
    expect(phone).to_be_visible()
    assert _read(phone).startswith("\u201cWe will answer four in five calls within a minute.")
    expect(page.locator("h2#gaps")).to_have_text("Gaps (7)")
    expect(page.locator(".st-key-gaps-red_no_action h3")).to_have_text(
        "Measures off target with no open action (3)"
    )
    assert "A4 Train complaint handlers on the Code was due on 15 September 2026" in _read(
        page.locator(".st-key-gaps-overdue_no_update")
    )
    page.get_by_role("tab", name="Right first time").click()
    once = page.locator(".st-key-commitment-first-once")
    expect(once).to_be_visible()
    assert "No measure yet" in _read(once) and "Not in the action plan" in _read(once)
    screenshot(page, "strategy-map-second-strategy")
