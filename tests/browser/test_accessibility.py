"""WCAG 2.2 AA in Chromium: axe-core on every page (every expander open, every tab shown,
and in presentation mode), the sidebar menu, and a keyboard-only journey in which every
element that takes focus shows it and no chart toolbar sits in a slide's Tab order.

axe-core comes bundled with axe-playwright-python, so the scans run offline. Critical and
serious violations fail, and so does a skipped heading level (`heading-order`, a moderate
best-practice rule that is ours to keep); any other moderate or minor finding is reported
as a warning with its rule and elements.
"""

from __future__ import annotations

import contextlib
import tomllib
import warnings

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from browser_helpers import DRAWN, wait_for_app
from support import ROOT

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PILLARS = [
    p["id"]
    for p in tomllib.loads((ROOT / "config" / "strategy.toml").read_text(encoding="utf-8"))[
        "pillar"
    ]
]
PAGES = [
    "",
    *PILLARS,
    "service?service_view=Housing",
    "actions",
    "map",
    "data",
    "measure?measure=Calls+answered+within+60+seconds",
    "?present=1&slide=2",
    "access?present=1&slide=1",
    "access?present=1&slide=3",
]

SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('h1') && !document.querySelector('[data-stale="true"]')
    && document.querySelector('[data-testid="stPopover"]');
}"""
OPEN_EXPANDERS = """() => document.querySelectorAll(
  '[data-testid="stExpander"] details:not([open]) > summary').forEach(s => s.click())"""

# What the focused element shows: an outline, or a box-shadow ring, at least 2 px wide, on
# the element or on the box it sits in (a form field's frame, a switch's label), neither
# transparent nor cut away by a box around it (three sides or more outside a box that
# clips), and the ring's contrast with the background behind it (WCAG 1.4.11 asks 3:1; a
# half-transparent ring is blended with that background first).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v =>
    v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const shown = e => { for (let p = e; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.opacity === '0' || s.visibility === 'hidden' || s.display === 'none') return false; }
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    const grow = s.outlineStyle === 'none' ? 2
      : parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset || 0);
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflow === 'visible') continue;
      const q = p.getBoundingClientRect();
      const cut = [r.left - grow < q.left - 1, r.top - grow < q.top - 1,
                   r.right + grow > q.right + 1, r.bottom + grow > q.bottom + 1];
      if (cut.filter(Boolean).length >= 3) return false;
    }
    return r.width > 2 && r.height > 2; };
  const behind = e => { for (let p = e.parentElement; p; p = p.parentElement) {
      const c = rgb(getComputedStyle(p).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3); } return [255, 255, 255]; };
  // [r, g, b, alpha?] of an outline, or of a box-shadow ring on the element itself (a box
  // around it may carry a shadow of its own, focused or not)
  const ringColour = (e, own) => {
    const s = getComputedStyle(e);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return rgb(s.outlineColor);
    if (!own) return null;
    const colour = s.boxShadow.match(/rgba?\\([^)]*\\)/);
    const sizes = (s.boxShadow.replace(/rgba?\\([^)]*\\)/, '').match(/-?[\\d.]+px/g) || [])
      .map(parseFloat);
    return colour && sizes.length >= 4 && sizes[3] >= 2 ? rgb(colour[0]) : null;
  };
  let ring = null, colour = null;
  for (let e = el, i = 0; e && i < 5 && !ring; e = e.parentElement, i++) {
    colour = ringColour(e, i === 0);
    if (colour && shown(e)) ring = e;
  }
  let contrast = 0;
  if (ring) {
    const back = behind(ring), alpha = colour.length > 3 ? colour[3] : 1;
    const drawn = colour.slice(0, 3).map((c, i) => alpha * c + (1 - alpha) * back[i]);
    const [a, b] = [lum(drawn), lum(back)];
    contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  // its words less icon names (material_symbol) and shortcut arrows
  const name = (el.getAttribute('aria-label') || el.innerText || el.getAttribute('data-title')
                || el.getAttribute('data-testid') || '').split('\\n').map(t => t.trim())
    .filter(t => /[A-Za-z0-9]/.test(t) && !/^[a-z0-9_]+$/.test(t)).join(' ').slice(0, 60);
  const styled = [...document.querySelectorAll('style')]
    .some(s => s.textContent.includes('a keyboard focus that can be seen'));
  return {tag: el.tagName, name, ring: !!ring, contrast, styled,
          modebar: !!el.closest('.modebar, .modebar-container'),
          sidebar: !!el.closest('[data-testid="stSidebar"]'),
          service: !!el.closest('.st-key-service'),
          link: el.tagName === 'A' ? name : null,
          start: el.hasAttribute('data-tab-start'),
          card: el.closest('[class*="st-key-card-"]')?.querySelector('strong')?.innerText,
          toggle: el.getAttribute('role') === 'switch'
            && !!el.closest('[data-testid="stCheckbox"], .stCheckbox')};
}"""


def settle(page) -> None:
    """The script has finished, nothing on screen is stale and the last element of a run
    (the copy-link box, filled after the page) is there, and every table and chart is drawn
    (no placeholder left for axe to scan instead of the real thing)."""
    wait_for_app(page)
    page.wait_for_function(SETTLED, timeout=60_000)
    page.wait_for_function(DRAWN, timeout=60_000)


def _scan(page, context=None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": TAGS}}
    found = Axe().run(page, context=context, options=options).response["violations"]
    order = (
        Axe()
        .run(
            page,
            context=context,
            options={"runOnly": {"type": "rule", "values": ["heading-order"]}},
        )
        .response["violations"]
    )
    return found + order


def _lines(violations: list[dict]) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {n['target']} {n.get('failureSummary', '')[:160]}"
        for v in violations
        for n in v["nodes"]
    ]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_serious_with_everything_open(server, page, path):
    page.goto(f"{server}/{path}")
    settle(page)
    page.evaluate(OPEN_EXPANDERS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stExpander\"] details:not([open])')"
    )
    violations = _scan(page)
    tabs = page.locator("[role='tab']")
    for i in range(tabs.count()):  # each tab's panel, shown in turn
        tabs.nth(i).click()
        expect(tabs.nth(i)).to_have_attribute("aria-selected", "true")
        violations += _scan(page, "[data-testid='stTabs']")
    failing = [
        v
        for v in violations
        if v["impact"] in ("critical", "serious") or v["id"] == "heading-order"
    ]
    assert not failing, "\n".join(_lines(failing))
    for line in sorted(set(_lines(violations))):
        warnings.warn(f"axe on /{path}: {line}", stacklevel=1)


def test_the_sidebar_menu_links_every_page_and_marks_this_one(server, page):
    page.goto(f"{server}/access")
    settle(page)
    menu = page.locator(".st-key-page-nav")
    links = menu.locator("[data-testid='stPageLink-NavLink']")
    expect(links).to_contain_text(
        [  # every page but the hidden measure detail, in order
            "Scorecard",
            "Customer ethos",
            "Understanding our customers",
            "Access",
            "End-to-end experience",
            "Complaints",
            "Service view",
            "Action plan",
            "Strategy map",
            "Data and definitions",
        ]
    )
    assert page.locator("[data-testid='stSidebarNav']").count() == 0  # Streamlit's, hidden
    current = menu.locator(".st-key-page-nav-current [data-testid='stPageLink-NavLink']")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Access")
    assert current.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    links.filter(has_text="Service view").click()  # the menu moves to the page it names
    page.wait_for_function("() => location.pathname.endsWith('/service')")
    settle(page)
    expect(page.locator("h1").first).to_have_text("Service view")
    expect(menu.locator(".st-key-page-nav-current")).to_contain_text("Service view")


# The focused element and its near ancestors have no transition running: the ring is read as
# it stays, not part-way through fading in (Streamlit eases some outlines and colours). Read
# with the app idle (SETTLED), so a run in progress has not yet replaced the page's styles.
FOCUS_STILL = """() => {
  for (let e = document.activeElement, i = 0; e && i < 5; e = e.parentElement, i++)
    if (e.getAnimations().some(a => a.playState === 'running')) return false;
  return true;
}"""


# The focused element shows a ring of 3:1 or more (or nothing has focus).
FOCUS_SHOWN = f"() => {{ const f = ({FOCUS})(); return !f || (f.ring && f.contrast >= 3); }}"


def _tab_until(page, seen: list, want, limit: int = 150) -> dict:
    """Press Tab until `want(focus)` holds, recording every element that took focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        page.wait_for_function(SETTLED, timeout=60_000)
        page.wait_for_function(FOCUS_STILL)
        # a ring drawn a moment late (styles re-applied on a loaded machine) counts; one
        # never drawn is recorded as read below
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(FOCUS_SHOWN, timeout=5_000)
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue
        seen.append(focus)
        if want(focus):
            return focus
    raise AssertionError(
        f"not reached in {limit} presses of Tab: {[f['name'] for f in seen[-12:]]}"
    )


def _press(page, key: str, condition: str) -> None:
    """Press a key once the app is idle, and again (only then) if the press was lost."""
    for _ in range(3):
        settle(page)
        page.keyboard.press(key)
        try:
            page.wait_for_function(condition, timeout=10_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's timeout: the press was lost
            settle(page)
            if page.evaluate(condition):
                return
    raise AssertionError(f"{key} did not bring about {condition}")


def _unseen(seen: list) -> list[str]:
    return [
        f"{f['tag']} '{f['name']}': "
        + (f"ring at {f['contrast']:.1f}:1" if f["ring"] else "no ring")
        + ("" if f["styled"] else " (the app's style sheet was not in the page)")
        for f in seen
        if not f["ring"] or f["contrast"] < 3
    ]


def test_keyboard_only_filters_measure_and_slides(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(server)
    settle(page)
    seen: list[dict] = []
    # the service filter, by Tab alone; a service chosen by typing
    _tab_until(page, seen, lambda f: f["service"])
    page.keyboard.type("Housing")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('service=Housing')")
    page.keyboard.press("Escape")
    settle(page)
    assert (
        "September 2026 · Housing · all channels"
        in page.locator("[data-testid='stMain']").inner_text()
    )
    # on to a measure card's 'Details and breakdown' link, and open it with Enter
    link = _tab_until(page, seen, lambda f: f["link"] == "Details and breakdown")
    assert link["card"] and not link["sidebar"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.pathname.endsWith('/measure')")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == link["card"]
    assert "service=Housing" in page.url
    assert (
        "September 2026 · Housing · all channels"
        in page.locator("[data-testid='stMain']").inner_text()
    )
    # the menu to a pillar, the presentation switch, then slides by the arrow keys
    _tab_until(page, seen, lambda f: f["link"] == "Access" and f["sidebar"])
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.pathname.endsWith('/access')")
    settle(page)
    _tab_until(page, seen, lambda f: f["toggle"])
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search.includes('present=1')")
    page.wait_for_selector("[data-testid='stSidebar']", state="hidden")
    settle(page)
    slides = "[data-testid='stMain']"
    assert "slide 1 of" in page.locator(slides).inner_text()
    for number in (2, 3):
        _press(page, "ArrowRight", f"() => location.search.includes('slide={number}')")
        settle(page)
        assert f"slide {number} of" in page.locator(slides).inner_text()
    page.wait_for_selector(".st-key-slide-chart .js-plotly-plot")  # a slide with a chart
    # once round the slide's whole Tab order: the controls, and no chart toolbar
    start = len(seen)
    _tab_until(page, seen, lambda f: f["name"] == "Next")
    _tab_until(page, seen, lambda f: True)
    page.evaluate("() => document.activeElement.setAttribute('data-tab-start', '')")
    _tab_until(page, seen, lambda f: f["start"])
    slide = seen[start:]
    assert {"Previous", "Next", "Exit presentation"} <= {f["name"] for f in slide}
    _press(page, "ArrowLeft", "() => location.search.includes('slide=2')")
    settle(page)
    assert "slide 2 of" in page.locator(slides).inner_text()
    context.close()
    # every element that took focus on the way showed it; a slide has no chart toolbar
    problems = {
        "focus not shown": _unseen(seen),
        "chart toolbar in a slide's Tab order": [f["name"] for f in slide if f["modebar"]],
    }
    assert not any(problems.values()), "\n".join(
        f"{kind}: {', '.join(names)}" for kind, names in problems.items() if names
    )
