"""CSV exports are safe to open in a spreadsheet; charts download as named PNGs."""

from __future__ import annotations

import pandas as pd

from scorecard import exports


def test_formula_like_text_is_neutralised_but_numbers_are_not():
    frame = pd.DataFrame({"Service": ["=HYPERLINK(\"http://x\")", "+44 1234", "-cmd", "@SUM(A1)",
                                      "\tlead tab", "Housing"],
                          "Change": [-2.5, 1.0, -1.0, 0.0, 3.0, 4.0]})
    lines = exports.safe_csv(frame).splitlines()
    assert lines[0] == "Service,Change"
    assert lines[1:] == ["\"'=HYPERLINK(\"\"http://x\"\")\",-2.5", "'+44 1234,1.0", "'-cmd,-1.0",
                         "'@SUM(A1),0.0", "'\tlead tab,3.0", "Housing,4.0"]


def test_headers_are_neutralised_too():
    assert exports.safe_csv(pd.DataFrame({"=cmd": [1]})).splitlines()[0] == "'=cmd"


def test_png_download_is_named_for_the_chart():
    config = exports.plotly_config("spc-calls_answered_60s")
    assert config["toImageButtonOptions"] == {"format": "png",
                                              "filename": "spc-calls_answered_60s", "scale": 2}
