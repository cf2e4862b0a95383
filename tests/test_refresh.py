"""Atomic refresh: queries running in other threads while extracts change and the database
is rebuilt only ever see a complete database, old or new, never a partial one."""

from __future__ import annotations

import shutil
import threading

import duckdb

from scorecard import ingest
from scorecard.engine import db

from support import MINI, build

ROW = "C{n},2026-09-{d:02d} 09:00:00,phone,Housing,Contact Centre,30,100,N,,Y,N\n"


def _read_served(s):
    """(contacts rows, contacts loaded according to the loads table) from the served db."""
    pointer = ingest.current(s)
    con = db.connect(s.cache_dir / pointer["database"])
    try:
        count = con.execute("select count(*) from contacts").fetchall()[0][0]
        loaded = con.execute("select loaded from loads where extract = 'contacts'").fetchall()[0][0]
        views = con.execute("select count(*) from contacts_monthly").fetchall()[0][0]
        return count, loaded, views
    finally:
        con.close()


def test_readers_never_see_a_partial_refresh(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, first = build(data, tmp_path / "cache")
    seen, errors, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.append(_read_served(s))
            except duckdb.IOException:
                continue  # the file was pruned between reading the pointer and opening it
            except Exception as exc:  # noqa: BLE001 - any other failure is the bug we test
                errors.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for n in range(13, 19):  # six refreshes, each adding one contact
            with open(data / "contacts.csv", "a", encoding="utf-8") as handle:
                handle.write(ROW.format(n=n, d=n))
            assert ingest.refresh(s).rebuilt
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors[:3]
    assert len(seen) > 20
    counts = {count for count, _, _ in seen}
    assert counts <= set(range(12, 19))  # 12 rows to begin with, one more per refresh
    assert all(count == loaded for count, loaded, _ in seen)  # tables agree with each other
    assert all(views > 0 for _, _, views in seen)  # derived tables always present
    assert _read_served(s)[0] == 18


def test_a_failed_refresh_is_reported_and_the_old_database_kept(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, first = build(data, tmp_path / "cache")
    (data / "contacts.csv").write_bytes(b"\x00\x00")
    failed = ingest.refresh(s)
    assert not failed.ok and failed.database == first.database
    status = ingest.status(s)
    assert status["ok"] is False
    assert status["problems"] == [
        "contacts.csv: is not a text file (it holds bytes no CSV "
        "export writes). Export the extract as CSV text."
    ]
    assert _read_served(s)[0] == 12


def test_a_failed_refresh_stays_reported_until_the_file_is_fixed(tmp_path):
    """The next check of the same files gives the same verdict without rebuilding; fixing
    the file clears it."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, first = build(data, tmp_path / "cache")
    good = (data / "contacts.csv").read_bytes()
    (data / "contacts.csv").write_bytes(b"\x00\x00")
    failed = ingest.refresh(s)
    again = ingest.refresh(s)
    assert (again.ok, again.rebuilt, again.database) == (False, False, first.database)
    assert (
        again.problems
        == failed.problems
        == [
            "contacts.csv: is not a text file (it holds bytes no CSV export writes). Export the "
            "extract as CSV text."
        ]
    )
    (data / "contacts.csv").write_bytes(good + b"")
    fixed = ingest.refresh(s)
    assert fixed.ok and fixed.problems == []


def test_a_first_build_with_a_bad_file_serves_the_rest_and_keeps_saying_so(tmp_path):
    """With no earlier database, the readable extracts are served; the failure is reported
    on every later check, not only the first."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "cases.csv").write_bytes(b"\x00\x00")
    s, first = build(data, tmp_path / "cache")
    assert not first.ok and first.database
    again = ingest.refresh(s)
    assert (again.ok, again.rebuilt, again.database) == (False, False, first.database)
    assert again.problems == first.problems
    assert ingest.status(s)["ok"] is False
    assert _read_served(s)[0] == 12  # the contacts are served


def test_each_refresh_keeps_the_database_served_and_the_one_before_it(tmp_path):
    """Older databases are deleted (while the new one is built), each with its rejected
    rows: the one served and the one before it stay, for sessions still reading it."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    s, first = build(data, tmp_path / "cache")
    served = [first.database]
    for n in range(3):
        text = (data / "targets.csv").read_text(encoding="utf-8")  # a row more each time
        (data / "targets.csv").write_text(text + text.splitlines()[-1] + "\n", encoding="utf-8")
        result = ingest.refresh(s)
        assert result.rebuilt, n
        served.append(result.database)
    left = sorted(p.name for p in s.cache_dir.glob("db-*.duckdb"))
    assert left == sorted(served[-2:])
    csvs = sorted(p.name for p in s.cache_dir.glob("db-*.rejects.csv"))
    assert csvs == sorted(n.removesuffix(".duckdb") + ".rejects.csv" for n in served[-2:])
