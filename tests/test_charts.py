"""Figures are built from plain dicts, unchecked in the app and checked here: the check must
catch a mistyped property, and a figure must read the same either way."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio
import pytest

from scorecard.charts import pillars as figures
from scorecard.charts import theme


def test_a_mistyped_property_fails_under_the_check(monkeypatch):
    monkeypatch.setattr(theme, "VALIDATE", True)
    with pytest.raises(ValueError, match="colour"):
        theme.figure([dict(type="scatter", x=[1], y=[2], colour="red")], {})
    monkeypatch.setattr(theme, "VALIDATE", False)  # as served: not checked, drawn as given
    assert theme.figure([dict(type="scatter", x=[1], y=[2])], {"height": 300}).layout.height == 300


def _json(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False, engine="json"))


def test_a_figure_reads_the_same_checked_or_not(monkeypatch):
    frame = pd.DataFrame(
        {
            "period_start": [pd.Timestamp("2026-04-01"), pd.Timestamp("2026-05-01")] * 2,
            "channel": ["Phone", "Phone", "Web", "Web"],
            "contacts": [30.0, 20.0, 70.0, 80.0],
        }
    )
    built = {}
    for check in (True, False):
        monkeypatch.setattr(theme, "VALIDATE", check)
        built[check] = _json(
            figures.stacked_shares(frame, "period_start", "channel", "contacts", height=300)
        )
    # the same traces and layout; checking only turns number lists into typed arrays
    checked, unchecked = built[True], built[False]
    assert unchecked["layout"]["height"] == checked["layout"]["height"] == 300
    assert (
        unchecked["layout"]["xaxis"]
        == checked["layout"]["xaxis"]
        == {"type": "date", "tickformat": "%b %Y", "dtick": "M1"}
    )  # two months: a tick a month
    assert unchecked["layout"]["yaxis"] == checked["layout"]["yaxis"]
    assert [t["name"] for t in unchecked["data"]] == ["Phone", "Web"]
    assert unchecked["data"][0]["y"] == [30.0, 20.0]


def test_merged_updates_nested_layout_and_removes_none():
    base = {"xaxis": {"type": "date", "tickformat": "%b %Y"}, "height": 300}
    assert theme.merged(base, {"xaxis": {"type": "category", "tickformat": None}}) == {
        "xaxis": {"type": "category"},
        "height": 300,
    }
    assert base["xaxis"]["tickformat"] == "%b %Y"  # the base is left as it was
