"""Paths and helpers shared by the tests (imported by name; conftest only holds fixtures)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard import ingest, settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


def build(data_dir: Path, cache_dir: Path, **overrides) -> tuple[settings.Settings, object]:
    """Build a database from a folder of extracts into its own cache folder."""
    s = settings.load(
        {"data_dir": data_dir, "cache_dir": cache_dir, "settle_seconds": 0, **overrides}
    )
    return s, ingest.refresh(s)
