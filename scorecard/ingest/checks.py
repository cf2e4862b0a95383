"""Turn an extract's contract into the DuckDB expressions that cast and check each cell.

Every check yields either NULL (fine) or a struct {column, value, reason}; a row with any
problem goes to the rejects table with all its reasons, so nothing is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..contracts import Column, Extract, Rule
from .mapping import NONE, ExtractMapping

SQL_TYPES = {
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
TIME_SUFFIXES = (" %H:%M:%S", " %H:%M", "T%H:%M:%S", "T%H:%M:%S.%f", " %H:%M:%S.%f")
EARLIEST_DEFAULT = date(2000, 1, 1)
DMY = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})"  # day-month-year or month-day-year


@dataclass(frozen=True)
class DateLimits:
    """The dates a row may carry: none before `earliest`, and none after `latest` (the day
    the data is loaded, plus a small tolerance) except deadlines and plans."""

    earliest: date = EARLIEST_DEFAULT
    latest: date | None = None
    loaded_on: date | None = None


# the words DuckDB's cast to BOOLEAN accepts, in any case (tests/test_checks.py holds it to them)
TRUE_WORDS = ("y", "yes", "true", "t", "1")
FALSE_WORDS = ("n", "no", "false", "f", "0")
REASONS = {
    "date": "is not a date (expected YYYY-MM-DD or DD/MM/YYYY)",
    "timestamp": "is not a date and time (expected YYYY-MM-DD HH:MM:SS or DD/MM/YYYY HH:MM)",
    "int": "is not a whole number",
    "float": "is not a number",
    "bool": "is not yes or no (expected Y, N, yes, no, true, false, 1 or 0)",
}


def quote(text: str) -> str:
    """A SQL string literal (for names and messages we generate, never for user values)."""
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _list(values) -> str:
    return "[" + ", ".join(quote(v) for v in values) + "]"


def source_value(col: Column, present: set[str], m: ExtractMapping = NONE) -> str:
    """The cell as the file has it (trimmed, NULL when blank), from its mapped source
    column(s), a constant, or NULL when the file lacks it; regex clean-ups applied."""
    if col.name in m.constants:
        return quote(m.constants[col.name])
    sources = m.sources(col.name)
    if any(source not in present for source in sources):
        return "NULL::VARCHAR"
    cells = [f"nullif(trim({ident(source)}), '')" for source in sources]
    expr = cells[0] if len(cells) == 1 else f"nullif(concat_ws('/', {', '.join(cells)}), '')"
    for pattern, replacement in m.clean.get(col.name, ()):
        expr = (
            f"nullif(trim(regexp_replace({expr}, {quote(pattern)}, {quote(replacement)}, 'g')), '')"
        )
    return expr


def _is_code(expr: str, codes) -> str:
    """True when a cell is one of the codes, ignoring case (as `values` does)."""
    return f"lower({expr}) in ({', '.join(quote(str(c).lower()) for c in codes)})"


def raw_value(col: Column, present: set[str], m: ExtractMapping = NONE) -> str:
    """The cell as text after the mapping: sentinel codes blanked, values translated
    (case-insensitively), and the declared default when blank."""
    expr = source_value(col, present, m)
    if col.name in m.missing:
        expr = f"case when {_is_code(expr, m.missing[col.name])} then NULL else {expr} end"
    if col.name in m.values:
        whens = " ".join(
            f"when {quote(theirs)} then {quote(ours)}"
            for theirs, ours in m.values[col.name].items()
        )
        expr = f"case lower({expr}) {whens} else {expr} end"
    return f"coalesce({expr}, {quote(col.default)})" if col.default is not None else expr


def date_formats(col: Column, mapped: tuple[str, ...] = ()) -> list[str]:
    """Accepted strptime formats for a date or timestamp column. A mapping's formats replace
    the UK defaults (so 01/05/2018 is read the way the council says), ISO is always allowed."""
    if mapped:
        iso = ["%Y-%m-%d"] if col.type == "date" else ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
        return [*mapped, *iso]
    if col.type == "date":
        return list(DATE_FORMATS) + [d + t for d in DATE_FORMATS for t in TIME_SUFFIXES]
    return [d + t for d in DATE_FORMATS for t in TIME_SUFFIXES] + list(DATE_FORMATS)


def enum_code(text: str) -> str:
    """A code as `typed` writes it: lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", text).lower()


def typed(col: Column, v: str, formats: tuple[str, ...] = ()) -> str:
    """SQL expression giving the typed value of raw text `v` (NULL when it does not parse)."""
    if col.type == "enum":
        normal = f"lower(regexp_replace({v}, '[\\s\\-]+', '_', 'g'))"
        as_is = [a for a in map(str, col.allowed) if a == enum_code(a)]
        if not as_is:
            return normal
        # most cells are already a code: kept as they are, not run through the regex
        return f"case when {v} in ({', '.join(map(quote, as_is))}) then {v} else {normal} end"
    if col.type == "int":
        return (
            f"case when regexp_full_match({v}, '[+-]?[0-9]+(\\.0+)?') "
            f"then try_cast(try_cast({v} as double) as bigint) end"
        )
    if col.type == "float":
        return f"case when isfinite(try_cast({v} as double)) then try_cast({v} as double) end"
    if col.type == "bool":
        return f"try_cast({v} as boolean)"  # exactly TRUE_WORDS and FALSE_WORDS, any case
    if col.type in ("date", "timestamp"):
        parsed = f"try_strptime({v}, {_list(date_formats(col, formats))})"
        return f"{parsed}::DATE" if col.type == "date" else parsed
    return v


class Check(NamedTuple):
    """One check: when it fails (`condition`) and what it then records (`problem`, a struct
    {column, value, reason}, NULL when the check passes)."""

    condition: str
    problem: str


def _problem(col: Column, shown: str, condition: str, reason: str) -> Check:
    value = "NULL::VARCHAR" if col.free_text else shown
    return Check(
        condition,
        f"case when {condition} then {{'column': {quote(col.name)}, 'value': {value}, "
        f"'reason': {reason}}} end",
    )


EXCEL_NUMBER = "[0-9]+([.][0-9]+)?[eE][+-]?[0-9]+"


def column_checks(
    col: Column,
    v: str,
    t: str,
    shown: str | None = None,
    formats: tuple[str, ...] = (),
    limits: DateLimits | None = None,
) -> list[Check]:
    """Checks for one column: blank but required, unparseable, not allowed, out of range, an
    identifier mangled by Excel. `shown` is the cell as the file has it, for the report."""
    shown = shown or v
    checks = []
    if col.required:
        blank = quote("is blank but required")
        sentinel = quote("is required, but the mapping turns this value into a blank")
        checks.append(
            _problem(
                col,
                shown,
                f"{v} is null",
                f"case when nullif(trim({shown}), '') is null then {blank} else {sentinel} end",
            )
        )
    if col.type == "text" and col.name.endswith("_id"):
        checks.append(
            _problem(
                col,
                shown,
                f"regexp_full_match({v}, '{EXCEL_NUMBER}')",
                quote(
                    "looks like an identifier Excel turned into a number in scientific "
                    "notation, so the original is lost; export the column as text"
                ),
            )
        )
    if col.type in REASONS:
        reason = (
            f"is not a date in the mapped format(s) {', '.join(formats)}"
            if formats
            else REASONS[col.type]
        )
        checks.append(_problem(col, shown, f"{v} is not null and {t} is null", quote(reason)))
    if col.allowed:
        allowed = ", ".join(str(a) for a in col.allowed)
        values = (
            f"[{', '.join(str(a) for a in col.allowed)}]"
            if col.type == "int"
            else _list(col.allowed)
        )
        checks.append(
            _problem(
                col,
                shown,
                f"{t} is not null and not list_contains({values}, {t})",
                quote(f"is not one of: {allowed}"),
            )
        )
    if col.min is not None:
        checks.append(
            _problem(col, shown, f"{t} < {col.min}", quote(f"is below the minimum of {col.min:g}"))
        )
    if col.max is not None:
        checks.append(
            _problem(col, shown, f"{t} > {col.max}", quote(f"is above the maximum of {col.max:g}"))
        )
    if col.type in ("date", "timestamp"):
        checks += date_range_checks(col, t, shown, limits or DateLimits())
    return checks


def _words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_range_checks(col: Column, t: str, shown: str, limits: DateLimits) -> list[Check]:
    """A date before the earliest accepted, or (for what has happened) after the load date."""
    out = [
        _problem(
            col,
            shown,
            f"{t}::DATE < DATE {quote(limits.earliest.isoformat())}",
            quote(
                f"is before {_words(limits.earliest)}, the earliest date accepted "
                "(a two-digit year or a typing error?)"
            ),
        )
    ]
    if limits.latest and not col.future:
        loaded = _words(limits.loaded_on or limits.latest)
        out.append(
            _problem(
                col,
                shown,
                f"{t}::DATE > DATE {quote(limits.latest.isoformat())}",
                quote(
                    f"is in the future: after {loaded}, when the data was "
                    "loaded (a typing error or a wrong clock?)"
                ),
            )
        )
    return out


FUTURE_REASON = "is in the future: after "  # how the rejects name a future date


def style_columns(extract: Extract, present: set[str], m: ExtractMapping = NONE) -> list:
    """The date columns whose style (day-first or month-first) the mapping does not state,
    with the cell as the file has it: [(column, expression over the raw columns)]."""
    exprs = [
        (c.name, source_value(c, present, m))
        for c in extract.columns
        if c.type in ("date", "timestamp")
        and not m.formats.get(c.name)
        and c.name not in m.constants
    ]
    return [(name, e) for name, e in exprs if e != "NULL::VARCHAR"]


def not_iso(expr: str) -> str:
    """True for a date that is not ISO (2026-09-30 is never ambiguous: skipped quickly)."""
    return f"{expr} is not null and substr({expr}, 5, 1) is distinct from '-'"


def date_styles_select(
    extract: Extract,
    raw_table: str,
    present: set[str],
    m: ExtractMapping = NONE,
    exprs: list | None = None,
) -> str | None:
    """SELECT counting, over the extract's date columns whose format the mapping does not
    state, the values that can only be day-first (13/04/2022), only month-first
    (04/13/2022), or either (04/05/2022), with an example of each and its line. `exprs`
    names the cells where the table is not the raw one (a table stored in one pass keeps
    the dates that are not ISO beside each row: `style_dates`)."""
    exprs = style_columns(extract, present, m) if exprs is None else exprs
    if not exprs:
        return None
    parts = " union all ".join(
        f"select {quote(name)} as column_name, _line, {e} as v, "
        f"regexp_extract({e}, {quote(DMY)}, ['a', 'b', 'y']) as p from {raw_table} "
        f"where {not_iso(e)}"
        for name, e in exprs
    )
    a, b = "try_cast(p.a as int)", "try_cast(p.b as int)"  # '' (no match) is NULL
    kinds = {
        "day_first": f"{a} > 12 and {b} <= 12",
        "month_first": f"{b} > 12 and {a} <= 12",
        "either": f"{a} <= 12 and {b} <= 12",
    }
    cols = ", ".join(
        f"count(*) filter (where {cond}) as {k}, "
        f"arg_min(column_name || ' ' || v || ' (line ' || _line || ')', _line) "
        f"filter (where {cond}) as {k}_example"
        for k, cond in kinds.items()
    )
    return f"select {cols} from ({parts})"


def rule_check(rule: Rule, extract: Extract, raw: dict[str, str], types: dict[str, str]) -> Check:
    """One cross-field rule as a check expression over the typed values."""
    col, other = extract.column(rule.column), extract.column(rule.other)
    t, o = types[col.name], types[other.name]
    if rule.kind == "not_before":
        condition = f"{t} < {o}"
        reason = f"{quote(rule.reason + ' (' + other.name + ' ')} || {raw[other.name]} || ')'"
    elif rule.kind == "not_above":
        condition = f"{t} > {o}"
        reason = f"{quote(rule.reason + ' (' + other.name + ' ')} || {raw[other.name]} || ')'"
    elif rule.kind == "required_when":
        condition = f"{raw[col.name]} is null and list_contains({_list(rule.values)}, {o})"
        reason = quote(rule.reason)
    elif rule.kind == "blank_when":
        condition = f"{raw[col.name]} is not null and list_contains({_list(rule.values)}, {o})"
        reason = quote(rule.reason)
    else:
        raise ValueError(f"Unknown rule kind {rule.kind!r}")
    return _problem(col, raw[col.name], condition, reason)


def exclusions(extract: Extract, shown: dict[str, str], m: ExtractMapping) -> list[Check]:
    """Rows left out by design, not rejected: a required column holding a code the mapping
    reads as no answer ("9 = don't know"), or a reason the staging query gave (`_exclude`)."""
    out = [
        Check(
            "_exclude is not null",
            "case when _exclude is not null then {'column': NULL::VARCHAR, 'value': "
            "NULL::VARCHAR, 'reason': _exclude} end",
        )
    ]
    for col in extract.columns:
        codes = m.missing.get(col.name)
        if col.required and codes:
            out.append(
                _problem(
                    col,
                    shown[col.name],
                    _is_code(shown[col.name], codes),
                    quote(
                        "is a code the mapping reads as no answer, so the row is left out by design"
                    ),
                )
            )
    return out


def scope_checks(
    extract: Extract, types: dict[str, str], shown: dict[str, str], m: ExtractMapping
) -> list[Check]:
    """Values outside what the mapping declares the extract covers."""
    out = []
    for column, values in m.scope.limits().items():
        col = extract.column(column)
        out.append(
            _problem(
                col,
                shown[column],
                f"{types[column]} is not null and not "
                f"list_contains({_list(values)}, {types[column]})",
                quote(f"is outside what the extract covers ({', '.join(values)})"),
            )
        )
    date = extract.column(extract.date_column)
    t = types[date.name]
    for bound, op, words in ((m.scope.start, "<", "before"), (m.scope.end, ">", "after")):
        if bound:
            out.append(
                _problem(
                    date,
                    shown[date.name],
                    f"{t}::DATE {op} DATE {quote(bound.isoformat())}",
                    quote(f"is {words} the period the extract covers ({bound.isoformat()})"),
                )
            )
    return out


def style_dates(extract: Extract, present: set[str], m: ExtractMapping = NONE) -> list:
    """[(column, working column)]: the cells of each date column whose style must be checked,
    kept by `checked_select(..., located=False)` where they are not ISO (NULL where they
    are, so a file of ISO dates stores next to nothing)."""
    names = {c.name: i for i, c in enumerate(extract.columns)}
    return [(name, f"_nd{names[name]}") for name, _ in style_columns(extract, present, m)]


def checked_select(
    extract: Extract,
    raw_table: str,
    present: set[str],
    m: ExtractMapping = NONE,
    limits: DateLimits | None = None,
    located: bool = True,
) -> str:
    """SELECT giving `_file`, `_line`, each typed column, `_problems` and `_exclusions`
    (lists of structs: the reasons a row is rejected, or left out by design).

    Each cell is cleaned, mapped and typed once, in its own step, and the checks read those
    results; the list of problems is only built for a row that has one. (Written out in one
    expression, a date with thirty accepted formats was parsed three times a row, and an
    empty list built and filtered for every good row.)

    `located=False` reads a source with no `_row`, `_file`, `_line` or `_exclude` (a CSV
    file read as it is stored: the row is its position, `rowid`) and keeps the dates whose
    style must be checked (`style_dates`)."""
    shown = {c.name: f"__s{i}" for i, c in enumerate(extract.columns)}
    raw = {c.name: f"__v{i}" for i, c in enumerate(extract.columns)}
    types = {c.name: f"__t{i}" for i, c in enumerate(extract.columns)}
    cells = ",\n  ".join(
        f"{source_value(c, present, m)} as {shown[c.name]}, {raw_value(c, present, m)} as "
        f"{raw[c.name]}"
        for c in extract.columns
    )
    typing = ",\n  ".join(
        f"{typed(c, raw[c.name], m.formats.get(c.name, ()))} as {types[c.name]}"
        for c in extract.columns
    )
    checks = [
        chk
        for c in extract.columns
        for chk in column_checks(
            c, raw[c.name], types[c.name], shown[c.name], m.formats.get(c.name, ()), limits
        )
    ]
    checks += [rule_check(r, extract, raw, types) for r in extract.rules]
    checks += scope_checks(extract, types, shown, m)
    cols = ",\n  ".join(
        f"{types[c.name]}::{SQL_TYPES[c.type]} as {ident(c.name)}" for c in extract.columns
    )
    where = "_row, _file, _line, _exclude" if located else "NULL::VARCHAR as _exclude"
    keep = "_row, _file, _line,\n  " if located else ""
    dates = (
        ""
        if located
        else "".join(
            f",\n  case when {not_iso(shown[name])} then {shown[name]} end as {working}"
            for name, working in style_dates(extract, present, m)
        )
    )
    return (
        f"with cells as (\nselect {where},\n  {cells}\n"
        f"from {raw_table}),\ntyped as (select *,\n  {typing}\nfrom cells)\n"
        f"select {keep}{cols},\n  {_found(checks)} as _problems,"
        f"\n  {_found(exclusions(extract, shown, m))} as _exclusions{dates}\nfrom typed"
    )


def _found(checks: list[Check]) -> str:
    """The checks that found something, as a list: empty, and neither built nor filtered,
    when none did (the conditions alone are tested for a good row; written as a coalesce
    of the problems, every check built a struct for every row)."""
    failed = " or ".join(f"({c.condition})" for c in checks)
    listed = ", ".join(c.problem for c in checks)
    return f"case when {failed} then list_filter([{listed}], lambda p: p is not null) else [] end"


def has_duplicates_select(extract: Extract, checked_table: str) -> str:
    """SELECT giving true when any key repeats among the rows not left out by design."""
    keys = ", ".join(f"coalesce({ident(k)}::VARCHAR, '')" for k in extract.key)
    return (
        f"select count(*) > count(distinct ({keys})) from {checked_table} "
        "where len(_exclusions) = 0"
    )


def duplicate_select(extract: Extract, checked_table: str) -> str:
    """SELECT adding a duplicate-key problem to every repeat of a key after its first row
    (rows left out by design take no part), with `_repeat` true on those rows."""
    keys = ", ".join(f"coalesce({ident(k)}::VARCHAR, '')" for k in extract.key)
    label = " and ".join(extract.key)
    window = f"over (partition by {keys}, len(_exclusions) > 0)"
    first = f"arg_min(_line, _row) {window}"
    first_file = f"arg_min(_file, _row) {window}"
    value = f"concat_ws(' / ', {', '.join(ident(k) + '::VARCHAR' for k in extract.key)})"
    repeat = f"len(_exclusions) = 0 and _row > min(_row) {window}"
    dup = (
        f"{{'column': {quote(extract.key[0])}, 'value': {value}, 'reason': "
        f"{quote('duplicate ' + label + ': first seen on line ')} || {first}::VARCHAR || "
        f"case when {first_file} is distinct from _file then ' of ' || {first_file} "
        f"else '' end}}"
    )
    return (
        f"select * exclude (_problems), case when {repeat} then list_append(_problems, {dup}) "
        f"else _problems end as _problems, coalesce({repeat}, false) as _repeat "
        f"from {checked_table}"
    )
