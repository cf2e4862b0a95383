"""Contracts and ingest: rejects with file, line, column and reason; read = loaded + rejected;
an unreadable file keeps the last good database; a rebuild only when an extract changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest

from scorecard import ingest
from scorecard.contracts import EXTRACTS
from scorecard.engine import db
from scorecard.ingest import build as ingest_build

from support import MINI, ROOT, build


def _copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return data


def _append(path, text):
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _served(s) -> db.Database:
    return db.Database(s.cache_dir / ingest.current(s)["database"])


def _rejects(s) -> pd.DataFrame:
    frame = _served(s).table("rejects")
    return frame.astype(object).where(frame.notna(), None)


def test_mini_fixture_loads_every_row(mini_db):
    loads = mini_db.table("loads").set_index("extract")
    assert loads.loc["contacts", "rows_read"] == 12
    assert loads.loc["complaints", "loaded"] == 10
    assert (loads["rows_read"] == loads["loaded"] + loads["excluded"] + loads["rejected"]).all()
    assert loads["rejected"].sum() == 0


def test_bad_rows_are_rejected_with_line_column_and_reason(tmp_path):
    data = _copy(tmp_path)
    _append(
        data / "contacts.csv",
        "C13,2026-09-31 09:00:00,phone,Housing,Contact Centre,30,,N,,,N\n"  # line 14
        "C14,2026-09-08 09:00:00,pigeon,Housing,Contact Centre,,,,,,N\n"  # line 15
        "C15,2026-09-08 09:00:00,phone,Housing,Contact Centre,-5,,N,,,N\n"  # line 16
        "C01,2026-09-08 09:00:00,web,Housing,Online,,,,,,N\n"  # line 17: duplicate
        "C16,2026-09-08 09:00:00,phone,Housing,Contact Centre,30,,maybe,,,N\n",
    )  # line 18
    _append(
        data / "cases.csv", "K07,Housing,web,2026-09-10 09:00:00,2026-09-09 09:00:00,5,1,N,closed\n"
    )  # line 8: closed before opened
    s, result = build(data, tmp_path / "cache")
    assert result.ok
    got = _rejects(s)[["extract", "file", "line", "column_name", "reason"]]
    expected = [
        (
            "cases",
            "cases.csv",
            8,
            "closed_at",
            "closed before it was opened (opened_at 2026-09-10 09:00:00)",
        ),
        (
            "contacts",
            "contacts.csv",
            14,
            "received_at",
            "is not a date and time (expected YYYY-MM-DD HH:MM:SS or DD/MM/YYYY HH:MM)",
        ),
        (
            "contacts",
            "contacts.csv",
            15,
            "channel",
            "is not one of: phone, web, email, face_to_face, webchat, letter, social, app",
        ),
        ("contacts", "contacts.csv", 16, "wait_seconds", "is below the minimum of 0"),
        (
            "contacts",
            "contacts.csv",
            17,
            "contact_id",
            "duplicate contact_id: first seen on line 2",
        ),
        (
            "contacts",
            "contacts.csv",
            18,
            "abandoned",
            "is not yes or no (expected Y, N, yes, no, true, false, 1 or 0)",
        ),
    ]
    assert list(got.itertuples(index=False, name=None)) == expected
    loads = {r.extract: r for r in result.reports}
    assert (loads["contacts"].rows_read, loads["contacts"].loaded, loads["contacts"].rejected) == (
        17,
        12,
        5,
    )
    assert (loads["cases"].rows_read, loads["cases"].loaded, loads["cases"].rejected) == (7, 6, 1)


def test_broken_rows_keep_exact_line_numbers(tmp_path):
    data = _copy(tmp_path)
    # a blank line, a quoted cell with a line break, a short row, then a good row
    _append(
        data / "actions.csv",
        "\n"  # line 7 (blank: not a row)
        'A6,access,"Publish a\nguide",Head of Digital,2026-12-31,on_track,10,2026-09-01,'
        "Started,,\n"  # lines 8-9
        "A7,access,Too short\n"  # line 10
        "A8,ethos,Good row,Head of HR,2027-01-31,on_track,5,2026-09-01,Fine,,\n"  # line 11
        "A9,ethos,Bad date,Head of HR,31/02/2027,on_track,5,2026-09-01,Fine,,\n",
    )  # line 12
    s, result = build(data, tmp_path / "cache")
    got = _rejects(s)[["line", "column_name", "reason"]]
    assert list(got.itertuples(index=False, name=None)) == [
        (10, None, "expected 11 cells, found 3"),
        (12, "due_on", "is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"),
    ]
    report = next(r for r in result.reports if r.extract == "actions")
    assert (report.rows_read, report.loaded, report.rejected) == (9, 7, 2)
    titles = _served(s).query("tables/rejects").shape[0]
    assert titles == 2


def test_free_text_is_never_echoed_in_rejects(tmp_path):
    data = _copy(tmp_path)
    _append(data / "commentary.csv", "stage1_on_time,not-a-date,,Mrs Smith of 1 High St,,\n")
    s, _ = build(data, tmp_path / "cache")
    rejects = _rejects(s)
    assert "Mrs Smith" not in rejects.to_csv()
    assert rejects.iloc[0]["column_name"] == "period"


def test_unreadable_file_keeps_the_last_good_database(tmp_path):
    data = _copy(tmp_path)
    s, first = build(data, tmp_path / "cache")
    assert first.ok
    (data / "complaints.csv").write_bytes(b"PK\x03\x04 not really a workbook")
    second = ingest.refresh(s)
    assert not second.ok
    assert second.problems == [
        "complaints.csv: is an Excel workbook, not a CSV file. Open it "
        "in Excel and use File > Save As > CSV UTF-8."
    ]
    assert second.database == first.database
    assert ingest.current(s)["database"] == first.database
    assert ingest.status(s)["ok"] is False
    assert _served(s).table("loads").set_index("extract").loc["complaints", "loaded"] == 10


def test_missing_required_column_is_one_clear_message(tmp_path):
    data = _copy(tmp_path)
    frame = pd.read_csv(data / "cases.csv").drop(columns=["standard_days"])
    frame.to_csv(data / "cases.csv", index=False)
    _, result = build(data, tmp_path / "cache")
    assert not result.ok
    assert result.problems[0].startswith(
        "cases.csv: missing required column(s) standard_days; found case_id, service"
    )


def test_rebuilds_only_when_an_extract_changes(tmp_path):
    data = _copy(tmp_path)
    s, first = build(data, tmp_path / "cache")
    again = ingest.refresh(s)
    assert (first.rebuilt, again.rebuilt) == (True, False)
    assert again.database == first.database
    _append(data / "events.csv", "2026-09-01,New website,access,\n")
    third = ingest.refresh(s)
    assert third.rebuilt and third.database != first.database


def test_missing_optional_extract_is_not_an_error(tmp_path):
    data = _copy(tmp_path)
    (data / "events.csv").unlink()
    s, result = build(data, tmp_path / "cache")
    assert result.ok
    report = next(r for r in result.reports if r.extract == "events")
    assert (report.status, report.rows_read) == ("missing", 0)


def test_an_extract_not_supplied_is_not_a_failure(tmp_path):
    # councils start with one or two extracts: a missing one is "not supplied", not an error
    data = _copy(tmp_path)
    (data / "cases.csv").unlink()
    s, result = build(data, tmp_path / "cache")
    assert result.ok and not result.problems
    report = next(r for r in result.reports if r.extract == "cases")
    assert (report.status, report.rows_read, report.loaded) == ("missing", 0, 0)
    assert _served(s).query("tables/loads").set_index("extract").loc["cases", "status"] == "missing"


@pytest.mark.parametrize("variant", ["bom", "cp1252", "semicolon", "crlf", "uk_dates"])
def test_common_export_variants_load(tmp_path, variant):
    data = _copy(tmp_path)
    path = data / "complaints.csv"
    text = path.read_text(encoding="utf-8")
    if variant == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    elif variant == "cp1252":
        path.write_bytes(text.replace("Delay", "Delay \u2013 \u00a3 refund").encode("cp1252"))
    elif variant == "semicolon":
        path.write_text(text.replace(",", ";"), encoding="utf-8")
    elif variant == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode())
    else:  # UK dates: 14/09/2026 can only be day-first, so 01/09/2026 is 1 September
        path.write_text(
            text.replace("2026-09-01", "01/09/2026").replace("2026-09-14", "14/09/2026"),
            encoding="utf-8",
        )
    s, result = build(data, tmp_path / "cache")
    assert result.ok, result.problems
    report = next(r for r in result.reports if r.extract == "complaints")
    assert (report.rows_read, report.loaded) == (10, 10)
    if variant == "cp1252":
        categories = _served(s).query("tables/complaint_categories")["category"].tolist()
        assert "Delay \u2013 \u00a3 refund" in categories


def test_a_windows_1252_character_far_into_a_file_is_read_not_rejected(tmp_path):
    """Encoding is judged from the start of a file (no pass over the whole of it): a file
    that begins as plain text and has a Windows-1252 pound sign 1,200 rows in is read again as
    Windows-1252, every row loaded and the sign kept, rather than a row rejected."""
    data = _copy(tmp_path)
    path = data / "complaints.csv"
    rows = "".join(
        f"CMQ{i},1,Housing,web,2026-09-10,2026-09-11,,,,Delay,,none,,\n" for i in range(1200)
    )  # about 73 KB of plain text first
    last = "CMQX,1,Housing,web,2026-09-10,2026-09-11,,,,Delay \u00a3 refund,,none,,\n"
    path.write_bytes(path.read_bytes() + rows.encode() + last.encode("cp1252"))
    assert len(path.read_bytes()) > 1 << 16  # beyond what is read to judge the encoding
    s, result = build(data, tmp_path / "cache")
    assert result.ok, result.problems
    report = next(r for r in result.reports if r.extract == "complaints")
    assert (report.rows_read, report.loaded, report.rejected) == (1211, 1211, 0)
    assert report.encoding == "cp1252"
    categories = _served(s).query("tables/complaint_categories")["category"].tolist()
    assert "Delay \u00a3 refund" in categories


def test_an_answered_complaint_needs_its_response_date(tmp_path):
    # otherwise it would count as open, overdue and decided at once
    data = _copy(tmp_path)
    _append(
        data / "complaints.csv",
        "CMP9,1,Housing,phone,2026-09-01,2026-09-02,,,upheld,Delay,,none,,\n",
    )  # line 12
    s, result = build(data, tmp_path / "cache")
    assert _rejects(s)[["line", "column_name", "reason"]].values.tolist() == [
        [
            12,
            "responded_on",
            "has an outcome but no response date (give the date it was "
            "answered, refused or withdrawn)",
        ]
    ]


def _cli(args, capsys):
    code = ingest.main([str(a) for a in args])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def test_exit_status_four_when_an_extract_loads_nothing(tmp_path, capsys):
    data = _copy(tmp_path)
    (data / "actions.csv").write_text((MINI / "actions.csv").read_text().splitlines()[0] + "\n")
    code, out, err = _cli(["--data", data, "--cache", tmp_path / "cache"], capsys)
    assert code == 4
    assert "warning: actions.csv: no row could be loaded." in out
    assert "Exit status 4: loaded, but an extract loaded no rows" in err


def test_exit_status_four_when_too_many_rows_are_rejected(tmp_path, capsys):
    data = _copy(tmp_path)
    _append(
        data / "cases.csv",
        "K07,Housing,web,2026-13-10 09:00:00,,5,1,N,open\n"
        "K08,Housing,web,2026-13-11 09:00:00,,5,1,N,open\n",
    )
    # 2 of 8 cases (25%) rejected: over the default 20%
    code, out, _ = _cli(["--data", data, "--cache", tmp_path / "cache"], capsys)
    assert code == 4
    assert (
        "warning: cases.csv: 2 of 8 rows (25%) were rejected, more than the 20% expected; "
        "the commonest reason: opened_at is not a date and time" in out
    )
    # the council can set its own threshold
    (data / "council.toml").write_text('max_rejected_share = 0.3\ndefault_targets = "catalogue"\n')
    code, _, _ = _cli(["--data", data, "--cache", tmp_path / "cache"], capsys)
    assert code == 0


def test_with_db_nothing_is_written_anywhere_else(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SCORECARD_CACHE", raising=False)
    default_cache = ingest_build.load().cache_dir
    before = sorted(default_cache.rglob("*")) if default_cache.exists() else None
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, _ = _cli(["--data", MINI, "--db", out_dir / "council.duckdb"], capsys)
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["council.duckdb", "council.rejects.csv"]
    after = sorted(default_cache.rglob("*")) if default_cache.exists() else None
    assert before == after  # the checkout's own cache is untouched
    assert f"Database written to {out_dir / 'council.duckdb'}" in out


def test_the_council_settings_travel_with_its_extracts(tmp_path):
    # a council's folder without council.toml never shows the sample council's name
    data = _copy(tmp_path)
    (data / "council.toml").unlink()
    s, _ = build(data, tmp_path / "cache")
    assert s.council == "" and s.default_targets == ""
    (data / "council.toml").write_text(
        'council = "Upton Council"\ndefault_targets = { digital_takeup = 55 }\n'
    )
    s, _ = build(data, tmp_path / "cache")
    assert s.council == "Upton Council"
    assert s.default_targets == (("digital_takeup", 55.0),)
    (data / "council.toml").write_text('council = "Upton"\nfavourite_colour = "red"\n')
    with pytest.raises(ValueError, match="council.toml: unknown setting"):
        build(data, tmp_path / "cache")


def test_the_command_lines_rejects_csv_is_safe_in_a_spreadsheet(tmp_path, capsys):
    data = _copy(tmp_path)
    _append(
        data / "contacts.csv",
        'C13,=HYPERLINK("http://evil.example"),phone,Housing,Contact Centre,30,,N,,,N\n',
    )
    _cli(["--data", data, "--cache", tmp_path / "cache", "--db", tmp_path / "out.duckdb"], capsys)
    text = (tmp_path / "out.rejects.csv").read_text()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def _tables(path) -> dict[str, pd.DataFrame]:
    """Every table of a database file, rows in a fixed order (for comparing two builds)."""
    con = db.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where not temporary"
            ).fetchall()
        ]
        out = {}
        for name in sorted(set(names) - {"build"}):
            frame = con.execute(f"select * from {name}").df()
            frame = frame.astype(str).sort_values(list(frame.columns)).reset_index(drop=True)
            out[name] = frame
        return out
    finally:
        con.close()


def test_a_changed_extract_is_re_read_alone_and_gives_the_same_database(tmp_path):
    data = _copy(tmp_path)
    s, first = build(data, tmp_path / "cache")
    files = ingest_build.locate(data, {})[0]
    assert first.reread == sorted(ingest_build.fingerprint(files, s).extracts)
    frame = pd.read_csv(data / "complaints.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "service"] = "Libraries" if frame.loc[0, "service"] != "Libraries" else "Housing"
    frame.loc[1, "received_on"] = "not a date"
    frame.to_csv(data / "complaints.csv", index=False)
    again = ingest.refresh(s)
    assert again.rebuilt and again.ok and again.reread == ["complaints"]
    complaints = next(r for r in again.reports if r.extract == "complaints")
    assert complaints.rejected == 1
    whole = ingest.refresh(s, force=True)
    assert whole.reread == first.reread
    incremental = _tables(tmp_path / "cache" / again.database)
    full = _tables(tmp_path / "cache" / whole.database)
    assert incremental.keys() == full.keys()
    for name in full:
        pd.testing.assert_frame_equal(incremental[name], full[name], obj=name)
    assert [r.__dict__ for r in again.reports] == [r.__dict__ for r in whole.reports]
    assert (again.warnings, again.flags) == (whole.warnings, whole.flags)


def test_a_new_code_or_setting_re_reads_every_extract(tmp_path):
    data = _copy(tmp_path)
    s, first = build(data, tmp_path / "cache")
    changed = ingest.refresh(ingest_build.replace(s, max_rejected_share=0.5))
    assert changed.rebuilt and changed.reread == first.reread


def test_loading_memory_and_threads_are_settings(tmp_path, monkeypatch):
    from scorecard.settings import SettingsError, load

    monkeypatch.setenv("SCORECARD_MEMORY_LIMIT", "512 MB")
    monkeypatch.setenv("SCORECARD_THREADS", "1")
    s = load({"data_dir": MINI})
    assert (s.memory_limit, s.threads) == ("512MB", 1)
    monkeypatch.setenv("SCORECARD_MEMORY_LIMIT", "512MB; drop table contacts")
    with pytest.raises(SettingsError, match="memory_limit must be a size"):
        load({"data_dir": MINI})
    monkeypatch.delenv("SCORECARD_MEMORY_LIMIT")
    _, result = build(_copy(tmp_path), tmp_path / "cache", memory_limit="256MB", threads=1)
    assert result.ok and {r.extract: r.loaded for r in result.reports}["contacts"] == 12


CONTACTS = next(e for e in EXTRACTS if e.name == "contacts")


@pytest.mark.parametrize(
    "order, spread, sorted_",
    [
        ("random()", 9.0, True),  # shuffled: all 9 row groups span every date
        ("i // 122880, random()", 1.0, False),  # each row group its own dates, in any order
    ],
)
def test_an_extract_is_sorted_by_date_only_when_its_row_groups_are_out_of_order(
    order, spread, sorted_
):
    """A million contacts a minute apart, stored in 9 row groups: shuffled, every row group
    spans (nearly) all of them and zone maps could skip none, so the table is sorted; each
    row group holding its own stretch of minutes (shuffled within it), they skip all but the
    ones asked for, and the table is kept as stored, no copy made."""
    from scorecard.ingest import load

    con = duckdb.connect()
    con.execute(
        "create table contacts as select timestamp '2022-01-01' + to_seconds(i * 60) as "
        f"received_at, 'contacts.csv' as _file, i + 2 as _line from range(1000000) t(i) "
        f"order by {order}"
    )
    assert load.date_spread(con, CONTACTS) == pytest.approx(spread, abs=0.01)
    before = con.execute("select _line from contacts order by rowid").fetchnumpy()["_line"]
    load._keep_in_date_order(con, CONTACTS)
    after = con.execute("select _line from contacts order by rowid").fetchnumpy()["_line"]
    assert (after == np.arange(2, 1000002)).all() == sorted_
    assert (after == before).all() != sorted_
    assert load.date_spread(con, CONTACTS) == pytest.approx(1.0 if sorted_ else spread, abs=0.01)


def test_a_small_extract_out_of_date_order_is_kept_as_read(tmp_path):
    """Contacts early and late interleaved, in one row group (a table that small is read
    whole anyway): loaded in the file's order, nothing sorted."""
    data = _copy(tmp_path)
    lines = (data / "contacts.csv").read_text().splitlines(keepends=True)
    rows = sorted(lines[1:], key=lambda line: line.split(",")[1])
    half = len(rows) // 2
    mixed = [rows[i] for pair in zip(range(half), range(half, 2 * half)) for i in pair]
    assert len(rows) == 12 and set(mixed) == set(rows)  # early, late, early, late, ...
    (data / "contacts.csv").write_text("".join(lines[:1] + mixed))
    s, _ = build(data, tmp_path / "cache")
    con = db.connect(s.cache_dir / ingest.current(s)["database"])
    try:
        stored = con.execute("select received_at from contacts order by rowid").fetchall()
    finally:
        con.close()
    assert [str(t) for (t,) in stored] == [r.split(",")[1] for r in mixed]


def test_rejects_and_exclusions_by_reason_list_ties_and_examples_in_a_fixed_order():
    """Problems written in either order are listed the same way (the data page, its CSV
    and the pack agree on every load): every row by file, line and column; by reason, ties
    by column, with the examples' values in alphabetical order and lines in line order."""
    listed = []
    for order in (1, -1):
        con = duckdb.connect()
        for table in ("rejects", "exclusions"):
            con.execute(
                f"create table {table} (extract VARCHAR, file VARCHAR, line BIGINT, "
                "column_name VARCHAR, value VARCHAR, reason VARCHAR)"
            )
            rows = [
                ("contacts", "contacts.csv", 9, "channel", "phne", "not a channel"),
                ("contacts", "contacts.csv", 4, "channel", "fax", "not a channel"),
                ("contacts", "contacts.csv", 7, "received_at", "31/02/2026", "not a date"),
                ("contacts", "contacts.csv", 3, "received_at", "2026-13-01", "not a date"),
                ("contacts", "contacts.csv", 7, "channel", "telex", "not a channel"),
                ("contacts", "contacts.csv", 11, "received_at", "2026-02-30", "not a date"),
            ][::order]
            con.executemany(f"insert into {table} values (?, ?, ?, ?, ?, ?)", rows)
        listed.append(
            (
                con.execute(db.sql_text("tables/rejects_by_reason")).fetchall(),
                con.execute(db.sql_text("tables/exclusions_by_reason")).fetchall(),
                con.execute(db.sql_text("tables/rejects")).fetchall(),
                con.execute(db.sql_text("tables/exclusions")).fetchall(),
            )
        )
        con.close()
    assert listed[0] == listed[1]
    by_reason, exclusions, rejects, excluded = listed[0]
    assert [(r[2], r[3], r[5], r[6]) for r in by_reason] == [
        ("channel", "not a channel", [4, 7, 9], ["fax", "phne", "telex"]),
        ("received_at", "not a date", [3, 7, 11], ["2026-02-30", "2026-13-01", "31/02/2026"]),
    ]
    assert [(r[2], r[3], r[4]) for r in exclusions] == [
        ("channel", "not a channel", 3),
        ("received_at", "not a date", 3),
    ]
    # every row, by line; two problems on line 7 by column
    assert [(r[2], r[3]) for r in rejects] == [
        (3, "received_at"),
        (4, "channel"),
        (7, "channel"),
        (7, "received_at"),
        (9, "channel"),
        (11, "received_at"),
    ]
    assert [(r[2], r[3]) for r in excluded] == [(r[2], r[3]) for r in rejects]


def test_a_plain_file_is_stored_in_one_pass_and_an_odd_one_read_with_care(tmp_path, monkeypatch):
    """A UTF-8 file with one record a line is read, checked and stored in one statement
    straight from the CSV (no raw copy): its rows keep their lines (a repeated key on line 14
    names line 2) and its table holds the contract's columns alone. A file with a blank line
    goes the careful way, and its lines are right too."""
    from scorecard.ingest import load

    careful = []
    read_files = load._read_files

    def spy(con, extract, *args):
        careful.append(extract.name)
        return read_files(con, extract, *args)

    monkeypatch.setattr(load, "_read_files", spy)
    data = _copy(tmp_path)
    _append(data / "contacts.csv", "C01,2026-09-08 09:00:00,web,Housing,Online,,,,,,N\n")
    _append(
        data / "actions.csv",
        "\n"  # line 7: blank
        "A8,ethos,Good row,Head of HR,2027-01-31,on_track,5,2026-09-01,Fine,,\n"  # line 8
        "A9,ethos,Bad date,Head of HR,31/02/2027,on_track,5,2026-09-01,Fine,,\n",  # line 9
    )
    s, result = build(data, tmp_path / "cache")
    assert result.ok, result.problems
    assert careful == ["actions"]
    got = _rejects(s)[["extract", "line", "column_name", "reason"]]
    assert list(got.itertuples(index=False, name=None)) == [
        ("actions", 9, "due_on", "is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"),
        ("contacts", 14, "contact_id", "duplicate contact_id: first seen on line 2"),
    ]
    con = db.connect(s.cache_dir / ingest.current(s)["database"])
    try:
        contacts = con.execute("select * from contacts order by rowid").df()
    finally:
        con.close()
    contract = next(e for e in EXTRACTS if e.name == "contacts")
    assert list(contacts.columns) == [c.name for c in contract.columns]
    assert contacts["contact_id"].tolist() == [f"C{i:02d}" for i in range(1, 13)]
    report = next(r for r in result.reports if r.extract == "contacts")
    assert (report.rows_read, report.loaded, report.rejected) == (13, 12, 1)


ODD_ROWS = {  # rows every check must find the same way, whichever path reads the file
    "contacts.csv": "C13,13/09/2026 09:00,Phone,Housing,Contact Centre,30,,yes,,,\n"
    "C14,2026-09-31 09:00:00,pigeon,Housing,Contact Centre,-5,1e5,maybe,,,N\n"
    "C01,2026-09-08 09:00:00,web,Housing,Online,,,,,,N\n"
    "C15,,phone,,Contact Centre,4.0,,N,,,N\n"
    "C01,2026-09-09 09:00:00,web,Housing,Online,,,,,,N\n",
    "cases.csv": "K07,Housing,web,2026-09-10 09:00:00,2026-09-09 09:00:00,5,1,N,closed\n"
    "K08,Housing,face to face,2026-09-10 09:00:00,,5,,N,open\n"
    "K09,Housing,web,2026-09-10 09:00:00,,5,1,N,closed\n",
    "satisfaction.csv": "R1,resident_survey,2026-08-15,satisfied_with_council,4,2.0,,,,,,,,,\n"
    "R9,post_contact,15/08/2026,satisfied_with_contact,7,1,Housing,phone,,,,,,,\n",
    "complaints.csv": "CMP9,3,Housing,phone,2026-09-01,,,,upheld,Delay,,none,,\n",
}


def test_one_pass_and_the_careful_path_load_the_same_tables(tmp_path, monkeypatch):
    """The same files, bad rows and all (blank and unreadable values, codes to translate,
    repeated keys, rules across columns, day-first dates), give the same tables in the same
    order (file order; cases and complaints as their derived tables serve them), the same
    rejects with the same lines and reasons and the same row accounting, read in one pass
    or raw first (the one pass turned off)."""
    from scorecard.ingest import load

    data = _copy(tmp_path)
    for name, rows in ODD_ROWS.items():
        _append(data / name, rows)

    def everything(cache):
        s, result = build(data, cache)
        assert result.ok, result.problems
        con = db.connect(s.cache_dir / ingest.current(s)["database"])
        try:
            # a table in file order; an extract served from its derived table (HELD_WHOLE) in
            # that table's own order, so by its values
            tables = {
                e.name: con.execute(
                    f"select * from {e.name} order by "
                    f"{'all' if e.name in ingest_build.HELD_WHOLE else 'rowid'}"
                ).fetchall()
                for e in EXTRACTS
            }
            for table in ("rejects", "exclusions"):
                tables[table] = con.execute(f"select * from {table} order by all").fetchall()
        finally:
            con.close()
        reports = [
            (r.extract, r.rows_read, r.loaded, r.excluded, r.rejected) for r in result.reports
        ]
        return tables, reports

    read_raw = []
    read_files = load._read_files
    monkeypatch.setattr(
        load, "_read_files", lambda con, e, *a: read_raw.append(e.name) or read_files(con, e, *a)
    )
    one_pass = everything(tmp_path / "one")
    assert read_raw == []  # every file here was read in one pass
    monkeypatch.setattr(load, "_store_in_one_pass", lambda *args: False)
    careful = everything(tmp_path / "careful")
    assert one_pass == careful
    rejected = {e: n for e, _, _, _, n in one_pass[1]}
    assert rejected["contacts"] == 4 and rejected["cases"] == 2 and rejected["satisfaction"] == 2
    lines = {(r[0], r[2]) for r in one_pass[0]["rejects"]}
    assert {("contacts", 15), ("contacts", 16), ("contacts", 17), ("contacts", 18)} <= lines


def test_a_contacts_extract_of_one_channel_is_warned_about_with_its_count(tmp_path):
    data = _copy(tmp_path)
    frame = pd.read_csv(data / "contacts.csv", dtype=str, keep_default_na=False)
    frame["channel"] = "phone"
    frame.to_csv(data / "contacts.csv", index=False)
    _, result = build(data, tmp_path / "cache")
    warned = [w for w in result.warnings if w.startswith("contacts: every one of")]
    assert warned == [
        f"contacts: every one of the {len(frame):,} contacts is phone. If the extract covers "
        'phone only, say so in the mapping file ([contacts] scope = { channels = ["phone"] }), '
        'so that measures needing every channel, such as digital take-up, say "Not measured" '
        "rather than 0% or 100%."
    ]
    _, mixed = build(MINI, tmp_path / "mixed")
    assert not [w for w in mixed.warnings if w.startswith("contacts: every one of")]


def test_a_build_says_how_long_each_part_took(tmp_path, capsys):
    """Each extract's reading, the derived tables and the kept results are timed (wall and
    CPU seconds), printed by the command line and kept in the build record; a refresh times
    only what it redid."""
    data = _copy(tmp_path)
    code, out, _ = _cli(["--data", data, "--cache", tmp_path / "cache"], capsys)
    s = ingest_build.load({"data_dir": data, "cache_dir": tmp_path / "cache", "settle_seconds": 0})
    with duckdb.connect(str(s.cache_dir / ingest.current(s)["database"]), read_only=True) as con:
        recorded = json.loads(con.execute("select phases from build").fetchall()[0][0])
    parts = [f"reading {e.name}" for e in EXTRACTS] + ["derived tables", "kept results"]
    assert code == 0 and list(recorded) == parts
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in recorded.values())
    took = next(line for line in out.splitlines() if line.startswith("Took: "))
    assert took.startswith("Took: reading contacts ") and " s CPU), kept results " in took
    text = (data / "complaints.csv").read_text(encoding="utf-8")
    (data / "complaints.csv").write_text(text.replace(",Housing,", ",Libraries,", 1))
    result = ingest.refresh(s)
    assert result.reread == ["complaints"]
    assert list(result.phases) == ["reading complaints", "derived tables", "kept results"]


def test_a_refresh_from_the_command_line_never_imports_pandas(tmp_path):
    """pandas takes a sixth of a second to import, a tenth of a one-row refresh at scale 50:
    the command line defers it (scorecard/ingest/__main__.py) and reading, checking and
    keeping never use it. A full build does, for the calendar, through the same names."""
    data = _copy(tmp_path)
    command = [sys.executable, "-X", "importtime", "-m", "scorecard.ingest"]
    command += ["--data", str(data), "--cache", str(tmp_path / "cache")]
    env = os.environ | {"SCORECARD_SETTLE_SECONDS": "0"}

    def imported(run) -> set[str]:
        lines = [line for line in run.stderr.splitlines() if line.startswith("import time:")]
        return {line.rsplit("|", 1)[-1].strip() for line in lines}

    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert first.returncode == 0 and "pandas.core.frame" in imported(first)
    text = (data / "complaints.csv").read_text(encoding="utf-8")
    (data / "complaints.csv").write_text(text.replace(",Housing,", ",Libraries,", 1))
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert again.returncode == 0 and "Re-read complaints;" in again.stdout
    assert "duckdb" in imported(again) and not {"pandas", "pandas.core.frame"} & imported(again)
