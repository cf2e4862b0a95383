"""The action plan: actions by pillar and status, overdue first, and the measures each
should move, judged by the engine. Pure functions build frames; the render helpers at the
end are the only part that touches Streamlit.

An action is overdue when its due date is before the data's "as at" date and it is neither
complete nor withdrawn, whatever its status says (queries/plan/actions_overdue_first.sql).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..charts import plan as plan_charts
from ..contracts import ACTION_STATUSES
from ..engine import coverage, fmt
from ..engine.measures import RAG_ICONS, RAG_WORDS, hidden_text
from . import a11y, link_check
from . import components as ui

STATUS_WORDS = {"not_started": "Not started", "on_track": "On track", "at_risk": "At risk",
                "delayed": "Delayed", "complete": "Complete", "withdrawn": "Withdrawn"}
STATUS_ICONS = {"not_started": "hourglass_empty", "on_track": "play_circle",
                "at_risk": "warning", "delayed": "schedule", "complete": "task_alt",
                "withdrawn": "block", "overdue": "alarm"}
STATUS_BY_WORD = {word: status for status, word in STATUS_WORDS.items()}
OVERDUE = "Overdue"
# tables cannot hold Material icons, so RAG there is a text symbol plus the word
RAG_MARKS = {"green": "✔", "amber": "⚠", "red": "✖", "none": "–"}
UNKNOWN_MEASURE = "(unknown measure)"


def pillar_title(pillar_id: str, strategy) -> str:
    """The pillar's title, or 'Unknown pillar <id>' so a mistyped id is seen, not lost."""
    names = {p.id: p.title for p in strategy.pillars}
    return names.get(pillar_id, f"Unknown pillar {pillar_id}")


def load(database, strategy, pillars=None, statuses=None, overdue=False) -> pd.DataFrame:
    """Actions overdue first, with pillar titles and status words; None means no filter."""
    frame = database.query("plan/actions_overdue_first", pillars=pillars, statuses=statuses,
                           overdue=overdue)
    frame["pillar_title"] = [pillar_title(p, strategy) for p in frame["pillar"]]
    frame["status_word"] = frame["status"].map(STATUS_WORDS)
    frame["state"] = [state(s, o) for s, o in zip(frame["status"], frame["overdue"])]
    return frame


def state(status: str, overdue: bool) -> str:
    """What the timeline shows: overdue beats any status; at risk and delayed go together."""
    if overdue:
        return "overdue"
    return {"at_risk": "at_risk", "delayed": "at_risk", "not_started": "open",
            "on_track": "open"}.get(status, status)


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
    return {"pillars": [ids.get(t, t) for t in pillar_labels] or None,
            "statuses": [STATUS_BY_WORD[w] for w in words] if status_labels else None,
            "overdue": OVERDUE in status_labels}


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
    return [f"{m} {UNKNOWN_MEASURE}" if m not in catalogue else
            f"{catalogue[m].title}: {rag_text(results[m].rag)}" if m in results
            else catalogue[m].title for m in ids]


def rag_text(rag: str) -> str:
    """A RAG as a symbol and a word, for tables."""
    return f"{RAG_MARKS[rag]} {RAG_WORDS[rag]}"


def table(frame: pd.DataFrame, catalogue: dict, results: dict) -> pd.DataFrame:
    """The actions as a committee reads them: words, British dates, measures judged."""
    # what a reader scans first (what, how it stands, when) before who and the detail
    return pd.DataFrame({
        "Ref": frame["action_id"], "Action": frame["title"], "Status": frame["status_word"],
        "Due": _dates(frame["due_on"]), "Days overdue": _days(frame["days_overdue"]),
        "Progress (%)": frame["progress_pct"], "Pillar": frame["pillar_title"],
        "Owner": frame["owner"], "Last update": _dates(frame["last_update_on"]),
        "Latest update": frame["update"],
        "Measures it should move": ["; ".join(judged(ids, catalogue, results))
                                    for ids in frame["measure_ids"]],
    })


def _days(column) -> list[str]:
    """Days overdue as text, blank when not overdue (a table would print 'None')."""
    return ["" if pd.isna(d) else f"{int(d):,}" for d in column]


def _dates(column) -> list[str]:
    return ["" if pd.isna(d) else fmt.long_date(pd.Timestamp(d).date()) for d in column]


def links(frame: pd.DataFrame, catalogue: dict, results: dict) -> pd.DataFrame:
    """One row per action and measure it should move, with the measure's latest judgement."""
    rows = [_link(action, m, catalogue, results) for action in frame.itertuples()
            for m in action.measure_ids]
    columns = ["Ref", "Action", "Measure", "Against target", "Latest figure", "Period",
               "Action status"]
    return pd.DataFrame(rows, columns=columns)


def _link(action, measure_id: str, catalogue: dict, results: dict) -> list:
    head, tail = [action.action_id, action.title], [action.status_word]
    if measure_id not in catalogue:
        return head + [f"{measure_id} {UNKNOWN_MEASURE}", "", "", ""] + tail
    if measure_id not in results:
        return head + [catalogue[measure_id].title, "", "", ""] + tail
    result = results[measure_id]
    return head + [catalogue[measure_id].title, rag_text(result.rag), figure(result),
                   "" if result.latest is None else result.latest["label"]] + tail


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
        return (f"No action is overdue; next due is {first['title']} on "
                f"{fmt.long_date(pd.Timestamp(first['due_on']).date())}")
    worst = overdue.sort_values("days_overdue", ascending=False).iloc[0]
    days = int(worst["days_overdue"])
    return (f"{len(overdue)} of {len(frame)} actions are overdue; the longest overdue is "
            f"{worst['title']} ({days} {'day' if days == 1 else 'days'} late)")


def links_headline(table_: pd.DataFrame) -> str:
    """'4 of the 7 measures these actions should move are on target'."""
    rated = table_.drop_duplicates("Measure")
    rated = rated[rated["Against target"] != ""]
    on = (rated["Against target"] == rag_text("green")).sum()
    verb = "is" if on == 1 else "are"
    return f"{on} of the {len(rated)} measures these actions should move {verb} on target"


# Render helpers: thin Streamlit wrappers over the frames above.


def not_supplied(ctx) -> bool:
    """Say so, and return True, when there is no action plan to show."""
    reason = coverage.absence(ctx.coverage, ("actions",))
    if reason:
        st.info(f"{reason}. Once the council's action plan (actions.csv) is supplied, this "
                "page lists every action, overdue ones first, and the measures each should "
                "move.", icon=":material/block:")
    return bool(reason)


def scope_note(filters) -> None:
    """Say plainly that actions have no service or channel when either filter is set."""
    if filters.services or filters.channels:
        st.caption(":material/info: Actions are council-wide and have no service or channel, "
                   "so the service and channel filters do not narrow this list; the measure "
                   "statuses beside the actions do follow those filters.")


def choose(ctx, everything: pd.DataFrame) -> dict:
    """Pillar and status filters, bound to the URL; returns the query parameters."""
    link_check.check({
        "plan_pillar": link_check.Choice("the pillar", pillar_options(everything, ctx.strategy),
                                         "all pillars", many=True),
        "plan_status": link_check.Choice("the status", status_options(), "all statuses",
                                         many=True)})
    left, right = st.columns(2)
    pillars = left.multiselect("Pillar", pillar_options(everything, ctx.strategy),
                               key="plan_pillar", bind="query-params",
                               placeholder="All pillars")
    statuses = right.multiselect(
        "Status", status_options(), key="plan_status", bind="query-params",
        placeholder="All statuses",
        help="Overdue: due before the data's as at date and neither complete nor withdrawn, "
             "whatever its status says.")
    return selection(pillars, statuses, everything)


def status_metrics(table_: pd.DataFrame) -> None:
    """Overdue, then each status: an icon, the word and the count (never colour alone)."""
    cells = [(OVERDUE, "overdue", int(table_["overdue"].sum()))] + list(
        zip(table_["word"], table_["status"], table_["actions"]))
    for col, (word, status, count) in zip(st.columns(len(cells)), cells):
        col.metric(word, count, border=True, icon=f":material/{STATUS_ICONS[status]}:")


def results(ctx, frame: pd.DataFrame, filters) -> dict:
    """The engine's judgement of each known measure the actions name, by id."""
    ids = [m for m in measure_ids(frame) if m in ctx.catalogue]
    return dict(zip(ids, ui.results_for(ctx, ids, filters)))


def timeline_block(ctx, frame: pd.DataFrame) -> None:
    """Due dates by pillar, overdue marked, with the as at date as a line."""
    order = pillar_options(frame, ctx.strategy)
    figure_ = plan_charts.action_timeline(frame, ctx.as_at, order)
    shown = pd.DataFrame({"Ref": frame["action_id"], "Pillar": frame["pillar_title"],
                          "Action": frame["title"], "Due": _dates(frame["due_on"]),
                          "Status": frame["status_word"],
                          "Days overdue": _days(frame["days_overdue"])})
    ui.chart_block(headline(frame), figure_, shown,
                   plan_charts.timeline_alt_text(frame, ctx.as_at), "plan-timeline", level=2)


def table_block(ctx, frame: pd.DataFrame, judged_: dict) -> None:
    """Every action chosen, overdue first, with its measures judged, and a CSV."""
    shown = table(frame, ctx.catalogue, judged_)
    if ctx.visitor.public:  # officers' running notes stay inside the council
        shown = shown.drop(columns=["Latest update"], errors="ignore")
    with st.container(border=True, key="plan-table"):
        a11y.section_heading(f"The actions, overdue first ({len(frame)} shown)", "actions")
        st.dataframe(shown, hide_index=True, height="content", column_config={
            "Action": st.column_config.TextColumn(width="large"),
            "Progress (%)": st.column_config.ProgressColumn(
                "Progress", format="%d%%", min_value=0, max_value=100),
            "Latest update": st.column_config.TextColumn(width="large"),
            "Measures it should move": st.column_config.TextColumn(width="large")})
        ui.download_csv(shown, "action-plan", "plan-table")


def overdue_block(ctx, frame: pd.DataFrame, judged_: dict) -> None:
    """Each overdue action in a card: owner, how late, the latest update, its measures."""
    overdue = frame[frame["overdue"]]
    if overdue.empty:
        return
    said = "" if ctx.visitor.public else ": what their owners last said"
    a11y.section_heading(f"Overdue actions{said} ({len(overdue)})", "overdue")
    columns = st.columns(2)
    for i, action in enumerate(overdue.itertuples()):
        with columns[i % 2], st.container(border=True, key=f"overdue-{action.action_id}"):
            st.markdown(f"**{action.action_id} {_plain(action.title)}**")
            st.caption(overdue_caption(action))
            if isinstance(action.update, str) and action.update and not ctx.visitor.public:
                st.markdown(_plain(action.update))
            st.markdown(badge_line(action.measure_ids, ctx.catalogue, judged_))


def overdue_caption(action) -> str:
    """'Access · Head of Digital · due 31 August 2026, 30 days overdue · Delayed, 60%'."""
    days = int(action.days_overdue)
    update = "" if pd.isna(action.last_update_on) else (
        f" · updated {fmt.long_date(pd.Timestamp(action.last_update_on).date())}")
    return (f"{action.pillar_title} · {action.owner} · due "
            f"{fmt.long_date(pd.Timestamp(action.due_on).date())}, {days} "
            f"{'day' if days == 1 else 'days'} overdue · {action.status_word}, "
            f"{action.progress_pct}% done{update}")


def badge_line(ids, catalogue: dict, results: dict) -> str:
    """Each measure an action should move with its RAG as an icon-and-word badge."""
    parts = []
    for m in ids:
        if m in results:
            rag = results[m].rag
            parts.append(f"{_plain(catalogue[m].title)} :{ui.BADGE_COLOURS[rag]}-badge"
                         f"[:material/{RAG_ICONS[rag]}: {RAG_WORDS[rag]}]")
        else:
            parts.append(_plain(catalogue[m].title if m in catalogue
                                else f"{m} {UNKNOWN_MEASURE}"))
    return "  \n".join(parts)


_plain = fmt.plain  # officers' text shown as typed


def links_block(ctx, frame: pd.DataFrame, judged_: dict) -> None:
    """Each action beside the measures it should move and how those measures stand now."""
    shown = links(frame, ctx.catalogue, judged_)
    if shown.empty:
        return
    with st.container(border=True, key="plan-links"):
        a11y.section_heading(links_headline(shown), "measures-moved")
        st.caption("The latest figure for each measure under the period, service and channel "
                   "filters, judged against its target.")
        st.dataframe(shown, hide_index=True, height="content")
        ui.download_csv(shown, "action-plan-measures", "plan-links")
