"""The benchmark's one table: every figure of issue 16 beside its goal, as Markdown.

`table(parts, scale, build_seconds)` takes what page_benchmark.py measured (any part may be
missing when it was skipped) and returns the text written to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import statistics

PAGE_MS = 150  # a page after an uncached filter change
FLOOR_RATIO = 2.0  # cold page against the same page redrawn from memory
PANDAS_RATIO = 10.0  # plain pandas from frames in memory against the engine
INGEST_CPU_RATIO = 1.3  # the ingest's CPU against DuckDB's raw read_csv
INGEST_RSS_MB = 2048
REFRESH_SHARE = 0.10  # a one-row change against a cold ingest
PAYLOAD_MB = 1.0


def _machine(scale: float, build: float) -> str:
    built = "database already built" if build != build else f"database built in {build:.0f} s"
    return (
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, scale {scale:g} (about "
        f"{scale * 0.2:,.1f} million contacts); {built}."
    )


def _row(figure: str, measured: str, goal: str, met: bool | None, ratio: str = "") -> str:
    verdict = "-" if met is None else ("met" if met else "missed")
    return f"| {figure} | {measured} | {goal} | {ratio} | {verdict} |"


def _page_lines(rows) -> list[str]:
    lines = []
    for page, t in rows:
        cold, floor = t["cold server"], max(t["floor server"], 1)
        lines.append(
            _row(
                f"{page}: filter change, cold (server)",
                f"{cold:,.0f} ms",
                f"<= {PAGE_MS} ms",
                cold <= PAGE_MS,
                f"{cold / PAGE_MS:.1f}x",
            )
        )
        if "warm server" in t:
            warm = t["warm server"]
            lines.append(
                _row(
                    f"{page}: filter change, warm (after the scorecard, same filters)",
                    f"{warm:,.0f} ms",
                    "reported",
                    None,
                    f"{warm / PAGE_MS:.1f}x",
                )
            )
        lines.append(
            _row(
                f"{page}: cold against floor ({floor:,.0f} ms)",
                f"{cold:,.0f} ms",
                f"<= {FLOOR_RATIO:.0f}x the floor",
                cold / floor <= FLOOR_RATIO,
                f"{cold / floor:.1f}x",
            )
        )
    return lines


def _engine_lines(rows) -> list[str]:
    lines = []
    for comparison, label, engine, other in rows:
        if other is None:
            continue
        if comparison.endswith("pandas"):
            ratio = other / engine
            lines.append(
                _row(
                    f"heavy measures, {label}: pandas {other * 1000:,.0f} ms",
                    f"engine {engine * 1000:,.0f} ms",
                    f">= {PANDAS_RATIO:.0f}x faster than pandas",
                    ratio >= PANDAS_RATIO,
                    f"{ratio:.1f}x",
                )
            )
        else:
            lines.append(
                _row(
                    f"every measure, {label}: file {engine * 1000:,.0f} ms",
                    f"Parquet {other * 1000:,.0f} ms",
                    "reported",
                    None,
                    f"{other / engine:.2f}x",
                )
            )
    return lines


def _pandas_page_lines(rows, pages) -> list[str]:
    """The overview in plain pandas against the overview page, cold, for each filter change
    (the page's time for that change, when the pages part measured it)."""
    overview = dict(pages).get("overview", {})
    lines = []
    for label, seconds in rows:
        page = overview.get(f"cold server, {label}")
        if page is None:
            continue
        ratio = seconds * 1000 / page
        lines.append(
            _row(
                f"overview, {label}: plain pandas {seconds * 1000:,.0f} ms",
                f"page cold {page:,.0f} ms",
                f">= {PANDAS_RATIO:.0f}x faster than pandas",
                ratio >= PANDAS_RATIO,
                f"{ratio:.1f}x",
            )
        )
    return lines


def _ingest_lines(figures: dict) -> list[str]:
    cold, raw = figures["cold ingest"], figures["DuckDB raw read_csv"]
    refresh = figures["one-row refresh (complaints)"]
    cpu = cold["cpu"] / raw["cpu"]
    share = refresh["wall"] / cold["wall"]
    lines = [
        _row(
            f"cold ingest CPU (DuckDB raw read_csv {raw['cpu']:.0f} s)",
            f"{cold['cpu']:.0f} s",
            f"<= {INGEST_CPU_RATIO}x raw",
            cpu <= INGEST_CPU_RATIO,
            f"{cpu:.1f}x",
        ),
        _row(
            f"cold ingest wall (raw read_csv {raw['wall']:.0f} s)",
            f"{cold['wall']:.0f} s",
            "reported",
            None,
            f"{cold['wall'] / raw['wall']:.1f}x",
        ),
        _row(
            f"cold ingest peak memory (raw read_csv {raw['rss_mb']:,.0f} MB)",
            f"{cold['rss_mb']:,.0f} MB",
            f"<= {INGEST_RSS_MB:,} MB",
            cold["rss_mb"] <= INGEST_RSS_MB,
            f"{cold['rss_mb'] / INGEST_RSS_MB:.2f}x",
        ),
        _row(
            "one-row change to complaints: refresh"
            + (f" (median of {len(refresh['walls'])})" if refresh.get("walls") else ""),
            f"{refresh['wall']:.1f} s",
            f"<= {REFRESH_SHARE:.0%} of cold",
            share <= REFRESH_SHARE,
            f"{share:.1%}",
        ),
    ]
    lines += _ingest_part_lines(figures.get("cold ingest parts", {}), raw)
    export = figures.get("Parquet export")
    if export:
        lines.append(
            _row("Parquet export of the database", f"{export['wall']:.0f} s", "reported", None)
        )
    return lines


def _ingest_part_lines(recorded: dict, raw: dict) -> list[str]:
    """The cold ingest's parts as the build recorded them: reading and checking the extracts
    (what the raw read does, and more) against the raw read, then what the raw read does
    not do at all (the derived tables and the kept results)."""
    reading = [cpu for part, (_, cpu) in recorded.items() if part.startswith("reading ")]
    if not reading:
        return []
    lines = [
        _row(
            "cold ingest: reading and checking the extracts alone, CPU",
            f"{sum(reading):.0f} s",
            "reported",
            None,
            f"{sum(reading) / raw['cpu']:.1f}x raw",
        )
    ]
    for part in ("derived tables", "kept results"):
        if part in recorded:
            wall, cpu = recorded[part]
            lines.append(
                _row(
                    f"cold ingest: {part}, CPU (wall {wall:.1f} s)",
                    f"{cpu:.1f} s",
                    "reported",
                    None,
                )
            )
    return lines


def _browser_lines(rows) -> list[str]:
    lines = []
    for r in rows:
        page = {"": "overview", "?present=1": "presentation"}.get(r["path"], r["path"])
        mb = r["ws_bytes"] / 1e6
        lines.append(
            _row(
                f"{page}: payload",
                f"{mb:.2f} MB",
                f"<= {PAYLOAD_MB:.0f} MB",
                mb <= PAYLOAD_MB,
                f"{mb / PAYLOAD_MB:.2f}x",
            )
        )
        lines.append(
            _row(
                f"{page}: "
                + (
                    "its one chart visible in Chromium"
                    if r["charts"] == 1
                    else f"all {r['charts']} charts visible in Chromium"
                    if r["charts"]
                    else "drawn in Chromium (no charts on it)"
                ),
                f"{r['visible_ms']:,.0f} ms",
                "reported",
                None,
            )
        )
        if r.get("exceptions"):
            lines.append(_row(f"{page}: faults shown", str(r["exceptions"]), "0", False))
    return lines


def table(parts: dict, scale: float, build: float) -> str:
    """The results as Markdown: the machine, then one row per figure with its goal."""
    lines = [
        f"# Speed at scale {scale:g} (issue 16)",
        "",
        _machine(scale, build),
        "",
        "Pages: AppTest runs the whole script (queries, engine, Plotly figures, layout, "
        "serialisation); the time is the page's own, as it logs it in production; median "
        "of the filter changes. Cold: every cache emptied first. Warm: every cache emptied, "
        "then the scorecard overview opened with the same filters, then the page (what a "
        "councillor waits for going from the scorecard to a page). Floor: the same page "
        "again with everything in memory. Chromium: a fresh browser context per load "
        "(nothing cached, so each load also fetches and parses Streamlit's and Plotly's "
        "scripts), from navigation to the app idle with every chart drawn; payload: the "
        "websocket messages of that load. Plain pandas: every measure on the overview "
        "worked out and judged with pandas from the extracts already read into memory "
        "(benchmarks/pandas_pages.py: the same figures as the engine's, checked on the "
        "sample), against the overview page cold under the same filter change.",
        "",
        "| Figure | Measured | Goal | Ratio (to goal, or as named) | Goal met? |",
        "|---|---:|---|---:|---|",
    ]
    if "ingest" in parts:
        lines += _ingest_lines(parts["ingest"])
    if "pages" in parts:
        lines += _page_lines(parts["pages"])
    if "pandas pages" in parts:
        lines += _pandas_page_lines(parts["pandas pages"], parts.get("pages", []))
    if "engine" in parts:
        lines += _engine_lines(parts["engine"])
    if "browser" in parts:
        lines += _browser_lines(parts["browser"])
    if "pages" in parts:
        met = sum(t["cold server"] <= PAGE_MS for _, t in parts["pages"])
        median = statistics.median(t["cold server"] for _, t in parts["pages"])
        lines += [
            "",
            f"{met} of {len(parts['pages'])} pages meet {PAGE_MS} ms cold; the "
            f"median page takes {median:,.0f} ms.",
        ]
    return "\n".join(lines) + "\n"
