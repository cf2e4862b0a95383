"""Writing and approving commentary in the app (editors and administrators), on a measure's
detail page: for the period and service in view, every entry with its status, a form for a
new draft, and an approve button on each draft written by someone else. Each act goes to the
audit log.
"""

from __future__ import annotations

import streamlit as st

from ..engine import calendar as cal
from ..engine import fmt

MAX_CHARS = 2000


def _where(result) -> dict:
    """What an entry is about: the measure, the month the period starts, the service."""
    return {
        "measure": result.measure.id,
        "period": result.latest["period_start"].isoformat(),
        "service": result.filters.single_service or "",
    }


def _save(ctx, result) -> None:
    text = st.session_state.get("commentary-text", "").strip()
    if not ctx.visitor.can_edit:
        return
    if not text:
        st.session_state["commentary-refused"] = "Write the commentary before saving it."
        return
    where = _where(result)
    entry = ctx.app.write_commentary(
        where["measure"],
        where["period"],
        where["service"],
        text,
        st.session_state.get("commentary-action", "").strip(),
        st.session_state.get("commentary-owner", "").strip(),
        ctx.visitor.name,
    )
    ctx.app.log(ctx.visitor.name, "commentary written", entry=entry, **where)
    st.toast(
        "Saved as a draft: it is published once another editor approves it.",
        icon=":material/edit_note:",
    )


def _approve(ctx, result, note: dict) -> None:
    if not may_approve(ctx.visitor, note):
        return
    where = _where(result)
    if note["source"] == "app":
        ctx.app.approve(note["id"], ctx.visitor.name)
        entry = note["id"]
    else:  # a draft from the extract: approved as a copy in the app's own database
        entry = ctx.app.write_commentary(
            where["measure"],
            note["period"].isoformat()
            if hasattr(note["period"], "isoformat")
            else str(note["period"])[:10],
            where["service"],
            note["commentary"],
            note.get("corrective_action") or "",
            note.get("owner_role") or "",
            note.get("author") or "commentary.csv",
        )
        ctx.app.approve(entry, ctx.visitor.name)
    ctx.app.log(ctx.visitor.name, "commentary approved", entry=entry, **where)
    st.toast(
        "Approved: it now reaches the pack and the public dashboard.",
        icon=":material/check_circle:",
    )


def may_approve(visitor, note: dict) -> bool:
    """An editor approves someone else's draft (two people per published text); in local
    mode there is only one person, who may approve their own."""
    return (
        visitor.can_edit
        and note["status"] != "approved"
        and (visitor.mode == "local" or note.get("author") != visitor.name)
    )


def panel(ctx, result) -> None:
    """The editor's panel for this figure's commentary (nothing for anyone else)."""
    if not ctx.visitor.can_edit or result.latest is None or ctx.visitor.public:
        return
    where = _where(result)
    place = where["service"] or "council-wide"
    period = cal.period_label(result.latest["period_start"], result.filters.grain)
    history = ctx.notes.history(result)
    with st.expander(
        f"Commentary for {period}, {place}: write or approve", icon=":material/edit_note:"
    ):
        st.caption(
            "A new entry is a draft until another editor approves it; only approved "
            "commentary reaches the committee pack, the annual report and the public "
            "dashboard. Markdown emphasis, lists and links to the council's own sites "
            "are kept; images and anything else are not."
        )
        for i, note in enumerate(reversed(history)):
            with st.container(border=True):
                st.markdown(ctx.notes.html(note), unsafe_allow_html=True)
                if may_approve(ctx.visitor, note):
                    st.button(
                        "Approve",
                        key=f"approve-{i}",
                        icon=":material/check_circle:",
                        on_click=_approve,
                        args=(ctx, result, note),
                    )
        latest = history[-1] if history else {}
        with st.form("commentary-form", clear_on_submit=False):
            st.text_area(
                "What explains the figure",
                value=latest.get("commentary") or "",
                key="commentary-text",
                max_chars=MAX_CHARS,
            )
            st.text_area(
                "What is being done (corrective action)",
                value=latest.get("corrective_action") or "",
                key="commentary-action",
                max_chars=MAX_CHARS,
            )
            st.text_input(
                "Who owns the action (a role)",
                value=latest.get("owner_role") or "",
                key="commentary-owner",
                max_chars=120,
            )
            st.form_submit_button(
                "Save as draft", icon=":material/save:", on_click=_save, args=(ctx, result)
            )
        refused = st.session_state.pop("commentary-refused", None)
        if refused:
            st.warning(fmt.plain(refused))
