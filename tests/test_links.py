"""Every view is reproduced exactly by its URL: page, filters, measure, presentation mode and
slide. The 'copy link' box gives a URL that, opened afresh, restores the same view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from scorecard.ui.link_check import JOINER

from apptest import app, open_page, texts
from support import MINI

VIEWS = [
    ("", {"grain": "Quarter", "period": "Q2 2026/27"}),
    ("ethos", {"service": ["Housing"]}),
    ("understanding", {"grain": "Financial year", "period": "2026/27"}),
    ("access", {"channel": ["Phone", "App"], "period": "August 2026"}),
    ("end_to_end", {"service": ["Housing", "Waste and Recycling"], "from": "August 2026"}),
    ("complaints", {"grain": "Financial year", "period": "2026/27", "channel": ["Phone"]}),
    ("data", {"period": "July 2026"}),
    ("measure", {"measure": "Calls abandoned", "period": "August 2026"}),
    ("access", {"present": "1", "slide": "4"}),
    ("", {"layout": "Table", "service": ["Housing"]}),
    ("service", {"service_view": "Waste and Recycling", "grain": "Quarter"}),
    ("actions", {"plan_status": ["Overdue", "Delayed"]}),
]
WIDGETS = {
    "grain": "segmented_control",
    "period": "selectbox",
    "from": "selectbox",
    "service": "multiselect",
    "channel": "multiselect",
    "measure": "selectbox",
    "layout": "segmented_control",
    "service_view": "selectbox",
    "plan_pillar": "multiselect",
    "plan_status": "multiselect",
}


def _state(at) -> dict:
    out = {}
    for key, kind in WIDGETS.items():
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            out[key] = found[0].value
    state = at.session_state  # AppTest's session state has no .get()
    out["present"] = state["present"] if "present" in state else False  # noqa: SIM401
    out["slide"] = state["slide"] if "slide" in state else None  # noqa: SIM401
    return out


def _open(monkeypatch, tmp_path, page, params):
    at = app(monkeypatch, MINI, tmp_path / "cache", min_base=1)
    at.query_params.update(params)
    at.run()
    return open_page(at, page) if page else at


def _copied_link(at) -> str:
    return next(c.value for c in at.code if c.value.startswith("/"))


@pytest.mark.parametrize(
    ("page", "params"), VIEWS, ids=[f"{p or 'overview'}-{'-'.join(q)}" for p, q in VIEWS]
)
def test_url_round_trip(monkeypatch, tmp_path, page, params):
    first = _open(monkeypatch, tmp_path, page, params)
    assert not first.exception
    assert _link_warnings(first) == []  # every value in these links exists
    state = _state(first)
    for key, value in params.items():
        expected = True if key == "present" else int(value) if key == "slide" else value
        assert state[key] == expected, key
    link = urlsplit(_copied_link(first))
    assert link.path == f"/{page}"
    again = _open(
        monkeypatch,
        tmp_path,
        page,
        {k: v if len(v) > 1 else v[0] for k, v in parse_qs(link.query).items()},
    )
    assert _state(again) == state
    assert [t.value for t in again.title] == [t.value for t in first.title]


def test_filters_reach_the_figures(monkeypatch, tmp_path):
    at = _open(
        monkeypatch,
        tmp_path,
        "access",
        {"grain": "Quarter", "period": "Q2 2026/27", "service": ["Housing"]},
    )
    assert "Q2 2026/27 · Housing · all channels" in "\n".join(texts(at))


# A link that asks for something that does not exist says so, naming what it shows instead
# (scorecard/link_check.py); the widget then shows exactly that.
BAD_LINKS = [
    (
        "",
        {"grain": "Year"},
        'the grain "Year", which does not exist; showing figures by Month.',
        {"grain": "Month"},
    ),
    (
        "",
        {"period": "Q9 2099/00"},
        'the reporting period "Q9 2099/00", which is not a month in '
        "the data; showing September 2026.",
        {"period": "September 2026"},
    ),
    (
        "",
        {"grain": "Quarter", "period": "August 2026"},
        'the reporting period "August 2026", '
        "which is not a quarter in the data; showing Q2 2026/27.",
        {"grain": "Quarter", "period": "Q2 2026/27"},
    ),
    (
        "",
        {"from": "Never"},
        'trend charts from "Never", which is not a month in the '
        "data; showing trends from October 2025.",
        {"from": "October 2025"},
    ),
    (
        "",
        {"service": "Housin"},
        'the service "Housin", which is not in the data; showing all services.',
        {"service": []},
    ),
    (
        "",
        {"channel": ["Phone", "phone"]},
        'the channel "phone", which does not exist; showing only Phone.',
        {"channel": ["Phone"]},
    ),
    (
        "measure",
        {"measure": "Nonsense"},
        'measure "Nonsense", which does not exist; showing Customer care training completed.',
        {"measure": "Customer care training completed"},
    ),
    (
        "actions",
        {"plan_status": ["Bogus", "Overdue"]},
        'the status "Bogus", which does not exist; showing only Overdue.',
        {"plan_status": ["Overdue"]},
    ),
    (
        "actions",
        {"plan_pillar": "Nowhere"},
        'the pillar "Nowhere", which does not exist; showing all pillars.',
        {"plan_pillar": []},
    ),
    (
        "service",
        {"service_view": "Nope"},
        'the service to view "Nope", which is not in the data; showing Housing.',
        {"service_view": "Housing"},
    ),
    (
        "",
        {"layout": "Grid"},
        'the layout "Grid", which does not exist; showing the scorecard as Cards.',
        {"layout": "Cards"},
    ),
    (
        "",
        {"present": "maybe"},
        'presentation mode "maybe", which is not a setting (use "1"); '
        "showing the dashboard as normal.",
        {"present": False},
    ),
]


def _link_warnings(at) -> list[str]:
    """The link warnings on the page, with Markdown's escapes taken out."""
    return [
        w.value.replace("\\", "").replace(JOINER, "")
        for w in at.warning
        if "This link asked" in w.value
    ]


@pytest.mark.parametrize(
    ("page", "params", "words", "shown"),
    BAD_LINKS,
    ids=[f"{p or 'overview'}-{'-'.join(q)}" for p, q, _, _ in BAD_LINKS],
)
def test_a_link_to_something_that_does_not_exist_says_so(
    monkeypatch, tmp_path, page, params, words, shown
):
    at = _open(monkeypatch, tmp_path, page, params)
    assert not at.exception
    assert _link_warnings(at) == [f"This link asked for {words}"]
    state = _state(at)
    assert {key: state[key] for key in shown} == shown
    at.run()  # said once, when the link is opened; the view then belongs to the reader
    assert _link_warnings(at) == []


def test_every_bad_value_in_a_link_gets_its_own_line(monkeypatch, tmp_path):
    at = _open(
        monkeypatch,
        tmp_path,
        "",
        {"grain": "Year", "service": ["Housing", "Housin"], "channel": "Fax"},
    )
    assert _link_warnings(at) == [
        'This link asked for the grain "Year", which does not exist; showing figures by Month.',
        'This link asked for the service "Housin", which is not in the data; showing only Housing.',
        'This link asked for the channel "Fax", which does not exist; showing all channels.',
    ]
    assert "September 2026 · Housing · all channels" in "\n".join(texts(at))


def test_a_hostile_link_is_quoted_short_and_as_plain_text(monkeypatch, tmp_path):
    asked = "[Sign in here](https://evil.example/login) " + "x" * 500
    at = _open(monkeypatch, tmp_path, "", {"service": asked})
    (warning,) = [w.value for w in at.warning if "This link asked" in w.value]
    assert warning.replace(JOINER, "").startswith(
        r'This link asked for the service "\[Sign in here\]\(https\://evil\.example/login\) xxx'
    )
    assert f"https{JOINER}\\:" in warning  # an escaped colon alone still makes a link
    assert "](" not in warning and len(warning) < 200
    assert warning.endswith('…", which is not in the data; showing all services.')


def test_a_slide_past_the_end_says_so_on_the_slide(monkeypatch, tmp_path):
    at = _open(monkeypatch, tmp_path, "", {"present": "1", "slide": "999"})
    assert not at.exception
    count = at.session_state["slide"]
    assert count > 1 and f"slide {count} of {count}" in "\n".join(texts(at))
    assert _link_warnings(at) == [
        f'This link asked for slide "999", which is not one of this '
        f"presentation's {count} slides; showing slide {count}."
    ]
    slide = at.main.children[len(at.main.children) - 2]  # the slide, above its controls
    assert [w.value for w in slide.warning] == [w.value for w in at.warning]
    assert [b.key for b in at.button if b.key == "slide_next"] == ["slide_next"]


def test_a_filter_link_is_checked_in_presentation_mode_too(monkeypatch, tmp_path):
    at = _open(monkeypatch, tmp_path, "", {"present": "1", "grain": "Year"})
    assert not at.exception
    assert _link_warnings(at) == [
        'This link asked for the grain "Year", which does not exist; showing figures by Month.'
    ]
