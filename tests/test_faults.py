"""Fault injection: damaged, careless or half-copied extracts and a damaged cache, with the
dashboard running throughout. For every fault: rows are accounted for exactly, no row is
misdated, the last good data keeps serving, no page shows a traceback, and the state recovers
by itself once the fault is removed.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import threading
import time
from dataclasses import replace
from datetime import date

import duckdb
import pytest

from scorecard import ingest
from scorecard.engine import db
from scorecard.ingest import build as ingest_build
from scorecard.ui import app_state

from apptest import app, open_page, texts
from support import MINI, build

HEADER = (
    "complaint_id,stage,service,channel,received_on,acknowledged_on,extended_to,"
    "responded_on,outcome,category,contractor,ombudsman,ombudsman_outcome,refusal_reason"
)


def _complaints(n: int, day_month: str = "{d:02d}/{m:02d}/2026") -> str:
    """n stage 1 complaints over April to September 2026 (UK dates unless told)."""
    rows = []
    for i in range(n):
        m, d = 4 + i % 6, 1 + i % 28
        when = day_month.format(d=d, m=m)
        rows.append(f"X{i:04d},1,Housing,phone,{when},{when},,{when},upheld,Delay,,none,,")
    return HEADER + "\n" + "\n".join(rows) + "\n"


@pytest.fixture
def council(tmp_path):
    """The mini council's folder, built once: (settings, data folder, first build)."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, first = build(data, tmp_path / "cache")
    assert first.ok
    return s, data, first


def _served_count(s, table="complaints") -> int:
    con = db.connect(s.cache_dir / ingest.current(s)["database"])
    try:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()


def _refused_then_recovered(s, data, first, name: str, bad: bytes, message: str) -> None:
    """The fault refuses the file with one line, the last good data serves, and restoring
    the file recovers by itself."""
    good = (data / name).read_bytes()
    (data / name).write_bytes(bad)
    failed = ingest.refresh(s)
    assert not failed.ok and failed.database == first.database
    assert any(message in p for p in failed.problems), failed.problems
    assert _served_count(s) == 10
    assert not list(s.cache_dir.glob("*.building"))
    (data / name).write_bytes(good)
    fixed = ingest.refresh(s)
    assert fixed.ok and not fixed.problems


def test_a_stray_quote_in_a_big_file_is_named_not_half_loaded(council):
    s, data, first = council
    text = _complaints(4046).splitlines()
    text[5] = text[5].replace(",Housing,", ',"Housing,')  # line 6
    _refused_then_recovered(
        s,
        data,
        first,
        "complaints.csv",
        ("\n".join(text) + "\n").encode(),
        "complaints.csv: has a double quote on line 6 that opens a cell which does not close "
        "until line 4047, so the 4,041 rows after it would be read as part of one cell.",
    )


def test_every_row_of_a_large_clean_file_is_accounted_for(council):
    s, data, _ = council
    (data / "complaints.csv").write_text(_complaints(4046), encoding="utf-8")
    result = ingest.refresh(s)
    report = next(r for r in result.reports if r.extract == "complaints")
    physical = len((data / "complaints.csv").read_text().splitlines()) - 1
    assert physical == 4046
    assert report.rows_read == physical == report.loaded + report.excluded + report.rejected


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ("{m:02d}/{d:02d}/2026", "has month-first (US) dates"),
        ("{m:02d}/0{m}/2026", "has dates that could be day-first or month-first"),  # 04/04/2026
    ],
)
def test_dates_that_could_be_misread_refuse_the_file(council, dates, message):
    s, data, first = council
    _refused_then_recovered(
        s, data, first, "complaints.csv", _complaints(300, dates).encode(), message
    )


def test_a_mix_of_day_first_and_month_first_is_refused(council):
    s, data, first = council
    mixed = _complaints(20) + (
        "Y0001,1,Housing,phone,04/13/2026,04/13/2026,,04/13/2026,upheld,,,none,,\n"
    )
    _refused_then_recovered(
        s,
        data,
        first,
        "complaints.csv",
        mixed.encode(),
        "mixes day-first dates (received_on 13/04/2026",
    )


def test_us_dates_load_exactly_once_the_format_is_stated(tmp_path, council):
    s, data, _ = council
    (data / "complaints.csv").write_text(_complaints(300, "{m:02d}/{d:02d}/2026"))
    (data / "mapping.toml").write_text(
        '[complaints]\nformats = { received_on = "%m/%d/%Y", acknowledged_on = "%m/%d/%Y", '
        'responded_on = "%m/%d/%Y" }\n'
    )
    s2, result = build(data, tmp_path / "cache2", mapping_file=data / "mapping.toml")
    assert result.ok, result.problems
    con = db.connect(s2.cache_dir / ingest.current(s2)["database"])
    got = dict(con.execute("select complaint_id, received_on from complaints").fetchall())
    con.close()
    # X0000 was 04/01/2026 (month first): 1 April, never 4 January
    assert got["X0000"] == date(2026, 4, 1) and len(got) == 300
    assert all(d.month == 4 + int(k[1:]) % 6 for k, d in got.items())  # no row misdated


def test_a_typod_year_is_rejected_and_never_moves_the_as_at_date(council, monkeypatch, tmp_path):
    s, data, _ = council
    with open(data / "cases.csv", "a") as handle:
        for i in range(10):
            handle.write(
                f"T{i},Housing,web,2031-01-0{1 + i % 9} 09:00:00,2031-01-09 09:00:00,5,1,N,closed\n"
            )
    result = ingest.refresh(s)
    report = next(r for r in result.reports if r.extract == "cases")
    assert (report.rows_read, report.loaded, report.rejected) == (16, 6, 10)
    assert result.future_rows == 10
    con = db.connect(s.cache_dir / ingest.current(s)["database"])
    assert con.execute("select as_at_date from as_at").fetchall()[0][0] == date(2026, 9, 30)
    con.close()
    at = app(monkeypatch, data, s.cache_dir, min_base=1).run()
    assert not at.exception
    assert "Data as at 30 September 2026" in "\n".join(texts(at))
    assert at.selectbox(key="period").value == "September 2026"


def test_a_file_still_being_written_is_not_read_until_it_settles(council):
    s, data, first = council
    s = replace(s, settle_seconds=30)
    path = data / "complaints.csv"
    path.write_text(_complaints(20), encoding="utf-8")  # just written: mtime now
    waiting = ingest.refresh(s)
    assert waiting.database == first.database and not waiting.rebuilt
    assert (
        waiting.notices and "complaints.csv changed in the last few seconds" in waiting.notices[0]
    )
    assert _served_count(s) == 10
    old = time.time() - 60
    os.utime(path, (old, old))  # it has now stayed the same for a minute
    settled = ingest.refresh(s)
    assert settled.rebuilt and settled.ok and not settled.notices
    assert _served_count(s) == 20


def test_a_last_row_cut_short_refuses_the_file(council):
    s, data, first = council
    text = (data / "complaints.csv").read_text()
    _refused_then_recovered(
        s,
        data,
        first,
        "complaints.csv",
        (text + "CMP9,1,Hou").encode(),
        "complaints.csv: ends part-way through its last row (line 12: 3 "
        "of 14 cells, and no line break)",
    )


def test_a_truncated_gzip_refuses_the_file_and_leaves_nothing_behind(council):
    s, data, first = council
    text = (data / "complaints.csv").read_bytes()
    (data / "complaints.csv").unlink()
    (data / "complaints.csv.gz").write_bytes(gzip.compress(text * 40)[:300])
    failed = ingest.refresh(s)
    assert failed.problems[0].startswith("complaints.csv.gz: could not be read to the end")
    assert failed.database == first.database and _served_count(s) == 10
    assert not list(s.cache_dir.glob("*.building"))
    (data / "complaints.csv.gz").write_bytes(gzip.compress(text))
    assert ingest.refresh(s).ok and _served_count(s) == 10


def test_a_damaged_cache_database_is_rebuilt(council, monkeypatch):
    s, data, first = council
    served = s.cache_dir / first.database
    served.write_bytes(b"not a database" * 1000)
    repaired = ingest.refresh(s)
    assert repaired.ok and repaired.rebuilt and repaired.database != first.database
    assert repaired.notices == [
        "The dashboard's own database was damaged, so it has been rebuilt from the extracts."
    ]
    assert _served_count(s) == 10
    at = open_page(app(monkeypatch, data, s.cache_dir, min_base=1).run(), "data")
    assert not at.exception and at.title[0].value == "Data and definitions"


def test_the_app_repairs_a_damaged_database_when_it_starts(council, monkeypatch):
    s, data, first = council
    (s.cache_dir / first.database).write_bytes(b"garbage" * 500)
    at = open_page(app(monkeypatch, data, s.cache_dir, min_base=1).run(), "data")
    assert not at.exception and at.title[0].value == "Data and definitions"
    assert any("has been rebuilt from the extracts" in e.value for e in at.info)
    loads = next(d.value for d in at.dataframe if "Rows read" in d.value.columns)
    assert loads.set_index("Extract").loc["complaints", "Loaded"] == "10"


def test_a_read_only_cache_serves_its_last_good_database(council, monkeypatch):
    s, data, first = council

    def refuse(cache_dir):
        raise PermissionError(13, "Permission denied", str(cache_dir))

    monkeypatch.setattr(ingest_build, "_lock_file", refuse)
    (data / "complaints.csv").write_text(_complaints(12), encoding="utf-8")
    result = ingest.refresh(s)
    assert result.ok and result.database == first.database and _served_count(s) == 10
    assert "cannot be written to" in result.notices[0]
    assert str(s.cache_dir) not in result.notices[0]


def test_a_read_only_cache_with_no_database_builds_elsewhere(tmp_path, monkeypatch):
    s, _ = build(MINI, tmp_path / "cache")
    real = ingest_build._lock_file

    def refuse(cache_dir):
        if cache_dir == s.cache_dir:
            raise PermissionError(13, "Permission denied", str(cache_dir))
        return real(cache_dir)

    monkeypatch.setattr(ingest_build, "_lock_file", refuse)
    monkeypatch.setattr(
        ingest_build,
        "current",
        lambda settings: (
            None
            if settings.cache_dir == s.cache_dir
            else ingest_build._read_json(settings.cache_dir / "current.json")
        ),
    )
    result = ingest.refresh(s)
    assert result.ok and os.path.isabs(result.database)
    con = duckdb.connect(result.database, read_only=True)
    assert con.execute("select count(*) from complaints").fetchall()[0][0] == 10
    con.close()


def test_concurrent_refreshes_build_once_and_agree(council):
    s, data, _ = council
    (data / "complaints.csv").write_text(_complaints(50), encoding="utf-8")
    results, errors = [], []

    def refresh():
        try:
            results.append(ingest.refresh(s))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(r.rebuilt for r in results) == 1
    assert len({r.database for r in results}) == 1 and _served_count(s) == 50


def test_the_running_dashboard_keeps_serving_through_faults_and_recovers(council, monkeypatch):
    """One session throughout: each fault is reported in the banner with the last good
    figures still shown, no page raises, and removing the fault clears the banner."""
    s, data, _ = council
    at = app(monkeypatch, data, s.cache_dir, min_base=1).run()
    good = (data / "complaints.csv").read_bytes()
    faults = {
        "stray quote": good.replace(b",1,Housing,", b',1,"Housing,', 1),
        "US dates": _complaints(30, "{m:02d}/{d:02d}/2026").encode(),
        "not text": bytes(range(1, 256)) * 20,
    }
    for fault, content in faults.items():
        (data / "complaints.csv").write_bytes(content)
        app_state._refresh.clear()  # as "Check for new data now" does
        for page in ("", "complaints", "data"):
            at = open_page(at, page)
            assert not at.exception, (fault, page)
            errors = [e.value for e in at.error]
            assert any(
                "The latest data refresh failed" in e and "complaints.csv" in e for e in errors
            ), (fault, page, errors)
            assert not any(re.search(r"Traceback|/tmp/|/work/", e) for e in errors)
        (data / "complaints.csv").write_bytes(good)
        app_state._refresh.clear()
        at = open_page(at, "")
        assert not at.exception and not at.error, fault
