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


def test_process_limits_are_drawn_per_segment_and_never_joined_across_a_rebase():
    from types import SimpleNamespace

    from scorecard.charts import measure as measure_charts

    periods = [pd.Timestamp(f"2026-0{m}-01").date() for m in (4, 5, 6, 7, 8)]
    series = pd.DataFrame(
        {
            "period_start": periods,
            "label": [str(p) for p in periods],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
            "low": [None] * 5,
            "high": [None] * 5,
            "target": [None] * 5,
        }
    )
    limits = pd.DataFrame(
        {
            "segment": [0, 0, 1, 1, float("nan")],  # the last row belongs to no segment
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
            "centre": [1.5, 1.5, 3.5, 3.5, None],
            "upper": [10.0, 10.0, 20.0, 20.0, None],
            "lower": [0.0, 0.0, 1.0, 1.0, None],
            "near_upper": [7.0, 7.0, 14.0, 14.0, None],
            "near_lower": [1.0, 1.0, 2.0, 2.0, None],
            "signal": ["common"] * 5,
            "direction": [""] * 5,
        }
    )
    measure = SimpleNamespace(title="A measure", unit="%", decimals=1, survey=False)
    fig = measure_charts.spc(series, limits, measure)
    upper = next(t for t in fig.data if t.legendgroup == "upper")
    x = [str(p) for p in periods]
    assert list(upper.x) == [x[0], x[1], None, x[2], x[3], None]
    assert list(upper.y) == [10.0, 10.0, None, 20.0, 20.0, None]
    centre = next(t for t in fig.data if t.legendgroup == "centre")
    assert list(centre.y) == [1.5, 1.5, None, 3.5, 3.5, None]
