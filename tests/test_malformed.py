"""A corpus of malformed extracts derived from the mini fixture. For each: no traceback, the
exact message naming file, line, column and reason, read = loaded + rejected, and after a
file-level failure the last good data is still served."""

from __future__ import annotations

import gzip
import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from scorecard import ingest
from scorecard.engine import db

from support import MINI, build

GOOD_CONTACT = "C13,2026-09-08 09:00:00,phone,Housing,Contact Centre,30,100,N,,Y,N"


def _data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return data


def _append(path, text):
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _rejects(s):
    database = db.Database(s.cache_dir / ingest.current(s)["database"])
    frame = database.table("rejects")
    database.close()
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in frame[["file", "line", "column_name", "value", "reason"]].itertuples(
            index=False, name=None
        )
    ]


def _report(result, extract):
    return next(r for r in result.reports if r.extract == extract)


# ---------------------------------------------------------------- rows rejected, file loaded
ROW_CASES = [
    (
        "impossible date",
        "contacts.csv",
        "C13,2026-02-30 09:00:00,phone,Housing,Contact Centre,30,100,N,,Y,N\n",
        (
            "contacts.csv",
            14,
            "received_at",
            "2026-02-30 09:00:00",
            "is not a date and time (expected YYYY-MM-DD HH:MM:SS or DD/MM/YYYY HH:MM)",
        ),
    ),
    (
        "two-digit year",
        "contacts.csv",
        "C13,13/09/26 09:00,phone,Housing,Contact Centre,30,100,N,,Y,N\n",
        (
            "contacts.csv",
            14,
            "received_at",
            "13/09/26 09:00",
            "is before 1 January 2000, the earliest date accepted (a two-digit year or a typing "
            "error?)",
        ),
    ),
    (
        "typo'd year",
        "contacts.csv",
        "C13,2031-09-08 09:00:00,phone,Housing,Contact Centre,30,100,N,,Y,N\n",
        (
            "contacts.csv",
            14,
            "received_at",
            "2031-09-08 09:00:00",
            f"is in the future: after {date.today().day} {date.today():%B %Y}, when the data was "
            "loaded (a typing error or a wrong clock?)",
        ),
    ),
    (
        "negative duration",
        "contacts.csv",
        "C13,2026-09-08 09:00:00,phone,Housing,Contact Centre,-30,100,N,,Y,N\n",
        ("contacts.csv", 14, "wait_seconds", "-30", "is below the minimum of 0"),
    ),
    (
        "not a whole number",
        "contacts.csv",
        "C13,2026-09-08 09:00:00,phone,Housing,Contact Centre,30.5,100,N,,Y,N\n",
        ("contacts.csv", 14, "wait_seconds", "30.5", "is not a whole number"),
    ),
    (
        "unknown channel",
        "contacts.csv",
        "C13,2026-09-08 09:00:00,carrier pigeon,Housing,Contact Centre,,,,,,N\n",
        (
            "contacts.csv",
            14,
            "channel",
            "carrier pigeon",
            "is not one of: phone, web, email, face_to_face, webchat, letter, social, app",
        ),
    ),
    (
        "duplicate key",
        "contacts.csv",
        "C05,2026-09-08 09:00:00,web,Housing,Online,,,,,,N\n",
        ("contacts.csv", 14, "contact_id", "C05", "duplicate contact_id: first seen on line 6"),
    ),
    (
        "bad yes/no",
        "contacts.csv",
        "C13,2026-09-08 09:00:00,phone,Housing,Contact Centre,30,100,perhaps,,Y,N\n",
        (
            "contacts.csv",
            14,
            "abandoned",
            "perhaps",
            "is not yes or no (expected Y, N, yes, no, true, false, 1 or 0)",
        ),
    ),
    (
        "Excel scientific-notation id",
        "contacts.csv",
        "1.23457E+11,2026-09-08 09:00:00,phone,Housing,Contact Centre,30,100,N,,Y,N\n",
        (
            "contacts.csv",
            14,
            "contact_id",
            "1.23457E+11",
            "looks like an identifier Excel turned into a number in scientific notation, so the "
            "original is lost; export the column as text",
        ),
    ),
    (
        "required blank",
        "contacts.csv",
        "C13,2026-09-08 09:00:00,phone,,Contact Centre,30,100,N,,Y,N\n",
        ("contacts.csv", 14, "service", None, "is blank but required"),
    ),
    (
        "too few cells",
        "contacts.csv",
        "C13,2026-09-08 09:00:00,phone\n",
        ("contacts.csv", 14, None, None, "expected 11 cells, found 3"),
    ),
    (
        "too many cells",
        "contacts.csv",
        GOOD_CONTACT + ",extra\n",
        ("contacts.csv", 14, None, None, "expected 11 cells, found 12"),
    ),
    (
        "score out of range",
        "satisfaction.csv",
        "P7,post_contact,2026-09-10,overall_satisfaction,7,1,Housing,phone,,,,,,,\n",
        ("satisfaction.csv", 23, "score", "7", "is above the maximum of 5"),
    ),
    (
        "closed but no close date",
        "cases.csv",
        "K07,Housing,web,2026-09-10 09:00:00,,5,1,N,closed\n",
        ("cases.csv", 8, "closed_at", None, "status is closed but closed_at is blank"),
    ),
    (
        "open but a close date",
        "cases.csv",
        "K07,Housing,web,2026-09-10 09:00:00,2026-09-11 09:00:00,5,1,,open\n",
        (
            "cases.csv",
            8,
            "closed_at",
            "2026-09-11 09:00:00",
            "status is open but closed_at is filled",
        ),
    ),
    (
        "unknown stage",
        "complaints.csv",
        "CMP9,3,Housing,phone,2026-09-01,2026-09-02,,,,Delay,,none,,\n",
        ("complaints.csv", 12, "stage", "3", "is not one of: 1, 2"),
    ),
    (
        "responded before received",
        "complaints.csv",
        "CMP9,1,Housing,phone,2026-09-10,2026-09-10,,2026-09-09,upheld,Delay,,none,,\n",
        (
            "complaints.csv",
            12,
            "responded_on",
            "2026-09-09",
            "responded before it was received (received_on 2026-09-10)",
        ),
    ),
    (
        "numerator above denominator",
        "returns.csv",
        "training_completion,2026-07-01,Housing,,60,50\n",
        (
            "returns.csv",
            6,
            "numerator",
            "60",
            "numerator is larger than denominator (denominator 50)",
        ),
    ),
    (
        "unknown action status",
        "actions.csv",
        "A6,ethos,Do a thing,Head of HR,2027-01-31,nearly done,5,2026-09-01,Fine,,\n",
        (
            "actions.csv",
            7,
            "status",
            "nearly done",
            "is not one of: not_started, on_track, at_risk, delayed, complete, withdrawn",
        ),
    ),
    (
        "a row of empty cells",
        "events.csv",
        ",,,,\n",
        ("events.csv", 4, "date", None, "is blank but required"),
    ),
]


@pytest.mark.parametrize(
    ("case", "file", "rows", "expected"), ROW_CASES, ids=[c[0] for c in ROW_CASES]
)
def test_bad_row_is_rejected_with_its_line_and_reason(tmp_path, case, file, rows, expected):
    data = _data(tmp_path)
    _append(data / file, rows)
    s, result = build(data, tmp_path / "cache")
    assert result.ok, result.problems
    assert _rejects(s)[0] == expected
    report = _report(result, file.removesuffix(".csv"))
    assert report.rows_read == report.loaded + report.rejected
    assert report.rejected == 1


def test_a_stray_quote_refuses_the_file_naming_its_line(tmp_path):
    # the quote on line 4 would swallow line 5 into one cell: refused whole, not half-read
    data = _data(tmp_path)
    _append(data / "events.csv", '2026-09-01,"Broken label,access,\n2026-09-02,Fine,,,\n')
    _, result = build(data, tmp_path / "cache")
    assert result.problems == [
        "events.csv: has a double quote on line 4 that opens a cell which does not close "
        "until line 5, so the 1 row after it would be read as part of one cell. Check for a "
        "stray double quote on line 4."
    ]
    assert _report(result, "events").status == "failed"


def test_header_only_file_loads_nothing_and_says_so(tmp_path):
    data = _data(tmp_path)
    (data / "commentary.csv").write_text(
        "measure,period,service,commentary,corrective_action,owner_role\n", encoding="utf-8"
    )
    _, result = build(data, tmp_path / "cache")
    report = _report(result, "commentary")
    assert result.ok and (report.rows_read, report.loaded, report.rejected) == (0, 0, 0)
    assert report.message == "The file has a header row but no rows."


# ---------------------------------------------------------------- files that cannot be read
FILE_CASES = [
    (
        "empty file",
        "complaints.csv",
        b"",
        "complaints.csv: is empty. Export the extract again with its header row.",
    ),
    (
        "blank lines only",
        "complaints.csv",
        b"\n\n  \n",
        "complaints.csv: is empty. Export the extract again with its header row.",
    ),
    (
        "binary file",
        "complaints.csv",
        b"\x00\x01\x02binary\x00",
        "complaints.csv: is not a "
        "text file (it holds bytes no CSV export writes). Export the extract as CSV text.",
    ),
    (
        "random bytes with no NUL",
        "complaints.csv",
        bytes(range(1, 256)) * 40,
        "complaints.csv: is not a text file (it holds bytes no CSV export writes). Export the "
        "extract as CSV text.",
    ),
    (
        "Excel workbook",
        "complaints.csv",
        b"PK\x03\x04\x14\x00",
        "complaints.csv: is an Excel "
        "workbook, not a CSV file. Open it in Excel and use File > Save As > CSV UTF-8.",
    ),
    (
        "old Excel workbook",
        "complaints.csv",
        b"\xd0\xcf\x11\xe0\xa1\xb1",
        "complaints.csv: is "
        "an Excel workbook, not a CSV file. Open it in Excel and use File > Save As > CSV UTF-8.",
    ),
    (
        "one column",
        "complaints.csv",
        b"complaint_id stage service\nCMP1 1 Housing\n",
        "complaints.csv: has only one column in its header row. Use a comma-, semicolon- or "
        "tab-separated file with a header row.",
    ),
    (
        "repeated column",
        "targets.csv",
        b"measure_id,service,service,from_period,target\n",
        "targets.csv: has the column service more than once in its header. Remove or rename the "
        "repeated column.",
    ),
    (
        "missing column",
        "targets.csv",
        b"measure_id,service,target\ncalls_answered_60s,,80\n",
        "targets.csv: missing required column(s) from_period; found measure_id, service, target. "
        "Rename the columns in the file or map them in a mapping file (docs/mapping.md).",
    ),
]


@pytest.mark.parametrize(
    ("case", "file", "content", "message"), FILE_CASES, ids=[c[0] for c in FILE_CASES]
)
def test_unreadable_file_keeps_the_last_good_data(tmp_path, case, file, content, message):
    data = _data(tmp_path)
    s, first = build(data, tmp_path / "cache")
    (data / file).write_bytes(content)
    second = ingest.refresh(s)
    assert not second.ok
    assert second.problems == [message]
    assert ingest.current(s)["database"] == first.database  # still serving the good build


def test_corrupt_gzip_is_one_clear_message(tmp_path):
    data = _data(tmp_path)
    (data / "contacts.csv").unlink()
    (data / "contacts.csv.gz").write_bytes(gzip.compress(b"contact_id,received_at\n")[:12])
    _, result = build(data, tmp_path / "cache")
    assert len(result.problems) == 1
    assert result.problems[0].startswith(
        "contacts.csv.gz: could not be read to the end: it "
        "is damaged, or was cut short while being copied ("
    )
    assert result.problems[0].endswith("Check the file is a complete, uncorrupted CSV.")


def test_two_files_for_one_extract(tmp_path):
    data = _data(tmp_path)
    shutil.copy(data / "events.csv", data / "events.txt")
    _, result = build(data, tmp_path / "cache")
    assert result.problems == [
        "events: found events.csv and events.txt. Keep one file per "
        "extract, or name the files to read together in a mapping "
        "file."
    ]


# ---------------------------------------------------------------- real-world quirks that load
@pytest.mark.parametrize(
    "variant", ["tab .tsv", "header case and spacing", "quoted commas", "windows-1252 curly quotes"]
)
def test_quirks_that_load(tmp_path, variant):
    data = _data(tmp_path)
    path = data / "actions.csv"
    text = path.read_text(encoding="utf-8")
    if variant == "tab .tsv":
        path.unlink()
        frame = pd.read_csv(MINI / "actions.csv", dtype=str, keep_default_na=False)
        frame.to_csv(data / "actions.tsv", sep="\t", index=False)
    elif variant == "header case and spacing":
        header, rest = text.split("\n", 1)
        path.write_text(
            header.replace("action_id", " Action ID ").replace("due_on", "Due On") + "\n" + rest,
            encoding="utf-8",
        )
    elif variant == "quoted commas":
        _append(
            path,
            'A6,access,"Publish the guide, in print",Head of Digital,2026-12-31,'
            'on_track,10,2026-09-01,"Drafted, checked",,\n',
        )
    else:
        text += (
            "A6,access,\u201cQuick wins\u201d \u2013 \u00a3500 fund,Head of Digital,"
            "2026-12-31,on_track,10,2026-09-01,Fine,,\n"
        )
        path.write_bytes(text.encode("cp1252"))
    s, result = build(data, tmp_path / "cache")
    assert result.ok, result.problems
    report = _report(result, "actions")
    assert report.rejected == 0 and report.rows_read == report.loaded
    assert report.loaded == (6 if variant in ("quoted commas", "windows-1252 curly quotes") else 5)


# ---------------------------------------------------------------- how each cell is typed
def _typed(kind: str, cells: list) -> list:
    from scorecard.contracts import CHANNELS, Column
    from scorecard.ingest import checks

    col = Column("x", kind, "", allowed=CHANNELS if kind == "enum" else ())
    con = duckdb.connect()
    con.execute("create table t (i int, v varchar)")
    con.executemany("insert into t values (?, ?)", list(enumerate(cells)))
    return [
        r[0] for r in con.execute(f"select {checks.typed(col, 'v')} from t order by i").fetchall()
    ]


def test_yes_and_no_are_exactly_the_words_the_contract_names():
    from scorecard.ingest.checks import FALSE_WORDS, TRUE_WORDS

    words = [*TRUE_WORDS, *FALSE_WORDS]
    cells = [*words, *(w.upper() for w in words), "Yes", "on", "off", "2", "1.0", "ye", "-1"]
    expected = [True] * 5 + [False] * 5 + [True] * 5 + [False] * 5 + [True] + [None] * 6
    assert _typed("bool", cells) == expected


def test_whole_numbers_are_read_and_anything_else_is_not_one():
    cells = ["42", "+7", "-0", "007", "5.0", "-3.00", "123456789012", "-2147483649"]
    bad = ["5.5", "1-", "+-5", "-", "1e3", "1_000", "0x1F", "0b101", "1,000"]
    assert _typed("int", cells + bad) == [
        42,
        7,
        0,
        7,
        5,
        -3,
        123456789012,
        -2147483649,
        *[None] * len(bad),
    ]


def test_a_channel_is_written_as_its_code_however_it_is_spelt():
    cells = ["phone", "Phone", "face to face", "Face-To-Face", "face_to_face", "web chat", "fax"]
    assert _typed("enum", cells) == [
        "phone",
        "phone",
        "face_to_face",
        "face_to_face",
        "face_to_face",
        "web_chat",
        "fax",
    ]
