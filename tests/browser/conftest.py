"""Browser fixtures: a real Streamlit server on the sample data, driven by Debian's Chromium.

Playwright's own browser download is not used (and not possible offline): the tests launch
/usr/bin/chromium. Screenshots of every page are written to test-results/ for review.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"Streamlit did not start at {url}")


# an assertion on the page waits this long for it to come true: a loaded CI machine can take
# several seconds to draw a page, and Playwright's 5 s default is not enough there
expect.set_options(timeout=30_000)

STREAMLIT_RUN = (sys.executable, "-m", "streamlit", "run", "app.py")


def _serve(
    tmp_path_factory,
    name: str,
    data: Path = ROOT / "data" / "sample",
    args: tuple = (),
    command: tuple = STREAMLIT_RUN,
    **env,
):
    """Start a Streamlit server for app.py (`streamlit run app.py`, or `command`) on a
    folder of extracts (with any other SCORECARD_* settings); yields its URL."""
    port = _free_port()
    env = (
        os.environ
        | {
            "SCORECARD_DATA": str(data),
            "SCORECARD_SETTLE_SECONDS": "0",
            "SCORECARD_CACHE": str(tmp_path_factory.mktemp(f"{name}-cache")),
            "SCORECARD_STATE": str(tmp_path_factory.mktemp(f"{name}-state")),
            "SCORECARD_SNAPSHOTS": str(tmp_path_factory.mktemp(f"{name}-snap")),
        }
        | {f"SCORECARD_{key.upper()}": str(value) for key, value in env.items()}
    )
    log = open(tmp_path_factory.mktemp("logs") / "streamlit.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            *command,
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A Streamlit server shared by the browser tests."""
    yield from _serve(tmp_path_factory, "browser")


@pytest.fixture(scope="module")
def example_server(tmp_path_factory):
    """A server on an example council that supplied only a request log (cases, contacts)."""
    yield from _serve(tmp_path_factory, "example", ROOT / "data" / "examples" / "request_log")


@pytest.fixture(scope="module")
def mini_council(tmp_path_factory):
    """A server on a copy of the mini extracts that a test may damage: (URL, data folder)."""
    data = tmp_path_factory.mktemp("mini") / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", data)
    for url in _serve(tmp_path_factory, "mini", data):
        yield url, data


@pytest.fixture
def fresh_server(tmp_path_factory):
    """A server that nobody has visited yet (for first-visit behaviour)."""
    yield from _serve(tmp_path_factory, "fresh")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (see README)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page at 1440 x 1000."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    yield context.new_page()
    context.close()
