"""The change digest (python -m scorecard.digest) on the hand-made mini extracts: each list
worked by hand for two pairs of periods and checked against the scorecard's own results
(measures.compute) for both periods, its edge cases, its links, its files and its email.

The mini extracts, data as at 30 September 2026, min_base 1 (as in test_pack), the
catalogue's default targets where targets.csv has none:

  Calls abandoned             Aug C11, C12 answered: 0 of 2 = 0.0%, on target (at most 8%)
                              Sep C03 abandoned of C01-C04: 1 of 4 = 25.0%, off target
  Average speed of answer     Aug (20 + 120) / 2 = 70 seconds: near target (60, margin 10)
                              Sep answered C01, C02, C04: (30 + 90 + 60) / 3 = 60: on target
  Complaints acknowledged     Aug CMP3 (3rd, acknowledged 4th): 1 of 1 = 100.0%, on target
    within 5 working days     Sep CMP2 stage 1 (1st, acknowledged 9th: 6 working days) late;
                              CMP1, CMP4, CMP5, CMP6, CMP7 in time: 5 of 6 = 83.3%, off (95%)
  Complaints upheld or partly Aug CMP8 stage 2 not upheld: 0 of 1 = 0.0%, on target (at most
    upheld, both stages       42%); Sep CMP1 upheld, CMP3 partly, CMP2 stage 1 not (CMP6
                              withdrawn and CMP7 refused are not decisions): 2 of 3 = 66.7%
  Calls answered within 60 s  Aug C11 of C11, C12 = 50.0%; Sep C01, C04 of C01-C04 = 50.0%:
                              off target (80%) in both, so no change

Actions (tests/test_plan.py): A3 due 31 August and A4 due 15 September are open; overdue is
"due before the day", so A3 becomes overdue on 1 September and A4 on 16 September.
"""

from __future__ import annotations

import email
import re
import shutil
import socket
from dataclasses import replace
from datetime import date
from email import policy
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from scorecard import ingest, settings
from scorecard.engine import catalogue, coverage, db, measures, sentences, summary
from scorecard.governance.appdb import AppDatabase
from scorecard.reports import digest, pack
from scorecard.ui import app_state

from support import MINI, ROOT, build

URL = "https://scorecard.eastvale.gov.uk"
AS_AT = date(2026, 9, 30)
SEP_CHANGES = [
    (
        "Calls abandoned",
        "On target (0.0%) in August 2026; now Off target (25.0%) in September 2026",
    ),
    (
        "Average speed of answer",
        "Near target (70 seconds) in August 2026; now On target (60 seconds) in September 2026",
    ),
    (
        "Complaints acknowledged within 5 working days",
        "On target (100.0%) in August 2026; now Off target (83.3%) in September 2026",
    ),
    (
        "Complaints upheld or partly upheld, both stages",
        "On target (0.0%) in August 2026; now Off target (66.7%) in September 2026",
    ),
]
A3 = (
    "A3 Publish service standards online",
    "Access · Head of Digital · due 31 August 2026, 30 days overdue · Delayed, 60% done · "
    "updated 15 September 2026",
)
A4 = (
    "A4 Train complaint handlers on the Code",
    "Complaints · Complaints Manager · due 15 September 2026, 15 days overdue · On track, "
    "90% done · updated 10 September 2026",
)


def _open(data, tmp_path_factory, name, **overrides):
    s, result = build(
        data,
        tmp_path_factory.mktemp(f"{name}-cache"),
        state_dir=tmp_path_factory.mktemp(f"{name}-state"),
        **overrides,
    )
    assert result.ok, result.problems
    return s, db.Database(s.cache_dir / ingest.current(s)["database"])


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    s, database = _open(MINI, tmp_path_factory, "digest", min_base=1, dashboard_url=URL)
    yield s, database
    database.close()


@pytest.fixture(scope="module")
def steady_training(tmp_path_factory):
    """The mini extracts plus 14 months of Housing training returns (June 2025 to July
    2026), so training completion has process limits: see test_a_new_signal_is_listed."""
    data = tmp_path_factory.mktemp("signal-data")
    shutil.copytree(MINI, data, dirs_exist_ok=True)
    months = [f"2025-{m:02d}" for m in range(6, 13)] + [f"2026-{m:02d}" for m in range(1, 8)]
    passed = [178, 180, 179, 181, 177, 180, 181, 179, 180, 178, 181, 179, 182, 179]
    with (data / "returns.csv").open("a", encoding="utf-8") as file:
        for month, n in zip(months, passed):
            file.write(f"training_completion,{month}-01,Housing,,{n},200\n")
    s, database = _open(data, tmp_path_factory, "signal", min_base=1, dashboard_url=URL)
    yield s, database
    database.close()


def _filters(database, label, services=(), channels=()):
    return pack.filters_for(label, AS_AT, coverage.load(database).first, services, channels)


def _digest(built, label, services=(), channels=()):
    s, database = built
    return digest.build(database, s, _filters(database, label, services, channels), AS_AT)


def _scorecard(built, label, services=()):
    """The scorecard's own result for every measure, for one period (by title)."""
    s, database = built
    strategy = catalogue.load_strategy(s.strategy_file, s.catalogue_file)
    measures_ = catalogue.load_catalogue(s.catalogue_file, s.digital_channels)
    filters = _filters(database, label, services)
    targets = measures.targets_for(database, s)
    return {
        measures_[m].title: measures.compute(database, measures_[m], filters, targets, s.min_base)
        for m in digest.scorecard_ids(strategy)
    }


def _section(d, heading):
    found = [s for s in d.sections if s.heading == heading]
    return [(i.subject, i.words) for i in found[0].items] if found else None


def test_september_against_august_lists_what_the_scorecard_shows(mini):
    d = _digest(mini, "September 2026")
    assert _section(d, "Measures that changed status") == SEP_CHANGES
    assert _section(d, "Actions that became overdue") == [A3, A4]
    assert _section(d, "New special-cause signals") == []  # no chart has 13 points
    # the scorecard's own results for both periods say the same
    before, after = _scorecard(mini, "August 2026"), _scorecard(mini, "September 2026")
    for title, _ in SEP_CHANGES:
        assert before[title].rag != after[title].rag
        assert summary.counted(before[title]) and summary.counted(after[title])
    moved = {
        t
        for t in after
        if digest.shown(before[t]) and digest.shown(after[t]) and before[t].rag != after[t].rag
    }
    assert moved == {t for t, _ in SEP_CHANGES}
    calls = "Calls answered within 60 seconds"
    assert (before[calls].latest["value"], after[calls].latest["value"]) == (50.0, 50.0)
    assert calls not in {t for t, _ in SEP_CHANGES}  # off target in both: no change
    assert not any(sentences.has_limits(r) for r in after.values())
    assert d.lead == (
        "Since August 2026: 4 measures changed status, 2 actions became overdue and 18 red "
        "or amber measures have no approved commentary."
    )


def test_red_and_amber_without_approved_commentary_are_the_scorecard_s(mini):
    d = _digest(mini, "September 2026")
    listed = [t for t, _ in _section(d, "Red and amber measures without approved commentary")]
    after = _scorecard(mini, "September 2026")
    # the mini's one commentary row is a draft: every red or amber measure for September on
    # the pillars (the overview's list for measure owners leaves out the plan's measures)
    plan = "Actions on track or complete"
    assert after[plan].rag == "red" and plan not in listed
    assert listed == [
        t
        for t, r in after.items()
        if summary.counted(r) and r.rag in ("red", "amber") and t != plan
    ]
    assert len(listed) == 18
    words = dict(_section(d, "Red and amber measures without approved commentary"))
    assert words["Calls answered within 60 seconds"] == (
        "Off target: 50.0% (target at least 80%); the same as August 2026 (50.0%)"
    )
    # Average wait at service centres: C08 600 s, C09 900 s = 12.5 minutes, at most 12
    assert words["Average wait at service centres"].startswith("Near target: 12.5 minutes")


def test_quarter_two_against_quarter_one(mini):
    """Q1 2026/27 (April to June) has no activity in the mini extracts, so nothing is
    compared: every figure Q2 shows is 'not compared', never a change."""
    d = _digest(mini, "Q2 2026/27")
    assert _section(d, "Measures that changed status") == []
    assert _section(d, "Actions that became overdue") == [A3, A4]  # both due in Q2
    after = _scorecard(mini, "Q2 2026/27")
    shown_in_q2 = [t for t, r in after.items() if digest.shown(r)]
    assert [(i.subject, i.words) for i in d.apart] == [
        (t, "no figure for Q1 2026/27") for t in shown_in_q2
    ]
    # the staff survey (October 2025) is the last available in both quarters: in neither
    assert not digest.shown(after["Staff who say we are customer-focused"])
    assert "Staff who say" not in digest.to_text(d)
    assert d.sections[0].none in digest.to_text(d) and "No measure changed status." in (
        digest.to_html(d)
    )
    assert d.home == f"{URL}/?grain=Quarter&period=Q2+2026%2F27"


def test_a_withheld_figure_is_not_comparable_and_its_count_never_printed(mini):
    """With a minimum base of 3, August's two calls (C11, C12) and one complaint (CMP3)
    are withheld: September cannot be compared with them, and August's figures (0.0%
    abandoned, 70 seconds, 100.0%) appear nowhere."""
    s, database = mini
    d = _digest((replace(s, min_base=3, dashboard_url=""), database), "September 2026")
    assert _section(d, "Measures that changed status") == []
    apart = dict((i.subject, i.words) for i in d.apart)
    for title in ("Calls abandoned", "Average speed of answer"):
        assert apart[title] == "not shown for August 2026, as the numbers are small"
    text, page = digest.to_text(d), digest.to_html(d)
    for figure in ("0.0%) in August", "70 seconds", "(100.0%) in August"):
        assert figure not in text and figure not in page
    assert digest.NO_LINKS in text and "<a href" not in page  # no dashboard_url here


def test_a_new_signal_is_listed(steady_training):
    """Training completion, June 2025 to August 2026 (15 points, 200 staff a month until
    July): 89.0, 90.0, 89.5, 90.5, 88.5, 90.0, 90.5, 89.5, 90.0, 89.0, 90.5, 89.5, 91.0, 89.5,
    then August 45 of 50 = 90.0. Mean 1347 / 15 = 89.8; moving ranges add to 15, mean 15 / 14;
    upper limit 89.8 + 2.66 x 1.0714 = 92.65: August is inside, no run or trend: no signal.
    September (48 + 27 of 50 + 30 = 93.75): mean 1440.75 / 16 = 90.047; moving ranges add to
    18.75, mean 1.25; upper limit 90.047 + 3.325 = 93.372, and 93.75 is above it: a new
    signal (on target in both months, so not a change of status)."""
    d = _digest(steady_training, "September 2026")
    assert _section(d, "New special-cause signals") == [
        (
            "Customer care training completed",
            "Improving; this is a real improvement: the latest point is above the upper "
            "process limit",
        )
    ]
    before = _scorecard(steady_training, "August 2026")["Customer care training completed"]
    after = _scorecard(steady_training, "September 2026")["Customer care training completed"]
    assert before.spc["upper"].iloc[-1] == pytest.approx(92.65)
    assert (before.variation, digest.signal(before)) == ("common", "common")
    assert after.spc["upper"].iloc[-1] == pytest.approx(93.371875)
    assert after.latest["value"] == 93.75 and digest.signal(after) == "improvement"
    assert before.rag == after.rag == "green"
    # the same signal in the period before is not new; a signal in August alone is not
    # September's either
    assert digest.new_signals([after], [after]) == []
    assert digest.new_signals([after], [before]) == []
    assert "Customer care training" not in str(_section(d, "Measures that changed status"))


def test_actions_become_overdue_the_day_after_they_are_due():
    plan = pd.DataFrame(
        {
            "action_id": ["due on the last day", "due the day before", "due in the period", "done"],
            "due_on": pd.to_datetime(["2026-09-30", "2026-08-30", "2026-08-31", "2026-09-10"]),
            "overdue": [False, True, True, False],  # as at 30 September: the plan's own flag
        }
    )
    got = digest.became_overdue(plan, date(2026, 8, 31), date(2026, 9, 30))
    # due 31 August: overdue from 1 September; due 30 August: already overdue at 31 August
    assert list(got["action_id"]) == ["due in the period"]


def test_august_lists_no_action_and_june_has_nothing_to_report(mini):
    august = _digest(mini, "August 2026")
    assert _section(august, "Actions that became overdue") == []  # A3 is due 31 August
    june = _digest(mini, "June 2026")  # no figures in May or June; A2 (30 June) complete
    assert june.empty and june.sections == ()
    assert june.lead == (
        "Nothing to report since May 2026: no measure changed status, no new special-cause "
        "signal, no action became overdue, and every red or amber measure has approved "
        "commentary."
    )
    assert (
        digest.subject(june) == "Minitown Council: Scorecard digest: June 2026 (nothing to report)"
    )
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", digest.to_html(june)) == ["About this digest"]


def test_without_an_action_plan_the_lead_says_so():
    counts = dict.fromkeys(("changes", "signals", "actions", "uncommented"), 0)
    assert digest.lead("May 2026", counts, "Not supplied: no actions extract") == (
        "Nothing to report since May 2026: no measure changed status, no new special-cause "
        "signal, the action plan cannot be checked (not supplied: no actions extract), and "
        "every red or amber measure has approved commentary."
    )
    assert digest.lead("May 2026", counts | {"signals": 1}, "") == (
        "Since May 2026: 1 new special-cause signal."
    )


def test_approved_commentary_takes_a_measure_off_the_list(mini, tmp_path):
    """Housing in September: cases within standard K01 (5 working days, standard 5) of K01,
    K02 (6), K06 (12, standard 10) = 33.3%, against Housing's own target of 70%: off target.
    The commentary extract's note on it is a draft, so it is listed until one is approved."""
    s, database = mini
    s = replace(s, state_dir=tmp_path)
    title = "Cases resolved within standard"
    d = digest.build(database, s, _filters(database, "September 2026", ["Housing"]), AS_AT)
    words = dict(_section(d, "Red and amber measures without approved commentary"))
    assert words[title] == "Off target: 33.3% (target at least 70%)"
    app = AppDatabase(tmp_path)
    entry = app.write_commentary(
        "cases_within_standard", "2026-09-01", "Housing", "Vacancies", "Agency staff", "", "ed"
    )
    app.approve(entry, "another editor")
    d = digest.build(database, s, _filters(database, "September 2026", ["Housing"]), AS_AT)
    assert title not in dict(_section(d, "Red and amber measures without approved commentary"))


def test_links_open_the_view_with_the_app_s_own_parameters(mini):
    _, database = mini
    quarter = _filters(database, "Q2 2026/27", ["Housing", "Waste and Recycling"], ["phone"])
    got = digest.link(URL + "/", "measure", quarter, measure="Calls answered within 60 seconds")
    assert got == (
        f"{URL}/measure?measure=Calls+answered+within+60+seconds&grain=Quarter"
        "&period=Q2+2026%2F27&service=Housing&service=Waste+and+Recycling&channel=Phone"
    )
    asked = parse_qs(urlsplit(got).query)
    assert asked["grain"][0] in app_state.GRAIN_BY_WORD  # what the filter bar's widgets take
    assert asked["channel"][0] in app_state.CHANNEL_BY_WORD
    assert asked["period"] == ["Q2 2026/27"]
    month = _filters(database, "September 2026")
    assert digest.link(URL, "actions", month, plan_status="Overdue") == (
        f"{URL}/actions?plan_status=Overdue&period=September+2026"  # Month: the default
    )
    assert digest.link("", "measure", month) is None
    page = digest.to_html(_digest(mini, "September 2026"))
    assert (
        f'<a href="{URL}/measure?measure=Complaints+upheld+or+partly+upheld%2C+both+stages'
        '&amp;period=September+2026">Complaints upheld or partly upheld, both stages</a>'
    ) in page


def test_html_is_escaped_and_accessible():
    item = digest.Item("<b>A9</b> Fix & mend", "due <soon>", "https://x.gov.uk/a?b=1&c=2")
    d = digest.Digest(
        "Scorecard digest: September 2026",
        ("View",),
        "Minitown Council",
        "Since August 2026: 1 action became overdue.",
        (digest.Section("Actions that became overdue", (item,), "None."),),
        (),
        ("A note.",),
        None,
    )
    page = digest.to_html(d)
    assert '<html lang="en-GB">' in page and "<script" not in page
    assert "<h1>Scorecard digest: September 2026</h1>" in page
    assert (
        '<li><a href="https://x.gov.uk/a?b=1&amp;c=2">&lt;b&gt;A9&lt;/b&gt; Fix &amp; mend</a>'
        ": due &lt;soon&gt;</li>"
    ) in page
    assert "<nav" not in page  # a short page: no table of contents
    assert digest.to_text(d).splitlines()[:5] == [
        "Minitown Council",
        "Scorecard digest: September 2026",
        "View",
        "",
        "Since August 2026: 1 action became overdue.",
    ]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """One cache folder for the command-line tests: the database is built once."""
    return tmp_path_factory.mktemp("digest-cli-cache")


def _run(cache, *args):
    return digest.main([*args, "--data", str(MINI), "--cache", str(cache)])


def test_command_line_writes_html_and_text(cache, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCORECARD_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("SCORECARD_MIN_BASE", "1")
    out = tmp_path / "out" / "digest.html"
    assert _run(cache, "--period", "September 2026", "--out", str(out)) == 0
    page, text = out.read_text(encoding="utf-8"), out.with_suffix(".txt").read_text()
    assert "<h1>Scorecard digest: September 2026</h1>" in page
    assert text.splitlines()[1] == "Scorecard digest: September 2026"
    assert "Since August 2026: 4 measures changed status" in text
    assert "Since August 2026: 4 measures changed status" in page
    capsys.readouterr()
    # without --period: the latest complete period at the grain (data as at 30 September)
    assert _run(cache, "--grain", "quarter") == 0
    assert capsys.readouterr().out.splitlines()[1] == "Scorecard digest: Q2 2026/27"
    assert digest.latest_complete(date(2026, 10, 1), "month") == "September 2026"
    for wrong, said in (
        (["--period", "Smarch 2026"], "'Smarch 2026' is not a period"),
        (["--period", "October 2026"], "after the data's as-at date (30 September 2026)"),
        (["--service", "Parks"], "not in the data: Parks"),
        (["--channel", "pigeon"], "not in the data: pigeon"),
    ):
        assert _run(cache, *wrong) == 2
        assert said in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """A local SMTP server's handler: every message it is given, and every sign-in."""

    def __init__(self):
        self.messages, self.logins = [], []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        # handled=False: the server itself answers a refusal (535)
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    """A local SMTP server (aiosmtpd) and the settings that send to it."""
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    for name, value in {
        "STATE": tmp_path / "state",
        "MIN_BASE": 1,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_STARTTLS": "false",
        "SMTP_USER": "digest",
        "SMTP_FROM": "Performance <performance@eastvale.gov.uk>",
        "DIGEST_TO": "cabinet@eastvale.gov.uk, owners@eastvale.gov.uk",
        "DASHBOARD_URL": URL,
    }.items():
        monkeypatch.setenv(f"SCORECARD_{name}", str(value))
    yield inbox
    controller.stop()


def test_send_emails_text_and_html_to_every_recipient(smtp, cache, monkeypatch, capsys):
    monkeypatch.setenv(digest.PASSWORD_ENV, "s3cret")
    assert _run(cache, "--period", "September 2026", "--send") == 0
    assert "Sent the digest to 2 recipient(s)" in capsys.readouterr().out
    assert smtp.logins == [("digest", "s3cret")]  # the password from the environment
    [envelope] = smtp.messages
    assert envelope.mail_from == "performance@eastvale.gov.uk"
    assert envelope.rcpt_tos == ["cabinet@eastvale.gov.uk", "owners@eastvale.gov.uk"]
    mail = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert mail["Subject"] == "Minitown Council: Scorecard digest: September 2026"
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    page = mail.get_body(("html",)).get_content()
    assert "Since August 2026: 4 measures changed status" in text
    assert f"{URL}/actions?plan_status=Overdue&period=September+2026" in text
    assert "<h1>Scorecard digest: September 2026</h1>" in page


def test_send_refuses_without_the_password_and_says_when_the_server_refuses(
    smtp, cache, monkeypatch, capsys
):
    monkeypatch.delenv(digest.PASSWORD_ENV, raising=False)
    assert _run(cache, "--period", "September 2026", "--send") == 2
    assert digest.PASSWORD_ENV in capsys.readouterr().err
    assert smtp.messages == [] and smtp.logins == []
    monkeypatch.setenv(digest.PASSWORD_ENV, "wrong")
    assert _run(cache, "--period", "September 2026", "--send") == 3
    assert "did not take the digest" in capsys.readouterr().err
    assert smtp.messages == []
    monkeypatch.setenv("SCORECARD_DIGEST_TO", "")
    assert _run(cache, "--period", "September 2026", "--send") == 2
    assert "set digest_to" in capsys.readouterr().err


def test_the_password_is_never_a_setting():
    with pytest.raises(settings.SettingsError, match="smtp_password"):
        settings.load({"smtp_password": "s3cret"})
    loaded = settings.load({"digest_to": "a@x.gov.uk, b@x.gov.uk"})
    assert loaded.digest_to == ("a@x.gov.uk", "b@x.gov.uk")
    assert (loaded.smtp_port, loaded.smtp_starttls) == (587, True)
    with pytest.raises(settings.SettingsError, match="dashboard_url"):
        settings.load({"dashboard_url": "scorecard.eastvale.gov.uk"})


def test_docs_explain_every_exit_status_and_setting():
    doc = (ROOT / "docs" / "digest.md").read_text(encoding="utf-8")
    toml = (ROOT / "config" / "settings.toml").read_text(encoding="utf-8")
    for code in digest.EXIT_CODES:
        assert f"| {code} |" in doc, code
    for name in ("dashboard_url", "smtp_host", "smtp_port", "smtp_starttls", "smtp_user"):
        assert f"`{name}`" in doc and f"\n{name} = " in toml, name
    for name in ("smtp_from", "digest_to"):
        assert f"`{name}`" in doc and f"\n{name} = " in toml, name
    assert digest.PASSWORD_ENV in doc and "schtasks /Create" in doc and "scorecard.digest" in doc
