"""Commentary and corrective action beside a measure: its life cycle and how it is shown.

Commentary comes from two places: the optional commentary extract (each row with a status,
draft unless it says approved) and entries written in the app by editors, kept in the app's
own database (`appdb`), which survives refreshes. An entry belongs to a measure, the first
day of the month it is about, and a service (blank = council-wide). A figure shows the
latest entry dated within its period, for its service when exactly one is chosen, else
council-wide; entries written in the app come after the extract's. Internal views show the
latest entry of any status, a draft marked as such; public mode, the committee pack and the
annual report show only approved text.

The text is Markdown, rendered once to HTML and sanitised by nh3 (no images, no scripts, no
raw HTML, links only to the allowed domains), so the screen and the pack show the same thing.
"""

from __future__ import annotations

import html
from datetime import date
from types import MappingProxyType
from urllib.parse import urlsplit

import nh3
import pandas as pd
from markdown_it import MarkdownIt

from ..engine import calendar as cal
from .appdb import AppDatabase

TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote"}
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})
_MARKDOWN.add_render_rule(  # an image is shown as its description, never fetched
    "image", lambda self, tokens, idx, options, env: html.escape(tokens[idx].content)
)
FROM_EXTRACT = "commentary.csv"  # the author of entries loaded from the extract


def allowed_link(url: str, domains: tuple) -> bool:
    """An https (or http) link whose host is one of `domains` or a subdomain of one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme in ("https", "http") and any(
        host == d or host.endswith(f".{d}") for d in domains
    )


def sanitise(text: str | None, domains: tuple = ()) -> str:
    """Commentary Markdown as safe HTML: emphasis, lists, quotes and links to the allowed
    domains only; an image is shown as its description, raw HTML as text."""
    if not text:
        return ""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return value if allowed_link(value, domains) else None
        return value

    rendered = _MARKDOWN.render(str(text))
    clean = nh3.clean(
        rendered,
        tags=TAGS,
        attributes={"a": {"href"}},
        attribute_filter=keep,
        url_schemes={"https", "http"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return clean.replace("\n", "")  # one HTML block: nothing in it is read as Markdown again


def _words(stamp: str | None) -> str:
    """'23 November 2026' from an ISO time stamp."""
    if not stamp:
        return ""
    day = date.fromisoformat(str(stamp)[:10])
    return f"{day.day} {day:%B %Y}"


def status_line(note: dict, public: bool = False) -> str:
    """'Draft, not yet approved (written by … on …)' or 'Approved by … on …'; in public mode
    nothing (only approved text is there, and officers' names are not published)."""
    if public:
        return ""
    by = note.get("author") or FROM_EXTRACT
    origin = (
        f"from {FROM_EXTRACT}"
        if by == FROM_EXTRACT
        else f"written by {by}"
        + (f" on {_words(note['written_at'])}" if note.get("written_at") else "")
    )
    if note.get("status") != "approved":
        return f"Draft, not yet approved ({origin})"
    if note.get("approved_by"):
        return f"Approved by {note['approved_by']} on {_words(note['approved_at'])} ({origin})"
    return f"Approved ({origin})"


def _labelled(label: str, block: str) -> str:
    """The label in bold at the start of the text's first paragraph (its own paragraph when
    the text starts with a list or a quote)."""
    strong = f"<strong>{label}</strong>"
    return f"<p>{strong} {block[3:]}" if block.startswith("<p>") else f"<p>{strong}</p>{block}"


def html_block(note: dict, domains: tuple = (), public: bool = False, slide: bool = False) -> str:
    """The commentary, corrective action (and its owner) and status as one sanitised HTML
    block: what the screen shows and the pack prints. On a slide, which must fit a projector,
    the status is only a draft's, in its label."""
    owner = f" ({html.escape(note['owner_role'])})" if note.get("owner_role") else ""
    draft = slide and not public and note.get("status") != "approved"
    parts = [
        "<div class='commentary'>",
        _labelled(
            "Commentary (draft, not yet approved):" if draft else "Commentary:",
            sanitise(note["commentary"], domains),
        ),
    ]
    if note.get("corrective_action"):
        parts.append(
            _labelled(f"Corrective action{owner}:", sanitise(note["corrective_action"], domains))
        )
    status = "" if slide else status_line(note, public)
    if status:
        parts.append(f"<p class='status'><em>{html.escape(status)}</em></p>")
    return "".join(parts) + "</div>"


def _clean(row: dict) -> dict:
    note = {
        k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
        for k, v in row.items()
    }
    note["service"] = note.get("service") or None
    return note


def _by_key(rows) -> dict:
    """(measure, service or None) -> [(first day of the month, note)], in order."""
    out: dict = {}
    for row in rows:
        note = _clean(row)
        key = (note["measure"], note["service"])
        out.setdefault(key, []).append((pd.Timestamp(note["period"]).date(), note))
    return out


class Notes:
    """The commentary a viewer may see: `approved_only` in public mode (and for the pack)."""

    def __init__(self, database, app: AppDatabase | None, approved_only: bool, domains: tuple = ()):
        self.database, self.app, self.approved_only = database, app, approved_only
        self.domains = domains
        self._entries: dict | None = None

    def entries(self) -> dict:
        """Every entry, the extract's then the app's, by (measure, service or None)."""
        if self._entries is None:
            extract = self.database.reference(  # the extract's: once per data version
                ("commentary rows",),
                lambda: tuple(
                    MappingProxyType(r | {"author": FROM_EXTRACT, "source": FROM_EXTRACT})
                    for r in self.database.query("tables/commentary").to_dict("records")
                ),
            )
            written = [r | {"source": "app"} for r in (self.app.commentary() if self.app else [])]
            self._entries = _by_key([*extract, *written])
        return self._entries

    def _within(
        self, measure_id: str, service: str | None, start: date, end: date, approved_only: bool
    ) -> list[dict]:
        return [
            note
            for period, note in self.entries().get((measure_id, service), [])
            if start <= period <= end and (note["status"] == "approved" or not approved_only)
        ]

    def for_result(self, result, approved_only: bool | None = None) -> dict | None:
        """The commentary that explains this figure, or None."""
        if result.latest is None:
            return None
        start = result.latest["period_start"]
        found = self._within(
            result.measure.id,
            result.filters.single_service,
            start,
            cal.period_end(start, result.filters.grain),
            self.approved_only if approved_only is None else approved_only,
        )
        return dict(found[-1]) if found else None

    def history(self, result) -> list[dict]:
        """Every entry for this figure's period and service, oldest first (for editors)."""
        if result.latest is None:
            return []
        start = result.latest["period_start"]
        return self._within(
            result.measure.id,
            result.filters.single_service,
            start,
            cal.period_end(start, result.filters.grain),
            False,
        )

    def html(self, note: dict, slide: bool = False) -> str:
        """A note as the screen and the pack show it (`slide`: as a slide shows it)."""
        return html_block(note, self.domains, public=self.approved_only, slide=slide)

    def needs_commentary(self, result) -> bool:
        """Red or amber for the reporting period with no approved commentary."""
        return (
            result.is_current
            and result.rag in ("red", "amber")
            and self.for_result(result, approved_only=True) is None
        )
