"""Links that ask for something that does not exist say so, and say what is shown instead.

Streamlit quietly replaces a URL value a widget cannot take with the widget's default, so a
mistyped link (`?grain=Year`, `?measure=Calls answred`) would open some other view with no
word of it. The raw values are read before each widget is made and checked here against
the widget's options; each bad value gives one plain-English warning. A link's text is
anyone's to write, so a value is cut short and escaped: it can never become a link, an
image or formatting in the warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from ..engine import fmt
from ..engine.fmt import JOINER  # noqa: F401  (what tests strip from a quoted value)

LONGEST = 60  # characters of an asked-for value quoted back
MOST = 5  # warnings for one link; past that, one line counts the rest


@dataclass(frozen=True)
class Choice:
    """What one link parameter may hold, and what the page shows in place of a bad value."""

    what: str  # the parameter in words: "the grain", "measure"
    options: Sequence[str]
    instead: str  # shown in place of a bad value: "figures by Month", "all services"
    absent: str = "which does not exist"
    many: bool = False  # a multi-select: its good values are kept, and named
    kept: str = "only {}"  # what a multi-select shows when some of its values were good


def plain(value: str, longest: int | None = LONGEST) -> str:
    """A value safe to quote in Markdown, cut to `longest` characters (fmt.plain)."""
    return fmt.plain(value, longest)


def _instead(choice: Choice, good: list[str]) -> str:
    if choice.many and good:
        return choice.kept.format(", ".join(plain(g, None) for g in good))
    return plain(choice.instead, None)


def problems(raw: Mapping[str, Sequence[str]], choices: Mapping[str, Choice]) -> list[str]:
    """One warning per value a link asked for that its parameter cannot take, in the order
    of `choices`; blank values (a cleared filter) are not asked for anything."""
    found = []
    for key, choice in choices.items():
        asked = [v for v in raw.get(key) or () if v != ""]
        asked = asked if choice.many else asked[-1:]  # Streamlit takes the last of a repeat
        good = list(dict.fromkeys(v for v in asked if v in choice.options))
        for bad in dict.fromkeys(v for v in asked if v not in choice.options):
            found.append(
                f'This link asked for {choice.what} "{plain(bad)}", {choice.absent}; '
                f"showing {_instead(choice, good)}."
            )
    if len(found) > MOST:
        rest = len(found) - MOST + 1
        found = found[: MOST - 1] + [
            f"This link asked for {rest} more things that do not exist; each is ignored."
        ]
    return found


def asked(keys: Sequence[str]) -> dict[str, list[str]]:
    """The link's raw values for the keys whose widgets are not yet made this session (once
    a widget exists its own value wins over the URL, so there is nothing to check)."""
    return {k: st.query_params.get_all(k) for k in keys if k not in st.session_state}


def warn(messages: Sequence[str]) -> None:
    """Show each message as a warning (the values in them are already escaped)."""
    for message in messages:
        st.warning(message, icon=":material/link_off:")


def check(choices: Mapping[str, Choice]) -> None:
    """Warn about every value the link asked for that `choices` cannot take."""
    warn(problems(asked(list(choices)), choices))
