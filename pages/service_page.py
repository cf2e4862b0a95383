"""One service's measures against the council as a whole, and its rank among services."""

from scorecard import components as ui


def render(ctx, filters) -> None:
    """Service view page (being built: see scorecard/service_view.py)."""
    ui.page_header("Service view", "One service against the council as a whole.", ctx, filters)
