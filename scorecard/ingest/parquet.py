"""The same database as partitioned Parquet: for data too big for one DuckDB file, or to be
shared by many machines (a regional body serving many councils; see docs/scaling.md).

    python -m scorecard.ingest.parquet --out DIR [--data DIR] [--cache DIR] [--partition-rows N]

writes every table of the database being served to DIR: a large table (at least
`--partition-rows` rows, 100,000 by default) as one folder per month of its first date
column (DIR/contacts/month=2026-09/data_0.parquet), a small one as a single file, and
`tables.json` listing them with the SQL of the database's views. `db.Database(DIR)` then
serves the folder exactly as it serves a database file: each table is a view over its
Parquet files (whole months skipped by the date filters the queries already carry, through
each file's statistics), so every query in queries/ runs unchanged.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import duckdb

from ..engine.db import MANIFEST, literal, quote_name
from .build import add_source_arguments, served_database

PARTITION_ROWS = 100_000
DATE_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE")


def export(
    database: Path | str,
    out: Path | str,
    partition_rows: int = PARTITION_ROWS,
    memory_limit: str = "1GB",
    threads: int = 0,
) -> dict:
    """Write every table of a database file to `out` as Parquet, within the load's memory
    and threads settings (DuckDB spills beyond them); returns the manifest."""
    out = Path(out)
    building = out.with_name(out.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    config = {"memory_limit": memory_limit} | ({"threads": threads} if threads else {})
    con = duckdb.connect(str(database), read_only=True, config=config)
    try:
        manifest = {
            "tables": {},
            "views": [
                r[0]
                for r in con.execute(
                    "select sql from duckdb_views() where not internal and not temporary "
                    "order by view_name"
                ).fetchall()
            ],
        }
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where not temporary order by 1"
            ).fetchall()
        ]
        for table in tables:
            manifest["tables"][table] = _write_table(con, table, building, partition_rows)
    finally:
        con.close()
    (building / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    building.rename(out)  # readers never see a half-written folder
    return manifest


def _write_table(con, table: str, folder: Path, partition_rows: int) -> dict:
    columns = con.execute(f"describe {quote_name(table)}").fetchall()
    rows = con.execute(f"select count(*) from {quote_name(table)}").fetchall()[0][0]
    dated = next((name for name, kind, *_ in columns if kind in DATE_TYPES), None)
    if dated and rows >= partition_rows:
        target = folder / table
        con.execute(
            f"copy (select *, strftime({quote_name(dated)}, '%Y-%m') as month "
            f"from {quote_name(table)}) to {literal(str(target))} "
            "(format parquet, partition_by (month), write_partition_columns false)"
        )
        return {"files": f"{table}/*/*.parquet", "rows": rows, "partitioned_by": dated}
    target = folder / f"{table}.parquet"
    con.execute(f"copy {quote_name(table)} to {literal(str(target))} (format parquet)")
    return {"files": f"{table}.parquet", "rows": rows, "partitioned_by": None}


def main(argv: list[str] | None = None) -> int:
    """Command line: export the database being served to partitioned Parquet."""
    parser = argparse.ArgumentParser(
        prog="python -m scorecard.ingest.parquet",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_source_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument(
        "--partition-rows",
        type=int,
        default=PARTITION_ROWS,
        help="tables with at least this many rows are split by month",
    )
    args = parser.parse_args(argv)
    served = served_database(args)
    if served is None:
        return 1
    settings, database = served
    database.close()
    manifest = export(
        database.path,
        args.out,
        args.partition_rows,
        settings.memory_limit,
        settings.threads,
    )
    for table, entry in manifest["tables"].items():
        how = f"by month of {entry['partitioned_by']}" if entry["partitioned_by"] else "one file"
        print(f"{table:<28} {entry['rows']:>12,} rows  {how}")
    print(f"Written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
