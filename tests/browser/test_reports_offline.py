"""The annual complaints report opened from disk in Chromium draws every chart and requests
nothing from any network (it goes into agenda packs read offline)."""

from __future__ import annotations

from datetime import date

import pytest

from scorecard import ingest
from scorecard.engine import db
from scorecard.engine.catalogue import load_catalogue
from scorecard.reports import annual_report

from support import MINI, build

pytestmark = pytest.mark.browser


def test_annual_report_opens_offline(browser, tmp_path):
    s, _ = build(MINI, tmp_path / "cache", min_base=1)
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    html_path, _ = annual_report.write(
        database,
        s,
        load_catalogue(s.catalogue_file),
        "2026/27",
        date(2026, 9, 30),
        tmp_path / "report.html",
    )
    database.close()
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html_path.as_uri())
    # static charts, drawn when the paper was made: every chart is an SVG on arrival
    charts = page.evaluate(
        "() => [document.querySelectorAll('.chart').length, "
        "document.querySelectorAll('.chart > svg.main-svg').length]"
    )
    assert charts[0] > 0 and charts[0] == charts[1]
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    context.close()
