"""Entry point: page config, navigation built from the strategy config, the filter bar."""

import streamlit as st

from scorecard.ui import a11y, app_state, errors, presentation, signin
from scorecard.ui import components as ui
from scorecard.ui.pages import (
    actions_page,
    data_page,
    map_page,
    measure_page,
    overview_page,
    pillar_page,
    service_page,
)

st.set_page_config(
    page_title="Customer service scorecard", page_icon=":material/dashboard:", layout="wide"
)
ctx = app_state.context_or_stop()
view = {"ctx": ctx}


def _page(render, title, url_path, icon, default=False, visibility="visible", **kwargs):
    """A navigation page whose callable renders `render(ctx, filters, **kwargs)`."""
    page = st.Page(
        lambda: render(view["ctx"], view["filters"], **kwargs),
        title=title,
        url_path=url_path,
        icon=f":material/{icon}:",
        default=default,
        visibility=visibility,
    )
    ui.PAGES[url_path or "overview"] = page
    return page


sections = {
    "": [_page(overview_page.render, "Scorecard", "overview", "dashboard", default=True)],
    ctx.strategy.title: [
        _page(pillar_page.render, p.title, p.id, p.icon, pillar_id=p.id)
        for p in ctx.strategy.pillars
    ],
    "Across the strategy": [
        _page(service_page.render, "Service view", "service", "apartment"),
        _page(actions_page.render, "Action plan", "actions", "checklist"),
        _page(map_page.render, "Strategy map", "map", "account_tree"),
    ],
    "About the data": [
        _page(data_page.render, "Data and definitions", "data", "database"),
        _page(measure_page.render, "Measure detail", "measure", "query_stats", visibility="hidden"),
    ],
}
current = a11y.navigation(sections)  # Streamlit's own menu fails axe: ours, same pages
a11y.style()  # visible keyboard focus; section headings' sizes
st.session_state["_page"] = current.url_path
view["filters"] = app_state.filter_bar(ctx)
ui.set_view(view["filters"], ctx.as_at)
with st.sidebar:
    signin.account_box(ctx.visitor)
    presentation.toggle()
    link_box = st.empty()  # filled after the page runs, so its widgets are in the link
ui.banner(ctx)
with (
    errors.timed(current.url_path, app_state.describe(view["filters"], ctx.as_at)),
    errors.guard(f"The {current.title} page"),
):
    current.run()
with link_box.container():
    presentation.copy_link(current.url_path)
