"""Stateless replicas (issue 16, item 5; docs/scaling.md): two dashboard servers behind a
load balancer share one cache folder that a separate loading job writes. Neither loads
anything; both serve the same database file, read-only, at the same time, and both move to
the new one when the job swaps it in."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, _serve

from scorecard import ingest
from scorecard.settings import load

from browser_helpers import click_and_wait, wait_for_app

pytestmark = pytest.mark.browser


def _caption(page, url: str) -> str:
    page.goto(url)
    wait_for_app(page)
    return page.locator("[data-testid='stMain']").inner_text()


def test_two_replicas_serve_what_the_loading_job_wrote(tmp_path_factory, page):
    data = tmp_path_factory.mktemp("replicas") / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", data)
    cache = tmp_path_factory.mktemp("replicas-cache")
    job = load({"data_dir": data, "cache_dir": cache, "settle_seconds": 0})
    first = ingest.refresh(job)  # the loading job, run on its own
    assert first.ok and first.rebuilt
    database = cache / first.database
    with (data / "complaints.csv").open("a", encoding="utf-8") as extract:
        extract.write("CMP9,1,Housing,web,2026-10-02,,,,,Delay,,none,,\n")  # not loaded yet

    replicas = [
        _serve(tmp_path_factory, f"replica{i}", data, cache=cache, serve_only=1) for i in (1, 2)
    ]
    try:
        urls = [next(replica) for replica in replicas]
        for url in urls:  # a complaint added to the extract is not loaded by a replica
            text = _caption(page, url)
            assert "data as at 30 September 2026" in text, url
            assert "Traceback" not in text
        assert sorted(p.name for p in cache.glob("db-*.duckdb")) == [database.name]

        second = ingest.refresh(job)  # the job runs again and swaps the new database in
        assert second.ok and second.rebuilt and second.database != first.database
        for url in urls:
            page.goto(f"{url}/data")
            wait_for_app(page)
            click_and_wait(page, page.get_by_role("button", name="Check for new data now"))
            assert "data as at 2 October 2026" in _caption(page, url), url
    finally:
        for replica in replicas:
            replica.close()  # stops the server


def test_a_replica_with_nothing_loaded_says_so(tmp_path):
    s = load(
        {
            "data_dir": ROOT / "tests" / "fixtures" / "mini",
            "cache_dir": tmp_path,
            "settle_seconds": 0,
            "serve_only": True,
        }
    )
    result = ingest.refresh(s)
    assert not result.ok and result.database is None
    assert result.problems == [
        "No data has been loaded yet: this dashboard shows what the "
        "loading job writes (python -m scorecard.ingest), and it has "
        "not run."
    ]
    assert list(tmp_path.iterdir()) == []  # nothing written: no lock, no pointer
