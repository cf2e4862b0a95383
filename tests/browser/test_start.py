"""Plain `streamlit run app.py` (what Streamlit's hosting and most council IT setups run)
behaves exactly as the project's own start command, from the very first request: a fresh
server opened straight at a deep link shows that page, with its filters, and no "Page not
found" (Streamlit would show one, and its old page menu, if a pages/ folder sat beside
app.py)."""

from __future__ import annotations

import pytest
from conftest import ROOT, STREAMLIT_RUN, _serve

from browser_helpers import wait_for_app

pytestmark = pytest.mark.browser

WAYS = {"streamlit run app.py": STREAMLIT_RUN, "scripts/run.sh": (str(ROOT / "scripts/run.sh"),)}


@pytest.mark.parametrize("way", list(WAYS))
def test_a_fresh_server_opens_a_deep_link_first(tmp_path_factory, browser, way):
    server = _serve(
        tmp_path_factory, f"start-{way.split()[0].replace('/', '-')}", command=WAYS[way]
    )
    url = next(server)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{url}/complaints?grain=Quarter&service=Housing")
        wait_for_app(page)
        assert page.get_by_role("heading", level=1).first.inner_text() == "Complaints"
        assert page.get_by_text("Page not found").count() == 0
        assert "Q2 2026/27 · Housing" in page.locator("body").inner_text()
        assert page.url.endswith("/complaints?grain=Quarter&service=Housing")
        # Streamlit's own page menu stays hidden: the sidebar holds our accessible menu only
        assert page.locator("[data-testid=stSidebarNav]").count() == 0
        page.close()
    finally:
        next(server, None)
