"""Helpers for the browser tests: wait for Streamlit to finish, take full-page screenshots."""

from __future__ import annotations

import time
from pathlib import Path

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def wait_for_app(page, timeout: float = 90) -> None:
    """Wait until the script has finished running and a page title is on screen."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = page.evaluate(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".getAttribute('data-test-script-state')"
        )
        if state == "notRunning" and page.locator("h1").count():
            time.sleep(0.5)
            return
        time.sleep(0.25)
    raise TimeoutError("the app did not finish running")


def screenshot(page, name: str) -> Path:
    """A full-length screenshot of the page into test-results/ (for review by eye)."""
    SHOTS.mkdir(exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], section')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1440, "height": min(max(1000, height + 80), 12000)})
    time.sleep(0.5)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1440, "height": 1000})
    return path


def press_until(page, key: str, condition: str, attempts: int = 3) -> None:
    """Press a key until a JavaScript condition holds (e.g. the slide in the URL has moved).
    A key press that reaches the page while it is still settling can be lost; it is pressed
    again only once the app is idle and the condition still does not hold, so it never moves
    two steps."""
    for attempt in range(attempts):
        page.keyboard.press(key)
        try:
            page.wait_for_function(condition, timeout=10_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's timeout: try again once idle
            if attempt == attempts - 1:
                raise
            wait_for_app(page)
            if page.evaluate(condition):
                return
            page.locator("h1").first.click()
