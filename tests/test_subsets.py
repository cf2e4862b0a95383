"""Councils start with one or two extracts: every page, the committee pack and the annual
complaints report work on any subset of the extracts (each alone, all but each, none), on the
shipped real-data mappings and on the three example councils, and what is absent is said in
words, listed apart from the cards, never rated and never counted in the status tally.

Expectations come from the catalogue's declared sources, not from the engine: a measure one
of whose extracts is missing must say "Not supplied: no <extract> extract".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorecard import contracts, ingest
from scorecard.engine import calendar as cal
from scorecard.engine import catalogue, coverage, db
from scorecard.reports import annual_report, pack

from apptest import app, open_page, texts
from support import FIXTURES, MINI, ROOT, build

NAMES = [e.name for e in contracts.EXTRACTS]
PEERS = FIXTURES / "peers" / "peers.csv"
SUBSETS = (
    {"none": []}
    | {f"only {n}": [n] for n in NAMES}
    | {f"all but {n}": [x for x in NAMES if x != n] for n in NAMES}
)
PAGES = [
    "",
    "ethos",
    "understanding",
    "access",
    "end_to_end",
    "complaints",
    "data",
    "measure",
    "service",
    "actions",
    "map",
]
REAL = ROOT / "data" / "real"
SHIPPED = {
    "la311": (REAL, {"mapping": ROOT / "mappings" / "la311.toml"}, ["cases", "contacts"]),
    "housing ombudsman": (
        REAL,
        {"mapping": ROOT / "mappings" / "housing_ombudsman.toml"},
        ["complaints"],
    ),
    "example telephony": (ROOT / "data" / "examples" / "telephony", {}, ["contacts"]),
    "example resident survey": (
        ROOT / "data" / "examples" / "resident_survey",
        {},
        ["satisfaction"],
    ),
    "example request log": (ROOT / "data" / "examples" / "request_log", {}, ["cases", "contacts"]),
}
STRATEGY = catalogue.load_strategy(
    ROOT / "config" / "strategy.toml", ROOT / "config" / "measures.toml"
)
MEASURES = catalogue.load_catalogue(ROOT / "config" / "measures.toml")
PILLAR_MEASURES = [MEASURES[m] for p in STRATEGY.pillars for m in p.measures]


def _subset(tmp_path: Path, names: list[str]) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in names:  # the mini council has no peers extract: its own fixture stands in
        shutil.copy(PEERS if name == "peers" else MINI / f"{name}.csv", data)
    shutil.copy(MINI / "council.toml", data)
    return data


def _missing_source(measure, supplied: list[str]) -> str | None:
    return next((s for s in measure.sources if s not in supplied), None)


def _every_page(at) -> dict[str, str]:
    """Open each page; no page may raise. Returns each page's text."""
    shown = {}
    for url in PAGES:
        at = open_page(at, url) if url else at
        assert not at.exception, (url, at.exception[0].message if at.exception else "")
        alerts = [
            e.value for kind in ("info", "warning", "error", "success") for e in getattr(at, kind)
        ]
        shown[url] = "\n".join(texts(at) + alerts + [str(m.value) for m in at.metric])
        if not url:
            tally = {m.label.split(": ")[-1]: int(m.value) for m in at.metric}
            shown["tally"] = tally
    return shown


def _absent_words(supplied: list[str]) -> dict[str, str]:
    """Measure title -> the words that must say it is not supplied."""
    return {
        m.title: f"Not supplied: no {_missing_source(m, supplied)} extract"
        for m in PILLAR_MEASURES
        if _missing_source(m, supplied)
    }


def _check_overview(shown: dict, supplied: list[str]) -> None:
    overview = shown[""]
    absent = _absent_words(supplied)
    for title, words in absent.items():
        line = next((t for t in overview.splitlines() if words in t and title in t), None)
        assert line, (title, words)
        assert f"**{title}**" not in overview, f"{title} has a card although not supplied"
    # the tally counts only measures with a figure: never the absent ones
    counted = sum(shown["tally"].values())
    assert counted <= len(PILLAR_MEASURES) - len(absent)
    if absent:
        assert (
            f"{len(absent)} measure{'s' if len(absent) > 1 else ''} not supplied or not "
            "measured" in overview
        )


@pytest.mark.parametrize("subset", SUBSETS)
def test_every_page_on_a_subset_of_extracts(subset, monkeypatch, tmp_path):
    supplied = SUBSETS[subset]
    data = _subset(tmp_path, supplied)
    shown = _every_page(app(monkeypatch, data, tmp_path / "cache", min_base=1).run())
    _check_overview(shown, supplied)
    if "complaints" not in supplied:
        assert "Not supplied: no complaints extract" in shown["complaints"]
    if "actions" not in supplied:
        assert "Not supplied: no actions extract" in shown["actions"]
    if "returns" not in supplied:  # the measure page opens on training completion (returns)
        assert "Not supplied" in shown["measure"] and "No returns extract" in shown["measure"]
    if not {"contacts", "cases", "satisfaction", "complaints", "returns"} & set(supplied):
        assert "No activity extract" in shown[""]
    assert "Eastvale" not in "\n".join(v for v in shown.values() if isinstance(v, str))


def _papers(s) -> tuple[str, str]:
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        covered = coverage.load(database)
        quarter = cal.period_label(cal.period_start(covered.as_at, "quarter"), "quarter")
        filters = pack.filters_for(quarter, covered.as_at, covered.first)
        html = pack.render(database, s, filters, covered.as_at)
        year = cal.fy_label(cal.fy_start(covered.as_at))
        report = annual_report.build(
            database, s, catalogue.load_catalogue(s.catalogue_file), year, covered.as_at
        ).render()
    finally:
        database.close()
    return html, report


@pytest.mark.parametrize(
    "subset",
    [
        "none",
        "only contacts",
        "only complaints",
        "all but complaints",
        "all but actions",
        "all but targets",
    ],
)
def test_committee_pack_and_annual_report_on_a_subset(subset, tmp_path):
    supplied = SUBSETS[subset]
    s, result = build(_subset(tmp_path, supplied), tmp_path / "cache", min_base=1)
    assert result.ok, result.problems
    html, report = _papers(s)
    for title, words in _absent_words(supplied).items():
        assert f"{words}: " in html and title in html
        assert f"<h3>{title}</h3>" not in html  # no section of figures for it
    assert ("Not supplied: no complaints extract" in report) == ("complaints" not in supplied)
    assert ("Not supplied: no actions extract" in html) == ("actions" not in supplied)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_mappings_and_examples_render_every_page(name, monkeypatch, tmp_path):
    data, env, supplied = SHIPPED[name]
    shown = _every_page(app(monkeypatch, data, tmp_path / "cache", min_base=1, **env).run())
    overview = shown[""]
    assert "Not supplied: no complaints extract" in overview or "complaints" in supplied
    for title, words in _absent_words(supplied).items():
        assert words in overview and title in overview
    assert "Eastvale" not in "\n".join(v for v in shown.values() if isinstance(v, str))
    extra = {"mapping_file": env["mapping"]} if "mapping" in env else {}
    s, _ = build(data, tmp_path / "papers", min_base=1, **extra)
    html, report = _papers(s)
    assert "Not supplied" in html
