"""The door: who the visitor is, by the access mode (scorecard.access), before any data is
read. Internal mode signs people in with Streamlit's OpenID Connect support (`st.login`),
configured in .streamlit/secrets.toml; nobody sees a figure until signed in with a role.
"""

from __future__ import annotations

import streamlit as st

from ..engine import fmt
from ..governance import access
from ..settings import Settings
from . import errors

LOCAL = access.Visitor("local user", "administrator", "local")
PUBLIC = access.Visitor("public", "public", "public")


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def signed_in_claims() -> dict | None:
    """The ID token's claims of the person signed in, or None (a seam for tests)."""
    return st.user.to_dict() if st.user.is_logged_in else None


def _refuse(title: str, text: str, sign_out: bool = False) -> None:
    st.title(title)
    st.markdown(text)
    if sign_out:
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)
    st.stop()


def visitor_or_stop(settings: Settings) -> access.Visitor:
    """The visitor, or a page that says why not (sign in, no role, not this computer)."""
    if settings.access == "public":
        return PUBLIC
    if settings.access == "local":
        if access.is_local(st.context.ip_address, dict(st.context.headers or {})):
            return LOCAL
        _refuse(
            "This dashboard is only open on the computer it runs on",
            'It is set up for trying on one computer (`access = "local"`). To share it, '
            "the council's administrator sets `access` to `internal` (sign-in) or "
            "`public` (docs/access.md).",
        )
    try:
        rules = access.load_rules(settings.access_file)
    except access.AccessError as exc:
        errors.report("the access file", exc)
        _refuse("Sign-in is not set up yet", f"{exc} Ask the dashboard's administrator.")
    if not _auth_configured():
        _refuse(
            "Sign-in is not set up yet",
            "This dashboard needs sign-in, but no identity provider is configured "
            "(`[auth]` in .streamlit/secrets.toml, docs/access.md). Ask the dashboard's "
            "administrator.",
        )
    claims = signed_in_claims()
    if claims is None:
        st.title("Customer service scorecard")
        st.markdown("Sign in with your council account to see the scorecard.")
        args = (rules.provider,) if rules.provider else ()
        st.button(
            f"Sign in with {rules.provider_name}",
            icon=":material/login:",
            type="primary",
            on_click=st.login,
            args=args,
        )
        st.stop()
    role = rules.role_for(claims)
    who = access.email_of(claims) or str(claims.get("name") or claims.get("sub") or "")
    if role is None:
        _refuse(
            "You do not have access to this dashboard",
            f"You are signed in as {fmt.plain(who)}, but no role is set for you. Ask "
            "the dashboard's administrator to add you to the access file.",
            sign_out=True,
        )
    return access.Visitor(who, role, "internal")


def account_box(visitor: access.Visitor) -> None:
    """In the sidebar: who is signed in, as what, and a way out."""
    if visitor.mode == "public":
        return
    if visitor.mode == "local":
        st.caption(":material/person: On this computer, with every permission (local mode)")
        return
    st.caption(f":material/person: {fmt.plain(visitor.name)} · {access.ROLE_WORDS[visitor.role]}")
    st.button("Sign out", icon=":material/logout:", on_click=st.logout, key="sign-out")
