"""One settings loader: defaults from config/settings.toml, then environment, then overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "config" / "settings.toml"
ENV = {
    "data_dir": "SCORECARD_DATA",
    "cache_dir": "SCORECARD_CACHE",
    "strategy_file": "SCORECARD_STRATEGY",
    "catalogue_file": "SCORECARD_CATALOGUE",
    "mapping_file": "SCORECARD_MAPPING",
    "snapshot_dir": "SCORECARD_SNAPSHOTS",
}  # every other setting: SCORECARD_<NAME>, e.g. SCORECARD_MIN_BASE
PATHS = ("data_dir", "cache_dir", "strategy_file", "catalogue_file", "mapping_file",
         "snapshot_dir")


@dataclass(frozen=True)
class Settings:
    """Where the data, cache and configuration live, and the thresholds figures follow."""

    council: str = "Eastvale Council"
    data_dir: Path = ROOT / "data" / "sample"
    cache_dir: Path = ROOT / ".cache"
    strategy_file: Path = ROOT / "config" / "strategy.toml"
    catalogue_file: Path = ROOT / "config" / "measures.toml"
    mapping_file: Path | None = None
    snapshot_dir: Path = ROOT / "snapshots"
    min_base: int = 10
    small_base: int = 30
    stale_after_days: int = 45
    complaint_day_zero: str = "received"


def _resolve(value: str | Path | None) -> Path | None:
    """Paths in settings are relative to the project root unless absolute; '' means none."""
    if value in (None, ""):
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def load(overrides: dict | None = None, file: Path | None = None) -> Settings:
    """Settings from the TOML file, then SCORECARD_* environment variables, then overrides."""
    values = tomllib.loads((file or DEFAULT_FILE).read_text(encoding="utf-8"))
    for f in fields(Settings):
        env = os.environ.get(ENV.get(f.name, f"SCORECARD_{f.name.upper()}"))
        if env:
            values[f.name] = int(env) if isinstance(f.default, int) else env
    values.update(overrides or {})
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"Unknown setting(s) {', '.join(unknown)} in {file or DEFAULT_FILE}")
    if values.get("complaint_day_zero", "received") != "received":
        raise ValueError(f"complaint_day_zero = {values['complaint_day_zero']!r} in "
                         f"{file or DEFAULT_FILE} is not supported: the Complaint Handling "
                         "Codes count the day a complaint is received as day 0 ('received')")
    for key in PATHS:
        if key in values:
            values[key] = _resolve(values[key])
    return replace(Settings(), **values)
