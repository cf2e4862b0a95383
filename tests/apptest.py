"""Helpers for AppTest: run app.py against a folder of extracts, open a page by its URL."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from support import ROOT


def app(monkeypatch, data_dir, cache_dir, **env) -> AppTest:
    """An AppTest of app.py reading `data_dir`, with extra SCORECARD_* settings."""
    monkeypatch.setenv("SCORECARD_DATA", str(data_dir))
    monkeypatch.setenv("SCORECARD_CACHE", str(cache_dir))
    monkeypatch.setenv("SCORECARD_SNAPSHOTS", str(cache_dir / "snapshots"))
    monkeypatch.setenv("SCORECARD_STATE", str(cache_dir / "state"))  # commentary, audit log
    monkeypatch.setenv("SCORECARD_STRICT", "1")  # a fault fails the test, not just a message
    monkeypatch.setenv("SCORECARD_SETTLE_SECONDS", "0")  # fixtures are written just before
    for key, value in env.items():
        monkeypatch.setenv(f"SCORECARD_{key.upper()}", str(value))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def open_page(at: AppTest, url_path: str) -> AppTest:
    """Switch to a registered navigation page by its URL path and run it."""
    pages = {info.get("url_pathname"): h for h, info in at._registered_pages.items()}
    at._page_hash = pages[url_path]
    return at.run()


def page_urls(at: AppTest) -> dict[str, str]:
    """URL path -> page title, for every page st.navigation registered."""
    return {info.get("url_pathname"): info["page_name"] for info in at._registered_pages.values()}


def texts(at: AppTest) -> list[str]:
    """Every markdown, caption and title text on the page, for searching."""
    return [
        e.value
        for kind in ("markdown", "caption", "title", "header", "subheader")
        for e in getattr(at, kind)
    ]
