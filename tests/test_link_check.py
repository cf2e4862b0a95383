"""A link that asks for something that does not exist says so, and what is shown instead
(scorecard/link_check.py, tested here without Streamlit running)."""

from __future__ import annotations

from scorecard.ui.link_check import JOINER, Choice, plain, problems
from scorecard.ui.presentation import slide_asked

GRAIN = Choice("the grain", ["Month", "Quarter", "Financial year"], "figures by Month")
SERVICE = Choice(
    "the service",
    ["Housing", "Waste and Recycling"],
    "all services",
    "which is not in the data",
    many=True,
)


def test_a_bad_single_value_is_named_with_what_is_shown():
    assert problems({"grain": ["Year"]}, {"grain": GRAIN}) == [
        'This link asked for the grain "Year", which does not exist; showing figures by Month.'
    ]


def test_good_blank_and_absent_values_say_nothing():
    choices = {"grain": GRAIN, "service": SERVICE}
    assert problems({"grain": ["Quarter"], "service": ["Housing"]}, choices) == []
    assert problems({"grain": [""], "service": []}, choices) == []
    assert problems({}, choices) == []


def test_matching_is_exact_as_streamlit_s_is():
    assert problems({"grain": ["quarter"]}, {"grain": GRAIN}) == [
        'This link asked for the grain "quarter", which does not exist; showing figures by Month.'
    ]


def test_a_repeated_single_value_is_judged_by_the_last_as_streamlit_takes_the_last():
    assert problems({"grain": ["Year", "Quarter"]}, {"grain": GRAIN}) == []
    assert len(problems({"grain": ["Quarter", "Year"]}, {"grain": GRAIN})) == 1


def test_a_multi_select_keeps_its_good_values_and_names_each_bad_one():
    assert problems(
        {"service": ["Housin", "Housing", "Parks", "Housin"]}, {"service": SERVICE}
    ) == [
        'This link asked for the service "Housin", which is not in the data; showing only Housing.',
        'This link asked for the service "Parks", which is not in the data; showing only Housing.',
    ]
    assert problems({"service": ["Housin"]}, {"service": SERVICE}) == [
        'This link asked for the service "Housin", which is not in the data; showing all services.'
    ]


def test_messages_follow_the_order_of_the_choices():
    found = problems({"service": ["X"], "grain": ["Y"]}, {"grain": GRAIN, "service": SERVICE})
    assert [m.split('"')[1] for m in found] == ["Y", "X"]


def test_a_hostile_value_is_cut_short_and_cannot_become_markup():
    link = "[click](https://evil.example/x) ![img](http://e/i.png) <b>*bold*</b> :red[x] $x$"
    message = problems({"grain": [link]}, {"grain": GRAIN})[0]
    quoted = message.split('"')[1]
    assert quoted.startswith("\\[click\\]\\(https\u2060\\://evil\u2060\\.example/x\\)")
    assert quoted.endswith("…")
    assert len(quoted.replace("\\", "").replace(JOINER, "")) == 60
    assert "](" not in quoted and "<b>" not in quoted and ":red[" not in quoted


def test_bare_addresses_and_icons_are_split_as_an_escape_does_not_stop_them():
    # seen in Chromium: Streamlit links www.x.com and a@b.com, and draws :material/home:,
    # even when their dots, at signs and colons are escaped
    assert plain("www.x.com a@b.com :material/home:") == (
        "www\u2060\\.x\u2060\\.com a\u2060\\@b\u2060\\.com \u2060\\:material/home\u2060\\:"
    )


def test_newlines_controls_and_direction_marks_are_dropped():
    assert plain("Housing\n\n# Heading\t\u202eevil\u200b") == r"Housing \# Heading evil"


def test_a_flood_of_bad_values_gives_a_few_lines_and_a_count():
    found = problems({"service": [f"S{n}" for n in range(200)]}, {"service": SERVICE})
    assert len(found) == 5
    assert found[-1] == "This link asked for 196 more things that do not exist; each is ignored."


def test_the_slide_a_link_opens_is_kept_within_the_deck():
    assert [slide_asked(t, 12) for t in ("4", "999", "0", "-3", "abc", "²", "9" * 5000)] == [
        4,
        12,
        1,
        1,
        1,
        1,
        1,
    ]
