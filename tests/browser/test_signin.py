"""Sign-in end to end: a real Chromium signs in through a local OpenID Connect provider
(oidc-provider-mock, started here), Streamlit's st.login takes the ID token, and the role
from the access file decides what each person sees; someone with no role is refused."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, _serve
from playwright.sync_api import expect

from scorecard.engine.fmt import JOINER

from browser_helpers import screenshot

pytestmark = pytest.mark.browser

USERS = {
    "lead@eastvale.gov.uk": {"email": "lead@eastvale.gov.uk", "name": "Performance lead"},
    "manager@eastvale.gov.uk": {
        "email": "manager@eastvale.gov.uk",
        "groups": ["scorecard-editors"],
    },
    "officer@eastvale.gov.uk": {"email": "officer@eastvale.gov.uk"},
    "stranger@elsewhere.example": {"email": "stranger@elsewhere.example"},
}
ACCESS = """provider_name = "Eastvale Council (test provider)"
[administrator]
emails = ["lead@eastvale.gov.uk"]
[editor]
groups = ["scorecard-editors"]
[viewer]
domains = ["eastvale.gov.uk"]
"""


@pytest.fixture(scope="module")
def provider():
    """A local OpenID Connect provider that signs in whoever is typed into its form."""
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def internal_server(tmp_path_factory, provider):
    """The sample dashboard in internal mode, signing in through `provider`."""
    folder = tmp_path_factory.mktemp("signin")
    (folder / "access.toml").write_text(ACCESS, encoding="utf-8")
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-string-only-for-this-test"\n'
        'client_id = "scorecard"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    for url in _serve(
        tmp_path_factory,
        "signin",
        ROOT / "data" / "sample",
        args=("--secrets.files", str(folder / "secrets.toml")),
        access="internal",
        access_file=folder / "access.toml",
    ):
        yield url.replace("127.0.0.1", "localhost")  # the host the redirect URI names


def _shown(name: str) -> str:
    """A name as the page shows it: fmt.plain puts an invisible word joiner before '.', ':'
    and '@', so an address is never turned into a link."""
    return re.sub(r"([.:@])", JOINER + r"\1", name)


def _settled(page, text: str, timeout: float = 90_000) -> None:
    """Wait until `text` is on the page and the script has stopped running."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=timeout,
    )


def _sign_in(page, url: str, who: str) -> None:
    page.goto(f"{url}/data")
    _settled(page, "Sign in with your council account to see the scorecard.")
    assert page.get_by_text("Calls answered within 60 seconds").count() == 0
    page.get_by_role("button", name="Sign in with Eastvale Council (test provider)").click()
    page.wait_for_selector("input[name=sub]", timeout=30_000)  # the provider's own page
    page.fill("input[name=sub]", who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=60_000)


@pytest.mark.parametrize(
    ("who", "role"),
    [
        ("lead@eastvale.gov.uk", "Administrator"),
        ("manager@eastvale.gov.uk", "Editor"),
        ("officer@eastvale.gov.uk", "Viewer"),
    ],
)
def test_a_council_officer_signs_in_and_sees_what_their_role_allows(
    browser, internal_server, who, role
):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        _sign_in(page, internal_server, who)
        _settled(page, f"{_shown(who)} · {role}")
        page.goto(f"{internal_server}/measure?measure=Cases+resolved+within+standard")
        _settled(page, "Cases resolved within standard")
        editor = page.get_by_text("write or approve", exact=False)
        expect(editor).to_have_count(0 if role == "Viewer" else 1)
        page.goto(f"{internal_server}/data")
        _settled(page, "The extracts")
        screenshot(page, f"signin-data-{role.lower()}")
        administers = 1 if role == "Administrator" else 0
        expect(page.get_by_role("button", name="Check for new data now")).to_have_count(administers)
        expect(page.get_by_text("Audit log", exact=True)).to_have_count(administers)
        screenshot(page, f"signin-{role.lower()}")
        page.get_by_role("button", name="Sign out").click()  # ends the provider's session too
        page.get_by_role("button", name="End session").click(timeout=60_000)
        page.goto(f"{internal_server}/data")
        _settled(page, "Sign in with your council account to see the scorecard.")
        assert page.get_by_text("The extracts").count() == 0
    finally:
        context.close()


def test_someone_with_no_role_is_refused(browser, internal_server):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        _sign_in(page, internal_server, "stranger@elsewhere.example")
        _settled(page, "You do not have access to this dashboard")
        assert page.get_by_text(f"signed in as {_shown('stranger@elsewhere.example')}").count() == 1
        assert page.get_by_text("Calls answered within 60 seconds").count() == 0
        page.goto(f"{internal_server}/complaints")  # a deep link does not get round it
        _settled(page, "You do not have access to this dashboard")
        assert page.get_by_text("Stage 1").count() == 0
    finally:
        context.close()
