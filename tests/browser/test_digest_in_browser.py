"""The change digest's HTML opened from disk in Chromium (as a mail client or a browser
shows the file): its headings and links render, it requests nothing from any network, and
axe-core finds no critical or serious accessibility problem."""

from __future__ import annotations

from datetime import date

import pytest

from scorecard import ingest
from scorecard.engine import coverage, db
from scorecard.reports import digest, pack

from browser_helpers import screenshot
from support import MINI, build

pytestmark = pytest.mark.browser

URL = "https://scorecard.eastvale.gov.uk"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The mini extracts' digest for September 2026 (min_base 1), written to a file."""
    folder = tmp_path_factory.mktemp("digest")
    s, result = build(
        MINI, folder / "cache", min_base=1, state_dir=folder / "state", dashboard_url=URL
    )
    assert result.ok, result.problems
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    as_at = date(2026, 9, 30)
    filters = pack.filters_for("September 2026", as_at, coverage.load(database).first)
    path = folder / "digest.html"
    path.write_text(digest.to_html(digest.build(database, s, filters, as_at)), encoding="utf-8")
    database.close()
    return path


def test_digest_opens_offline_with_its_headings_and_links(browser, written):
    context = browser.new_context(offline=True, viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(written.as_uri())
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Scorecard digest: September 2026"
    assert page.locator("h2").all_inner_texts() == [
        "Measures that changed status",
        "New special-cause signals",
        "Actions that became overdue",
        "Red and amber measures without approved commentary",
        "About this digest",
    ]
    assert page.get_by_text("No new special-cause signal.").is_visible()
    first = page.locator("h2 + ul a").first  # the first measure that changed status
    assert first.inner_text() == "Calls abandoned"
    assert (
        first.get_attribute("href")
        == f"{URL}/measure?measure=Calls+abandoned&period=September+2026"
    )
    assert first.is_visible() and first.bounding_box()["height"] > 10
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert [u for u in requests if not u.startswith("file:")] == []
    top = screenshot(page, "digest")  # the top, as a mail client's preview shows it
    page.screenshot(path=str(top.with_name("digest-full.png")), full_page=True)
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    serious = [
        f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in found.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]
    assert serious == []
    context.close()
