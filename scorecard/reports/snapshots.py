"""Frozen snapshots: "as reported to committee". Freezing stores the figures and the pack for
one view (grain, period, services, channels); later, the same view says when it was reported
and which figures have been revised since (late data, corrections), with what was reported.

Frozen files are never edited: unfreezing (an administrator's act, with a reason) moves the
snapshot aside, whole, to `<view>.unfrozen-<time>` with a note of who, when and why, which the
view and its next pack then show.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

from ..engine import fmt
from ..settings import Settings

UNFROZEN = ".unfrozen-"  # an unfrozen snapshot's folder: <view>.unfrozen-<UTC time>


def key(filters) -> str:
    """A folder name for a view: grain, period start, and a hash of services and channels."""
    scope = json.dumps([sorted(filters.services), sorted(filters.channels)])
    digest = hashlib.sha256(scope.encode()).hexdigest()[:8]
    return f"{filters.grain}-{filters.report_start.isoformat()}-{digest}"


def _folder(settings: Settings, filters) -> Path:
    return settings.snapshot_dir / key(filters)


def figures(results) -> dict:
    """What was reported for each measure: value, base, target, status, label and sentence."""
    out = {}
    for r in results:
        latest = r.latest
        out[r.measure.id] = (
            None
            if latest is None
            else {
                "value": None
                if fmt.missing(latest["value"])
                else round(float(latest["value"]), r.measure.decimals),
                "base": float(latest["base"]),
                "label": latest["label"],
                "rag": r.rag,
                "target": None if fmt.missing(latest["target"]) else float(latest["target"]),
                "sentence": r.sentence,
            }
        )
    return out


def freeze(
    settings: Settings,
    filters,
    results,
    pack_html: str,
    as_at: date,
    today: date | None = None,
    by: str = "",
) -> dict:
    """Store the figures and the pack for this view; returns the snapshot."""
    folder = _folder(settings, filters)
    if (folder / "figures.json").exists():
        raise FileExistsError(f"{key(filters)} is already frozen; unfreeze it first")
    folder.mkdir(parents=True, exist_ok=True)
    snapshot = {
        "reported_on": (today or date.today()).isoformat(),
        "frozen_by": by,
        "as_at": as_at.isoformat(),
        "grain": filters.grain,
        "period": filters.report_start.isoformat(),
        "services": list(filters.services),
        "channels": list(filters.channels),
        "measures": figures(results),
    }
    (folder / "pack.html").write_text(pack_html, encoding="utf-8")
    tmp = folder / f"figures.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(snapshot, indent=1), encoding="utf-8")
    os.replace(tmp, folder / "figures.json")  # the snapshot exists only once complete
    return snapshot


def unfreeze(
    settings: Settings, filters, by: str, reason: str, when: datetime | None = None
) -> dict:
    """Move this view's snapshot aside, untouched, with who unfroze it, when and why."""
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValueError("Unfreezing needs a reason")
    folder = _folder(settings, filters)
    if not (folder / "figures.json").exists():
        raise FileNotFoundError(f"{key(filters)} is not frozen")
    when = when or datetime.now(UTC).replace(microsecond=0)
    moved = folder.with_name(f"{folder.name}{UNFROZEN}{when:%Y%m%dT%H%M%S}")
    os.replace(folder, moved)
    note = {"unfrozen_at": when.isoformat(), "by": by, "reason": reason}
    (moved / "unfrozen.json").write_text(json.dumps(note, indent=1), encoding="utf-8")
    return note


def unfreezes(settings: Settings, filters) -> list[dict]:
    """Each time this view was unfrozen, oldest first: when it had been reported, by whom it
    was frozen, and who unfroze it, when and why."""
    out = []
    for folder in sorted(settings.snapshot_dir.glob(f"{key(filters)}{UNFROZEN}*")):
        try:
            note = json.loads((folder / "unfrozen.json").read_text(encoding="utf-8"))
            frozen = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out.append(
            note
            | {"reported_on": frozen.get("reported_on"), "frozen_by": frozen.get("frozen_by", "")}
        )
    return out


def unfrozen_words(note: dict) -> str:
    """'Unfrozen on 3 December 2026 by a@x.gov.uk because … (it had been frozen as reported
    to committee on 1 December 2026).'"""
    when = fmt.long_date(datetime.fromisoformat(note["unfrozen_at"]).date())
    reported = (
        fmt.long_date(date.fromisoformat(note["reported_on"]))
        if note.get("reported_on")
        else "an earlier date"
    )
    return (
        f"Unfrozen on {when} by {note['by']} because {note['reason']} (it had been "
        f"frozen as reported to committee on {reported})."
    )


def load(settings: Settings, filters) -> dict | None:
    """The snapshot for this view, if it was frozen."""
    path = _folder(settings, filters) / "figures.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def pack(settings: Settings, filters) -> str | None:
    """The pack as it was reported, if frozen."""
    path = _folder(settings, filters) / "pack.html"
    return path.read_text(encoding="utf-8") if path.exists() else None


def revisions(snapshot: dict | None, results) -> dict[str, str]:
    """Measures whose figure differs from what was reported: id -> 'reported 78.1%'."""
    if not snapshot:
        return {}
    out, now = {}, figures(results)
    for r in results:
        then, current = snapshot["measures"].get(r.measure.id), now.get(r.measure.id)
        if then is None or current is None:
            continue
        if then["value"] != current["value"] or then["rag"] != current["rag"]:
            was = (
                "not shown"
                if then["value"] is None
                else fmt.value(then["value"], r.measure.unit, r.measure.decimals)
            )
            out[r.measure.id] = f"reported {was}"
    return out
