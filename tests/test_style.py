"""The code's style is checked, not hoped for: ruff's lint and ruff format over every Python
file (sqlfluff checks the SQL: tests/test_sql_lint.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing():
    run = _ruff("check", "--no-cache", ".")
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_file_is_as_ruff_format_writes_it():
    run = _ruff("format", "--check", "--no-cache", ".")
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_badly_formatted_file_is_caught(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x = {  'a':1 }\n", encoding="utf-8")
    run = _ruff("format", "--check", "--no-cache", str(bad))
    assert run.returncode == 1 and "bad.py" in run.stdout
