"""One settings loader: the project's defaults (config/settings.toml), then the council's own
settings (council.toml in its extracts folder), then the environment, then overrides.

The council's name, strategy, mapping file and default targets belong to the council, so
they live beside its extracts: pointing the dashboard at another folder never shows the
sample council's name on another council's data.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

from .contracts import CHANNEL_WORDS, CHANNELS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "config" / "settings.toml"
COUNCIL_FILE = "council.toml"  # the council's own settings, in its extracts folder
ENV = {
    "data_dir": "SCORECARD_DATA",
    "cache_dir": "SCORECARD_CACHE",
    "strategy_file": "SCORECARD_STRATEGY",
    "catalogue_file": "SCORECARD_CATALOGUE",
    "mapping_file": "SCORECARD_MAPPING",
    "snapshot_dir": "SCORECARD_SNAPSHOTS",
    "parquet_dir": "SCORECARD_PARQUET",
    "state_dir": "SCORECARD_STATE",
    "access_file": "SCORECARD_ACCESS_FILE",
}  # every other setting: SCORECARD_<NAME>, e.g. SCORECARD_MIN_BASE
PATHS = (
    "data_dir",
    "cache_dir",
    "strategy_file",
    "catalogue_file",
    "mapping_file",
    "snapshot_dir",
    "parquet_dir",
    "state_dir",
    "access_file",
)
ACCESS_MODES = ("local", "internal", "public")
PARQUET_MANIFEST = "tables.json"  # what marks a folder written by scorecard.ingest.parquet
COUNCIL_KEYS = (
    "council",
    "strategy_file",
    "catalogue_file",
    "mapping_file",
    "default_targets",
    "min_base",
    "small_base",
    "stale_after_days",
    "max_rejected_share",
    "data_label",
    "earliest_date",
    "future_days",
    "settle_seconds",
    "digital_channels",
    "demonstration",
    "area_code",
)  # what a council's own file may set


MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


class SettingsError(ValueError):
    """A settings file that cannot be used: names the file, the key and what was expected."""


@dataclass(frozen=True)
class Settings:
    """Where the data, cache and configuration live, and the thresholds figures follow."""

    council: str = ""
    data_dir: Path = ROOT / "data" / "sample"
    data_label: str = ""  # how pages name the extracts folder (never its server path)
    cache_dir: Path = ROOT / ".cache"
    strategy_file: Path = ROOT / "config" / "strategy.toml"
    catalogue_file: Path = ROOT / "config" / "measures.toml"
    mapping_file: Path | None = None
    snapshot_dir: Path = ROOT / "snapshots"
    min_base: int = 10
    small_base: int = 30
    stale_after_days: int = 45
    max_rejected_share: float = 0.2
    earliest_date: str = "2000-01-01"  # a date before this is rejected as a typing error
    future_days: int = 1  # a date more than this many days after loading is rejected
    settle_seconds: int = 10  # a file changed more recently than this is not read yet
    default_targets: str | tuple = ""  # "" none, "catalogue", or ((measure id, target), ...)
    complaint_day_zero: str = "received"
    digital_channels: tuple = ("web", "app")  # channels that count as digital (take-up)
    demonstration: bool = False  # synthetic data: said on every page, never called stale
    area_code: str = ""  # the council's own code in the peers extract, e.g. E07000999
    council_file: Path | None = None  # the council's own settings file, when there is one
    threads: int = 0  # DuckDB threads while loading (0: one per core)
    memory_limit: str = "1GB"  # DuckDB's memory while loading; beyond it, it spills to disk
    keep_channels_from: int = 1_000_000  # rows in an extract from which each channel chosen
    # alone is kept at load too for a measure that does not add up (an additive one has its
    # cube: engine/kept.py): worth it only where live queries are slow
    parquet_dir: Path | None = None  # serve this Parquet folder (scorecard.ingest.parquet), no load
    serve_only: bool = False  # a replica: serve what the loading job wrote, never load
    access: str = "local"  # local (this computer only), internal (sign-in) or public
    public_min_base: int = 20  # public mode: no figure on fewer than this many cases
    access_file: Path = ROOT / "config" / "access.toml"  # who has which role (internal)
    state_dir: Path = ROOT / "state"  # the app's own database: commentary and audit log
    link_domains: tuple = ()  # commentary may link only to these domains (and subdomains)
    dashboard_url: str = ""  # the dashboard's public address: the digest links back to it
    smtp_host: str = ""  # the change digest's mail server (docs/digest.md)
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str = ""  # its password only from the environment: SCORECARD_SMTP_PASSWORD
    smtp_from: str = ""
    digest_to: tuple = ()  # the digest's recipients

    @property
    def public(self) -> bool:
        """Public mode: approved commentary only, a stricter minimum base, nothing internal."""
        return self.access == "public"

    @property
    def digital_words(self) -> str:
        """The digital channels in words: 'the website or app'."""
        return digital_words(self.digital_channels)

    @property
    def folder_label(self) -> str:
        """The extracts folder as pages may name it: its label, else its last part."""
        return self.data_label or self.data_dir.name


def digital_words(channels) -> str:
    """'the website or app', 'the website, app or webchat'."""
    words = [CHANNEL_WORDS[c].lower() for c in channels]
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
    return f"the {listed}"


def _resolve(value: str | Path | None, base: Path = ROOT) -> Path | None:
    """Paths are relative to `base` (the project, or the council's folder) unless absolute;
    '' means none."""
    if value in (None, ""):
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _read(file: Path) -> dict:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{file.name}: is not valid TOML ({exc}).") from exc


def _default_targets(value, source: str):
    """'catalogue', a table of measure id = target, or none."""
    if value in ("", "none", None, False):
        return ""
    if value == "catalogue":
        return "catalogue"
    if isinstance(value, dict) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()
    ):
        return tuple(sorted((str(k), float(v)) for k, v in value.items()))
    raise SettingsError(
        f'{source}: default_targets must be "catalogue" (the catalogue\'s '
        "default targets) or a table of measure id = target, e.g. "
        "default_targets = { calls_answered_60s = 80 }."
    )


def _channels(value, source: str) -> tuple:
    """Channel codes from the contract's list, as a list or comma-separated text."""
    items = value.split(",") if isinstance(value, str) else value
    chosen = tuple(str(c).strip() for c in items or () if str(c).strip())
    wrong = [c for c in chosen if c not in CHANNELS]
    if not chosen or wrong:
        raise SettingsError(
            f"{source}: digital_channels must list one or more of "
            f"{', '.join(CHANNELS)}" + (f", not {', '.join(wrong)}" if wrong else "") + "."
        )
    return chosen


def _typed(name: str, value, source: str):
    """A value of the type the setting's default has, or a clear error."""
    kind = type(next(f.default for f in fields(Settings) if f.name == name))
    if name == "default_targets":
        return _default_targets(value, source)
    if name == "digital_channels":
        return _channels(value, source)
    if name == "digest_to":
        items = value.split(",") if isinstance(value, str) else value
        return tuple(str(a).strip() for a in items or () if str(a).strip())
    if name == "dashboard_url" and value and not str(value).startswith(("https://", "http://")):
        raise SettingsError(f"{source}: dashboard_url must start https:// or http://.")
    if name == "link_domains":
        items = value.split(",") if isinstance(value, str) else value
        return tuple(str(d).strip().lower().lstrip(".") for d in items or () if str(d).strip())
    if name == "area_code":  # a code, even when TOML or the environment gives a number
        return str(value).strip()
    if name == "access":
        if str(value) not in ACCESS_MODES:
            raise SettingsError(
                f"{source}: access must be one of {', '.join(ACCESS_MODES)}, not {value!r}."
            )
        return str(value)
    if name == "earliest_date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise SettingsError(
                f"{source}: earliest_date must be a date as YYYY-MM-DD, not {value!r}."
            ) from None
    if name == "memory_limit":
        if not MEMORY.fullmatch(str(value).strip()):
            raise SettingsError(
                f"{source}: memory_limit must be a size such as 1GB or 500MB, not {value!r}."
            )
        return str(value).strip().replace(" ", "")
    if kind is bool:
        if isinstance(value, bool) or str(value).lower() in ("true", "false", "1", "0"):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        raise SettingsError(f"{source}: {name} must be true or false, not {value!r}.")
    if kind in (int, float):
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise SettingsError(f"{source}: {name} must be a number, not {value!r}.") from None
        if number < 0:
            raise SettingsError(f"{source}: {name} must not be negative.")
        return number
    return value


def _council(data_dir: Path) -> tuple[dict, Path | None]:
    """The council's own settings from council.toml in its folder, paths resolved there."""
    file = data_dir / COUNCIL_FILE
    if not file.is_file():
        return {}, None
    raw = _read(file)
    unknown = sorted(set(raw) - set(COUNCIL_KEYS))
    if unknown:
        raise SettingsError(
            f"{file.name}: unknown setting(s) {', '.join(unknown)}; a council's "
            f"settings file may set {', '.join(COUNCIL_KEYS)}."
        )
    for key in set(raw) & set(PATHS):
        raw[key] = _resolve(raw[key], data_dir)
    return raw, file


def load(overrides: dict | None = None, file: Path | None = None) -> Settings:
    """Settings from the TOML file, the council's council.toml, SCORECARD_* environment
    variables, then overrides (later ones win)."""
    source = (file or DEFAULT_FILE).name
    values = _read(file or DEFAULT_FILE)
    env = {}
    for f in fields(Settings):
        text = os.environ.get(ENV.get(f.name, f"SCORECARD_{f.name.upper()}"))
        if text:
            env[f.name] = text
    overrides = dict(overrides or {})
    known = {f.name for f in fields(Settings)}
    unknown = sorted((set(values) | set(overrides)) - known)
    if unknown:
        raise SettingsError(f"Unknown setting(s) {', '.join(unknown)} in {source}")
    data_dir = _resolve(
        overrides.get("data_dir")
        or env.get("data_dir")
        or values.get("data_dir")
        or Settings.data_dir
    )
    council, council_file = _council(data_dir)
    for key in PATHS:
        if key in values:
            values[key] = _resolve(values[key])
    for key in set(env) & set(PATHS):
        env[key] = _resolve(env[key])
    values |= council | env | overrides
    values["data_dir"], values["council_file"] = data_dir, council_file
    for key in set(values) - set(PATHS) - {"council_file"}:
        values[key] = _typed(key, values[key], council_file.name if key in council else source)
    if values.get("complaint_day_zero", "received") != "received":
        raise SettingsError(
            f"complaint_day_zero = {values['complaint_day_zero']!r} in "
            f"{source} is not supported: the Complaint Handling Codes count the "
            "day a complaint is received as day 0 ('received')"
        )
    for key in PATHS:
        if key in values and not isinstance(values[key], Path | None):
            values[key] = _resolve(values[key])
    if values.get("access") == "public":  # the stricter base is the default in public
        values["min_base"] = max(
            values.get("min_base", Settings.min_base),
            values.get("public_min_base", Settings.public_min_base),
        )
    parquet = values.get("parquet_dir")
    if parquet and not (parquet / PARQUET_MANIFEST).is_file():
        raise SettingsError(
            f"parquet_dir: {parquet.name} is not a folder written by "
            "python -m scorecard.ingest.parquet (it has no tables.json)."
        )
    return replace(Settings(), **values)
