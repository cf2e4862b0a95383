"""Ingest at scale: the dashboard's own load against DuckDB reading the same files raw.

    python benchmarks/ingest_benchmark.py [--scale 50] [--work /tmp/scorecard-bench]

Each step runs in its own process, so its CPU time (user + system), wall time and peak
memory (maximum resident set size) are its own:

- cold ingest: `python -m scorecard.ingest` into an empty cache folder (every extract read,
  checked and loaded, rejects accounted for, derived tables built);
- raw read: DuckDB's own `CREATE TABLE AS SELECT * FROM read_csv(...)` over the same files,
  nothing checked (the floor an ingest is compared with);
- one-row refresh: one complaint's service changed, then the ingest run again (only that
  extract is re-read, issue 16 item 4); three times, the median kept (a file just written
  is still being flushed to disk for a while, and one run may land on it);
- Parquet export: the database written as Parquet partitioned by table and month.

The extracts are linked (not copied) into the work folder, so the refresh can change one
file without touching the generated sample. Asserts nothing: it prints figures.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from benchmark import arguments  # the benchmarks folder is on the path

ROOT = Path(__file__).resolve().parent.parent
REFRESHES = 3
PYTHON = sys.executable
RAW_READ = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
for i, path in enumerate(sys.argv[2:]):
    con.read_csv(path).create(f"t{i}")
con.close()
"""


# Runs a command and reports its own usage. Linux keeps a process's peak memory across
# fork and exec, so a command started straight from this (large) process would report this
# process's peak; started from this small one, it reports its own.
MEASURE = """
import json, resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_mb": usage.ru_maxrss / 1024}))
"""


def measured(command: list[str], **kwargs) -> dict:
    """Run a command; its wall seconds, CPU seconds (user + system) and peak RSS in MB."""
    start = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-c", MEASURE, *command], capture_output=True, text=True, **kwargs
    )
    wall = time.perf_counter() - start
    usage = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    if usage.get("code") not in (0, 4):
        raise RuntimeError(f"{command[:3]} failed: {done.stderr[-2000:]}")
    return {"wall": wall, "cpu": usage["cpu"], "rss_mb": usage["rss_mb"]}


def link_extracts(source: Path, target: Path) -> Path:
    """The sample's files hard-linked into `target` (complaints copied: it is edited)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.name.startswith("complaints"):
            shutil.copy2(path, target / path.name)
        else:
            os.link(path, target / path.name)
    return target


def change_one_complaint(data: Path) -> None:
    """Move one complaint to another service (one row of one extract changes)."""
    path = data / "complaints.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("service")
    rows[5][column] = "Libraries" if rows[5][column] != "Libraries" else "Housing"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def parts(cache: Path) -> dict[str, list[float]]:
    """How long each part of the build served from `cache` took, as it recorded it: the
    reading of each extract, the derived tables, the kept results ([wall, CPU] seconds)."""
    pointer = json.loads((cache / "current.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(cache / pointer["database"]), read_only=True)
    try:
        return json.loads(con.execute("select phases from build").fetchall()[0][0])
    finally:
        con.close()


def ingest_figures(sample: Path, work: Path) -> dict[str, dict]:
    """Cold ingest, DuckDB's raw read, a one-row refresh and the Parquet export."""
    data = link_extracts(sample, work / "ingest-data")
    cache = work / "ingest-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = os.environ | {"SCORECARD_SETTLE_SECONDS": "0"}
    load = [PYTHON, "-m", "scorecard.ingest", "--data", str(data), "--cache", str(cache)]
    out = {"cold ingest": measured(load, cwd=ROOT, env=env), "cold ingest parts": parts(cache)}
    files = sorted(str(p) for p in data.iterdir() if ".csv" in p.name)
    raw = work / "raw-read.duckdb"
    raw.unlink(missing_ok=True)
    out["DuckDB raw read_csv"] = measured([PYTHON, "-c", RAW_READ, str(raw), *files])
    raw.unlink(missing_ok=True)
    runs = []
    for _ in range(REFRESHES):  # each changes the same row back or forth again
        change_one_complaint(data)
        runs.append(measured(load, cwd=ROOT, env=env))
    middle = sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]
    out["one-row refresh (complaints)"] = middle | {"walls": [run["wall"] for run in runs]}
    out["Parquet export"] = measured(
        [
            PYTHON,
            "-m",
            "scorecard.ingest.parquet",
            "--data",
            str(data),
            "--cache",
            str(cache),
            "--out",
            str(work / "parquet"),
        ],
        cwd=ROOT,
        env=env,
    )
    return out


def main(argv=None) -> int:
    parser = arguments(__doc__)
    args = parser.parse_args(argv)
    sample = args.work / f"scale-{args.scale:g}"
    for step, figures in ingest_figures(sample, args.work).items():
        if step == "cold ingest parts":
            for part, (wall, cpu) in figures.items():
                print(f"  {part:<30} wall {wall:7.1f} s  cpu {cpu:7.1f} s")
            continue
        print(
            f"{step:<32} wall {figures['wall']:7.1f} s  cpu {figures['cpu']:7.1f} s  "
            f"peak {figures['rss_mb']:7,.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
