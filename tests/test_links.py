"""Every view is reproduced exactly by its URL: page, filters, measure, presentation mode and
slide. The 'copy link' box gives a URL that, opened afresh, restores the same view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

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
WIDGETS = {"grain": "segmented_control", "period": "selectbox", "from": "selectbox",
           "service": "multiselect", "channel": "multiselect", "measure": "selectbox",
           "layout": "segmented_control", "service_view": "selectbox",
           "plan_pillar": "multiselect", "plan_status": "multiselect"}


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


@pytest.mark.parametrize(("page", "params"), VIEWS,
                         ids=[f"{p or 'overview'}-{'-'.join(q)}" for p, q in VIEWS])
def test_url_round_trip(monkeypatch, tmp_path, page, params):
    first = _open(monkeypatch, tmp_path, page, params)
    assert not first.exception
    state = _state(first)
    for key, value in params.items():
        expected = True if key == "present" else int(value) if key == "slide" else value
        assert state[key] == expected, key
    link = urlsplit(_copied_link(first))
    assert link.path == f"/{page}"
    again = _open(monkeypatch, tmp_path, page,
                  {k: v if len(v) > 1 else v[0] for k, v in parse_qs(link.query).items()})
    assert _state(again) == state
    assert [t.value for t in again.title] == [t.value for t in first.title]


def test_filters_reach_the_figures(monkeypatch, tmp_path):
    at = _open(monkeypatch, tmp_path, "access", {"grain": "Quarter", "period": "Q2 2026/27",
                                                 "service": ["Housing"]})
    assert "Q2 2026/27 · Housing · all channels" in "\n".join(texts(at))
