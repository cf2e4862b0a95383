"""Helpers for the browser tests: wait for Streamlit to finish, take full-page screenshots."""

from __future__ import annotations

from pathlib import Path

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('h1') && !document.querySelector('[data-stale="true"]');
}"""
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Everything on screen drawn: once the script has finished, the browser still loads tables
# and charts for a second or so, showing placeholders (skeletons) until it has.
DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .every(chart => chart.querySelector('.main-svg'))"""


def wait_for_app(page, timeout: float = 90) -> None:
    """Wait until the script has finished running, a page title is on screen and nothing
    shown is left over from the run before."""
    page.wait_for_function(IDLE, timeout=timeout * 1000)
    page.evaluate(NEXT_FRAME)


WATCH_RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__scriptRuns = 0;
  // a run seen starting, or ending (a quick run's start and end can reach one callback)
  new MutationObserver((records) => {
    const seen = records.some((r) => r.oldValue === 'running')
      || app.getAttribute('data-test-script-state') === 'running';
    if (seen) window.__scriptRuns += 1;
  }).observe(app, {attributes: true, attributeOldValue: true,
                   attributeFilter: ['data-test-script-state']});
}"""


def click_and_wait(page, target, timeout: float = 90) -> None:
    """Click `target` (a locator) and wait for the script run it starts to finish: a run is
    seen to begin before the app counts as idle again, so nothing left from before passes."""
    page.evaluate(WATCH_RUNS)
    target.click()
    page.wait_for_function("() => window.__scriptRuns > 0", timeout=timeout * 1000)
    wait_for_app(page, timeout)


def screenshot(page, name: str) -> Path:
    """A full-length screenshot of the page into test-results/ (for review by eye)."""
    SHOTS.mkdir(exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], section')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1440, "height": min(max(1000, height + 80), 12000)})
    page.wait_for_function(DRAWN, timeout=60_000)  # all of it now on screen, drawn
    page.evaluate(NEXT_FRAME)  # laid out again at the new size
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
