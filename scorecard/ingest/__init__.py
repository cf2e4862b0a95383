"""Ingest: the only layer that writes the extracts' database.

contracts (scorecard.contracts) -> readers (a file to raw text columns, exact line numbers)
-> mapping and staging (a council's own columns and query) -> checks (every cell cast and
checked) -> load (one extract: rows loaded, excluded or rejected) -> build (every extract,
the marts, an atomic swap) -> parquet (the database as partitioned Parquet).

    python -m scorecard.ingest --data DIR [--mapping FILE] [--db PATH] [--force]
"""

from .build import (
    BuildResult,
    ExtractReport,
    add_source_arguments,
    current,
    fingerprint,
    main,
    refresh,
    served_database,
    status,
    with_served_database,
)

__all__ = [
    "BuildResult",
    "ExtractReport",
    "add_source_arguments",
    "current",
    "fingerprint",
    "main",
    "refresh",
    "served_database",
    "status",
    "with_served_database",
]
