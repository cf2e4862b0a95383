"""The action plan as data: actions by pillar and status, overdue first, and the measures
each should move, judged by the engine (queries/plan mirrors this package).

An action is overdue when its due date is before the data's "as at" date and it is neither
complete nor withdrawn, whatever its status says (queries/plan/actions_overdue_first.sql).
"""

from __future__ import annotations

import pandas as pd

from ..contracts import ACTION_STATUSES
from ..engine import fmt, glossary
from ..engine.measures import RAG_WORDS
from ..engine.suppression import hidden_text

UNKNOWN_MEASURE = "(unknown measure)"
STATUS_WORDS = glossary.ACTION_STATUS


STATUS_ICONS = {
    "not_started": "hourglass_empty",
    "on_track": "play_circle",
    "at_risk": "warning",
    "delayed": "schedule",
    "complete": "task_alt",
    "withdrawn": "block",
    "overdue": "alarm",
}


STATUS_BY_WORD = {word: status for status, word in STATUS_WORDS.items()}


OVERDUE = "Overdue"


# tables cannot hold Material icons, so RAG there is a text symbol plus the word
RAG_MARKS = {"green": "✔", "amber": "⚠", "red": "✖", "none": "–"}


def pillar_title(pillar_id: str, strategy) -> str:
    """The pillar's title, or 'Unknown pillar <id>' so a mistyped id is seen, not lost."""
    names = {p.id: p.title for p in strategy.pillars}
    return names.get(pillar_id, f"Unknown pillar {pillar_id}")


def load(database, strategy, pillars=None, statuses=None, overdue=False) -> pd.DataFrame:
    """Actions overdue first, with pillar titles and status words; None means no filter."""
    frame = database.query(
        "plan/actions_overdue_first", pillars=pillars, statuses=statuses, overdue=overdue
    )
    frame["pillar_title"] = [pillar_title(p, strategy) for p in frame["pillar"]]
    frame["status_word"] = frame["status"].map(STATUS_WORDS)
    frame["state"] = [state(s, o) for s, o in zip(frame["status"], frame["overdue"])]
    return frame


def state(status: str, overdue: bool) -> str:
    """What the timeline shows: overdue beats any status; at risk and delayed go together."""
    if overdue:
        return "overdue"
    return {
        "at_risk": "at_risk",
        "delayed": "at_risk",
        "not_started": "open",
        "on_track": "open",
    }.get(status, status)


def pillar_options(frame: pd.DataFrame, strategy) -> list[str]:
    """Pillar titles in strategy order, then any unknown pillars the plan mentions."""
    known = [p.title for p in strategy.pillars]
    return known + sorted(set(frame["pillar_title"]) - set(known))


def status_options() -> list[str]:
    """'Overdue', then every status word, for the status filter."""
    return [OVERDUE, *STATUS_WORDS.values()]


def selection(pillar_labels, status_labels, frame: pd.DataFrame) -> dict:
    """Bound query parameters for the chosen pillar titles and status words."""
    ids = dict(zip(frame["pillar_title"], frame["pillar"]))
    words = [w for w in status_labels if w != OVERDUE]
    return {
        "pillars": [ids.get(t, t) for t in pillar_labels] or None,
        "statuses": [STATUS_BY_WORD[w] for w in words] if status_labels else None,
        "overdue": OVERDUE in status_labels,
    }


def counts(database, pillars=None) -> pd.DataFrame:
    """Actions per status (every status, zeros included) and how many of each are overdue."""
    found = database.query("plan/actions_by_status", pillars=pillars).set_index("status")
    table = found.reindex(ACTION_STATUSES, fill_value=0).rename_axis("status").reset_index()
    table["word"] = table["status"].map(STATUS_WORDS)
    return table


def measure_ids(frame: pd.DataFrame) -> list[str]:
    """Every measure id the actions name, first mention first."""
    return list(dict.fromkeys(m for ids in frame["measure_ids"] for m in ids))


def judged(ids, catalogue: dict, results: dict) -> list[str]:
    """'Calls answered within 60 seconds: ✔ On target' for each id; unknown ids as-is."""
    return [
        f"{m} {UNKNOWN_MEASURE}"
        if m not in catalogue
        else f"{catalogue[m].title}: {rag_text(results[m].rag)}"
        if m in results
        else catalogue[m].title
        for m in ids
    ]


def rag_text(rag: str) -> str:
    """A RAG as a symbol and a word, for tables."""
    return f"{RAG_MARKS[rag]} {RAG_WORDS[rag]}"


def table(frame: pd.DataFrame, catalogue: dict, results: dict) -> pd.DataFrame:
    """The actions as a committee reads them: words, British dates, measures judged."""
    # what a reader scans first (what, how it stands, when) before who and the detail
    return pd.DataFrame(
        {
            "Ref": frame["action_id"],
            "Action": frame["title"],
            "Status": frame["status_word"],
            "Due": _dates(frame["due_on"]),
            "Days overdue": _days(frame["days_overdue"]),
            "Progress (%)": frame["progress_pct"],
            "Pillar": frame["pillar_title"],
            "Owner": frame["owner"],
            "Last update": _dates(frame["last_update_on"]),
            "Latest update": frame["update"],
            "Measures it should move": [
                "; ".join(judged(ids, catalogue, results)) for ids in frame["measure_ids"]
            ],
        }
    )


def _days(column) -> list[str]:
    """Days overdue as text, blank when not overdue (a table would print 'None')."""
    return ["" if pd.isna(d) else f"{int(d):,}" for d in column]


def _dates(column) -> list[str]:
    return ["" if pd.isna(d) else fmt.long_date(pd.Timestamp(d).date()) for d in column]


def links(frame: pd.DataFrame, catalogue: dict, results: dict) -> pd.DataFrame:
    """One row per action and measure it should move, with the measure's latest judgement."""
    rows = [
        _link(action, m, catalogue, results)
        for action in frame.itertuples()
        for m in action.measure_ids
    ]
    columns = [
        "Ref",
        "Action",
        "Measure",
        "Against target",
        "Latest figure",
        "Period",
        "Action status",
    ]
    return pd.DataFrame(rows, columns=columns)


def _link(action, measure_id: str, catalogue: dict, results: dict) -> list:
    head, tail = [action.action_id, action.title], [action.status_word]
    if measure_id not in catalogue:
        return head + [f"{measure_id} {UNKNOWN_MEASURE}", "", "", ""] + tail
    if measure_id not in results:
        return head + [catalogue[measure_id].title, "", "", ""] + tail
    result = results[measure_id]
    return (
        head
        + [
            catalogue[measure_id].title,
            rag_text(result.rag),
            figure(result),
            "" if result.latest is None else result.latest["label"],
        ]
        + tail
    )


def figure(result) -> str:
    """The latest figure in words: '78.2%', 'fewer than 10' or 'no data'."""
    m, latest = result.measure, result.latest
    if latest is None:
        return "no data"
    if latest["suppressed"]:
        return hidden_text(latest, result.min_base)
    return fmt.value(latest["value"], m.unit, m.decimals)


def headline(frame: pd.DataFrame) -> str:
    """The timeline's finding: how many are overdue and which is most overdue."""
    overdue = frame[frame["overdue"]]
    if overdue.empty:
        upcoming = frame[frame["is_open"]]
        if upcoming.empty:
            return f"None of the {len(frame)} actions shown is still open"
        first = upcoming.iloc[0]
        return (
            f"No action is overdue; next due is {first['title']} on "
            f"{fmt.long_date(pd.Timestamp(first['due_on']).date())}"
        )
    worst = overdue.sort_values("days_overdue", ascending=False).iloc[0]
    days = int(worst["days_overdue"])
    return (
        f"{len(overdue)} of {len(frame)} actions are overdue; the longest overdue is "
        f"{worst['title']} ({days} {'day' if days == 1 else 'days'} late)"
    )


def links_headline(table_: pd.DataFrame) -> str:
    """'4 of the 7 measures these actions should move are on target'."""
    rated = table_.drop_duplicates("Measure")
    rated = rated[rated["Against target"] != ""]
    on = (rated["Against target"] == rag_text("green")).sum()
    verb = "is" if on == 1 else "are"
    return f"{on} of the {len(rated)} measures these actions should move {verb} on target"


def overdue_caption(action) -> str:
    """'Access · Head of Digital · due 31 August 2026, 30 days overdue · Delayed, 60%'."""
    days = int(action.days_overdue)
    update = (
        ""
        if pd.isna(action.last_update_on)
        else (f" · updated {fmt.long_date(pd.Timestamp(action.last_update_on).date())}")
    )
    return (
        f"{action.pillar_title} · {action.owner} · due "
        f"{fmt.long_date(pd.Timestamp(action.due_on).date())}, {days} "
        f"{'day' if days == 1 else 'days'} overdue · {action.status_word}, "
        f"{action.progress_pct}% done{update}"
    )
