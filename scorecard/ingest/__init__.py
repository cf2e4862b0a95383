"""Ingest: the only layer that writes the extracts' database.

contracts (scorecard.contracts) -> readers (a file to raw text columns, exact line numbers)
-> mapping and staging (a council's own columns and query) -> checks (every cell cast and
checked) -> load (one extract: rows loaded, excluded or rejected) -> build (every extract,
the marts, an atomic swap) -> parquet (the database as partitioned Parquet).

    python -m scorecard.ingest --data DIR [--mapping FILE] [--db PATH] [--force]
"""

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


def __getattr__(name: str):
    """The package's names, from .build when first asked for (PEP 562), so that
    `python -m scorecard.ingest` can defer pandas before anything imports it (__main__)."""
    if name in __all__:
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
