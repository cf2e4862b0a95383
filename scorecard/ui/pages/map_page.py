"""The strategy map: each commitment the strategy makes, the measures that show whether it
is kept, the actions that deliver it, and the gaps between them."""

from scorecard.ui import components as ui
from scorecard.ui import strategy_map

INTRO = (
    "What the strategy promises, in its own words: the measures that show whether each "
    "promise is being kept, the actions that deliver it, and where one of them is missing."
)


def render(ctx, filters) -> None:
    """A sentence on the map and its gaps, a tab per pillar, the gaps, the map as tables."""
    ui.page_header("Strategy map", INTRO, ctx, filters)
    found = strategy_map.load(ctx, filters)
    strategy_map.summary(ctx, found)
    strategy_map.pillar_tabs(ctx, found)
    strategy_map.gaps_block(found)
    strategy_map.tables_block(ctx, found)
