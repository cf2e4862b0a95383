"""The charts that explain each pillar, named in the strategy config (`charts = [...]`).

Each section asks one question (SQL in queries/<pillar>/), states the answer in its title,
and shows the chart, its table and a CSV. Generic entries need no code:
`spc:<measure>` draws a measure's SPC chart, `breakdown:<measure>:<by>` compares services,
channels, sites or contractors.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ..charts import measure as charts
from ..charts import pillars as figures
from ..engine import calendar as cal
from ..engine import coverage, fmt, groups, measures, summary, suppression, tables
from ..engine.suppression import protect, withhold
from . import app_state
from . import components as ui


def _span(filters):
    """The twelve months to the end of the reporting period."""
    return groups.span(filters)


def span_words(ctx, extract: str, start, end) -> str:
    """'twelve months to 30 September 2026', or the days the extract covers within them
    ('3 August 2026 to 30 September 2026') when it covers less."""
    first, last = coverage.covered_span(ctx.coverage, extract, start, end)
    if (first, last) == (start, end):
        return f"twelve months to {fmt.long_date(end)}"
    return f"{fmt.long_date(first)} to {fmt.long_date(last)}"


def _scope(filters, channels: bool = True) -> dict:
    return filters.params(("service", "channel") if channels else ("service",))


COUNCIL_WIDE = "the resident survey asks about the council as a whole"


def council_wide(filters) -> dict:
    """The notes for a chart of the council-wide resident survey while filters are on."""
    return {
        d: COUNCIL_WIDE
        for d, picked in (("service", filters.services), ("channel", filters.channels))
        if picked
    }


def not_split(results) -> dict:
    """The notes for a chart of several measures, some of which cannot follow a filter that
    is on: 'satisfaction of non-digital contacts covers every channel'."""
    notes = {}
    for dimension, whole in (("service", "the council as a whole"), ("channel", "every channel")):
        titles = [r.measure.title.lower() for r in results if dimension in r.ignored_filters]
        if titles:
            verb = "covers" if len(titles) == 1 else "cover"
            notes[dimension] = f"{' and '.join(titles)} {verb} {whole}"
    return notes


def _channels_ignored(filters, channel: str, what: str) -> dict:
    """The note for a chart of one channel's contacts while a channel filter is on."""
    if not filters.channels:
        return {}
    words = app_state.CHANNEL_WORDS[channel].lower()
    return {"channel": f"{what} are {words} contacts, shown whatever channels are chosen"}


def channel_mix(ctx, filters) -> None:
    """How residents get in touch: each channel's share of contacts over time."""
    frame = ctx.database.query(
        "access/contacts_by_channel_by_period",
        grain=filters.grain,
        start=filters.start,
        end=filters.end,
        **_scope(filters),
    )
    if frame.empty:
        return
    frame["share"] = (
        100 * frame["contacts"] / frame.groupby("period_start")["contacts"].transform("sum")
    )
    # a channel's share of few contacts is withheld: with the period's total (from the calls
    # chart's phone contacts and phone's share) it would give the count back
    frame = withhold(
        frame,
        ctx.settings.min_base,
        counts=["contacts"],
        derived=["share"],
        summed=["contacts"],
        by="period_start",
        note="note",
    )  # shares add to 100
    first, last = frame["period_start"].min(), frame["period_start"].max()
    words = app_state.CHANNEL_WORDS

    periods, channels = frame["period_start"].to_numpy(), frame["channel"].to_numpy()
    shares = frame["share"].to_numpy(dtype=float, na_value=np.nan)

    def share(period, names):
        rows = shares[(periods == period) & np.isin(channels, names)]
        if np.isnan(rows).any():  # a part withheld: the sum would give it back
            return "a share not shown"
        return fmt.value(rows.sum(), "percent", 0)

    label = lambda p: cal.period_label(pd.Timestamp(p).date(), filters.grain)  # noqa: E731
    digital = list(ctx.settings.digital_channels)
    title = (
        f"Phone went from {share(first, ['phone'])} of contacts in {label(first)} to "
        f"{share(last, ['phone'])} in {label(last)}; {ctx.settings.digital_words[4:]} "
        f"from {share(first, digital)} to {share(last, digital)}"
    )
    table = frame.pivot(index="period_start", columns="channel", values="share").round(1)
    table = table.rename(columns=words).reset_index()
    table.insert(0, "Period", [label(p) for p in table.pop("period_start")])
    withheld = frame[frame["note"] != ""]
    notes = (
        (withheld["channel"].map(lambda c: words.get(c, c)) + ": " + withheld["note"])
        .groupby(withheld["period_start"])
        .agg("; ".join)
    )
    table["Note"] = [notes.get(p, "") for p in sorted(frame["period_start"].unique())]
    alt = f"Stacked area chart of each channel's share of contacts by period. {title}."
    ui.chart_block(
        title,
        figures.stacked_shares(frame, "period_start", "channel", "share", words, normalise=False),
        table,
        alt,
        "channel-mix",
        note=(
            "Shares of contacts by the channel they came in on. Digital take-up also counts "
            "contacts where staff helped a resident online (assisted digital), so it can be "
            f"higher than the share that came in on {ctx.settings.digital_words} shown here."
        ),
    )


def calls_by_period(ctx, filters) -> None:
    """Calls offered, answered and abandoned, with the service level."""
    frame = ctx.database.query(
        "access/calls_by_period",
        grain=filters.grain,
        start=filters.start,
        end=filters.end,
        services=list(filters.services) or None,
    )
    if frame.empty:
        return
    base = ctx.settings.min_base
    table = withhold(
        pd.DataFrame(
            {
                "Period": [
                    cal.period_label(pd.Timestamp(p).date(), filters.grain)
                    for p in frame["period_start"]
                ],
                "Calls offered": frame["offered"],
                "Answered within 60 s": frame["answered_within_60s"],
                "Answered later": frame["answered_later"],
                "Abandoned": frame["abandoned"],
                "Service level %": frame["service_level"].round(1),
            }
        ),
        base,
        bases=["Calls offered"],
        counts=CALL_PARTS,
        derived={"Service level %": CALL_PARTS[:1]},
        total=("Calls offered", CALL_PARTS),
    )
    drawn = frame.assign(
        **{c: table[t].to_numpy() for c, t in zip(CALL_COLUMNS, CALL_PARTS)},
        service_level=table["Service level %"].to_numpy(),
    )
    last, shown = frame.iloc[-1], table.iloc[-1]
    period = cal.period_label(pd.Timestamp(last["period_start"]).date(), filters.grain)
    level, abandoned = (
        suppression.rate(last[c], last["offered"], base)
        for c in ("answered_within_60s", "abandoned")
    )
    parts = [
        f"{v:.1f}% {words}"
        for v, words, cell in (
            (level, "answered within 60 seconds", shown["Answered within 60 s"]),
            (abandoned, "abandoned", shown["Abandoned"]),
        )
        if not (pd.isna(v) or pd.isna(cell))
    ]
    title = f"{suppression.count_text(last['offered'], base, 'call')} in {period}" + (
        ": " + ", ".join(parts) if parts else ""
    )
    ui.chart_block(
        title,
        figures.calls(drawn),
        table,
        f"Stacked bars of calls by period with the service level as a line. {title}.",
        "calls",
        ignores=_channels_ignored(filters, "phone", "calls"),
    )


CALL_COLUMNS = ("answered_within_60s", "answered_later", "abandoned")
CALL_PARTS = ["Answered within 60 s", "Answered later", "Abandoned"]


def demand_heatmap(ctx, filters) -> None:
    """When residents call and visit: average contacts a day by weekday and hour, over the
    days of the twelve months that the contacts extract covers."""
    start, end = coverage.covered_span(ctx.coverage, "contacts", *_span(filters))
    if start > end:
        return
    frame = ctx.database.query(
        "access/contacts_by_weekday_and_hour", start=start, end=end, **_scope(filters)
    )
    if frame.empty:
        return
    table = frame.assign(
        Weekday=[figures.WEEKDAYS[int(d) - 1] for d in frame["weekday"]],
        Hour=[f"{int(h):02d}:00" for h in frame["hour_of_day"]],
    )
    table = (
        table[["Weekday", "Hour", "contacts", "per_day"]]
        .rename(columns={"contacts": "Contacts", "per_day": "Average a day"})
        .round(1)
    )
    # an hour of the week with few contacts over the year: its count and daily average withheld
    table = withhold(table, ctx.settings.min_base, counts=["Contacts"], derived=["Average a day"])
    frame = frame.assign(per_day=table["Average a day"].to_numpy())
    busiest = frame.sort_values("per_day", na_position="first").iloc[-1]
    covered = ctx.coverage.extract("contacts").scope.get("channels")
    shown = filters.channels or [
        c for c in ("phone", "face_to_face") if not covered or c in covered
    ]
    who = " and ".join(app_state.CHANNEL_WORDS[c].lower() for c in shown)
    title = (
        f"Busiest hour for {who}: {figures.WEEKDAYS[int(busiest['weekday']) - 1]} "
        f"{int(busiest['hour_of_day']):02d}:00, about "
        f"{fmt.plural(busiest['per_day'], ('contact', 'contacts'), _day_decimals(busiest))}"
        " a day"
    )
    ui.chart_block(
        f"{title} ({span_words(ctx, 'contacts', *_span(filters))})",
        figures.heatmap(frame),
        table,
        f"Heatmap of average contacts a day by weekday and hour. {title}.",
        "demand",
    )


def _centres(ctx, filters) -> pd.DataFrame:
    start, end = _span(filters)
    return ctx.database.query(
        "access/face_to_face_by_service_centre",
        start=start,
        end=end,
        services=list(filters.services) or None,
    )


def service_centres(ctx, filters) -> None:
    """Face-to-face visits and waits at each service centre."""
    start, end = _span(filters)
    frame = _centres(ctx, filters)
    if frame.empty:
        return
    table = withhold(
        frame.rename(columns=CENTRE_WORDS).round(1),
        ctx.settings.min_base,
        bases=["Visits"],
        derived=["Average wait (minutes)"],
    )
    frame = frame.assign(
        visits=table["Visits"].to_numpy(), average_wait=table["Average wait (minutes)"].to_numpy()
    )
    busiest = frame.iloc[0]
    slowest = frame.sort_values(
        ["average_wait", "site"], ascending=[False, True], na_position="last"
    ).iloc[0]
    title = (
        f"{busiest['site']} is the busiest centre "
        f"({suppression.count_text(busiest['visits'], ctx.settings.min_base, 'visit')})"
    )
    if fmt.missing(slowest["average_wait"]):  # every centre's wait withheld
        title += "; waits are not shown on so few visits"
    else:
        title += (
            f" and has the longest average wait ({slowest['average_wait']:.1f} minutes)"
            if slowest["site"] == busiest["site"]
            else f"; the longest average wait is at {slowest['site']} "
            f"({slowest['average_wait']:.1f} minutes)"
        )
    ui.chart_block(
        f"{title} ({span_words(ctx, 'contacts', start, end)})",
        figures.grouped_bars(frame, "site", "visits", "count"),
        table,
        f"Bar chart of visits by service centre. {title}.",
        "centres",
        ignores=_channels_ignored(filters, "face_to_face", "visits"),
    )


CENTRE_WORDS = {
    "site": "Service centre",
    "visits": "Visits",
    "average_wait": "Average wait (minutes)",
}


def _avoidable(ctx, filters) -> pd.DataFrame:
    start, end = _span(filters)
    return ctx.database.query(
        "access/avoidable_contact_by_service_and_reason", start=start, end=end, **_scope(filters)
    )


def avoidable_reasons(ctx, filters) -> None:
    """Why contacts were avoidable, by service: what to fix first."""
    start, end = _span(filters)
    frame = _avoidable(ctx, filters)
    if frame.empty:
        return
    frame["share"] = 100 * frame["avoidable"] / frame["classified"]
    table = withhold(
        frame.rename(columns=AVOIDABLE_WORDS).round(1),
        ctx.settings.min_base,
        bases=["Contacts classified"],
        counts=["Avoidable contacts"],
        derived=["Share of classified %"],
    )
    frame = frame.assign(share=table["Share of classified %"].to_numpy())
    top = frame.groupby("reason")["avoidable"].sum().sort_values().index[-1]
    worst = frame.groupby("service")["share"].sum().sort_values().index[-1]
    title = (
        f"The commonest avoidable contact is {top.lower()}; {worst} has the most avoidable contact"
    )
    ui.chart_block(
        f"{title} ({span_words(ctx, 'contacts', start, end)})",
        figures.stacked_bars(frame, "service", "reason", "share", "percent"),
        table,
        f"Stacked bars of avoidable contact as a share of contacts classified, by "
        f"service and reason. {title}.",
        "avoidable",
    )


AVOIDABLE_WORDS = {
    "service": "Service",
    "reason": "Reason",
    "avoidable": "Avoidable contacts",
    "classified": "Contacts classified",
    "share": "Share of classified %",
}


def guardrail(ctx, filters) -> None:
    """Channel shift that leaves people behind shows here: digital take-up beside the
    satisfaction of those who did not go online, and of older and disabled online users."""
    ids = ("digital_takeup", "nondigital_satisfaction", "older_disabled_online_satisfaction")
    # survey samples of older and disabled online users are small each month: by quarter
    by = replace(filters, grain="quarter") if filters.grain == "month" else filters
    results = ui.results_for(ctx, ids, by)
    parts = []
    for r in results:
        if r.latest is not None and not r.latest["suppressed"]:
            parts.append(f"{r.measure.title.lower()} {fmt.value(r.latest['value'], 'percent', 0)}")
    title = (
        (
            f"Digital take-up beside those it could leave behind ({results[0].latest['label']}"
            f"): " + "; ".join(parts)
        )
        if results[0].latest is not None
        else "Digital take-up beside those it could leave behind"
    )
    series = {r.measure.title: r.series for r in results}
    table = tables.figures_by_period(results)
    ui.chart_block(
        title,
        figures.lines(series),
        table,
        f"Line chart of three measures over time. {title}.",
        "guardrail",
        ignores=not_split(results),
    )


def _day_decimals(row) -> int:
    """Whole contacts a day, or one decimal place below 1 (never 'about 0 contacts')."""
    return 0 if row["per_day"] >= 1 else 1


def resolution_days_by_service(ctx, filters) -> None:
    """How long cases take, by service: the typical case and the slow end."""
    tables = {
        q: measures.breakdown(
            ctx.database, ctx.measure(q), filters, ctx.targets, "service", ctx.settings.min_base
        )
        for q in ("days_to_resolve_median", "days_to_resolve_p90")
    }
    median, p90 = tables["days_to_resolve_median"], tables["days_to_resolve_p90"]
    if median.empty:
        return
    frame = (
        median[["service", "value"]]
        .merge(p90[["service", "value"]], on="service", suffixes=("_median", "_p90"))
        .dropna()
    )
    if frame.empty:  # every service too small to show with these filters
        return
    frame = frame.sort_values("value_p90", ascending=False)
    slow = frame.iloc[0]
    lead = f"Slowest: {slow['service']}" if len(frame) > 1 else slow["service"]
    title = (
        f"{lead}, typically {slow['value_median']:.0f} working days, "
        f"nine in ten within {slow['value_p90']:.0f} ({median['label'].iloc[0]})"
    )
    table = frame.rename(
        columns={
            "service": "Service",
            "value_median": "Median working days",
            "value_p90": "90th percentile working days",
        }
    ).round(1)
    ui.chart_block(
        title,
        figures.ranges(
            frame,
            "service",
            "value_median",
            "value_p90",
            "working_days",
            "Median",
            "90th percentile",
        ),
        table,
        f"Range chart of working days to resolve by service. {title}.",
        "resolution-days",
    )


def multi_vs_single(ctx, filters) -> None:
    """Do cases that need several services get the same standard as simple ones?"""
    base = ctx.measure("cases_within_standard")
    results = {}
    for key, name in (("single", "One service"), ("multi", "Several services")):
        measure = replace(
            base, id=f"cases_within_standard_{key}", params={"services_involved": key}
        )
        results[name] = measures.compute(
            ctx.database, measure, filters, ctx.targets, ctx.settings.min_base
        )
    single, multi = results["One service"].latest, results["Several services"].latest
    if single is None or multi is None:
        return
    # a withheld figure says so ('fewer than 10'), never 'no data'
    title = (
        f"Cases needing several services: {summary.figure(results['Several services'])} "
        f"within standard against {summary.figure(results['One service'])} for "
        f"single-service cases ({multi['label']})"
    )
    table = tables.figures_by_period(
        list(results.values()), [fmt.with_unit(n, base.unit) for n in results]
    )
    ui.chart_block(
        title,
        figures.lines({n: r.series for n, r in results.items()}),
        table,
        f"Line chart comparing two groups of cases over time. {title}.",
        "multi-single",
    )


def _backlog(ctx, filters) -> pd.DataFrame:
    return ctx.database.query("end_to_end/open_cases_by_age_band", **_scope(filters))


def backlog(ctx, filters) -> None:
    """The backlog: open cases by service and how long they have been open."""
    frame = _backlog(ctx, filters)
    if frame.empty:
        return
    base = ctx.settings.min_base
    total, past = int(frame["open_cases"].sum()), int(frame["past_standard"].sum())
    worst = frame.groupby("service")["past_standard"].sum().sort_values().index[-1]
    share = suppression.rate(past, total, base)
    title = (
        f"{suppression.count_text(total, base, 'case')} open at "
        f"{fmt.long_date(ctx.as_at)}; {suppression.count_text(past, base)}"
        + ("" if pd.isna(share) else f" ({share:.0f}%)")
        + f" already past their standard, most in {worst}"
    )
    # a service's cases in one age band: few open withholds the band's counts
    table = withhold(
        frame.drop(columns="band_order").rename(
            columns={
                "service": "Service",
                "age_band": "Working days open",
                "open_cases": "Open cases",
                "past_standard": "Past their standard",
            }
        ),
        base,
        bases=["Open cases"],
        counts=["Past their standard"],
        summed=["Open cases", "Past their standard"],
    )
    frame = frame.assign(open_cases=table["Open cases"].to_numpy())
    ui.chart_block(
        title,
        figures.backlog(frame),
        table,
        f"Stacked bars of open cases by service and working days open. {title}.",
        "backlog",
    )


def _wards(ctx, filters) -> pd.DataFrame:
    start, end = _span(filters)
    return ctx.database.query("understanding/satisfaction_by_ward", start=start, end=end)


def ward_table(ctx, filters) -> None:
    """Resident satisfaction and trust by ward, sortable, with intervals."""
    start, end = _span(filters)
    raw = _wards(ctx, filters)
    if raw.empty:
        return
    sat = raw[raw["question"] == "satisfied_with_council"].reset_index(drop=True)
    sat["versus_rest"] = groups.versus_rest(sat)
    bounds = groups.intervals(sat)
    sat["value"], sat["low"], sat["high"] = bounds
    sat = protect(sat, ctx.settings.min_base)
    trust = raw[raw["question"] == "trust_council"].set_index("ward")
    sat["trust"] = [
        100 * trust.loc[w, "numerator"] / trust.loc[w, "denominator"]
        if w in trust.index and not s
        else None
        for w, s in zip(sat["ward"], sat["suppressed"])
    ]
    shown = sat[~sat["suppressed"]].sort_values("value")
    title = (
        (
            f"Satisfaction by ward: lowest in {shown.iloc[0]['ward']} "
            f"({shown.iloc[0]['value']:.0f}%), highest in {shown.iloc[-1]['ward']} "
            f"({shown.iloc[-1]['value']:.0f}%)"
        )
        if len(shown)
        else "Satisfaction by ward"
    )
    table = pd.DataFrame(
        {
            "Ward": sat["ward"],
            "Satisfied %": sat["value"].round(1),
            "Lower 95%": sat["low"].round(1),
            "Upper 95%": sat["high"].round(1),
            "Trust %": pd.to_numeric(sat["trust"]).round(1),
            "Answers": sat["base"],
            "Compared with other wards": sat["versus_rest"].map(
                {"lower": "Less satisfied", "higher": "More satisfied", "": ""}
            ),
            "Note": sat["suppressed_reason"].map(lambda r: f"Suppressed: {r}" if r else ""),
        }
    )
    ui.chart_block(
        f"{title} ({span_words(ctx, 'satisfaction', start, end)})",
        charts.intervals(sat.sort_values("value", ascending=False), "ward"),
        table,
        f"Dot chart of resident satisfaction by ward with 95% intervals. {title}.",
        "wards",
        ignores=council_wide(filters),
    )


SECTIONS = {
    "channel_mix": channel_mix,
    "calls_by_period": calls_by_period,
    "demand_heatmap": demand_heatmap,
    "service_centres": service_centres,
    "avoidable_reasons": avoidable_reasons,
    "guardrail": guardrail,
    "resolution_days_by_service": resolution_days_by_service,
    "multi_vs_single": multi_vs_single,
    "backlog": backlog,
    "ward_table": ward_table,
}

# The data steps of the sections whose queries are slow (live over the records): started
# side by side before the page draws (views.pillar_sections), so that while one waits on
# DuckDB another runs; the section then draws from the rows they fetched (query cache).
DATA = {
    "service_centres": _centres,
    "avoidable_reasons": _avoidable,
    "backlog": _backlog,
    "ward_table": _wards,
}
