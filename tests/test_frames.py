"""The engine's columns (frames.Columns) and the tables of a result made frames only when
read: the same values and types as the frames the public functions give."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from scorecard.engine import frames, measures
from scorecard.engine.filters import Filters

SEP_2026 = Filters("month", date(2025, 4, 1), date(2026, 9, 30))


def test_columns_read_like_the_frame_made_from_them():
    columns = frames.columns(
        {
            "period_start": np.array([date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]),
            "value": [50.0, None, 75.0],  # a list of numbers: floats, None as NaN
            "label": ["July", "August", "September"],
            "suppressed": np.array([False, True, False]),
        }
    )
    assert len(columns) == 3 and not columns.empty
    assert columns.columns == ["period_start", "value", "label", "suppressed"]
    frame = frames.frame(columns)
    assert list(frame.dtypes.astype(str)) == ["object", "float64", "object", "bool"]
    for name in columns.columns:
        pd.testing.assert_series_equal(
            pd.Series(frames.values(columns, name)), pd.Series(frames.values(frame, name))
        )
    assert (
        frames.row(columns, 2)
        == frames.row(frame, 2)
        == {
            "period_start": date(2026, 9, 1),
            "value": 75.0,
            "label": "September",
            "suppressed": False,
        }
    )
    tail = columns.take(slice(1, None))
    assert len(tail) == 2 and list(tail["label"]) == ["August", "September"]
    assert frames.Columns({"value": np.zeros(0)}).empty


@pytest.mark.parametrize(
    ("measure_id", "services"),
    [
        ("calls_answered_60s", ()),
        ("cases_within_standard", ("Housing",)),
        ("cases_within_standard", ("Housing", "Waste and Recycling")),
        ("stage1_on_time", ()),
    ],
)
def test_a_result_s_tables_are_frames_only_once_read_and_the_same_frames(
    mini_db, catalogue_, targets, measure_id, services
):
    filters = replace(SEP_2026, services=services)
    measure = catalogue_[measure_id]
    mini_db.cache.clear()
    result = measures.compute(mini_db, measure, filters, targets, 1)
    assert isinstance(result.held("series"), frames.Columns)  # judged without a frame
    assert isinstance(result.held("spc"), frames.Columns)
    series = result.series  # read: made a frame, and kept as one
    assert isinstance(series, pd.DataFrame) and result.held("series") is series
    # the same frame as the public functions give, periods before the start cut off
    whole = measures.total_series(
        measures.add_values(
            mini_db.query(measure.sql, **measures.query_params(measure, filters)), measure, 1
        ),
        measure,
        filters,
        targets,
    )
    if not services:  # (a selection's own rows come from every service's rows)
        shown = whole[whole["period_start"] >= filters.start].reset_index(drop=True)
        pd.testing.assert_frame_equal(series, shown)
    spc, _ = measures.spc_frame(series, measure)
    pd.testing.assert_frame_equal(result.spc, spc)
    expected = frames.row(series, len(series) - 1 - _trailing_gaps(series))
    assert result.latest.keys() == expected.keys()
    for name, value in expected.items():  # NaN for NaN (no interval on a non-survey measure)
        assert value == result.latest[name] or (pd.isna(value) and pd.isna(result.latest[name]))
    if services:
        assert isinstance(result.held("groups"), frames.Columns)
        assert set(result.groups["service"]) >= set(services)


def _trailing_gaps(series) -> int:
    """Periods at the end with no data (the latest figure is the last with a base)."""
    base = series["base"].to_numpy(dtype=float)
    return len(base) - 1 - int(np.flatnonzero(base > 0)[-1])


def test_a_copy_handed_out_makes_its_own_frame(mini_db, catalogue_, targets):
    measure = catalogue_["calls_answered_60s"]
    mini_db.cache.clear()
    first = measures.compute(mini_db, measure, SEP_2026, targets, 1)
    second = measures.compute(mini_db, measure, SEP_2026, targets, 1)  # from the cache
    first.series.loc[0, "value"] = -1.0  # one caller changes its own
    assert second.series.loc[0, "value"] != -1.0
    third = measures.compute(mini_db, measure, SEP_2026, targets, 1)
    assert isinstance(third.held("series"), frames.Columns)  # the cached one untouched
    assert third.series.loc[0, "value"] != -1.0


def test_kept_rows_come_to_the_engine_as_columns_equal_to_the_query_s(mini_db, catalogue_):
    measure = catalogue_["calls_answered_60s"]
    params = measures.query_params(measure, SEP_2026)
    assert mini_db.kept(measure.sql, **params)
    held = mini_db.rows(measure.sql, **params)
    assert isinstance(held, frames.Columns) and len(held) > 0
    pd.testing.assert_frame_equal(frames.frame(held), mini_db.query(measure.sql, **params))
