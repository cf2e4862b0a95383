"""The Dockerfile, read as a council's IT team relies on it (no Docker daemon is needed):
non-root, a health check, the data, cache and state folders as volumes, settings by names
the app really reads, and every folder the app runs on copied in (nothing it needs left out
by .dockerignore)."""

from __future__ import annotations

import fnmatch
import re
import shlex
from pathlib import Path

from scorecard import settings

ROOT = Path(__file__).resolve().parent.parent


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def _all(kind: str) -> list[str]:
    return [rest for k, rest in _instructions() if k == kind]


def _env() -> dict[str, str]:
    pairs = {}
    for rest in _all("ENV"):
        pairs |= dict(item.split("=", 1) for item in shlex.split(rest))
    return pairs


def test_the_image_runs_as_a_user_with_a_health_check():
    assert _all("USER") == ["10001:10001"]
    assert "/_stcore/health" in _all("HEALTHCHECK")[0]
    cmd = _all("CMD")[-1]
    assert '"streamlit", "run", "app.py"' in cmd and "0.0.0.0" in cmd


def test_data_cache_and_state_are_volumes_the_settings_point_at():
    env = _env()
    volumes = set(re.findall(r'"([^"]+)"', _all("VOLUME")[0]))
    assert volumes == {env["SCORECARD_DATA"], env["SCORECARD_CACHE"], env["SCORECARD_STATE"]}
    assert env["SCORECARD_SNAPSHOTS"].startswith(env["SCORECARD_STATE"] + "/")
    known = set(settings.ENV.values()) | {
        f"SCORECARD_{name.upper()}" for name in settings.Settings.__dataclass_fields__
    }
    assert {k for k in env if k.startswith("SCORECARD_")} <= known
    assert env["SCORECARD_ACCESS"] in ("internal", "public")  # local admits no one here


def test_everything_the_app_runs_on_is_copied_and_not_ignored():
    copied = {shlex.split(rest)[0].rstrip("/") for rest in _all("COPY")}
    needed = {"app.py", "scorecard", "queries", "config", "requirements.txt"}
    assert needed <= copied
    for path in copied:
        assert (ROOT / path).exists(), path
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in copied:
        assert not any(fnmatch.fnmatch(path, pattern) for pattern in ignored), path
    assert "**/secrets.toml" in ignored and ".streamlit/secrets.toml" not in copied
