"""Comparison with similar councils on the measure page: the finding as its title, the chart
of the council against its peers over time (alt text, data table, CSV), then the figures
behind the rank and where the council's own figure comes from. Figures and words come from
engine/peers.py; text from the peers file is shown as typed, sanitised (fmt.plain).
"""

from __future__ import annotations

import streamlit as st

from ..charts import peers as charts
from ..engine import fmt, peers
from . import components as ui

TITLE = "Compared with similar councils"
IGNORED = "published comparisons are for the council as a whole"


def comparison(ctx, filters, measure) -> peers.Comparison | None:
    """The measure's comparison for these filters, with the council's own settings."""
    return peers.compare(
        ctx.database,
        measure,
        filters,
        ctx.targets,
        ctx.settings.min_base,
        ctx.settings.area_code,
        ctx.settings.council,
    )


def section(ctx, filters, measure) -> None:
    """The measure page's section; nothing when the peers extract is not supplied."""
    if not ctx.coverage.extract("peers").supplied:
        return
    c = comparison(ctx, filters, measure)
    if c is None:
        with st.container(border=True, key=f"peers-{measure.id}"):
            st.header(TITLE, anchor="peers")
            st.markdown(
                ":material/block: No comparison: the peers extract has no figures for this "
                f"measure up to {fmt.long_date(filters.end)}."
            )
        return
    ui.chart_block(
        fmt.plain(f"{TITLE}: {peers.finding(c)}"),
        charts.comparison(c),
        peers.table(c),
        charts.alt_text(c),
        f"peers-{measure.id}",
        ignores={d: IGNORED for d in c.ignored},
        level=2,
    )
    for line in peers.sentences(c):
        st.markdown(fmt.plain(line))
    if not c.same_definition:
        st.markdown(f":material/info: **{fmt.plain(peers.DEFINITION_NOTE)}.**")
    st.caption(
        "The median and quartiles are of the peers only (never the council itself), "
        "interpolated between the nearest figures as Excel's QUARTILE.INC does; councils "
        "with the same figure, as shown, share the better rank. Source: the peers extract "
        f"({ctx.coverage.extract('peers').loaded:,} published figures loaded)."
    )
