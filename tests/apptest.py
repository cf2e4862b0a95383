"""Helpers for AppTest: run app.py against a folder of extracts, open a page by its URL."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from support import MINI, ROOT, build

# Settings that name where a test's own files go: they do not change what a build writes.
_OWN = {"SCORECARD_CACHE", "SCORECARD_SNAPSHOTS", "SCORECARD_STATE", "SCORECARD_STRICT"}
_BUILT: dict[tuple, Path] = {}


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
    _copy_of_built(Path(data_dir), Path(cache_dir))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _copy_of_built(data_dir: Path, cache_dir: Path) -> None:
    """Give a test of the mini fixture its own copy of a database already built from it
    with the same settings (built once per test process), instead of building it again.
    The app still checks the copy is current and rebuilds if anything differs."""
    if data_dir != MINI or cache_dir.exists():
        return
    env = os.environ.items()
    key = tuple(sorted((k, v) for k, v in env if k.startswith("SCORECARD_") and k not in _OWN))
    if key not in _BUILT:
        folder = tempfile.mkdtemp(prefix="scorecard-mini-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = Path(folder) / "cache"
        build(MINI, template)  # the rest of the settings from the environment, as the app
        _BUILT[key] = template
    if _BUILT[key].exists():  # else nothing was built (the app serves a Parquet folder)
        shutil.copytree(_BUILT[key], cache_dir)


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
