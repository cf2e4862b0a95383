"""The committee panel on the scorecard: the pack to download (HTML, and PDF where Chromium
is installed), freezing the figures "as reported to committee" and unfreezing them with a
reason (administrators only, each written to the audit log), and, once frozen, the note on
every page of that view and the marks on figures revised since.
"""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from ..engine import calendar as cal
from ..engine import fmt
from ..reports import pack, pdf, snapshots


def _period(filters) -> str:
    return cal.period_label(filters.report_start, filters.grain)


def pack_name(filters) -> str:
    """The pack's file name after its period and view: 'committee-pack-q2-2026-27',
    'committee-pack-september-2026-housing'."""
    words = [_period(filters), *filters.services]
    return "committee-pack-" + re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower()).strip("-")


def reported_note(ctx, filters, results) -> dict[str, str]:
    """If this view was frozen, say so, and return the measures revised since."""
    snapshot = snapshots.load(ctx.settings, filters)
    if snapshot is None:
        for note in snapshots.unfreezes(ctx.settings, filters)[-1:]:
            st.info(fmt.plain(snapshots.unfrozen_words(note)), icon=":material/lock_open:")
        return {}
    revised = snapshots.revisions(snapshot, results)
    when = fmt.long_date(date.fromisoformat(snapshot["reported_on"]))
    plural = len(revised) > 1
    extra = (
        (
            f" {len(revised)} figure{'s have' if plural else ' has'} been revised since "
            f"and {'are' if plural else 'is'} marked."
        )
        if revised
        else (" No figure has changed since.")
    )
    st.info(
        f"{_period(filters)} as reported to committee on {when}.{extra}",
        icon=":material/history_edu:",
    )
    return revised


def _pack_maker(ctx, filters, revised):
    def make() -> str:
        return pack.render(ctx.database, ctx.settings, filters, ctx.as_at, revised)

    return make


def _view(filters) -> dict:
    """The view as the audit log records it."""
    return {
        "grain": filters.grain,
        "period": filters.report_start.isoformat(),
        "services": list(filters.services),
        "channels": list(filters.channels),
    }


def _freeze(ctx, filters, results) -> None:
    if not ctx.visitor.can_administer:
        return
    html = pack.render(ctx.database, ctx.settings, filters, ctx.as_at)
    try:
        snapshots.freeze(ctx.settings, filters, results, html, ctx.as_at, by=ctx.visitor.name)
    except FileExistsError:
        st.toast(f"{_period(filters)} was already frozen.", icon=":material/lock:")
        return
    ctx.app.log(ctx.visitor.name, "freeze", **_view(filters))
    st.toast(f"{_period(filters)} frozen as reported to committee.", icon=":material/lock:")


def _unfreeze(ctx, filters) -> None:
    reason = st.session_state.get("unfreeze-reason", "")
    if not ctx.visitor.can_administer:
        return
    if not reason.strip():
        st.session_state["unfreeze-refused"] = True
        return
    snapshots.unfreeze(ctx.settings, filters, ctx.visitor.name, reason)
    ctx.app.log(ctx.visitor.name, "unfreeze", reason=reason, **_view(filters))
    st.toast(
        f"{_period(filters)} unfrozen; the pack as reported is kept.", icon=":material/lock_open:"
    )


def _admin(ctx, filters, results, frozen: str | None) -> None:
    """Freeze, or unfreeze with a reason: administrators only."""
    if not frozen:
        st.button(
            "Freeze as reported to committee",
            key="pack-freeze",
            icon=":material/lock:",
            on_click=_freeze,
            args=(ctx, filters, results),
            help="Stores these figures and this pack, so later views of this period "
            "show what the committee saw and what changed since.",
        )
        return
    with st.form("unfreeze", border=False):
        st.text_input(
            "Reason for unfreezing (shown on the next pack)", key="unfreeze-reason", max_chars=300
        )
        st.form_submit_button(
            "Unfreeze", icon=":material/lock_open:", on_click=_unfreeze, args=(ctx, filters)
        )
    if st.session_state.pop("unfreeze-refused", False):
        st.warning("Say why it is being unfrozen: the reason goes on the next pack.")


def panel(ctx, filters, results, revised: dict) -> None:
    """Downloads of the committee pack and the freeze button, in an expander."""
    name = pack_name(filters)
    with st.expander(f"Committee pack for {_period(filters)}", icon=":material/description:"):
        st.markdown(
            "One self-contained file for the agenda papers: the scorecard, a section "
            "per pillar with each figure, its commentary and chart, the action plan "
            "exceptions and notes on the data. It opens offline and prints to PDF."
        )
        html = _pack_maker(ctx, filters, revised)
        cols = st.columns(3)
        cols[0].download_button(
            "Download the pack (HTML)",
            html,
            file_name=f"{name}.html",
            mime="text/html",
            on_click="ignore",
            key="pack-html",
            icon=":material/download:",
        )
        if pdf.chromium():
            cols[1].download_button(
                "Download the pack (PDF)",
                pdf.pdf_maker(html, "pack"),
                file_name=f"{name}.pdf",
                mime="application/pdf",
                on_click="ignore",
                key="pack-pdf",
                icon=":material/picture_as_pdf:",
            )
        frozen = snapshots.pack(ctx.settings, filters)
        if frozen:
            cols[2].download_button(
                "The pack as reported",
                frozen,
                file_name=f"{name}-as-reported.html",
                mime="text/html",
                on_click="ignore",
                key="pack-frozen",
                icon=":material/history_edu:",
            )
        if ctx.visitor.can_administer:
            with cols[2] if not frozen else st.container():
                _admin(ctx, filters, results, frozen)
