"""The mapping language for real files: staging queries (computed columns, flags, rows left out
by design, wide to long, several files, a date from the file name), declared scope, and the
messages a council analyst gets when a mapping or a staging query is wrong.

Each fixture is a few hand-written rows, so every count below can be checked by eye.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scorecard import ingest
from scorecard.engine import coverage, db, measures
from scorecard.engine.catalogue import load_catalogue
from scorecard.ingest import mapping

from support import ROOT, build

CALLS = (
    "Ref\tDate\tTime\tQueue In\tQueue Out\tOutcome\n"
    "A1\t01/09/2026\t09:00:00\t01/09/2026 09:00:05\t01/09/2026 09:00:35\tANS\n"  # 30 s
    "A2\t01/09/2026\t09:10:00\t01/09/2026 09:10:05\t01/09/2026 09:12:05\tANS\n"  # 120 s
    "A3\t01/09/2026\t09:20:00\t01/09/2026 09:20:05\t01/09/2026 09:20:50\tABN\n"  # 45 s
    "A4\t01/09/2026\t09:30:00\t\t\tPHN\n"  # phantom: left out with a reason
    "A5\t01/09/2026\t09:40:00\t01/09/2026 09:40:05\t01/09/2026 09:40:05\tABN\n"
)  # 0 s
STAGING = """
select
    _file, _line,
    ref as contact_id,
    strptime(date || ' ' || time, '%d/%m/%Y %H:%M:%S') as received_at,
    'phone' as channel,
    'Housing' as service,
    date_diff('second', try_strptime(queue_in, '%d/%m/%Y %H:%M:%S'),
              try_strptime(queue_out, '%d/%m/%Y %H:%M:%S')) as wait_seconds,
    case when outcome = 'ABN' then 'Y' else 'N' end as abandoned,
    case when outcome = 'PHN' then 'phantom call' end as _exclude
from source
where not (outcome = 'ABN' and queue_in = queue_out)   -- hung up before the queue
"""
MAPPING = """
[contacts]
file = "calls_*.tsv"
staging = "contacts.sql"
scope = { channels = ["phone"] }
"""


def _council(
    tmp_path: Path, files: dict[str, str], sql: str = STAGING, text: str = MAPPING
) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name, body in files.items():
        (data / name).write_text(body, encoding="utf-8")
    (data / "contacts.sql").write_text(sql, encoding="utf-8")
    (data / "mapping.toml").write_text(text, encoding="utf-8")
    (data / "council.toml").write_text('mapping_file = "mapping.toml"\n', encoding="utf-8")
    return data


def _report(result, extract="contacts"):
    return next(r for r in result.reports if r.extract == extract)


def _database(s) -> db.Database:
    return db.Database(s.cache_dir / ingest.current(s)["database"])


def test_a_staging_query_computes_flags_and_leaves_rows_out_with_reasons(tmp_path):
    s, result = build(_council(tmp_path, {"calls_2026-09.tsv": CALLS}), tmp_path / "cache")
    assert result.ok, result.problems
    report = _report(result)
    # 5 calls: 3 loaded; the phantom call (_exclude) and the 0-second abandon (not selected)
    # are excluded by design; none rejected
    assert (report.rows_read, report.loaded, report.excluded, report.rejected) == (5, 3, 2, 0)
    database = _database(s)
    excluded = database.query("tables/exclusions")
    assert excluded[["file", "line", "reason"]].values.tolist() == [
        ["calls_2026-09.tsv", 5, "phantom call"],
        ["calls_2026-09.tsv", 6, "not selected by the staging query contacts.sql"],
    ]
    rows = database._con.execute(
        "select contact_id, wait_seconds, abandoned from contacts order by 1"
    ).fetchall()
    assert rows == [("A1", 30, False), ("A2", 120, False), ("A3", 45, True)]
    database.close()


def test_several_files_are_one_extract_and_duplicates_name_the_other_file(tmp_path):
    august = CALLS.replace("01/09/2026", "03/08/2026").replace("A2\t", "B2\t")
    august = august.replace("A3\t", "B3\t").replace("A5\t", "B5\t").replace("A4\t", "B4\t")
    s, result = build(
        _council(tmp_path, {"calls_2026-09.tsv": CALLS, "calls_2026-08.tsv": august}),
        tmp_path / "cache",
    )
    report = _report(result)
    assert report.file == "calls_2026-08.tsv, calls_2026-09.tsv"
    # 10 calls: B1..B5 and A1..A5 except A1 is in both files (august keeps A1)
    assert (report.rows_read, report.loaded, report.excluded, report.rejected) == (10, 5, 4, 1)
    rejects = _database(s).table("rejects")
    assert rejects[["file", "line", "reason"]].values.tolist() == [
        ["calls_2026-09.tsv", 2, "duplicate contact_id: first seen on line 2 of calls_2026-08.tsv"]
    ]


def test_wide_to_long_with_a_date_from_the_file_name(tmp_path):
    survey = (
        "Resp,Q1,Q2,Wt\n"
        "R1,5,4,1.0\n"
        "R2,9,2,2.0\n"  # Q1 don't know
        "R3,,3,1.5\n"
    )  # Q1 skipped: no answer at all
    sql = """
    with answers as (unpivot source on q1, q2 into name q value score)
    select _file, _line, resp as response_id, 'resident_survey' as survey,
        strptime(regexp_extract(_file, '(\\d{4}-\\d{2})', 1) || '-01', '%Y-%m-%d')::date
            as responded_on,
        case q when 'q1' then 'satisfied_with_council' else 'trust_council' end as question,
        score, wt as weight
    from answers
    """
    text = (
        '[satisfaction]\nfile = "wave_2025-11.csv"\nstaging = "contacts.sql"\n'
        'missing = { score = ["9"] }\nscope = { surveys = ["resident_survey"] }\n'
    )
    s, result = build(
        _council(tmp_path, {"wave_2025-11.csv": survey}, sql, text), tmp_path / "cache"
    )
    report = _report(result, "satisfaction")
    # 3 rows gave 5 answers (R3's blank Q1 is no answer); R2's Q1 = 9 is excluded by design
    assert (report.rows_read, report.staged, report.loaded, report.excluded, report.rejected) == (
        3,
        5,
        4,
        1,
        0,
    )
    database = _database(s)
    got = database._con.execute(
        "select response_id, question, score, responded_on from satisfaction order by 1, 2"
    ).fetchall()
    assert got[0] == ("R1", "satisfied_with_council", 5, date(2025, 11, 1))
    catalogue = load_catalogue(s.catalogue_file)
    staff = measures.compute(
        database,
        catalogue["staff_customer_focus"],
        measures.Filters("month", date(2025, 11, 1), date(2025, 11, 1)),
        measures.Targets(database.query("tables/targets")),
    )
    assert staff.absent == (
        "Not measured: the satisfaction extract covers the resident survey only"
    )
    database.close()


def test_declared_scope_rejects_rows_outside_it_and_says_what_is_not_measured(tmp_path):
    sql = STAGING.replace(
        "'phone' as channel", "case when ref = 'A2' then 'web' else 'phone' end as channel"
    )
    s, result = build(_council(tmp_path, {"calls_2026-09.tsv": CALLS}, sql), tmp_path / "cache")
    assert result.ok
    assert (_report(result).loaded, _report(result).rejected) == (2, 1)
    rejects = _database(s).table("rejects")
    assert rejects[["line", "column_name", "value", "reason"]].values.tolist() == [
        [3, "channel", "web", "is outside what the extract covers (phone)"]
    ]
    database = _database(s)
    covered = coverage.load(database)
    catalogue = load_catalogue(s.catalogue_file)
    assert (
        coverage.measure_absence(covered, catalogue["digital_takeup"])
        == "Not measured: the contacts extract covers phone only"
    )
    assert coverage.measure_absence(covered, catalogue["calls_answered_60s"]) is None
    assert (
        coverage.measure_absence(covered, catalogue["f2f_average_wait"])
        == "Not measured: the contacts extract covers phone only"
    )
    assert (
        coverage.measure_absence(covered, catalogue["complaints_upheld"])
        == "Not supplied: no complaints extract"
    )
    database.close()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "select _file, _line, ref as contact_id from sourcee",
            "contacts.sql: the staging query failed: Catalog Error: Table with name sourcee "
            "does not exist!",
        ),
        (
            "select * from read_csv('/etc/passwd')",
            "contacts.sql: the staging query failed: Permission Error: Cannot access file "
            '"/etc/passwd" - file system operations are disabled by configuration',
        ),
        (
            "copy (select 1) to 'out.csv'",
            "contacts.sql: the staging query must be exactly one SELECT",
        ),
        (
            "select 1 as a; select 2 as b",
            "contacts.sql: the staging query must be exactly one SELECT",
        ),
        (
            "select ref as contact_id from source",
            "contacts.sql: the staging query must keep _file and _line from source",
        ),
        (
            "select _file, _line, ref as contact_id from source",
            "contacts.sql: missing required column(s) received_at, channel, service",
        ),
    ],
)
def test_a_faulty_staging_query_is_one_message_naming_its_file(tmp_path, sql, message):
    s, result = build(_council(tmp_path, {"calls_2026-09.tsv": CALLS}, sql), tmp_path / "cache")
    assert not result.ok
    assert result.problems[0].startswith(message), result.problems[0]
    assert _report(result).status == "failed"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[[contacts]]\nfile = 'a.csv'\n",
            "mapping.toml: [[contacts]] is an array of tables; "
            "write [contacts] (one table per extract).",
        ),
        ("contacts = 'calls.csv'\n", "mapping.toml: contacts must be a table ([contacts])"),
        (
            "[contacts]\ncolumns = 'Ref'\n",
            "mapping.toml: [contacts] columns: expected a table of our column = your column",
        ),
        (
            "[contacts]\nvalues.channel = 'phone'\n",
            "mapping.toml: [contacts] values.channel: expected a table of your code = our code",
        ),
        (
            "[contacts]\nmissing = { channel = { a = 1 } }\n",
            "mapping.toml: [contacts] missing.channel: expected codes (text, or a list of text)",
        ),
        (
            "[contacts]\nsupplied = 'no'\n",
            "mapping.toml: [contacts] supplied: expected true or false.",
        ),
        (
            "[contacts]\nscope = { channels = ['telephone'] }\n",
            "mapping.toml: [contacts] scope.channels: telephone is not one of: phone, web",
        ),
        (
            "[contacts]\nscope = { from = '2026-13-01' }\n",
            "mapping.toml: [contacts] scope.from: expected a date as YYYY-MM-DD",
        ),
        (
            "[contacts]\nstaging = 'nope.sql'\n",
            "mapping.toml: [contacts] staging: the staging query nope.sql was not found",
        ),
        (
            "[contacts]\nfile = '../secret.csv'\n",
            "mapping.toml: [contacts] file: must name a file inside the data folder",
        ),
        (
            "[contacts]\nfile = '/etc/passwd'\n",
            "mapping.toml: [contacts] file: must name a file inside the data folder",
        ),
    ],
)
def test_a_mapping_mistake_names_the_file_the_key_and_what_was_expected(tmp_path, text, message):
    (tmp_path / "mapping.toml").write_text(text, encoding="utf-8")
    with pytest.raises(mapping.MappingError) as caught:
        mapping.load(tmp_path / "mapping.toml")
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_file_outside_the_data_folder_is_never_read_or_echoed(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password,owner\nhunter2,admin\n", encoding="utf-8")
    data = _council(tmp_path, {"calls_2026-09.tsv": CALLS})
    (data / "link.csv").symlink_to(secret)  # a link that leads outside is not followed
    text = '[contacts]\nfile = "link.csv"\n'
    (data / "mapping.toml").write_text(text, encoding="utf-8")
    _, result = build(data, tmp_path / "cache")
    assert result.problems == [
        "contacts: the mapping names link.csv, but no such file is in the extracts folder."
    ]
    assert "hunter2" not in str(result) and "password" not in str(result)


@pytest.mark.parametrize(
    ("folder", "extract", "counts"),
    [
        ("telephony", "contacts", (297, None, 274, 23, 0)),
        ("resident_survey", "satisfaction", (240, 466, 422, 44, 0)),
        ("request_log", "cases", (400, None, 400, 0, 0)),
    ],
)
def test_the_shipped_examples_load_as_documented(tmp_path, folder, extract, counts):
    # docs/mapping.md quotes these counts
    _, result = build(ROOT / "data" / "examples" / folder, tmp_path / "cache")
    assert result.ok and not result.flags, (result.problems, result.flags)
    report = _report(result, extract)
    assert (
        report.rows_read,
        report.staged,
        report.loaded,
        report.excluded,
        report.rejected,
    ) == counts
