"""Browser benchmark: how long each page takes to show all its charts, and what it downloads.

    python benchmarks/browser_benchmark.py [--url http://localhost:8599] [--repeat 3]
        [--out benchmarks/RESULTS-browser.md]

Drives a running dashboard (start one first, e.g. `streamlit run app.py --server.port
8599`) with Debian's headless Chromium through Playwright. Every page (the overview, each
pillar, the service view, the action plan, data and definitions, measure detail, and the
overview in presentation mode) is opened `--repeat` times, each time in a fresh browser
context, so the browser's cache is cold but the server (and its caches) is the same. One
unrecorded load of the overview first warms the server up, so that its start-up is not
charged to the first page. For each load it records:

- visible: milliseconds from navigation start (the page's own `performance.now()`) until the
  app has finished running and every Plotly chart on the page has been drawn;
- websocket: the payload bytes of every frame received over Streamlit's websocket (the
  protobuf messages, after any websocket compression is undone);
- HTTP: the bytes of every HTTP response as they came over the network (HTML, scripts,
  styles, fonts, the lazily loaded Plotly bundle).

"Finished" is read from the page, never from fixed sleeps. A script in the page checks on
every animation frame that:

1. an `h1` is on the page;
2. the app is idle: `[data-testid="stApp"]` has `data-test-script-state="notRunning"` and no
   `[data-testid="stStatusWidgetRunningIcon"]` is shown. (Streamlit 1.67 puts its status
   widget, `[data-testid="stStatusWidget"]`, in the header toolbar only once a run has taken
   500 ms; with this app's minimal toolbar the header stays empty, so the script state on
   stApp is the signal that counts);
3. no `[data-testid="stSkeleton"]` placeholder is left (Streamlit shows these while an
   element's code, such as the Plotly bundle, is still loading);
4. every `[data-testid="stPlotlyChart"]` holds a `.js-plotly-plot` with a drawn `.main-svg`,
   of non-zero width unless the chart is not displayed at all (it sits in a tab that is not
   selected: Plotly draws it there too, and it is counted).

The time is when all four first held; the load is over once they have held, with the same
number of charts, for `STABLE_MS` (charts can arrive one after another).

Prints one Markdown table (median over the repeats) beside the goal of at most 1 MB of
websocket payload per page (the HTTP bytes, mostly Streamlit's and Plotly's own code, which a
browser caches, are shown apart), and writes it to `--out`. Progress goes to stderr. Asserts
nothing: timings belong in a benchmark.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PATHS = [
    "",
    "ethos",
    "understanding",
    "access",
    "end_to_end",
    "complaints",
    "service",
    "actions",
    "map",
    "data",
    "measure",
    "?present=1",
]
NAMES = {"": "overview", "?present=1": "presentation"}
GOAL_BYTES = 1_000_000
STABLE_MS = 1000  # the page must stay finished this long, with the same charts, to count
TIMEOUT_S = 180  # give up on a load after this long
POLL_S = 0.05

# Runs in every page before Streamlit's own code: on each animation frame it works out whether
# the page is finished (see the module docstring) and keeps the time it first became so, with
# the number of charts; `null` whenever it is not finished.
WATCH = """
window.__bench = {readyAt: null, charts: -1, exceptions: 0};
(() => {
function chartsDrawn(charts) {
  return charts.every(chart => {
    // a chart in a tab that is not selected is drawn but not displayed: it has no box
    const svg = chart.querySelector('.js-plotly-plot .main-svg');
    const shown = chart.getClientRects().length > 0;
    return svg !== null && (!shown || svg.getBoundingClientRect().width > 0);
  });
}
(function check() {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('[data-testid="stStatusWidgetRunningIcon"]') === null;
  // the cheap tests first: charts are looked at (and laid out) only once the rest holds
  const charts = idle && document.querySelector('h1') !== null
    && document.querySelector('[data-testid="stSkeleton"]') === null
    ? [...document.querySelectorAll('[data-testid="stPlotlyChart"]')] : null;
  const ready = charts !== null && chartsDrawn(charts);
  const state = window.__bench;
  state.exceptions = document.querySelectorAll('[data-testid="stException"]').length;
  if (!ready) {
    state.readyAt = null;
    state.charts = -1;
  } else if (state.readyAt === null || state.charts !== charts.length) {
    state.readyAt = performance.now();
    state.charts = charts.length;
  }
  requestAnimationFrame(check);
})();
})();
"""


def _load(browser, url: str, size: tuple[int, int]) -> dict:
    """Open `url` in a fresh browser context and wait until it is finished: its time to all
    charts visible (ms), chart count, websocket and HTTP bytes received, and exceptions."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        ws_bytes = [0]
        requests = []  # their sizes are asked for once the page is finished, not while timing

        def on_frame(payload: bytes | str) -> None:
            ws_bytes[0] += len(payload.encode() if isinstance(payload, str) else payload)

        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        page.on("requestfinished", lambda request: requests.append(request))
        page.add_init_script(WATCH)
        page.goto(url, wait_until="commit")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            state = page.evaluate("() => ({...window.__bench, now: performance.now()})")
            if state["readyAt"] is not None and state["now"] - state["readyAt"] >= STABLE_MS:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish in {TIMEOUT_S} s: {state}")
            time.sleep(POLL_S)
        # HTTP bytes as they came over the network: headers and the (compressed) body
        http_bytes = sum(
            max(size["responseHeadersSize"], 0) + max(size["responseBodySize"], 0)
            for size in (request.sizes() for request in requests)
        )
        return {
            "visible_ms": state["readyAt"],
            "charts": state["charts"],
            "ws_bytes": ws_bytes[0],
            "http_bytes": http_bytes,
            "exceptions": state["exceptions"],
        }
    finally:
        context.close()


def measure(base_url: str, paths: list[str], repeat: int = 3, size=(1440, 900)) -> list[dict]:
    """Load every page `repeat` times, each in a fresh browser context (cold browser cache)
    against the same server, at a window of `size` (width, height) pixels.

    Returns one dict per path, in order: `path`, `url`, median `visible_ms` (navigation start
    to every chart drawn and the app idle), median `ws_bytes` (websocket payload received),
    median `http_bytes` (HTTP responses), `charts` (the most Plotly charts seen) and
    `exceptions` (the most Streamlit exception boxes seen, which should be 0). The first load
    from a freshly started server also pays for its start-up; warm it up first if that is not
    wanted (main() does)."""
    base = base_url.rstrip("/")
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        try:
            for path in paths:
                url = f"{base}/{path}"
                loads = [_load(browser, url, size) for _ in range(repeat)]
                rows.append(
                    {
                        "path": path,
                        "url": url,
                        **{
                            key: statistics.median(load[key] for load in loads)
                            for key in ("visible_ms", "ws_bytes", "http_bytes")
                        },
                        **{
                            key: max(load[key] for load in loads)
                            for key in ("charts", "exceptions")
                        },
                    }
                )
        finally:
            browser.close()
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://localhost:8599", help="the running dashboard")
    parser.add_argument("--repeat", type=int, default=3, help="loads per page (median)")
    parser.add_argument("--out", type=Path, help="also write the table here (Markdown)")
    args = parser.parse_args(argv)
    measure(args.url, [""], repeat=1)  # warm the server up; not recorded
    rows = []
    for path in PATHS:
        rows += measure(args.url, [path], args.repeat)
        row = rows[-1]
        print(
            f"{NAMES.get(path, path)}: {row['visible_ms']:,.0f} ms, {row['charts']} charts, "
            f"{row['ws_bytes']:,.0f} websocket bytes",
            file=sys.stderr,
            flush=True,
        )
        if row["exceptions"]:
            print(f"warning: {row['url']} shows {row['exceptions']} exception(s)", file=sys.stderr)
    table = _table(rows, args.url, args.repeat)
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f}"


def _table(rows: list[dict], url: str, repeat: int) -> str:
    lines = [
        f"# Pages in the browser: time to all charts visible, and payload ({url})",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"headless Chromium at {CHROMIUM}, fresh browser context per load (cold cache), "
        f"median of {repeat} load(s) per page after one warm-up load of the server.",
        "",
        "Time: navigation start until the app is idle and every Plotly chart is drawn. "
        "Websocket: payload of the frames Streamlit sent; HTTP: every other response "
        "(scripts, styles, fonts), as it came over the network.",
        "",
        "| Page | Time to all charts visible (ms) | Charts | Websocket payload (MB) "
        "| HTTP (MB) | Goal payload ≤ 1 MB |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        ok = "yes" if row["ws_bytes"] <= GOAL_BYTES else "no"
        lines.append(
            f"| {NAMES.get(row['path'], row['path'])} | {row['visible_ms']:,.0f} | "
            f"{row['charts']} | {_mb(row['ws_bytes'])} | {_mb(row['http_bytes'])} | "
            f"{ok} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
