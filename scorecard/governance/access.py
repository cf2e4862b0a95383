"""Who may see and change what.

Three modes (settings.access):
- local: no sign-in, for trying the dashboard on one computer; only visitors from this
  computer (loopback) get in, each as an administrator.
- internal: sign-in through the council's identity provider (Streamlit's `st.login`, OpenID
  Connect, configured in .streamlit/secrets.toml); the role comes from the access file
  (config/access.toml) by email, email domain or a group claim in the ID token; someone no
  rule names is refused.
- public: no sign-in; approved commentary only, a stricter minimum base, no row-level
  tables, rejected rows, extract names or administrator actions.

Roles, each with everything the one before it has: viewer (every page and download), editor
(writes and approves commentary), administrator (freezes and unfreezes, checks for new data,
sees rejected rows).
"""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("viewer", "editor", "administrator")
ROLE_WORDS = {
    "viewer": "Viewer",
    "editor": "Editor",
    "administrator": "Administrator",
    "public": "Public",
}


class AccessError(ValueError):
    """An access file that cannot be used: names the file and what is wrong."""


@dataclass(frozen=True)
class Visitor:
    """Who is looking: a name to log actions under, and a role (None: refused)."""

    name: str
    role: str | None
    mode: str = "internal"

    @property
    def public(self) -> bool:
        return self.role == "public"

    def can(self, role: str) -> bool:
        """At least this role (viewer < editor < administrator); public can do none."""
        return self.role in ROLES and ROLES.index(self.role) >= ROLES.index(role)

    @property
    def can_edit(self) -> bool:
        return self.can("editor")

    @property
    def can_administer(self) -> bool:
        return self.can("administrator")


@dataclass(frozen=True)
class Rules:
    """The access file: who has which role, and how to read the ID token."""

    grants: dict = field(default_factory=dict)  # role -> {"emails", "domains", "groups"}
    group_claim: str = "groups"
    provider: str = ""  # the [auth.<provider>] to sign in with; "" = [auth] itself
    provider_name: str = "your council account"  # on the sign-in button

    def role_for(self, claims: dict) -> str | None:
        """The highest role any rule gives these ID-token claims, or None."""
        email = email_of(claims)
        domain = email.rpartition("@")[2] if "@" in email else ""
        groups = claims.get(self.group_claim) or []
        groups = {str(g).lower() for g in ([groups] if isinstance(groups, str) else groups)}
        for role in reversed(ROLES):
            grant = self.grants.get(role, {})
            if (
                (email and email in grant.get("emails", ()))
                or (domain and domain in grant.get("domains", ()))
                or groups & set(grant.get("groups", ()))
            ):
                return role
        return None


def email_of(claims: dict) -> str:
    """The signed-in person's address: `email`, else Entra ID's `preferred_username` or
    `upn` when it looks like one; lower case."""
    for key in ("email", "preferred_username", "upn"):
        value = str(claims.get(key) or "").strip().lower()
        if "@" in value:
            return value
    return ""


def load_rules(file: Path) -> Rules:
    """The access file, checked: only known roles and keys, lists of text."""
    try:
        raw = tomllib.loads(Path(file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AccessError(
            f"The access file {Path(file).name} does not exist; internal mode "
            "needs one (docs/access.md)."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise AccessError(f"{Path(file).name}: is not valid TOML ({exc}).") from exc
    known = set(ROLES) | {"group_claim", "provider", "provider_name"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise AccessError(
            f"{Path(file).name}: unknown key(s) {', '.join(unknown)}; it may set "
            f"{', '.join(sorted(known))}."
        )
    grants = {}
    for role in ROLES:
        grant = raw.get(role, {})
        wrong = sorted(set(grant) - {"emails", "domains", "groups"})
        if wrong or not all(isinstance(v, list) for v in grant.values()):
            raise AccessError(
                f"{Path(file).name}: [{role}] may list emails, domains and "
                "groups, each as a list of text."
            )
        grants[role] = {
            k: tuple(str(x).strip().lower().lstrip("@") for x in v) for k, v in grant.items()
        }
    return Rules(
        grants,
        str(raw.get("group_claim", "groups")),
        str(raw.get("provider", "")),
        str(raw.get("provider_name", "your council account")),
    )


def is_local(address, headers: dict) -> bool:
    """A request from this computer: Streamlit gives no address (None) for localhost, or a
    loopback one; anything passed on by a proxy (X-Forwarded-For, Forwarded) is not local,
    since a proxy on the same machine would otherwise make every visitor look local. (Under
    AppTest the address is not text: there is no browser at all.)"""
    if any(h.lower() in ("x-forwarded-for", "forwarded", "x-real-ip") for h in headers):
        return False
    if not isinstance(address, str) or not address:
        return True
    try:
        ip = ipaddress.ip_address(address)
        mapped = getattr(ip, "ipv4_mapped", None)  # '::ffff:127.0.0.1' on a dual-stack server
        return (mapped or ip).is_loopback
    except ValueError:
        return address == "localhost"
