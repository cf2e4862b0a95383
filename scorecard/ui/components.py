"""Streamlit building blocks the pages are made of: headers, measure cards, chart blocks.

Pages stay layout only; any loop over measures or frames lives here. RAG and direction are
always shown as a word and an icon, never by colour alone.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..engine import exports, fmt, glossary, measures, peers, summary, suppression
from ..engine.filters import Filters
from ..engine.measures import RAG_ICONS, RAG_WORDS, MeasureResult
from ..engine.sentences import has_limits
from . import a11y, app_state

PAGES: dict = {}  # page id -> st.Page, filled by app.py
VALUE_STYLE = "font-size:2.1rem;font-weight:700;line-height:1.15;margin:0.1rem 0 0.2rem"
BADGE_COLOURS = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}
STATUS_TINTS = {
    "green": "background-color:#d9f2e3;color:#0b3d1f",  # dark on light tints:
    "amber": "background-color:#fdebc8;color:#4d3300",  # over 7:1 contrast
    "red": "background-color:#f9d6d5;color:#5c1210",
    "none": "",
}
# every column fits the page at 1440 px (about 950 px beside the sidebar)
TABLE_WIDTHS = {
    "Pillar": 105,
    "Measure": 190,
    "Figure": 150,
    "Target": 55,
    "Status": 165,
    "Change": 140,
    "Commentary": 90,
    "Not split by": 80,
}
CHANGE_ICONS = {
    1: ":material/trending_up:",
    -1: ":material/trending_down:",
    0: ":material/trending_flat:",
    None: ":material/more_horiz:",
}


def commentary_block(notes, note: dict | None, compact: bool, slide: bool = False) -> None:
    """Commentary and corrective action (and who owns it) beside a figure: the sanitised
    HTML the pack prints too, a draft marked as such."""
    if note is None:
        return
    if compact:
        draft = "" if note["status"] == "approved" else " (draft)"
        st.caption(f":material/chat: Commentary available{draft}: see the pillar page")
        return
    st.markdown(notes.html(note, slide), unsafe_allow_html=True)


def results_for(ctx, measure_ids, filters, judged: bool = True) -> list[MeasureResult]:
    """The engine's result for each measure id, in order; with `judged` False, the figures
    and RAG alone (measures.compute), for a view that shows no process chart or verdict."""
    return measures.compute_many(
        ctx.database,
        [(ctx.measure(m), filters) for m in measure_ids],
        ctx.targets,
        ctx.settings.min_base,
        judged,
    )


def results_in_groups(ctx, groups, filters, judged: bool = True) -> list[list[MeasureResult]]:
    """`results_for` each group of measure ids, asked of the engine in one go (so the
    queries that are not kept all start at once), handed back group by group."""
    every = iter(results_for(ctx, [m for group in groups for m in group], filters, judged))
    return [[next(every) for _ in group] for group in groups]


def page_header(title: str, intro: str, ctx, filters) -> None:
    """Page title, its purpose in a sentence, and the view in words (period, filters)."""
    st.title(title)
    if intro:
        st.markdown(intro)
    view = app_state.describe(filters, ctx.as_at) if filters is not None else ""
    st.caption(" · ".join(p for p in (ctx.settings.council, view, app_state.as_at_words(ctx)) if p))


def _when(stamp: str | None) -> str:
    """An ISO time stamp in words: 'on 23 November 2026 at 14:29'."""
    if not stamp:
        return "by an earlier refresh"
    moment = pd.Timestamp(stamp)
    return f"on {fmt.long_date(moment.date())} at {moment:%H:%M}"


def banner(ctx) -> None:
    """Warn on every page when the last refresh failed or the data is stale."""
    refresh = ctx.refresh
    public = ctx.visitor.public  # files, lines and load notes are for the council's staff
    if not refresh.get("ok", True):
        problems = "" if public else " ".join(refresh.get("problems", []))
        if (refresh.get("database") or "").startswith(f"db-{refresh.get('fingerprint')}-"):
            # no earlier good data: what could be read is served, the rest is missing
            st.error(
                f"Some extracts could not be read, so the figures that depend on them "
                f"are missing. {problems}",
                icon=":material/error:",
            )
        else:
            st.error(
                f"The latest data refresh failed, so the dashboard is showing the data "
                f"loaded {_when(refresh.get('built_at'))}. {problems}",
                icon=":material/error:",
            )
    for notice in [] if public else refresh.get("notices") or []:
        st.info(notice, icon=":material/build:")
    for flag in [] if public else refresh.get("flags") or []:
        st.warning(f"Loaded, but check this extract: {flag}", icon=":material/warning:")
    from datetime import date

    age = (date.today() - ctx.as_at).days
    if not ctx.coverage.from_activity:
        st.info(
            "No activity extract (contacts, cases, surveys, complaints or returns) has a "
            "dated row yet, so there are no figures to show; dates are as at the day the "
            "data was loaded. The Data and definitions page lists what was supplied.",
            icon=":material/info:",
        )
    elif (
        age > ctx.settings.stale_after_days
        and not ctx.settings.demonstration
        and not st.session_state.get("present")
    ):
        st.warning(
            f"The data may be out of date: the latest record is from "
            f"{fmt.long_date(ctx.as_at)}, {age} days ago.",
            icon=":material/schedule:",
        )


VARIATION_BADGES = {
    "common": ("gray", "horizontal_rule"),
    "improvement_high": ("blue", "trending_up"),
    "improvement_low": ("blue", "trending_down"),
    "concern_high": ("orange", "trending_up"),
    "concern_low": ("orange", "trending_down"),
    "neutral_high": ("violet", "trending_up"),
    "neutral_low": ("violet", "trending_down"),
}
ASSURANCE_BADGES = {
    "pass": ("blue", "verified"),
    "fail": ("orange", "report"),
    "hit_and_miss": ("gray", "swap_vert"),
}


def _badge(colour: str, icon: str, words: str) -> str:
    return f":{colour}-badge[:material/{icon}: {words}]"


def badges(result: MeasureResult, compact: bool = False) -> None:
    """Status, then variation over time and (on a full card) assurance, each as an icon and
    the glossary's words (never colour alone); the help icon explains each term. A measure
    the data cannot give has one grey badge saying why, and no rating."""
    if not result.has_figure:
        st.markdown(
            _badge("gray", "block" if result.absent else "remove", summary.standing(result))
        )
        return
    status = RAG_WORDS[result.rag]
    parts = [_badge(BADGE_COLOURS[result.rag], RAG_ICONS[result.rag], status)]
    help_text = [f"{status}: {glossary.MEANING.get(status, '')}"]
    if not result.is_current:
        parts.append(_badge("gray", "history", f"Last available: {result.latest['label']}"))
        help_text.append(f"Last available: {glossary.MEANING['Last available']}")
    if has_limits(result):
        words = glossary.variation(result.variation)
        parts.append(_badge(*VARIATION_BADGES[result.variation], f"{words} over time"))
        help_text.append(f"{words} over time: {glossary.variation_meaning(result.variation)}")
        # assurance compares the target with the limits of a stable process; while the
        # process is changing (special cause) those limits do not describe it, so no badge
        if result.variation == "common" and result.assurance in ASSURANCE_BADGES:
            words = glossary.ASSURANCE[result.assurance]
            if not compact:
                parts.append(_badge(*ASSURANCE_BADGES[result.assurance], words))
            help_text.append(f"{words}: {glossary.MEANING[words]}")
    elif result.coarse:
        parts.append(_badge("gray", "show_chart", glossary.RUN_CHART))
        help_text.append(
            f"{glossary.RUN_CHART} ({result.coarse}): {glossary.MEANING[glossary.RUN_CHART]}"
        )
    elif result.held("spc") is not None and result.latest is not None:
        help_text.append(f"{glossary.TOO_FEW_POINTS}.")
    st.markdown(" ".join(parts), help="  \n".join(help_text))


def change_line(
    result: MeasureResult, change: measures.Change, against: str, over_time: bool = False
) -> str:
    """'↗ Better than August 2026 (76.0%)': an arrow only where the figure really moved.
    With `over_time`, a real change over time leads the same sentence, so the card never
    says 'Improving' beside 'no significant change' without joining the two."""
    m = result.measure
    if change.word not in glossary.CHANGE:
        return f"{CHANGE_ICONS[None]} No comparison with {against}"
    words = (
        f"{glossary.CHANGE[change.word]} {change.label} "
        f"({fmt.value(change.earlier, m.unit, m.decimals)})"
    )
    sign = (1 if change.diff > 0 else -1) if change.word in glossary.MOVED else 0
    if over_time and has_limits(result) and result.variation != "common":
        words = f"{glossary.variation(result.variation)} over time; {words[0].lower()}{words[1:]}"
    return f"{CHANGE_ICONS[sign]} {words}"


def _big_value(result: MeasureResult) -> str:
    m, latest = result.measure, result.latest
    if latest is None:
        return summary.standing(result)
    if latest["suppressed"]:
        return suppression.hidden_text(latest, result.min_base).capitalize()
    return fmt.value(latest["value"], m.unit, m.decimals)


def _target_line(result: MeasureResult) -> str:
    latest, m = result.latest, result.measure
    if result.absent:
        return result.absent.split(": ", 1)[-1].capitalize()
    if latest is None or fmt.missing(latest["target"]):
        return "No target set"
    target = fmt.value(latest["target"], m.unit, 0 if latest["target"] % 1 == 0 else m.decimals)
    better = "higher is better" if m.better == "higher" else "lower is better"
    kind = "Default target" if result.default_target else "Target"
    return f"{kind} {target} ({better})" + (f" · {result.distance}" if result.distance else "")


def _details_link(m) -> None:
    """The link from a card to the measure's own page."""
    st.page_link(
        PAGES["measure"],
        label="Details and breakdown",
        icon=":material/query_stats:",
        query_params={"measure": m.title},
    )


def measure_card(
    result: MeasureResult,
    compact: bool = False,
    link: bool = True,
    notes=None,
    revised: str | None = None,
    place: str = "",
    peer: list[str] | None = None,
) -> None:
    """One measure: figure, RAG, target and distance, direction of travel, the sentence,
    the comparison with similar councils (`peer`: its lines, from engine/peers.py),
    commentary (or a flag that a red or amber figure has none)."""
    m = result.measure
    with st.container(border=True, key=f"card-{m.id}" + (f"--{place}" if place else "")):
        st.markdown(f"**{m.title}**", help=m.definition)
        st.markdown(f"<p style='{VALUE_STYLE}'>{_big_value(result)}</p>", unsafe_allow_html=True)
        badges(result, compact)
        if not result.has_figure:
            st.caption(_target_line(result) if result.absent else result.sentence)
            if link:
                _details_link(m)
            return
        if revised:
            st.markdown(
                f":violet-badge[:material/history: Revised since reported to committee: {revised}]"
            )
        st.caption(_target_line(result))
        st.markdown(change_line(result, result.vs_previous, "the previous period", True))
        same = result.vs_last_year.label and result.vs_last_year.label == result.vs_previous.label
        if not compact and not same:
            # by financial year, the previous period is the same period last year
            st.markdown(change_line(result, result.vs_last_year, "the same period last year"))
            st.markdown(result.sentence)
        if peer:  # text from the peers file (a group's name) is shown as typed: sanitised
            icons = [":material/leaderboard:"] + [":material/info:"] * (len(peer) - 1)
            st.caption("  \n".join(f"{i} {fmt.plain(line)}" for i, line in zip(icons, peer)))
        for caveat in result.notes:
            st.caption(f":material/info: {caveat}")
        if notes is not None:
            commentary_block(notes, notes.for_result(result), compact)
        if link:
            _details_link(m)


def card_grid(
    ctx,
    results: list[MeasureResult],
    columns: int = 3,
    compact: bool = False,
    revised: dict | None = None,
    place: str = "",
    seen: set | None = None,
) -> None:
    """Cards in rows of `columns`, each with its commentary and any revision since it was
    reported to committee; measures the data cannot give are listed after them, by reason.
    A measure already in `seen` (drawn under an earlier pillar: a strategy may list it under
    two) has its card keyed apart by `place`, the pillar id."""
    shown = [r for r in results if not r.absent]
    for start in range(0, len(shown), columns):
        cols = st.columns(columns)
        for col, result in zip(cols, shown[start : start + columns]):
            with col:
                measure_card(
                    result,
                    compact=compact,
                    notes=ctx.notes,
                    revised=(revised or {}).get(result.measure.id),
                    place=place if seen is not None and result.measure.id in seen else "",
                    peer=peers.card_lines(
                        peers.for_result(ctx.database, result, ctx.targets, ctx.settings)
                    ),
                )
                if seen is not None:
                    seen.add(result.measure.id)
    absent_list(results)


def absent_list(results: list[MeasureResult]) -> None:
    """The measures the data cannot give, by reason: 'Not supplied: no returns extract:
    Customer care training completed; Contractor standards checks passed.'"""
    for reason, titles in summary.absent_groups(results).items():
        st.markdown(f":material/block: **{reason}:** {'; '.join(titles)}.")


def status_counts(ctx, results: list[MeasureResult], per_row: int = 4) -> None:
    """How many measures are on target, near, off, or not rated (icon, word, count); the
    measures with no figure are counted apart and said why."""
    counts = summary.tally(results)
    cols = [c for _ in range(0, 4, per_row) for c in st.columns(per_row)]
    for col, rag in zip(cols, ("green", "amber", "red", "none")):
        col.metric(f":material/{RAG_ICONS[rag]}: {RAG_WORDS[rag]}", counts.get(rag, 0), border=True)
    apart = summary.without_figures(results)
    if apart:
        st.caption(apart)


def summary_and_attention(ctx, sections, grouped: bool = True) -> None:
    """The first screen: the status counts and what needs attention; a long list sits
    beside the counts (stacked on the right), so it stays above the fold at 1440 x 900."""
    everything = [r for _, results in sections for r in results]
    if len(summary.attention(everything)) <= SHORT_ATTENTION:
        status_counts(ctx, everything)
        return attention(sections, grouped)
    left, right = st.columns([4, 1], gap="medium")
    with right:
        status_counts(ctx, everything, per_row=1)
    with left:
        attention(sections, grouped)


SHORT_ATTENTION = 6  # lines that fit under a row of counts at 1440 x 900


def attention(sections, grouped: bool = True) -> None:
    """'What needs attention': each measure off target, near target, or on target but getting
    worse, as one line in words with a link to its detail, grouped by pillar."""
    a11y.section_heading("What needs attention", "attention")
    lines = [(title, summary.attention(results)) for title, results in sections]
    if not any(flagged for _, flagged in lines):
        st.markdown(
            ":material/check_circle: Nothing this period: every measure with a figure "
            "to judge is on target, and none is getting worse over time."
        )
        return
    blocks = []
    for title, flagged in lines:
        rows = [
            f"{attention_badge(r)} [{r.measure.title}]"
            f"({app_state.link('measure', measure=r.measure.title)}): "
            f"{summary.attention_words(r)}"
            for r in flagged
        ]
        if rows:
            blocks.append("  \n".join(([f"**{title}**"] if grouped else []) + rows))
    st.markdown("\n\n".join(blocks))


def attention_badge(r: MeasureResult) -> str:
    reason = summary.attention_reason(r)
    icon = RAG_ICONS[r.rag] if reason in ("red", "amber") else "trending_down"
    colour = BADGE_COLOURS.get(reason, "orange")
    return _badge(colour, icon, summary.ATTENTION[reason])


def slide_card(result: MeasureResult) -> None:
    """A measure on a presentation slide: figure, status, target, change, the sentence and
    caveats, compact enough to sit beside its chart at 1280 x 720 (the commentary goes
    under the chart)."""
    st.markdown(f"<p style='{VALUE_STYLE}'>{_big_value(result)}</p>", unsafe_allow_html=True)
    badges(result, compact=True)
    if not result.has_figure:
        st.markdown(_target_line(result) if result.absent else result.sentence)
        return
    st.caption(_target_line(result))
    st.markdown(change_line(result, result.vs_previous, "the previous period", True))
    st.markdown(result.sentence)
    if result.notes:
        st.caption(" ".join(f":material/info: {n}" for n in result.notes))


def owners_commentary(ctx, results: list[MeasureResult]) -> None:
    """For measure owners (not the committee's slides or papers): the red and amber measures
    still without approved commentary."""
    if ctx.visitor.public:
        return
    missing = [r.measure.title for r in results if ctx.notes.needs_commentary(r)]
    if not missing:
        return
    with st.expander(
        f"For measure owners: {len(missing)} red or amber measure"
        f"{'s' if len(missing) > 1 else ''} without approved commentary",
        icon=":material/chat_error:",
    ):
        st.markdown(
            "Each red or amber measure should say what explains the figure and what "
            "is being done about it, approved for publication (an editor writes it "
            "on the measure's detail page, or it comes in commentary.csv). Still to "
            "write or approve: "
            f"{'; '.join(missing)}."
        )


def scorecard_table(ctx, sections, revised: dict | None = None) -> None:
    """Every measure on one screen: figure, target, status (word, and a tint), whether it
    is really changing, commentary, and a link to its detail that keeps the filters."""
    frame = summary.table(ctx.notes, sections, revised)
    frame["Details"] = [app_state.link("measure", measure=m) for m in frame["Measure"]]
    shown = [c for c in frame.columns if c not in ("measure_id", "rag", "Details")]
    shown.insert(2, "Details")  # beside the measure, so it never scrolls out of view
    tints = dict(zip(frame.index, frame["rag"].map(STATUS_TINTS)))
    styled = frame.style.apply(lambda col: [tints[i] for i in col.index], subset=["Status"])
    st.dataframe(
        styled,
        hide_index=True,
        column_order=shown,
        key="scorecard-table",
        height=min(38 + 35 * len(frame), 1100),
        column_config={
            **{c: st.column_config.Column(width=w) for c, w in TABLE_WIDTHS.items()},
            "Details": st.column_config.LinkColumn(
                "Details",
                display_text="Open",
                width=55,
                help="The measure's trend and breakdown, with these filters",
            ),
        },
    )
    download_csv(summary.tidy(sections), "scorecard", "scorecard")


VIEW_KEY = "csv_view"  # session state: the filters and as-at date downloads describe


def set_view(filters: Filters, as_at) -> None:
    """Remember the view this run shows, so every download can say which it came from."""
    st.session_state[VIEW_KEY] = (filters, as_at)


def download_csv(frame: pd.DataFrame, name: str, key: str, ignores=(), view: bool = True) -> None:
    """A CSV download of what a chart or table shows, as tidy data: the view's reporting
    period, grain, services, channels and as-at date as columns (`view=False` for tables
    that are not figures, such as rejected rows); `ignores` names filters it is not split
    by."""
    shown = st.session_state.get(VIEW_KEY) if view else None
    columns = exports.view_columns(*shown, ignores) if shown else None
    # written when it is clicked, not on every run: most views download nothing
    st.download_button(
        "Download CSV",
        lambda: exports.safe_csv(exports.tidy(frame, columns)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def not_split_note(ignores: dict) -> None:
    """'Not split by channel: calls are phone contacts.' under a chart that cannot follow a
    filter that is on (`ignores` maps the filter to why)."""
    for dimension, why in ignores.items():
        st.caption(f":material/filter_alt_off: Not split by {dimension}: {why}.")


def chart_block(
    title: str,
    figure,
    table: pd.DataFrame,
    alt: str,
    key: str,
    show_title: bool = True,
    ignores: dict | None = None,
    stretch: bool = False,
    level: int = 3,
    toolbar: bool = True,
    note: str = "",
) -> None:
    """Title stating the finding, the chart (with alt text), its data table and a CSV; a
    note when the chart cannot follow a filter that is on, and `note` under the chart (what
    a reader might otherwise take for a contradiction). `level=2` where no heading comes
    between the chart and the page title (drawn the same size); `toolbar=False` on a slide,
    so there is no Plotly toolbar to Tab through."""
    with st.container(border=True, key=f"chart-{key}"):
        if show_title:
            (st.header if level == 2 else st.subheader)(title)
        not_split_note(ignores or {})
        if one_bar(figure):  # a chart of one bar says nothing its title does not
            st.caption(
                ":material/bar_chart_off: One item only with these filters, so no "
                "chart: the figures are in the table below."
            )
        elif no_bar(figure):  # every bar withheld (too few to show) or nought: an empty frame
            st.caption(
                ":material/bar_chart_off: Nothing to draw with these filters: every figure "
                "is withheld or nought. The table below gives each, and why."
            )
        else:
            st.plotly_chart(
                figure,
                theme=None,
                key=f"fig-{key}",
                alt=alt,
                config=exports.plotly_config(key) | ({} if toolbar else {"displayModeBar": False}),
                height="stretch" if stretch else "content",
            )
        if note:
            st.caption(f":material/info: {note}")
        with st.expander("Data table"):
            st.dataframe(table, hide_index=True)
            download_csv(table, key, key, tuple(ignores or ()))


def one_bar(figure) -> bool:
    """True for a bar chart whose every series has a single bar."""
    data = getattr(figure, "data", ())
    return bool(data) and all(
        t.type == "bar" and _length(t.y if t.orientation == "h" else t.x) <= 1 for t in data
    )


def no_bar(figure) -> bool:
    """True for a bar chart with no bar to draw: every value blank or nought (a withheld
    part is drawn as nought, its hover saying why)."""
    data = getattr(figure, "data", ())
    return bool(data) and all(
        t.type == "bar"
        and not any(v for v in (t.x if t.orientation == "h" else t.y) or () if v == v)
        for t in data
    )


def _length(values) -> int:
    return 0 if values is None else len(values)


def page_path(page_id: str):
    """The registered st.Page for a page id (pillar id, 'overview', 'data')."""
    return PAGES[page_id]
