"""Who may see and change what: roles from the access file, the door in each mode, commentary
drafted, approved and sanitised, freezes and unfreezes in the audit log, and public mode."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest

from scorecard.engine.fmt import JOINER
from scorecard.governance import access, commentary
from scorecard.governance.appdb import AppDatabase
from scorecard.reports import pack, snapshots
from scorecard.ui import signin

from apptest import app, open_page, texts
from support import MINI, ROOT, build

HOSTILE = (
    "![t](http://evil.example/pixel.png) and [phish](http://evil.example/login) "
    "<script>alert(1)</script> <img src=x onerror=alert(2)> "
    "[js](javascript:alert(3)) **backlog** [our page](https://www.eastvale.gov.uk/repairs)"
)


# ------------------------------------------------------------------------------ roles
RULES = access.Rules(
    {
        "administrator": {"emails": ("lead@eastvale.gov.uk",)},
        "editor": {"groups": ("service-managers",)},
        "viewer": {"domains": ("eastvale.gov.uk",)},
    }
)


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"email": "someone@eastvale.gov.uk"}, "viewer"),
        ({"email": "Someone@EASTVALE.gov.uk"}, "viewer"),  # case does not matter
        ({"email": "manager@eastvale.gov.uk", "groups": ["service-managers"]}, "editor"),
        ({"email": "lead@eastvale.gov.uk", "groups": ["service-managers"]}, "administrator"),
        ({"preferred_username": "lead@eastvale.gov.uk"}, "administrator"),  # Entra ID's claim
        ({"email": "someone@eastvale.gov.uk.evil.example"}, None),  # a lookalike domain
        ({"email": "someone@elsewhere.gov.uk"}, None),
        ({"sub": "no-email", "groups": "service-managers"}, "editor"),  # one group as text
        ({}, None),
    ],
)
def test_the_highest_role_any_rule_gives(claims, role):
    assert RULES.role_for(claims) == role


def test_the_access_file_is_checked(tmp_path):
    file = tmp_path / "access.toml"
    file.write_text('[viewer]\ndomains = ["eastvale.gov.uk"]\n[editors]\nemails = []\n')
    with pytest.raises(access.AccessError, match="unknown key.*editors"):
        access.load_rules(file)
    file.write_text('[viewer]\ndomains = "eastvale.gov.uk"\n')
    with pytest.raises(access.AccessError, match="each as a list"):
        access.load_rules(file)
    shipped = access.load_rules(ROOT / "config" / "access.toml")
    assert shipped.role_for({"email": "anyone@eastvale.gov.uk"}) is None  # empty by default


@pytest.mark.parametrize(
    ("address", "headers", "local"),
    [
        (None, {}, True),
        ("127.0.0.1", {}, True),
        ("::1", {}, True),
        ("::ffff:127.0.0.1", {}, True),
        ("::ffff:10.1.2.3", {}, False),  # as Streamlit gives it
        ("10.1.2.3", {}, False),
        ("203.0.113.9", {}, False),
        (None, {"X-Forwarded-For": "203.0.113.9"}, False),  # through a proxy on this machine
        ("127.0.0.1", {"Forwarded": "for=203.0.113.9"}, False),
    ],
)
def test_local_mode_only_lets_this_computer_in(address, headers, local):
    assert access.is_local(address, headers) is local


# ------------------------------------------------------------------------- sanitising
def test_hostile_commentary_is_made_harmless():
    html = commentary.sanitise(HOSTILE, ("eastvale.gov.uk",))
    assert (
        "<img" not in html
        and "<script" not in html
        and "evil.example" not in html.split("href")[-1]
    )
    assert 'href="http://evil.example' not in html and 'href="javascript' not in html
    assert html.startswith("<p>t and <a")  # the image is its description
    assert "onerror" not in html.replace("onerror=alert(2)", "")  # only as visible text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # raw HTML is shown as text
    assert "<strong>backlog</strong>" in html
    assert (
        '<a href="https://www.eastvale.gov.uk/repairs" rel="noopener noreferrer nofollow">'
        "our page</a>" in html
    )
    assert '<a rel="noopener noreferrer nofollow">phish</a>' in html  # text kept, no link
    # with no allowed domains (the default) no link survives at all
    assert "href" not in commentary.sanitise(HOSTILE)


# ------------------------------------------------------------- the app's own database
def test_commentary_life_cycle_survives_a_restart(tmp_path):
    db = AppDatabase(tmp_path / "state")
    entry = db.write_commentary(
        "calls_answered_60s",
        "2026-09-01",
        "",
        "Staff sickness.",
        "Overtime agreed.",
        "Head of Customer Services",
        "editor@eastvale.gov.uk",
    )
    assert [r["status"] for r in db.commentary()] == ["draft"]
    db.approve(entry, "lead@eastvale.gov.uk")
    again = AppDatabase(tmp_path / "state").commentary()  # a new process, same file
    assert (
        again[0]["status"] == "approved"
        and again[0]["approved_by"] == "lead@eastvale.gov.uk"
        and again[0]["author"] == "editor@eastvale.gov.uk"
    )
    db.log(
        "lead@eastvale.gov.uk",
        "freeze",
        grain="month",
        period="2026-09-01",
        services=["Housing"],
        channels=[],
    )
    assert db.audit("freeze")[0]["detail"]["services"] == ["Housing"]


# ------------------------------------------------------------------ freeze, unfreeze
def _filters():
    from scorecard.engine.filters import Filters

    return Filters("quarter", date(2025, 4, 1), date(2026, 9, 30), (), ())


def test_unfreezing_moves_the_snapshot_aside_untouched_and_the_pack_says_why(tmp_path):
    s, _ = build(
        MINI,
        tmp_path / "cache",
        min_base=1,
        snapshot_dir=tmp_path / "snap",
        state_dir=tmp_path / "state",
    )
    filters = _filters()
    snapshots.freeze(
        s,
        filters,
        [],
        "<html>as reported</html>",
        date(2026, 9, 30),
        today=date(2026, 10, 14),
        by="lead@eastvale.gov.uk",
    )
    frozen = (tmp_path / "snap" / snapshots.key(filters) / "figures.json").read_bytes()
    with pytest.raises(FileExistsError):  # never overwritten in place
        snapshots.freeze(s, filters, [], "<html>again</html>", date(2026, 9, 30))
    with pytest.raises(ValueError, match="reason"):
        snapshots.unfreeze(s, filters, "lead@eastvale.gov.uk", "  ")
    snapshots.unfreeze(
        s,
        filters,
        "lead@eastvale.gov.uk",
        "Complaints for September were double counted",
        when=datetime(2026, 10, 20, 9, 0, tzinfo=UTC),
    )
    assert snapshots.load(s, filters) is None
    moved = tmp_path / "snap" / f"{snapshots.key(filters)}.unfrozen-20261020T090000"
    assert (moved / "figures.json").read_bytes() == frozen
    assert (moved / "pack.html").read_text() == "<html>as reported</html>"
    words = (
        "Unfrozen on 20 October 2026 by lead@eastvale.gov.uk because Complaints for "
        "September were double counted (it had been frozen as reported to committee on "
        "14 October 2026)."
    )
    assert [snapshots.unfreezes(s, filters)[0][k] for k in ("by", "reported_on", "frozen_by")] == [
        "lead@eastvale.gov.uk",
        "2026-10-14",
        "lead@eastvale.gov.uk",
    ]
    assert snapshots.unfrozen_words(snapshots.unfreezes(s, filters)[0]) == words
    from scorecard import ingest
    from scorecard.engine import db as db_

    database = db_.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        html = pack.render(database, s, filters, date(2026, 9, 30))
    finally:
        database.close()
    assert words in html
    snapshots.freeze(s, filters, [], "<html>re-reported</html>", date(2026, 9, 30))  # again


# ------------------------------------------------------------------ in the app (local)
@pytest.fixture
def hostile_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "commentary.csv").write_text(
        "measure,period,service,commentary,corrective_action,owner_role,status\n"
        f'cases_within_standard,2026-09-01,,"{HOSTILE}",Weekly reviews,Head of Housing,'
        "approved\n",
        encoding="utf-8",
    )
    return data


def test_hostile_commentary_on_screen_and_in_the_pack_is_the_same_safe_html(
    monkeypatch, tmp_path, hostile_data
):
    at = open_page(
        app(
            monkeypatch,
            hostile_data,
            tmp_path / "cache",
            min_base=1,
            link_domains="eastvale.gov.uk",
        ).run(),
        "end_to_end",
    )
    assert not at.exception
    shown = [m.value for m in at.markdown if "<strong>Commentary:</strong>" in m.value]
    assert len(shown) == 1
    block = shown[0]
    assert "<img" not in block and 'href="http://evil.example' not in block
    assert 'href="https://www.eastvale.gov.uk/repairs"' in block
    assert "Approved (from commentary.csv)" in block
    from scorecard import ingest, settings
    from scorecard.engine import db as db_

    s = settings.load()
    database = db_.Database(s.cache_dir / ingest.current(s)["database"])
    try:
        html = pack.render(database, s, _month(), date(2026, 9, 30))
    finally:
        database.close()
    public_block = commentary.html_block(
        {
            "commentary": HOSTILE,
            "corrective_action": "Weekly reviews",
            "owner_role": "Head of Housing",
            "status": "approved",
        },
        ("eastvale.gov.uk",),
        public=True,
    )
    assert public_block in html  # the pack prints the screen's HTML (without who approved)
    assert (
        block.replace("<p class='status'><em>Approved (from commentary.csv)</em></p>", "")
        == public_block
    )


def _month():
    from scorecard.engine.filters import Filters

    return Filters("month", date(2025, 10, 1), date(2026, 9, 30), (), ())


def _measure_page(at, title="Cases resolved within standard"):
    at.query_params.update({"measure": title})
    at.run()
    return open_page(at, "measure")


def test_an_editor_drafts_and_another_approves_and_both_are_audited(monkeypatch, tmp_path):
    who = {"claims": {"email": "manager@eastvale.gov.uk", "groups": ["service-managers"]}}
    access_file = tmp_path / "access.toml"
    access_file.write_text(
        '[administrator]\nemails = ["lead@eastvale.gov.uk"]\n'
        '[editor]\ngroups = ["service-managers"]\n'
        '[viewer]\ndomains = ["eastvale.gov.uk"]\n'
    )
    monkeypatch.setattr(signin, "signed_in_claims", lambda: who["claims"])
    monkeypatch.setattr(signin, "_auth_configured", lambda: True)
    at = _measure_page(
        app(
            monkeypatch,
            MINI,
            tmp_path / "cache",
            min_base=1,
            access="internal",
            access_file=access_file,
        )
    )
    assert not at.exception
    assert [e.label for e in at.expander if e.label.startswith("Commentary for ")] == [
        "Commentary for September 2026, council-wide: write or approve"
    ]
    assert "pack-freeze" not in [b.key for b in at.button]  # an editor cannot freeze
    at.text_area(key="commentary-text").set_value("Backlog of **repairs** after vacancies.")
    at.text_area(key="commentary-action").set_value("Agency surveyors until December.")
    at.text_input(key="commentary-owner").set_value("Head of Housing")
    at.button(key="FormSubmitter:commentary-form-Save as draft").click().run()
    assert not at.exception
    text = "\n".join(texts(at))
    assert "Backlog of <strong>repairs</strong> after vacancies." in text
    assert "Draft, not yet approved (written by manager@eastvale.gov.uk on " in text
    assert not [b for b in at.button if b.key and b.key.startswith("approve-")]  # not own
    # another editor approves it
    who["claims"] = {"email": "second@eastvale.gov.uk", "groups": ["service-managers"]}
    at.run()
    approve = [b for b in at.button if b.key and b.key.startswith("approve-")]
    assert len(approve) == 1
    approve[0].click().run()
    text = "\n".join(texts(at))
    assert "Approved by second@eastvale.gov.uk on " in text
    assert "(written by manager@eastvale.gov.uk on " in text
    log = AppDatabase(tmp_path / "cache" / "state").audit()
    assert [(r["who"], r["action"]) for r in log] == [
        ("second@eastvale.gov.uk", "commentary approved"),
        ("manager@eastvale.gov.uk", "commentary written"),
    ]
    assert (
        log[0]["detail"]["measure"] == "cases_within_standard"
        and log[0]["detail"]["period"] == "2026-09-01"
    )


@pytest.mark.parametrize(
    ("claims", "sees"),
    [
        (None, "sign-in"),
        ({"email": "stranger@elsewhere.gov.uk"}, "refused"),
        ({"email": "officer@eastvale.gov.uk"}, "viewer"),
        ({"email": "lead@eastvale.gov.uk"}, "administrator"),
    ],
)
def test_each_role_sees_what_it_may(monkeypatch, tmp_path, claims, sees):
    access_file = tmp_path / "access.toml"
    access_file.write_text(
        '[administrator]\nemails = ["lead@eastvale.gov.uk"]\n'
        '[viewer]\ndomains = ["eastvale.gov.uk"]\n'
    )
    monkeypatch.setattr(signin, "signed_in_claims", lambda: claims)
    monkeypatch.setattr(signin, "_auth_configured", lambda: True)
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with open(data / "contacts.csv", "a", encoding="utf-8") as handle:  # one row to reject
        handle.write("C99,2026-09-31 09:00:00,phone,Housing,Contact Centre,20,100,N,,Y,N\n")
    at = app(
        monkeypatch,
        data,
        tmp_path / "cache",
        min_base=1,
        access="internal",
        access_file=access_file,
    ).run()
    assert not at.exception
    text = "\n".join(texts(at))
    if sees == "sign-in":
        assert [b.label for b in at.button] == ["Sign in with your council account"]
        assert "Scorecard" not in [t.value for t in at.title][1:] and not at.metric
        assert "Calls answered" not in text
        return
    if sees == "refused":
        assert "You do not have access to this dashboard" in text
        assert "signed in as stranger@elsewhere.gov.uk, but no role" in _read(text)
        assert [b.label for b in at.button] == ["Sign out"] and "Calls answered" not in text
        return
    assert "Calls answered within 60 seconds" in text
    data = open_page(at, "data")
    keys = {b.key for b in data.button}
    offered = {d.key for d in data.get("download_button")}
    columns = {c for f in data.dataframe for c in f.value.columns}
    if sees == "viewer":
        assert "refresh" not in keys and "Audit log" not in [h.value for h in data.header]
        assert not any("rejects" in str(k) for k in offered)
        assert (
            "Which rows, with their line numbers and values, is for the dashboard's "
            "administrators." in "\n".join(texts(data))
        )
        assert not columns & {"Example lines", "Example values"} and "Reason" in columns
    else:
        assert "refresh" in keys and "Audit log" in [h.value for h in data.header]
        assert {"Example lines", "Example values"} <= columns
        assert any("rejects" in str(k) for k in offered)


def test_public_mode_shows_nothing_internal(monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    at = app(monkeypatch, data, tmp_path / "cache", access="public").run()
    assert not at.exception
    pages = [
        "",
        "ethos",
        "understanding",
        "access",
        "end_to_end",
        "complaints",
        "service",
        "actions",
        "map",
        "data",
        "measure",
    ]
    for page in pages:
        shown = open_page(at, page) if page else at
        assert not shown.exception, page
        text = "\n".join(texts(shown))
        keys = {b.key for b in shown.button}
        assert not keys & {"pack-freeze", "refresh", "sign-out"}, page
        assert not [e for e in shown.expander if "write or approve" in e.label], page
        assert "Draft, not yet approved" not in text and "commentary.csv" not in text, page
        assert "For measure owners" not in [e.label[:18] for e in shown.expander], page
        assert "data/sample" not in text and str(ROOT) not in text, page
    data_page = open_page(at, "data")
    frames = [f.value for f in data_page.dataframe]
    assert not any(
        "File" in f.columns or "Example lines" in f.columns or "Example values" in f.columns
        for f in frames
    )
    # the sample's one draft (face-to-face waits) is not published; approved ones are
    measure = _measure_page(at, "Average wait at a customer service centre")
    assert "Appointment booking to be introduced" not in "\n".join(texts(measure))
    # the stricter minimum base: 20 in public mode (10 inside)
    from scorecard import settings

    assert settings.load().min_base == 20


def test_public_mode_raises_the_minimum_base_but_never_lowers_it(monkeypatch):
    from scorecard import settings

    monkeypatch.setenv("SCORECARD_ACCESS", "public")
    assert settings.load().min_base == 20
    monkeypatch.setenv("SCORECARD_PUBLIC_MIN_BASE", "50")
    assert settings.load().min_base == 50
    monkeypatch.setenv("SCORECARD_MIN_BASE", "60")
    assert settings.load().min_base == 60
    monkeypatch.setenv("SCORECARD_ACCESS", "open")
    with pytest.raises(
        settings.SettingsError, match="access must be one of local, internal, public"
    ):
        settings.load()


def test_an_administrator_freezes_and_unfreezes_with_a_reason_in_the_audit_log(
    monkeypatch, tmp_path
):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1).run()  # local: administrator
    at.button(key="pack-freeze").click().run()
    assert not at.exception
    assert "pack-freeze" not in [b.key for b in at.button]
    at.button(key="FormSubmitter:unfreeze-Unfreeze").click().run()  # no reason: refused
    assert "Say why it is being unfrozen: the reason goes on the next pack." in [
        w.value for w in at.warning
    ]
    assert snapshots.unfreezes(_settings(), _view_filters()) == []
    at.text_input(key="unfreeze-reason").set_value("September complaints double counted")
    at.button(key="FormSubmitter:unfreeze-Unfreeze").click().run()
    assert not at.exception
    log = AppDatabase(tmp_path / "cache" / "state").audit()
    assert [(r["who"], r["action"]) for r in log] == [
        ("local user", "unfreeze"),
        ("local user", "freeze"),
    ]
    assert log[0]["detail"] == {
        "reason": "September complaints double counted",
        "grain": "month",
        "period": "2026-09-01",
        "services": [],
        "channels": [],
    }
    assert [u["by"] for u in snapshots.unfreezes(_settings(), _view_filters())] == ["local user"]
    at.run()
    assert any(
        _read(i.value).startswith("Unfrozen on ")
        and "by local user because September "
        "complaints double counted (it had been frozen as reported to committee on "
        in _read(i.value)
        for i in at.info
    )
    assert "pack-freeze" in [b.key for b in at.button]  # it can be frozen again


def _read(markdown: str) -> str:
    """Text as a reader sees it: without the escapes and word joiners of fmt.plain."""
    return markdown.replace("\\", "").replace(JOINER, "")


def _settings():
    from scorecard import settings

    return settings.load()


def _view_filters():
    from scorecard.engine.filters import Filters

    return Filters("month", date(2025, 10, 1), date(2026, 9, 30), (), ())


@pytest.mark.parametrize("access_mode", ["local", "public"])
def test_a_refused_file_is_named_inside_but_not_in_public(monkeypatch, tmp_path, access_mode):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with open(data / "contacts.csv", "a", encoding="utf-8") as handle:  # a US export's date
        handle.write("C98,09/13/2026 09:00,phone,Housing,Contact Centre,20,100,N,,Y,N\n")
    at = app(monkeypatch, data, tmp_path / "cache", min_base=1, access=access_mode).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert errors.startswith(
        "Some extracts could not be read, so the figures that depend on them are missing."
    )
    assert ("contacts.csv" in errors) is (access_mode == "local")


@pytest.mark.parametrize("view", ["all", "libraries"])
def test_public_mode_downloads_carry_the_public_base_and_nothing_internal(
    monkeypatch, tmp_path, downloads, view
):
    # every page's tables, charts and downloads, opened as the public would, for all services
    # and for a small one: nothing from 1 to 19, no draft, no rejected row, no file or path
    from test_output_suppression import PAGES, VIEWS, sweep

    from scorecard.engine import catalogue as catalogue_

    at = app(monkeypatch, ROOT / "data" / "sample", tmp_path / "cache", access="public")
    at.query_params.update(VIEWS[view])
    at.run()
    found, names = [], []
    for url in PAGES + ("measure",):
        leaked, made = sweep(
            at, url, downloads, catalogue_.load_catalogue(ROOT / "config" / "measures.toml"), 20, {}
        )
        found += leaked
        names += made
        for name, data in downloads:
            text = data() if callable(data) else data
            text = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            assert "Draft, not yet approved" not in text and "commentary.csv" not in text, name
            assert "Appointment booking to be introduced" not in text, name  # the draft
            assert str(ROOT) not in text and "data/sample" not in text, name
    assert not found, "\n".join(found[:40])
    assert not [n for n in names if "reject" in n], names
    assert {"calls.csv", "complaints-timeliness.csv"} <= set(names)
    assert any(n.startswith("committee-pack") for n in names)


def test_a_slide_marks_a_draft_in_its_label_and_says_nothing_of_approval():
    note = {
        "commentary": "Waits are up.",
        "corrective_action": "",
        "status": "draft",
        "author": "commentary.csv",
    }
    assert commentary.html_block(note, slide=True) == (
        "<div class='commentary'><p><strong>Commentary (draft, not yet approved):</strong> "
        "Waits are up.</p></div>"
    )
    approved = note | {"status": "approved"}
    assert commentary.html_block(approved, slide=True) == (
        "<div class='commentary'><p><strong>Commentary:</strong> Waits are up.</p></div>"
    )
    assert commentary.html_block(note).endswith(
        "<p class='status'><em>Draft, not yet approved (from commentary.csv)</em></p></div>"
    )
