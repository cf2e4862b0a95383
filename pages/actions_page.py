"""The action plan: actions by pillar and status, overdue first, and what each should move."""

from scorecard import components as ui


def render(ctx, filters) -> None:
    """Action plan page (being built: see scorecard/plan.py)."""
    ui.page_header("Action plan", "What the council is doing to deliver the strategy.", ctx,
                   filters)
