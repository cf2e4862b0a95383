"""Every .sql file in the repository (queries/, and the example staging queries under
data/examples/) passes sqlfluff with the repository's .sqlfluff: the DuckDB dialect, its
`$name` parameters, and the project's layout (lowercase, 4-space indents, explicit aliases,
lines up to 100 characters). Fix a finding with `.venv/bin/sqlfluff fix <file>` (check its
diff) or by hand; a rule the project does not follow is excluded, with its reason, there."""

from __future__ import annotations

import os
from pathlib import Path

from sqlfluff.core import FluffConfig, Linter

ROOT = Path(__file__).resolve().parent.parent
# folders that hold no SQL of the project's own (installed packages, caches, test output)
SKIP = {"node_modules", "__pycache__", "test-results"}


def sql_files() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in SKIP)
        found += [Path(folder) / f for f in sorted(files) if f.endswith(".sql")]
    return found


def linter() -> Linter:
    # exactly the repository's .sqlfluff for every file, whatever the working directory (and
    # no personal ~/.sqlfluff)
    config = FluffConfig.from_path(
        str(ROOT), extra_config_path=str(ROOT / ".sqlfluff"), ignore_local_config=True
    )
    assert config.get("dialect") == "duckdb", "the repository's .sqlfluff was not read"
    return Linter(config=config)


def findings(result) -> list[str]:
    """Each finding as file:line:code:description (the file relative to the repository)."""
    out = []
    for record in result.as_records():
        path = Path(record["filepath"]).resolve()
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        out += [
            f"{where}:{v['start_line_no']}:{v['code']}:{v['description']}"
            for v in record["violations"]
        ]
    return out


def test_every_sql_file_passes_sqlfluff():
    files = sql_files()
    assert len(files) > 50 and all(f.is_relative_to(ROOT) for f in files), files
    result = linter().lint_paths(tuple(str(f) for f in files))
    linted = {Path(record["filepath"]).resolve() for record in result.as_records()}
    assert linted == set(files), "sqlfluff skipped: " + ", ".join(map(str, set(files) - linted))
    problems = findings(result)
    assert not problems, "sqlfluff findings (file:line:code:description):\n" + "\n".join(problems)


def test_the_lint_catches_a_badly_laid_out_query():
    # A guard on the configuration itself: were the rules switched off or the parameters
    # not parsed, the test above would pass on anything.
    bad = (
        "SELECT Service,count(*) FROM contacts c\n"
        "  WHERE received_on between $start and $end group by 1\n"
    )
    codes = {v.rule_code() for v in linter().lint_string(bad).get_violations()}
    assert {"CP01", "CP02", "LT01", "AL01", "AL03"} <= codes, codes
    assert "PRS" not in codes and "TMP" not in codes, codes
