"""The app's own small database: commentary written in the app and the audit log.

It lives in `state_dir` (SQLite, one file), apart from the extracts' cache, which is rebuilt
whenever an extract changes: what officers write and what administrators do must survive
restarts, refreshes and rebuilds. SQLite takes one writer at a time and waits for it, so
several servers (replicas) can share the file on one machine. Rows are only ever added or
marked approved; nothing is deleted.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

FILE = "scorecard.sqlite"
SCHEMA = """
create table if not exists commentary (
    id integer primary key,
    measure text not null,
    period text not null,              -- first day of the month commented on
    service text not null default '',  -- '' = council-wide
    commentary text not null,
    corrective_action text not null default '',
    owner_role text not null default '',
    status text not null check (status in ('draft', 'approved')),
    author text not null,
    written_at text not null,
    approved_by text,
    approved_at text
);
create table if not exists audit (
    id integer primary key,
    at text not null,
    who text not null,
    action text not null,
    detail text not null               -- JSON: period, filters, reason
);
"""
COMMENTARY_COLUMNS = (
    "id",
    "measure",
    "period",
    "service",
    "commentary",
    "corrective_action",
    "owner_role",
    "status",
    "author",
    "written_at",
    "approved_by",
    "approved_at",
)


def now() -> str:
    """The time as the database keeps it: UTC, to the second, ISO 8601."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class AppDatabase:
    """Commentary and the audit log in `folder/scorecard.sqlite`."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("pragma journal_mode = wal")
        connection.executescript(SCHEMA)
        return connection

    def _rows(self, sql: str, params: tuple = ()) -> list[dict]:
        if not self.path.exists():
            return []
        with closing(self._connect()) as connection:
            connection.row_factory = sqlite3.Row
            return [dict(r) for r in connection.execute(sql, params)]

    def _write(self, sql: str, params: tuple) -> int:
        with closing(self._connect()) as connection, connection:
            return connection.execute(sql, params).lastrowid

    # ------------------------------------------------------------------------ commentary
    def commentary(self) -> list[dict]:
        """Every entry written in the app, oldest first."""
        return self._rows(f"select {', '.join(COMMENTARY_COLUMNS)} from commentary order by id")

    def write_commentary(
        self,
        measure: str,
        period: str,
        service: str,
        text: str,
        action: str,
        owner_role: str,
        author: str,
    ) -> int:
        """A new draft (an edit is a new draft: the approved entry stays published until the
        new one is approved); returns its id."""
        return self._write(
            "insert into commentary (measure, period, service, commentary, corrective_action,"
            " owner_role, status, author, written_at) values (?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
            (measure, period, service or "", text, action or "", owner_role or "", author, now()),
        )

    def approve(self, entry_id: int, approver: str) -> None:
        """Mark a draft approved, by whom and when."""
        self._write(
            "update commentary set status = 'approved', approved_by = ?, "
            "approved_at = ? where id = ? and status = 'draft'",
            (approver, now(), entry_id),
        )

    # ------------------------------------------------------------------------- audit log
    def log(self, who: str, action: str, **detail) -> None:
        """Append to the audit log: who did what, when, with which period and filters."""
        self._write(
            "insert into audit (at, who, action, detail) values (?, ?, ?, ?)",
            (now(), who, action, json.dumps(detail, sort_keys=True, default=str)),
        )

    def audit(self, action: str | None = None) -> list[dict]:
        """The audit log, newest first (of one action, if given); detail decoded."""
        rows = self._rows(
            "select at, who, action, detail from audit"
            + (" where action = ?" if action else "")
            + " order by id desc",
            (action,) if action else (),
        )
        return [r | {"detail": json.loads(r["detail"])} for r in rows]
