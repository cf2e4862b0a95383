"""The frame's accessibility (WCAG 2.2 AA, checked by axe-core in tests/browser): a sidebar
menu with valid markup, a focus outline that can be seen, and headings that skip no level.

Streamlit's own sidebar menu puts each section's name and links in a `<div>` straight inside
its `<ul>`, which axe reports as serious (`list`, `listitem`). So `st.navigation` runs
hidden and the sidebar links the same pages with `st.page_link`, section by section, styled
to look as Streamlit's menu did; the current page is tinted and bold, as before.
"""

from __future__ import annotations

import streamlit as st

from ..engine import fmt

STYLE = """
<style>
/* a keyboard focus that can be seen: 3px, 6.7:1 on white and 6.1:1 on the sidebar's grey
   (Streamlit's own is a faint tint or a half-transparent ring, under 3:1); round the whole
   box of a form field, round a switch and its label; a heading's link and a chart's
   toolbar, shown only on hover, show while they have focus */
:focus-visible, [data-testid="stPageLink-NavLink"]:focus-visible,
[data-testid="stSelectbox"] > div:has(input:focus-visible),
[data-testid="stMultiSelect"] > div:has(input:focus-visible),
[data-testid="stNumberInputContainer"]:has(input:focus-visible),
[data-testid="stTextInputRootElement"]:has(input:focus-visible),
[data-testid="stTextAreaRootElement"]:has(textarea:focus-visible),
[data-testid="stCheckbox"] label:has(input:focus-visible) {
  outline: 3px solid #0B5CAD !important; outline-offset: 2px !important; }
:is([data-testid="stSelectbox"], [data-testid="stMultiSelect"],
    [data-testid="stNumberInputContainer"], [data-testid="stTextInputRootElement"],
    [data-testid="stTextAreaRootElement"], [data-testid="stCheckbox"])
  :is(input, textarea):focus-visible { outline: none !important; }
[data-testid="stMain"]:focus-visible { outline-offset: -3px !important; }
[data-testid="stHeaderActionElements"] a:focus-visible, .modebar:focus-within,
.modebar:focus-within > * { opacity: 1 !important; transition: none !important; }
/* the sidebar menu, drawn as Streamlit's own was */
.st-key-page-nav { gap: 0; padding-bottom: calc(1rem + 2px); margin-bottom: 0.5rem;
  border-bottom: 1px solid rgba(26, 26, 26, 0.2); }
.st-key-page-nav [data-testid="stElementContainer"] { margin: 0; }
.st-key-page-nav [data-testid="stElementContainer"]:has([data-testid="stMarkdown"]) {
  margin: 15px 0 5px; }
.st-key-page-nav [data-testid="stMarkdown"] [data-testid="stMarkdownContainer"] {
  margin-bottom: 0; }
.st-key-page-nav [data-testid="stMarkdown"] p { font-size: 0.875rem; font-weight: 500;
  line-height: 1.1875rem; margin: 0; color: rgba(26, 26, 26, 0.8); }
.st-key-page-nav a { height: 1.75rem; margin: 0.125rem 0 0.25rem; }
.st-key-page-nav a p { font-size: 0.875rem; color: rgba(26, 26, 26, 0.8); }
.st-key-page-nav a [data-testid="stIconMaterial"] { color: rgba(26, 26, 26, 0.6); }
.st-key-page-nav-current a { background-color: rgba(157, 173, 190, 0.25); }
.st-key-page-nav-current a p, .st-key-page-nav-current a [data-testid="stIconMaterial"] {
  color: #1A1A1A; font-weight: 600; }
/* a section heading that follows the page title is a level 2 heading (no level skipped)
   drawn at the size the page always showed it at */
[class*="st-key-section-"] h2, [class*="st-key-chart-"] h2 { font-size: 1.75rem;
  padding: 0.75rem 0 1rem; }
</style>
"""


def style() -> None:
    """The style sheet every page carries (it takes no room on the page)."""
    st.html(STYLE)


def navigation(sections: dict[str, list]):
    """`st.navigation` with Streamlit's menu hidden and ours in the sidebar: each visible
    page linked under its section's name. Returns the page to run."""
    current = st.navigation(sections, position="hidden")
    with st.sidebar.container(key="page-nav"):
        for name, pages in sections.items():
            shown = [page for page in pages if page.visibility == "visible"]
            if name and shown:
                st.markdown(fmt.plain(name))
            for page in shown:
                if page.url_path == current.url_path:
                    with st.container(key="page-nav-current"):
                        st.page_link(page, width="stretch")
                else:
                    st.page_link(page, width="stretch")
    return current


def section_heading(text: str, anchor: str) -> None:
    """A level 2 heading at the size of a subheading (one level under the page title)."""
    with st.container(key=f"section-{anchor}"):
        st.header(text, anchor=anchor)
