"""Presentation mode for the committee room: no Streamlit chrome, type readable from the back
of the room, one measure at a time with previous and next (the arrow keys too), and the
filters and "as at" date on every slide. `?present=1` (or the toggle) turns it on; the slide
number is in the URL, so a pasted link opens the same slide.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from ..engine import summary
from . import a11y, app_state, link_check, views
from . import components as ui

CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] { display: none !important; }
html { font-size: max(15px, 2.35vh); }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 0.5rem 2.5vw 4.6rem; }
[data-testid="stMain"] { overflow-x: hidden; }
p, li, [data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"] {
  color: #000000 !important; }
h1 { font-size: 1.8rem !important; padding: 0.1rem 0 0.2rem !important; }
.st-key-clicker { display: none !important; }
.st-key-slide-controls { position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
  background: #FFFFFF; border-top: 1px solid #8C8C8C; padding: 0.35rem 2.5vw 0.5rem; }
.st-key-slide-chart [data-testid="stPlotlyChart"] { height: 42vh !important; }
.st-key-slide-chart [data-testid="stExpander"] { display: none; }
</style>
"""


def presenting() -> bool:
    """True when presentation mode is on."""
    return bool(st.session_state.get("present"))


def toggle() -> bool:
    """The presentation-mode switch (in the sidebar). Its state and the slide number live in
    the URL as ?present=1&slide=N, written here on every run (page switches clear them)."""
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") in ("1", "true", "yes")
    on = st.toggle(
        "Presentation mode",
        key="present",
        help="Hides the menus, enlarges the text and shows one measure at a time. "
        "Use the arrow keys or the buttons to move between slides.",
    )
    if on:
        st.markdown(CSS, unsafe_allow_html=True)
        st.query_params["present"] = "1"
    else:
        for key in ("present", "slide"):
            st.query_params.pop(key, None)
    return on


def copy_link(page_path: str) -> None:
    """The view's link in a box with a copy button."""
    with st.popover("Copy link to this view", icon=":material/link:"):
        st.caption("Paste it into an agenda or an email: it opens this exact view.")
        st.code(app_state.link(page_path), language=None, wrap_lines=True)


def _step(delta: int, count: int) -> None:
    st.session_state["slide"] = min(max(1, (st.session_state.get("slide") or 1) + delta), count)


def _exit() -> None:
    st.session_state["present"] = False


def slide_asked(text: str, count: int) -> int:
    """The slide a link's ?slide= opens: its number kept within the deck, else the first."""
    try:
        number = int(text)  # int() refuses a superscript digit or thousands of digits
    except ValueError:
        number = 1
    return min(max(1, number), count)


def slide_problems(count: int) -> list[str]:
    """A warning when the link asks for a slide this deck does not have (read before the
    controls take the slide from the URL)."""
    shown = slide_asked(st.query_params.get("slide", "1"), count)
    return link_check.problems(
        link_check.asked(["slide"]),
        {
            "slide": link_check.Choice(
                "slide",
                [str(n) for n in range(1, count + 1)],
                f"slide {shown}",
                f"which is not one of this presentation's {count} slides",
            )
        },
    )


def controls(count: int) -> int:
    """Previous and next (the arrow keys too, and a clicker's PageDown and PageUp), the slide
    number, and exit."""
    if "slide" not in st.session_state:
        st.session_state["slide"] = slide_asked(st.query_params.get("slide", "1"), count)
    st.session_state["slide"] = min(max(1, st.session_state["slide"]), count)
    back, number, forward, leave, share = st.columns(
        [1, 1.1, 1, 1.3, 1.4], vertical_alignment="center"
    )
    current = st.session_state["slide"]
    back.button(
        "Previous",
        icon=":material/arrow_back:",
        shortcut="Left",
        key="slide_back",
        on_click=_step,
        args=(-1, count),
        disabled=current <= 1,
        width="stretch",
    )
    number.number_input(
        f"Slide (of {count})",
        min_value=1,
        max_value=count,
        step=1,
        key="slide",
        label_visibility="collapsed",
    )
    forward.button(
        "Next",
        icon=":material/arrow_forward:",
        shortcut="Right",
        key="slide_next",
        on_click=_step,
        args=(1, count),
        disabled=current >= count,
        width="stretch",
    )
    with st.container(key="clicker"):  # hidden: a presentation clicker sends PageDown/PageUp
        st.button(
            "Next slide",
            shortcut="PageDown",
            key="slide_next_clicker",
            on_click=_step,
            args=(1, count),
        )
        st.button(
            "Previous slide",
            shortcut="PageUp",
            key="slide_back_clicker",
            on_click=_step,
            args=(-1, count),
        )
    leave.button(
        "Exit presentation",
        icon=":material/close_fullscreen:",
        key="slide_exit",
        on_click=_exit,
        width="stretch",
    )
    with share:
        copy_link(st.session_state.get("_page", ""))
    st.query_params["slide"] = str(st.session_state["slide"])
    return int(st.session_state["slide"])


def _top_bar(ctx, filters, index: int, count: int) -> None:
    stale = (
        date.today() - ctx.as_at
    ).days > ctx.settings.stale_after_days and not ctx.settings.demonstration
    who = " · ".join(p for p in (ctx.settings.council, ctx.strategy.title) if p)
    st.caption(
        f"**{who}** · {app_state.describe(filters, ctx.as_at)} · "
        f"{app_state.as_at_words(ctx)}{' (may be out of date)' if stale else ''} · "
        f"slide {index} of {count}"
    )


LINES_PER_SLIDE = 7  # attention lines a summary slide holds at 1280 x 720 (and so at 1080p)


def summary_pages(results) -> list[list]:
    """The attention list cut into slides: the first holds the counts and fewer lines."""
    flagged = summary.attention(results)
    first = LINES_PER_SLIDE - 3
    pages = [flagged[:first]]
    pages += [flagged[i : i + LINES_PER_SLIDE] for i in range(first, len(flagged), LINES_PER_SLIDE)]
    return pages


def _summary_slide(ctx, results, title: str, page: list, number: int, pages: int) -> None:
    st.title(title if number == 1 else f"{title} (continued)")
    if number == 1:
        ui.status_counts(ctx, results)
    more = f" ({number} of {pages})" if pages > 1 else ""
    a11y.section_heading(f"What needs attention{more}", "attention")
    if not page:
        st.markdown(
            ":material/check_circle: Nothing this period: every measure with a figure "
            "to judge is on target, and none is getting worse over time."
        )
    for r in page:
        st.markdown(f"{ui.attention_badge(r)} **{r.measure.title}**: {summary.attention_words(r)}")
    if number == pages:
        ui.absent_list(results)


def _measure_slide(ctx, result, pillar_id) -> None:
    st.title(result.measure.title)
    left, right = st.columns([1, 1.5], gap="medium")
    with left:
        ui.slide_card(result)
    with right:
        with st.container(key="slide-chart"):
            views.spc_block(ctx, result, pillar_id, compact=True, font_size=16)
        ui.commentary_block(ctx.notes, ctx.notes.for_result(result), compact=False, slide=True)


def show(ctx, filters, measure_ids, title: str, pillar_id: str | None = None) -> None:
    """A deck: a summary slide, then one slide per measure; controls at the foot."""
    every = ui.results_for(ctx, measure_ids, filters)
    results = [r for r in every if not r.absent]  # no slide for what the data cannot give
    pages = summary_pages(every)
    count = len(results) + len(pages)
    slide, foot = st.container(), st.container(key="slide-controls")
    asked = slide_problems(count)
    with foot:
        index = controls(count)
    with slide:
        link_check.warn(asked)
        _top_bar(ctx, filters, index, count)
        if index <= len(pages):
            _summary_slide(ctx, every, title, pages[index - 1], index, len(pages))
        else:
            result = results[index - len(pages) - 1]
            home = (
                pillar_id
                or (ctx.strategy.home_pillar(result.measure.id) or ctx.strategy.pillars[0]).id
            )
            _measure_slide(ctx, result, home)
