"""CSV exports are safe to open in a spreadsheet; charts download as named PNGs."""

from __future__ import annotations

from datetime import date

import pandas as pd

from scorecard.engine import exports, measures, summary, tables
from scorecard.governance import commentary


def test_formula_like_text_is_neutralised_but_numbers_are_not():
    frame = pd.DataFrame(
        {
            "Service": [
                '=HYPERLINK("http://x")',
                "+44 1234",
                "-cmd",
                "@SUM(A1)",
                "\tlead tab",
                "Housing",
            ],
            "Change": [-2.5, 1.0, -1.0, 0.0, 3.0, 4.0],
        }
    )
    lines = exports.safe_csv(frame).splitlines()
    assert lines[0] == "Service,Change"
    assert lines[1:] == [
        '"\'=HYPERLINK(""http://x"")",-2.5',
        "'+44 1234,1.0",
        "'-cmd,-1.0",
        "'@SUM(A1),0.0",
        "'\tlead tab,3.0",
        "Housing,4.0",
    ]


def test_headers_are_neutralised_too():
    assert exports.safe_csv(pd.DataFrame({"=cmd": [1]})).splitlines()[0] == "'=cmd"


def test_png_download_is_named_for_the_chart():
    config = exports.plotly_config("spc-calls_answered_60s")
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "spc-calls_answered_60s",
        "scale": 2,
    }


# --- Tidy downloads: numbers, units in headers, the view as columns, flags -----------------
SEP_2026 = measures.Filters("month", date(2025, 4, 1), date(2026, 9, 30))
HOUSING_PHONE = measures.Filters(
    "month", date(2025, 4, 1), date(2026, 9, 30), ("Housing",), ("phone",)
)


def test_view_columns_say_which_view_a_table_came_from():
    assert exports.view_columns(HOUSING_PHONE, date(2026, 9, 30)) == {
        "Reporting period": "September 2026",
        "Grain": "month",
        "Services": "Housing",
        "Channels": "Phone",
        "Data as at": "2026-09-30",
    }
    ignored = exports.view_columns(HOUSING_PHONE, date(2026, 9, 30), ("channel",))
    assert ignored["Channels"] == "All channels (not split by channel)"
    assert exports.view_columns(SEP_2026, date(2026, 9, 30))["Services"] == "All services"
    frame = exports.tidy(
        pd.DataFrame({"Value (%)": [50.0]}), exports.view_columns(SEP_2026, date(2026, 9, 30))
    )
    assert list(frame.columns) == ["Value (%)", *exports.VIEW_COLUMNS]


def _results(mini_db, catalogue_, targets, ids, filters=SEP_2026, min_base=1):
    return [measures.compute(mini_db, catalogue_[m], filters, targets, min_base) for m in ids]


def test_scorecard_csv_is_tidy(mini_db, catalogue_, targets):
    ids = ["calls_answered_60s", "resident_satisfaction", "f2f_average_wait"]
    frame = summary.tidy([("Access", _results(mini_db, catalogue_, targets, ids))])
    rows = frame.set_index("Measure id")
    calls = rows.loc["calls_answered_60s"]
    # 2 of 4 calls answered within 60 s against 80%: a number, its unit apart
    assert (calls["Value"], calls["Unit"], calls["Base"], calls["Target"], calls["Status"]) == (
        50.0,
        "%",
        4,
        80.0,
        "Off target",
    )
    assert not calls["Last available"] and not calls["Suppressed"]
    resident = rows.loc["resident_satisfaction"]  # August's survey, the last available
    assert resident["Last available"] and resident["Figure period"] == "August 2026"
    assert rows.loc["f2f_average_wait", "Unit"] == "minutes"
    text = exports.safe_csv(frame)
    assert ",50.0,%,4,80.0," in text  # numbers, not "50.0%"
    # suppressed: blank value and base, flagged with the reason
    hidden = summary.tidy(
        [("Access", _results(mini_db, catalogue_, targets, ["calls_answered_60s"], min_base=5))]
    )
    row = hidden.iloc[0]
    assert pd.isna(row["Value"]) and pd.isna(row["Base"]) and row["Suppressed"]
    assert row["Suppressed because"] == "fewer than 5" and row["Status"] == "Not rated"


def test_scorecard_names_the_filters_a_figure_is_not_split_by(mini_db, catalogue_, targets):
    ids = ["calls_answered_60s", "resident_satisfaction"]
    results = _results(mini_db, catalogue_, targets, ids, HOUSING_PHONE)
    notes = commentary.Notes(mini_db, None, approved_only=False)
    table = summary.table(notes, [("Access", results)]).set_index("measure_id")
    assert table.loc["resident_satisfaction", "Not split by"] == "service and channel"
    assert table.loc["calls_answered_60s", "Not split by"] == ""
    tidy = summary.tidy([("Access", results)]).set_index("Measure id")
    assert tidy.loc["resident_satisfaction", "Not split by"] == "service and channel"
    # with no filter on, the table has no such column
    plain = summary.table(notes, [("Access", _results(mini_db, catalogue_, targets, ids))])
    assert "Not split by" not in plain.columns


def test_trend_table_is_tidy_and_blanks_what_is_not_shown(mini_db, catalogue_, targets):
    result = _results(mini_db, catalogue_, targets, ["calls_answered_60s"], min_base=3)[0]
    table = tables.trend_table(result).set_index("Period")
    assert "Calls answered within 60 seconds (%)" in table.columns
    assert "Target (%)" in table.columns
    september, august = table.loc["September 2026"], table.loc["August 2026"]
    assert (september["Calls answered within 60 seconds (%)"], september["Base"]) == (50.0, 4)
    # August: 2 calls, under the minimum of 3: no figure, no base, no status, a flag
    assert pd.isna(august["Calls answered within 60 seconds (%)"]) and pd.isna(august["Base"])
    assert august["Suppressed"] and august["Suppressed because"] == "fewer than 3"
    assert august["Status"] == ""
    escalated = _results(mini_db, catalogue_, targets, ["complaints_escalated"])[0]
    provisional = tables.trend_table(escalated).set_index("Period")["Provisional"]
    # as at 30 September 2026, August and September are still within 60 days; July is not
    assert provisional["September 2026"] and provisional["August 2026"]
    assert not provisional["July 2026"]


def test_a_whole_number_measure_is_downloaded_as_whole_numbers(mini_db, catalogue_, targets):
    """A figure with no decimals (a median of working days) is 5 in the download, as on
    screen, not 5.0, whether or not a period has no figure."""
    result = _results(mini_db, catalogue_, targets, ["days_to_resolve_median"], min_base=3)[0]
    lines = exports.safe_csv(tables.trend_table(result)).splitlines()
    # the mini extract's cases resolved in September 2026 took 2, 5, 6 and 12 working days
    # (day opened = day 0; K05, cancelled, left out): the 2nd of 4 is 5; none in August
    assert lines[-1].startswith("September 2026,2026-09-01,5,4,")
    assert lines[-2].startswith("August 2026,2026-08-01,,0,")


def test_figures_side_by_side_by_period(mini_db, catalogue_, targets):
    ids = ["calls_answered_60s", "complaints_escalated"]
    calls, escalated = _results(mini_db, catalogue_, targets, ids, min_base=3)
    table = tables.figures_by_period([calls, escalated]).set_index("Period")
    # each column is the figure of that measure's own trend table, period by period
    for result in (calls, escalated):
        trend = tables.trend_table(result).set_index("Period")[tables.value_column(result)]
        column = table[tables.value_column(result)]
        assert column.reindex(trend.index).equals(trend.astype(column.dtype))
    assert table.loc["September 2026", "Calls answered within 60 seconds (%)"] == 50.0
    # no calls before August 2026 in the mini extract: blank where only complaints have one
    assert pd.isna(table.loc["July 2026", "Calls answered within 60 seconds (%)"])
    named = tables.figures_by_period([calls, escalated], ["Calls (%)", "Escalated (%)"])
    assert list(named.columns) == ["Period", "Calls (%)", "Escalated (%)"]


def test_counts_are_whole_numbers_in_every_csv():
    frame = pd.DataFrame({"Base": [329.0, None], "Value (%)": [74.0, 60.5], "Number": [3.0, 4.5]})
    text = exports.tidy(frame, {"Reporting period": "September 2026"}).to_csv(index=False)
    assert text.splitlines() == [
        "Base,Value (%),Number,Reporting period",
        "329,74.0,3.0,September 2026",
        ",60.5,4.5,September 2026",
    ]
