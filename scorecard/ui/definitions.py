"""The Data and definitions page's content: coverage, rejects, measure definitions, contracts.

Everything here is rendered from the same declarations the loader and engine use (the
contracts, the catalogue and the SQL files), so the page cannot drift from the code.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ..contracts import BY_NAME, EXTRACTS
from ..engine import db, fmt, glossary, method
from .components import download_csv

INTRO = (
    "Where the figures come from: each extract's coverage and freshness, the rows that "
    "could not be loaded and why, and how every measure is calculated."
)
STATUS_WORDS = {
    "loaded": "Loaded",
    "missing": "Not supplied (no file)",
    "not supplied": "Not supplied (mapping)",
    "failed": "Could not be read",
    "refused": "Refused: too many rows rejected",
}
TYPE_WORDS = {
    "text": "text",
    "enum": "one of a list",
    "int": "whole number",
    "float": "number",
    "bool": "Y or N",
    "date": "date",
    "timestamp": "date and time",
}


def _freshness(extract: str, last: str | None) -> str:
    """Days since the latest record, for activity extracts (plans and targets look ahead)."""
    if not BY_NAME[extract].activity:
        return "not applicable"
    if fmt.missing(last) or not last:
        return "no rows"
    days = (date.today() - date.fromisoformat(last)).days
    return f"{days} days old"


def extract_table(ctx) -> pd.DataFrame:
    """One row per extract: file, rows read, loaded, rejected, date range and freshness (in
    public mode without file names and load messages)."""
    loads = ctx.database.table("loads")
    rows = []
    for r in loads.itertuples(index=False):
        absent = r.status in ("missing", "not supplied")
        rows.append(
            {
                "Extract": r.extract,
                "File": "" if fmt.missing(r.file) else r.file,
                "Status": STATUS_WORDS.get(r.status, r.status),
                **{
                    label: "" if absent else _count(value)
                    for label, value in (
                        ("Rows read", r.rows_read if fmt.missing(r.staged) else r.staged),
                        ("Loaded", r.loaded),
                        ("Excluded by design", r.excluded),
                        ("Rejected", r.rejected),
                    )
                },
                "From": _day(r.first_date),
                "To": _day(r.last_date),
                "Latest record": "" if absent else _freshness(r.extract, r.last_date),
                "Notes": r.message,
            }
        )
    frame = pd.DataFrame(rows)
    return frame.drop(columns=["File", "Notes"]) if ctx.visitor.public else frame


def _day(value) -> str:
    return "" if fmt.missing(value) or not value else fmt.long_date(date.fromisoformat(value))


def _listed(items) -> str:
    """A list cell as text ('' when there is none)."""
    return "" if items is None or fmt.missing(items) else ", ".join(str(i) for i in items)


def _count(value) -> str:
    return "" if fmt.missing(value) else f"{int(value):,}"


def exclusions_section(ctx) -> None:
    """Rows left out by design, counted by extract and reason."""
    counts = ctx.database.table("exclusions_by_reason")
    if counts.empty:
        st.caption("No row was left out by design.")
        return
    st.markdown(
        "Rows the mapping says to leave out: codes that mean no answer (such as 9 = "
        "don't know), and rows a staging query leaves out with a reason. They are not "
        "errors, and they are counted here so that every row read is accounted for."
    )
    if not ctx.visitor.can_administer:  # line numbers and files are for administrators
        counts = counts.drop(columns=["file", "example_lines"])
    else:
        counts = counts.assign(example_lines=counts["example_lines"].map(_listed))
    st.dataframe(
        counts.rename(
            columns={
                "extract": "Extract",
                "file": "File",
                "column_name": "Column",
                "reason": "Reason",
                "rows": "Rows",
                "example_lines": "Example lines",
            }
        ),
        hide_index=True,
    )


def rejects_section(ctx) -> None:
    """Rejected rows by extract and reason; for administrators, example line numbers and
    values, and every rejected row as CSV."""
    summary = ctx.database.table("rejects_by_reason")
    if summary.empty:
        st.success(
            "No row was rejected: every row read was loaded or left out by design.",
            icon=":material/check_circle:",
        )
        return
    if not ctx.visitor.can_administer:
        st.dataframe(
            summary[["extract", "column_name", "reason", "problems"]].rename(
                columns={
                    "extract": "Extract",
                    "column_name": "Column",
                    "reason": "Reason",
                    "problems": "Rows",
                }
            ),
            hide_index=True,
        )
        st.caption(
            "Which rows, with their line numbers and values, is for the dashboard's administrators."
        )
        return
    for column in ("example_lines", "example_values"):
        summary[column] = summary[column].map(_listed)
    st.dataframe(
        summary.rename(
            columns={
                "extract": "Extract",
                "file": "File",
                "column_name": "Column",
                "reason": "Reason",
                "problems": "Rows",
                "example_lines": "Example lines",
                "example_values": "Example values",
            }
        ),
        hide_index=True,
    )
    download_csv(ctx.database.table("rejects"), "rejected-rows", "rejects", view=False)


def warnings_section(ctx) -> None:
    """Rows loaded that refer to measures or pillars the configuration does not know."""
    warnings = ctx.refresh.get("warnings") or []
    for warning in warnings:
        st.warning(warning, icon=":material/warning:")
    if not warnings:
        st.caption(
            "Every target, return, action, event and commentary refers to a measure "
            "and pillar the configuration knows."
        )


def refresh_button(ctx) -> bool:
    """For administrators, a button to look for new or changed extracts now (otherwise
    checked every 30 s)."""
    built = f"database built {ctx.refresh.get('built_at', '')}"
    if not ctx.visitor.can_administer:
        st.caption(f"Figures from the {built}; new extracts are looked for every 30 seconds.")
        return False
    st.caption(
        f"Extracts: {ctx.settings.folder_label} · last checked "
        f"{ctx.refresh.get('checked_at', '')} · {built}"
    )
    return st.button("Check for new data now", icon=":material/refresh:", key="refresh")


def audit_section(ctx) -> None:
    """For administrators: the audit log (freezes, unfreezes, commentary approved)."""
    rows = ctx.app.audit()
    if not rows:
        st.caption("Nothing has been frozen, unfrozen or approved yet.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "When (UTC)": r["at"].replace("T", " ").replace("+00:00", ""),
                    "Who": r["who"],
                    "What": r["action"],
                    "Period": r["detail"].get("period", ""),
                    "Grain": r["detail"].get("grain", ""),
                    "Services": ", ".join(r["detail"].get("services", [])) or "",
                    "Channels": ", ".join(r["detail"].get("channels", [])) or "",
                    "Measure": r["detail"].get("measure", ""),
                    "Reason": r["detail"].get("reason", ""),
                }
                for r in rows
            ]
        ),
        hide_index=True,
    )


def judging_section(ctx) -> None:
    """How every figure is judged: rounding, last available, suppression, SPC, surveys."""
    for topic, rule in method.rules(ctx.settings):
        st.markdown(f"**{topic}.** {rule}")


def glossary_section() -> None:
    """Every word the cards, charts and papers use for status, change and variation."""
    st.caption(
        "Status says where the latest figure stands against its target; change "
        "compares it with one earlier period; variation over time says whether the "
        "whole series shows a real change."
    )
    st.table(glossary.frame().set_index("Words"))


def measure_definitions(ctx) -> None:
    """Each measure: definition, unit, polarity, source, minimum base and its SQL."""
    for pillar in ctx.strategy.pillars:
        st.subheader(pillar.title)
        for measure_id in pillar.measures:
            m = ctx.measure(measure_id)
            with st.expander(m.title):
                st.markdown(m.definition)
                better = "Higher is better" if m.better == "higher" else "Lower is better"
                st.markdown(
                    f"**Unit:** {m.unit.replace('_', ' ')} · **{better}** · "
                    f"**Source:** {m.source} · **Minimum base:** "
                    f"{m.min_base or ctx.settings.min_base}"
                )
                st.code(db.sql_text(m.sql), language="sql")


def contract_tables() -> None:
    """Each extract's columns, types and rules, from the contracts the loader enforces."""
    for extract in EXTRACTS:
        optional = " (optional)" if extract.optional else ""
        with st.expander(f"{extract.name}.csv{optional}: {extract.grain}"):
            st.markdown(extract.description)
            st.table(
                pd.DataFrame(
                    [
                        {
                            "Column": c.name,
                            "Type": TYPE_WORDS[c.type],
                            "Required": "yes" if c.required else "no",
                            "Allowed values": ", ".join(str(a) for a in c.allowed),
                            "Meaning": c.description,
                        }
                        for c in extract.columns
                    ]
                ),
                hide_index=True,
            )
