"""Mapping files: a council's own column names, codes and date formats, and the two real
public extracts in data/real brought in with the shipped mappings."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from scorecard import ingest
from scorecard.engine import db
from scorecard.ingest import mapping

from support import MINI, ROOT, build

REAL = ROOT / "data" / "real"


def _served(s):
    return db.Database(s.cache_dir / ingest.current(s)["database"])


def _report(result, extract):
    return next(r for r in result.reports if r.extract == extract)


@pytest.fixture(scope="module")
def la311(tmp_path_factory):
    s, result = build(
        REAL, tmp_path_factory.mktemp("la311"), mapping_file=ROOT / "mappings" / "la311.toml"
    )
    return s, result


@pytest.fixture(scope="module")
def ombudsman(tmp_path_factory):
    s, result = build(
        REAL,
        tmp_path_factory.mktemp("ombudsman"),
        mapping_file=ROOT / "mappings" / "housing_ombudsman.toml",
    )
    return s, result


def test_la311_row_accounting(la311):
    _, result = la311
    assert result.ok, result.problems
    contacts, cases = _report(result, "contacts"), _report(result, "cases")
    # 9,999 requests; 2,019 are "Driver Self Report" (city staff, no resident channel): the
    # mapping reads that code as no channel, so they are left out of contacts by design
    assert (contacts.rows_read, contacts.loaded, contacts.excluded, contacts.rejected) == (
        9999,
        7980,
        2019,
        0,
    )
    # 12 requests closed before they were created (the source README says so)
    assert (cases.rows_read, cases.loaded, cases.rejected) == (9999, 9987, 12)
    assert _report(result, "satisfaction").status == "not supplied"


def test_la311_values_and_us_dates(la311):
    s, _ = la311
    database = _served(s)
    rejects = database.table("rejects")
    excluded = database.query("tables/exclusions")
    reasons = excluded.groupby(["extract", "column_name", "value", "reason"]).size().to_dict()
    assert reasons == {
        (
            "contacts",
            "channel",
            "Driver Self Report",
            "is a code the mapping reads as no answer, so the row is left out by design",
        ): 2019
    }
    first = rejects[rejects["extract"] == "cases"].iloc[0]
    assert first["reason"].startswith("closed before it was opened (opened_at ")
    con = database._con.cursor()
    row = con.execute(
        "select opened_at, closed_at, channel, status, standard_days "
        "from cases where case_id = '1-870704831'"
    ).fetchall()[0]
    # 12/31/2017 11:59:58 PM, closed 04/09/2018 09:18:35 AM, a Call
    assert (str(row[0]), str(row[1]), row[2], row[3], row[4]) == (
        "2017-12-31 23:59:58",
        "2018-04-09 09:18:35",
        "phone",
        "closed",
        10,
    )
    channels = dict(con.execute("select channel, count(*) from contacts group by 1").fetchall())
    raw = pd.read_csv(
        REAL / "MyLA311_Service_Request_Data_2017_Subset.csv", usecols=["RequestSource"]
    )["RequestSource"].value_counts()
    assert channels["phone"] == raw["Call"] + raw["Voicemail"]
    assert channels["app"] == raw["Mobile App"]
    assert channels["face_to_face"] == raw["Walk-in"] + raw["Council's Office"]
    database.close()


def test_housing_ombudsman_outcomes(ombudsman):
    s, result = ombudsman
    complaints = _report(result, "complaints")
    # 5 findings have no decision date and 13 no landlord type (some both): 13 rows rejected
    assert (complaints.rows_read, complaints.loaded, complaints.rejected) == (4494, 4481, 13)
    raw = pd.read_csv(REAL / "ombudsman_complaints_findings.csv", encoding="utf-8-sig")
    kept = raw[raw["Landlord Type"].notna() & raw["Decision Date"].notna()]
    upheld = (
        kept["Finding Outcome"]
        .isin(["Maladministration", "Severe Maladministration", "Service Failure"])
        .sum()
    )
    database = _served(s)
    got = dict(
        database._con.cursor()
        .execute("select ombudsman_outcome, count(*) from complaints group by 1")
        .fetchall()
    )
    assert got["upheld"] == upheld
    assert got["not_investigated"] == (kept["Finding Outcome"] == "Outside Jurisdiction").sum()
    dates = dict(
        database._con.cursor()
        .execute(
            "select complaint_id, received_on::VARCHAR from complaints where complaint_id in "
            "('202347433/1', '202448147/3')"
        )
        .fetchall()
    )
    assert dates == {"202347433/1": "2026-05-26", "202448147/3": "2026-05-21"}
    database.close()


def _mini_with(tmp_path, toml_text):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = tmp_path / "mapping.toml"
    path.write_text(toml_text, encoding="utf-8")
    return data, path


def test_renames_value_maps_sentinels_constants_and_us_times(tmp_path):
    data, path = _mini_with(
        tmp_path,
        """
[contacts]
file = "calls_export.csv"
columns = { contact_id = "Call Ref", received_at = "Call Start", service = "Dept" }
values.channel = { "Call" = "phone" }
formats = { received_at = "%m/%d/%Y %I:%M %p" }
missing = { wait_seconds = ["-1"] }
constants = { channel = "Call", site = "Contact Centre" }
""",
    )
    (data / "contacts.csv").unlink()
    (data / "calls_export.csv").write_text(
        "Call Ref,Call Start,Dept,wait_seconds,abandoned\n"
        "X1,09/01/2026 09:05 AM,Housing,30,N\n"
        "X2,09/01/2026 01:30 PM,Housing,-1,N\n"
        "X3,13/01/2026 01:30 PM,Housing,20,N\n",
        encoding="utf-8",
    )
    s, result = build(data, tmp_path / "cache", mapping_file=path)
    assert result.ok, result.problems
    database = _served(s)
    rows = (
        database._con.cursor()
        .execute(
            "select contact_id, received_at::VARCHAR, channel, wait_seconds, site from contacts "
            "order by contact_id"
        )
        .fetchall()
    )
    assert rows == [
        ("X1", "2026-09-01 09:05:00", "phone", 30, "Contact Centre"),
        ("X2", "2026-09-01 13:30:00", "phone", None, "Contact Centre"),
    ]
    reject = database.table("rejects").iloc[0]
    assert (reject["line"], reject["column_name"], reject["value"], reject["reason"]) == (
        4,
        "received_at",
        "13/01/2026 01:30 PM",
        "is not a date in the mapped format(s) %m/%d/%Y %I:%M %p",
    )
    database.close()


def test_joined_id_and_cleaned_dates(tmp_path):
    data, path = _mini_with(
        tmp_path,
        """
[events]
columns = { label = ["what", "where"] }
clean = { date = [[" \\\\(provisional\\\\)", ""]] }
""",
    )
    (data / "events.csv").write_text(
        "date,what,where,pillar,measure\n2026-09-01 (provisional),Pop-up,Library,,\n",
        encoding="utf-8",
    )
    s, result = build(data, tmp_path / "cache", mapping_file=path)
    assert result.ok, result.problems
    database = _served(s)
    assert database._con.cursor().execute("select date::VARCHAR, label from events").fetchall() == [
        ("2026-09-01", "Pop-up/Library")
    ]
    database.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[contacts\nfile = 1", "mapping.toml: is not valid TOML ("),
        (
            "[complaint]\nfile = 'x.csv'",
            "mapping.toml: unknown extract(s) complaint; the extracts are contacts, cases",
        ),
        ("[cases]\nfiles = 'x.csv'", "mapping.toml: [cases] has unknown key(s) files; use "),
        (
            "[cases]\ncolumns = { case_ref = 'Ref' }",
            "mapping.toml: [cases] columns: names case_ref, which cases.csv does not have.",
        ),
        (
            "[cases]\nclean = { status = [['(', '']] }",
            "mapping.toml: [cases] clean.status: the pattern '(' is not a valid regular expression",
        ),
    ],
)
def test_mapping_mistakes_are_one_clear_message(tmp_path, text, message):
    data, path = _mini_with(tmp_path, text)
    with pytest.raises(mapping.MappingError) as caught:
        mapping.load(path)
    assert str(caught.value).startswith(message)
    _, result = build(data, tmp_path / "cache", mapping_file=path)
    assert not result.ok and result.problems[0].startswith(message)


def test_command_line_reports_and_exits_non_zero(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "cases.csv").write_bytes(b"")
    code = ingest.main(["--data", str(data), "--cache", str(tmp_path / "cache")])
    out = capsys.readouterr()
    assert code == 3  # a file could not be read
    assert "error: cases.csv: is empty. Export the extract again with its header row." in out.err
    assert "Traceback" not in out.err + out.out
    assert "contacts              12          12          0          0  contacts.csv" in out.out


def test_command_line_writes_the_database_where_asked(tmp_path, capsys):
    target = tmp_path / "council.duckdb"
    code = ingest.main(
        ["--data", str(MINI), "--cache", str(tmp_path / "cache"), "--db", str(target)]
    )
    assert code == 0 and target.exists()
    assert f"Database written to {target}" in capsys.readouterr().out


def test_command_line_writes_the_rejects_beside_the_database(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with (data / "events.csv").open("a") as f:
        f.write(",Cash office closed,access,,\n")  # line 4: no date
    target = tmp_path / "council.duckdb"
    code = ingest.main(
        ["--data", str(data), "--cache", str(tmp_path / "cache"), "--db", str(target)]
    )
    assert code == 4  # loaded, but 1 of the 3 events (33%) was rejected: more than 20%
    out = capsys.readouterr().out
    assert f"Rejected rows written to {tmp_path / 'council.rejects.csv'}" in out
    assert (
        "warning: events.csv: 1 of 3 rows (33%) were rejected, more than the 20% "
        "expected; the commonest reason: date is blank but required (first on line 4)." in out
    )
    rejects = pd.read_csv(tmp_path / "council.rejects.csv")
    assert rejects[["extract", "file", "line", "column_name", "reason"]].values.tolist() == [
        ["events", "events.csv", 4, "date", "is blank but required"]
    ]


def test_a_missing_code_in_a_required_column_leaves_the_row_out_by_design(tmp_path):
    # "9 = don't know" style codes: not an error in the data, so excluded and counted, not
    # rejected
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (tmp_path / "map.toml").write_text('[contacts]\nmissing = { channel = ["phone"] }\n')
    s, result = build(data, tmp_path / "cache", mapping_file=tmp_path / "map.toml")
    report = _report(result, "contacts")
    assert (report.rows_read, report.loaded, report.excluded, report.rejected) == (12, 6, 6, 0)
    excluded = _served(s).query("tables/exclusions")
    assert list(excluded["value"]) == ["phone"] * 6
    assert list(excluded["line"]) == [2, 3, 4, 5, 12, 13]
    assert _served(s).table("rejects").empty
