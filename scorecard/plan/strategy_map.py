"""The strategy map as data: each commitment the strategy makes, in its own words, the
measures that show whether it is kept (judged by the engine) and the action plan items that
deliver it; and the gaps between them. The page (ui/strategy_map.py) and the committee pack
both take the map from here.

The gap rules, in one place:

1. `no_measure`: a commitment that names no measure, so nothing shows whether it is kept.
2. `no_commitment`: a measure on the scorecard (any pillar's `measures`) that no commitment
   names. The strategy-wide `plan_measures` are not pillar measures and are not checked.
3. `red_no_action`: a measure off target (RAG red on its latest figure under the filters, as
   its card says) with no open action linked to it. An action is linked to a measure when a
   commitment names both, or when the action's own `measures` column in actions.csv names
   the measure; open means neither complete nor withdrawn.
4. `overdue_no_update`: an overdue action (plan/actions.py's rule: due before the data's as
   at date, neither complete nor withdrawn) with no update since it fell due: its
   `last_update_on` is blank or earlier than its `due_on`. An update on the due day counts.
5. `unknown_action`: a commitment that names an action id the action plan does not have.

Without the actions extract, kinds 3 to 5 are not checked and say so rather than flagging
every measure; a strategy without commitments (an older config) is mapped by its pillars'
measures and the actions that name them, and kinds 1 and 2 are not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..engine import fmt, glossary, summary
from ..engine.catalogue import Commitment, Strategy

NO_MEASURE = "no_measure"
NO_COMMITMENT = "no_commitment"
RED_NO_ACTION = "red_no_action"
SILENT = "overdue_no_update"
UNKNOWN_ACTION = "unknown_action"
OFF_TARGET = glossary.STATUS["red"]
COUNTED = {  # each kind of gap in words, singular and plural, in the order they are listed
    NO_MEASURE: ("commitment with no measure", "commitments with no measure"),
    NO_COMMITMENT: (
        "scorecard measure with no commitment",
        "scorecard measures with no commitment",
    ),
    RED_NO_ACTION: (
        f"measure {OFF_TARGET.lower()} with no open action",
        f"measures {OFF_TARGET.lower()} with no open action",
    ),
    SILENT: (
        "overdue action with no update since it fell due",
        "overdue actions with no update since they fell due",
    ),
    UNKNOWN_ACTION: (
        "action named that is not in the action plan",
        "actions named that are not in the action plan",
    ),
}
KINDS = {kind: plural[0].upper() + plural[1:] for kind, (_, plural) in COUNTED.items()}
NONE_FOUND = {
    NO_MEASURE: "None: every commitment names at least one measure.",
    NO_COMMITMENT: "None: every measure on the scorecard is named by a commitment.",
    RED_NO_ACTION: f"None: every measure {OFF_TARGET.lower()} has an open action linked to it.",
    SILENT: "None: every overdue action has been updated since it fell due.",
    UNKNOWN_ACTION: "None: every action the commitments name is in the action plan.",
}
NO_COMMITMENTS = "Not checked, as the strategy file has no commitments yet."


@dataclass(frozen=True)
class Judged:
    """What the map says of a measure: its RAG, its status in words and its figure."""

    rag: str  # green, amber, red or none
    standing: str  # 'Off target', 'Off target (last available)', 'Not supplied', 'No data'
    figure: str  # '50.0% against a target of at least 80%', 'fewer than 10', 'not supplied'
    has_figure: bool = True  # False: not supplied, not measured or no data (never rated)


@dataclass(frozen=True)
class MeasureLink:
    """A measure on the map, judged (or said to have no figure)."""

    id: str
    title: str
    judged: Judged


@dataclass(frozen=True)
class ActionLink:
    """An action on the map: its status and due date, or that the plan does not have it."""

    id: str
    title: str = ""
    status: str = ""  # a contracts.ACTION_STATUSES code; blank when not in the plan
    words: str = ""  # 'due 31 August 2026 · 30 days overdue' (the status is apart)
    overdue: bool = False

    @property
    def found(self) -> bool:
        """True when the action plan has this action."""
        return bool(self.status)


@dataclass(frozen=True)
class Row:
    """One line of the map: a commitment (None for a strategy without commitments), the
    measures that show whether it is kept and the actions that deliver it."""

    pillar: str  # pillar id
    commitment: Commitment | None
    measures: tuple[MeasureLink, ...]
    actions: tuple[ActionLink, ...]


@dataclass(frozen=True)
class Gap:
    """One gap: its kind, the pillar it sits in, the thing (commitment, measure or action
    id) and what is missing in plain English."""

    kind: str
    pillar: str  # pillar title ('' when the thing belongs to none)
    thing: str
    words: str


@dataclass(frozen=True)
class StrategyMap:
    """The map's rows in strategy order, its gaps, and why any kind was not checked."""

    rows: tuple[Row, ...]
    gaps: tuple[Gap, ...]
    has_commitments: bool
    actions_supplied: bool
    not_checked: dict = field(default_factory=dict)  # kind -> why it was not checked

    def of(self, kind: str) -> list[Gap]:
        """The gaps of one kind, in order."""
        return [g for g in self.gaps if g.kind == kind]

    def pillar_rows(self, pillar_id: str) -> list[Row]:
        """The rows under one pillar."""
        return [r for r in self.rows if r.pillar == pillar_id]


def measure_ids(strategy: Strategy) -> list[str]:
    """Every measure the map judges: the pillars' measures, then any other measure a
    commitment names, first mention first."""
    ids = [m for p in strategy.pillars for m in p.measures]
    ids += [m for c in strategy.commitments for m in c.measures]
    return list(dict.fromkeys(ids))


def judge(result) -> Judged:
    """A MeasureResult as the map shows it: the card's status word and the figure with the
    target it is judged against ('at least' or 'at most', as better is higher or lower); a
    withheld figure ('fewer than 10') is not rated, so it has no target beside it."""
    goal = summary.target(result).replace(" (default)", "")
    words = summary.figure(result)
    if result.has_figure and not result.latest["suppressed"] and goal != "none":
        kind = "default target" if result.default_target else "target"
        side = "at least" if result.measure.better == "higher" else "at most"
        words = f"{words} against a {kind} of {side} {goal}"
    return Judged(
        result.rag if result.has_figure else "none",
        summary.standing(result),
        words,
        result.has_figure,
    )


def build(
    strategy: Strategy,
    catalogue: dict,
    judged: dict[str, Judged],
    actions: pd.DataFrame | None,
    absent: str = "",
) -> StrategyMap:
    """The map and its gaps. `judged` holds each measure's Judged by id (see measure_ids);
    `actions` is plan/actions.load's frame, or None with `absent` saying why ('Not
    supplied: no actions extract')."""
    plan = None if actions is None else {a.action_id: a for a in actions.itertuples()}

    def link(measure_id: str) -> MeasureLink:
        no_figure = Judged("none", "No data", "no data", False)
        return MeasureLink(
            measure_id, catalogue[measure_id].title, judged.get(measure_id, no_figure)
        )

    if strategy.commitments:
        rows = [
            Row(
                p.id,
                c,
                tuple(link(m) for m in c.measures),
                tuple(_action(a, plan) for a in c.actions),
            )
            for p in strategy.pillars
            for c in p.commitments
        ]
    else:
        rows = [
            Row(p.id, None, (link(m),), tuple(_action(a, plan) for a in _naming(m, actions)))
            for p in strategy.pillars
            for m in p.measures
        ]
    not_checked = {}
    if not strategy.commitments:
        not_checked |= {NO_MEASURE: NO_COMMITMENTS, NO_COMMITMENT: NO_COMMITMENTS}
    if actions is None:
        why = f"Not checked, as the action plan was not supplied ({_reason(absent)})."
        not_checked |= {RED_NO_ACTION: why, SILENT: why, UNKNOWN_ACTION: why}
    gaps = []
    if strategy.commitments:
        gaps += no_measure(strategy) + no_commitment(strategy, catalogue)
    if actions is not None:
        gaps += red_no_action(strategy, catalogue, judged, actions)
        gaps += overdue_no_update(actions, strategy)
        gaps += unknown_actions(strategy, set(actions["action_id"]))
    return StrategyMap(
        tuple(rows), tuple(gaps), bool(strategy.commitments), actions is not None, not_checked
    )


def _reason(absent: str) -> str:
    """'no actions extract' from 'Not supplied: no actions extract'."""
    return absent.split(": ", 1)[-1] if absent else "no actions extract"


def _naming(measure_id: str, actions: pd.DataFrame | None) -> list[str]:
    """The ids of the actions whose own measures column names this measure."""
    if actions is None:
        return []
    return [a for a, ids in zip(actions["action_id"], actions["measure_ids"]) if measure_id in ids]


NOT_IN_PLAN = "not in the action plan"
PLAN_ABSENT = "status not known: the action plan was not supplied"


def _action(action_id: str, plan: dict | None) -> ActionLink:
    if plan is None:
        return ActionLink(action_id, words=PLAN_ABSENT)
    if action_id not in plan:
        return ActionLink(action_id, words=NOT_IN_PLAN)
    a = plan[action_id]
    words = [f"due {fmt.long_date(pd.Timestamp(a.due_on).date())}"]
    if a.overdue:
        words.append(f"{_days(int(a.days_overdue))} overdue")
    return ActionLink(action_id, a.title, a.status, " · ".join(words), bool(a.overdue))


def _days(n: int) -> str:
    return f"{n} {'day' if n == 1 else 'days'}"


def and_list(items) -> str:
    """'A1', 'A1 and A2', 'A1, A2 and A3'."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _quoted(commitment: Commitment) -> str:
    return f"\u201c{commitment.text}\u201d"


def no_measure(strategy: Strategy) -> list[Gap]:
    """Rule 1: each commitment that names no measure."""
    return [
        Gap(
            NO_MEASURE,
            p.title,
            c.id,
            f"{_quoted(c)} names no measure, so nothing shows whether it is being kept.",
        )
        for p in strategy.pillars
        for c in p.commitments
        if not c.measures
    ]


def no_commitment(strategy: Strategy, catalogue: dict) -> list[Gap]:
    """Rule 2: each scorecard measure (under any pillar) that no commitment names."""
    named = {m for c in strategy.commitments for m in c.measures}
    gaps, seen = [], set()
    for p in strategy.pillars:
        for m in p.measures:
            if m in named or m in seen:
                continue
            seen.add(m)
            gaps.append(
                Gap(
                    NO_COMMITMENT,
                    p.title,
                    m,
                    f"{catalogue[m].title} is on the scorecard, but no commitment names it.",
                )
            )
    return gaps


def linked_actions(strategy: Strategy, actions: pd.DataFrame) -> dict[str, list[str]]:
    """Measure id -> the ids of the actions in the plan linked to it: through a commitment
    that names both, or through the action's own measures column; first mention first."""
    known = set(actions["action_id"])
    links: dict[str, list[str]] = {}
    for c in strategy.commitments:
        for m in c.measures:
            links.setdefault(m, []).extend(a for a in c.actions if a in known)
    for a, ids in zip(actions["action_id"], actions["measure_ids"]):
        for m in ids:
            links.setdefault(m, []).append(a)
    return {m: list(dict.fromkeys(ids)) for m, ids in links.items()}


def red_no_action(
    strategy: Strategy, catalogue: dict, judged: dict, actions: pd.DataFrame
) -> list[Gap]:
    """Rule 3: each measure off target with no open action linked to it."""
    status = dict(zip(actions["action_id"], actions["status"]))
    is_open = dict(zip(actions["action_id"], actions["is_open"]))  # the plan query's rule
    links = linked_actions(strategy, actions)
    gaps = []
    for m in measure_ids(strategy):
        j = judged.get(m)
        if j is None or j.rag != "red":
            continue
        linked = links.get(m, [])
        if any(is_open[a] for a in linked):
            continue
        closed = f" ({_finished(linked, status)})" if linked else ""
        gaps.append(
            Gap(
                RED_NO_ACTION,
                _home(strategy, m),
                m,
                f"{catalogue[m].title} is {j.standing.lower()}: {j.figure}; no open action is "
                f"linked to it{closed}.",
            )
        )
    return gaps


def _finished(linked: list[str], status: dict) -> str:
    """'A2, the only action linked to it, is complete'; 'A2 and A5, the actions linked to
    it, are complete or withdrawn'."""
    words = {glossary.ACTION_STATUS[status[a]].lower() for a in linked}
    state = " or ".join(sorted(words))
    if len(linked) == 1:
        return f"{linked[0]}, the only action linked to it, is {state}"
    return f"{and_list(linked)}, the actions linked to it, are {state}"


def _home(strategy: Strategy, measure_id: str) -> str:
    """The title of the first pillar that lists the measure, or whose commitment names it."""
    pillar = strategy.home_pillar(measure_id) or next(
        (p for p in strategy.pillars for c in p.commitments if measure_id in c.measures), None
    )
    return pillar.title if pillar else ""


def silent(actions: pd.DataFrame) -> pd.Series:
    """True for each action overdue with no update since it fell due (rule 4)."""
    updated = pd.to_datetime(actions["last_update_on"])
    due = pd.to_datetime(actions["due_on"])
    return actions["overdue"].astype(bool) & (updated.isna() | (updated < due))


def overdue_no_update(actions: pd.DataFrame, strategy: Strategy) -> list[Gap]:
    """Rule 4: each overdue action with no update since it fell due, under the pillar of
    the first commitment that names it (else the pillar the action plan gives it)."""
    named = {
        a: p.title for p in reversed(strategy.pillars) for c in p.commitments for a in c.actions
    }
    gaps = []
    for a in actions[silent(actions)].itertuples():
        due = fmt.long_date(pd.Timestamp(a.due_on).date())
        last = (
            "it has never been updated"
            if pd.isna(a.last_update_on)
            else "its last update was on "
            f"{fmt.long_date(pd.Timestamp(a.last_update_on).date())}, before it fell due"
        )
        gaps.append(
            Gap(
                SILENT,
                named.get(a.action_id, a.pillar_title),
                a.action_id,
                f"{a.action_id} {a.title} was due on {due} and is "
                f"{_days(int(a.days_overdue))} overdue; {last}.",
            )
        )
    return gaps


def unknown_actions(strategy: Strategy, known: set[str]) -> list[Gap]:
    """Each commitment that names actions the plan does not have (one gap per commitment)."""
    gaps = []
    for p in strategy.pillars:
        for c in p.commitments:
            missing = [a for a in c.actions if a not in known]
            if not missing:
                continue
            names = and_list(missing)
            gaps.append(
                Gap(
                    UNKNOWN_ACTION,
                    p.title,
                    c.id,
                    f"{_quoted(c)} names action{'s' if len(missing) > 1 else ''} {names}, "
                    f"which {'are' if len(missing) > 1 else 'is'} not in the action plan.",
                )
            )
    return gaps


def heading(found: StrategyMap, kind: str) -> str:
    """'Commitments with no measure (1)', or '(not checked)'."""
    count = "not checked" if kind in found.not_checked else str(len(found.of(kind)))
    return f"{KINDS[kind]} ({count})"


def gaps_heading(found: StrategyMap) -> str:
    """'Gaps (7)', or 'Gaps (2 found; 3 kinds not checked)'."""
    unchecked = len(found.not_checked)
    if not unchecked:
        return f"Gaps ({len(found.gaps)})"
    kinds = "kind" if unchecked == 1 else "kinds"
    return f"Gaps ({len(found.gaps)} found; {unchecked} {kinds} not checked)"


def gap_sentence(found: StrategyMap) -> str:
    """'7 gaps: 1 commitment with no measure, 3 measures off target with no open action and
    1 overdue action with no update; 3 kinds not checked.'"""
    counts = [(len(found.of(k)), COUNTED[k]) for k in KINDS if k not in found.not_checked]
    parts = [f"{n} {words[n != 1]}" for n, words in counts if n]
    total = len(found.gaps)
    head = f"{total} {'gap' if total == 1 else 'gaps'}" + (f": {and_list(parts)}" if parts else "")
    unchecked = len(found.not_checked)
    if unchecked:
        head += f"; {unchecked} {'kind' if unchecked == 1 else 'kinds'} not checked"
    return head + "."


def sections(found: StrategyMap) -> list[tuple[str, list[str]]]:
    """Each kind's heading and its lines: the gaps' words, why it was not checked, or that
    there are none. The page and the pack print these."""
    out = []
    for kind in KINDS:
        if kind in found.not_checked:
            lines = [found.not_checked[kind]]
        else:
            lines = [f"{g.pillar}: {g.words}" if g.pillar else g.words for g in found.of(kind)] or [
                NONE_FOUND[kind]
            ]
        out.append((heading(found, kind), lines))
    return out


def table(found: StrategyMap, strategy: Strategy) -> pd.DataFrame:
    """The map as one table, a row per commitment and measure (for the CSV download)."""
    titles = {p.id: p.title for p in strategy.pillars}
    rows = []
    for row in found.rows:
        actions = "; ".join(_action_words(a) for a in row.actions)
        words = row.commitment.text if row.commitment else ""
        for m in row.measures or (None,):
            rows.append(
                {
                    "Pillar": titles[row.pillar],
                    "Commitment": words,
                    "Measure": m.title if m else "",
                    "Status": m.judged.standing if m else "",
                    "Figure": m.judged.figure if m else "",
                    "Actions": actions,
                }
            )
    return pd.DataFrame(
        rows, columns=["Pillar", "Commitment", "Measure", "Status", "Figure", "Actions"]
    )


def _action_words(a: ActionLink) -> str:
    if not a.found:
        return f"{a.id} ({a.words})"
    return f"{a.id} {a.title} ({glossary.ACTION_STATUS[a.status]}, {a.words})"


def gaps_table(found: StrategyMap) -> pd.DataFrame:
    """Every gap as a row: its kind, pillar, the thing and the words (for the CSV)."""
    return pd.DataFrame(
        [(KINDS[g.kind], g.pillar, g.thing, g.words) for g in found.gaps],
        columns=["Gap", "Pillar", "Commitment, measure or action", "What is missing"],
    )
