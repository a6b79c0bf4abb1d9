"""Where leadtime keeps its files, the settings schema, and the clock.

Everything here is cheap to import: ``leadtime --help`` loads this module.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from leadtime.errors import ConfigError, UsageError

APP_NAME = "leadtime"
DB_FILENAME = "leadtime.db"
CONFIG_FILENAME = "config.toml"
RULES_FILENAME = "rules.toml"


# --------------------------------------------------------------------------- TOML


def read_toml(text: str) -> dict[str, Any]:
    """The TOML document ``text`` (config.toml, rules.toml, an entry in the editor).

    Raises:
        ValueError: not TOML, nested too deeply, or an integer of thousands of digits;
            the message is one line, fit to follow the file's name.
    """
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ValueError("not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:  # TOMLDecodeError, or int()'s limit on digits
        raise ValueError(f"not valid TOML: {str(exc).split(';')[0]}") from None


# --------------------------------------------------------------------------- paths


@dataclass(frozen=True)
class Paths:
    """The files leadtime reads and writes, and why they are where they are."""

    data_dir: Path
    config_dir: Path
    origin: str  # "LEADTIME_HOME" or "platform directories"

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def config_file(self) -> Path:
        return self.config_dir / CONFIG_FILENAME

    @property
    def rules_file(self) -> Path:
        return self.config_dir / RULES_FILENAME

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database}"


def resolve_paths(environ: Mapping[str, str] | None = None) -> Paths:
    """``LEADTIME_HOME`` when set, holding everything; the platform's directories otherwise."""
    env = os.environ if environ is None else environ
    home = env.get("LEADTIME_HOME")
    if home:
        path = Path(home).expanduser()
        return Paths(path, path, "LEADTIME_HOME")
    import platformdirs

    return Paths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        "platform directories",
    )


def ensure_private_dir(path: Path) -> None:
    """Create a directory, and any missing one above it, readable by its owner only."""
    from leadtime import files

    files.ensure_private_dir(path)


def write_private_file(path: Path, text: str) -> None:
    """Write a file atomically with mode 0600, creating its directory (0700) if missing."""
    from leadtime import files

    files.ensure_private_dir(path.parent)
    files.write_file(path, text)


# --------------------------------------------------------------------------- settings


def system_timezone() -> str:
    """The machine's IANA zone name: ``$TZ``, ``/etc/timezone`` or ``/etc/localtime``; else UTC."""
    from zoneinfo import ZoneInfo

    candidates: list[str] = []
    if tz := os.environ.get("TZ", "").lstrip(":"):
        candidates.append(tz)
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            ZoneInfo(name)
        except (ValueError, OSError, KeyError):
            continue
        return name
    return "UTC"


def check_timezone(value: str) -> str:
    from leadtime.units import check_zone_name

    try:
        return check_zone_name(value)
    except UsageError as exc:
        raise ValueError(f"{exc.message}; {exc.hint}") from None


def _ranged(
    low: float, high: float, what: str, *, fraction_hint: bool = False
) -> Callable[[Any], Any]:
    """A check that a number lies in ``low..high``; the message says what the number is."""

    def check(value: float) -> float:
        if not low <= value <= high:
            from leadtime.units import format_number

            message = f"must be {what} from {format_number(low)} to {format_number(high)}"
            if fraction_hint and 0 < value < 1:
                message += f" (a percentage: did you mean {format_number(value * 100)}?)"
            raise ValueError(message)
        return value

    return check


def _session_duration(value: str) -> str:
    from leadtime.units import DURATION_HINT, read_duration

    length = read_duration(value)
    if length is None:
        raise ValueError(f"cannot read {value!r} as a duration ({DURATION_HINT})")
    if length.total_seconds() > 24 * 3600:
        raise ValueError("must be at most 24 hours")
    return value.strip()


def _work_hours(value: str) -> str:
    from leadtime.reports.workhours import WorkHours

    WorkHours.parse(value)  # ValueError names the bad part
    return value.strip()


def normalise_emails(value: list[str]) -> list[str]:
    cleaned = [v.strip().lower().removeprefix("mailto:") for v in value if v.strip()]
    for address in cleaned:
        if "@" not in address:
            raise ValueError(f"{address!r} is not an e-mail address")
    return cleaned


@dataclass(frozen=True)
class Setting:
    """One key of config.toml: its type, default and meaning."""

    key: str
    kind: type
    help: str
    check: Callable[[Any], Any] = lambda value: value


SCHEMA: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("timezone", str, "IANA zone for weeks, floating times and input", check_timezone),
        Setting(
            "me",
            list,
            "your e-mail addresses (to recognise your declined meetings)",
            normalise_emails,
        ),
        Setting(
            "target",
            float,
            "leadership target in percent of classified time",
            _ranged(1, 99, "a percentage", fraction_hint=True),
        ),
        Setting(
            "tolerance",
            float,
            "allowed distance from the target, in percentage points",
            _ranged(0, 50, "percentage points", fraction_hint=True),
        ),
        Setting(
            "min_hours",
            float,
            "classified hours below which a week is not judged",
            _ranged(0, 168, "hours"),
        ),
        Setting(
            "max_unclassified",
            float,
            "unclassified percent above which the check fails",
            _ranged(0, 100, "a percentage", fraction_hint=True),
        ),
        Setting(
            "work_hours",
            str,
            "when you work, in the report zone: coverage and capacity, never a filter",
            _work_hours,
        ),
        Setting(
            "git_max_gap",
            str,
            "git: commits at most this far apart form one work session",
            _session_duration,
        ),
        Setting(
            "git_first_commit",
            str,
            "git: how long before its first commit a work session starts",
            _session_duration,
        ),
        Setting(
            "horizon_weeks",
            int,
            "how far ahead open-ended series are expanded",
            _ranged(1, 520, "weeks"),
        ),
    )
}


@dataclass(frozen=True)
class Settings:
    timezone: str = ""  # "" until resolved: the system's zone
    me: tuple[str, ...] = ()
    target: float = 70.0
    tolerance: float = 5.0
    min_hours: float = 4.0
    max_unclassified: float | None = None
    horizon_weeks: int = 8
    work_hours: str = "mon-fri 09:00-17:00"
    git_max_gap: str = "120m"
    git_first_commit: str = "30m"
    sources: dict[str, str] = field(default_factory=dict)  # key -> where its value came from

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sources"}


def _coerce(setting: Setting, raw: Any) -> Any:
    kind = setting.kind
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        raw = float(raw)
    if kind is list and isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, kind) or isinstance(raw, bool):
        raise ValueError(f"expected {kind.__name__}, got {type(raw).__name__}")
    if kind is list and not all(isinstance(item, str) for item in cast(list[Any], raw)):
        raise ValueError("expected a list of strings")
    return setting.check(raw)


def unknown_key_hint(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(known)


def load_settings(path: Path) -> Settings:
    """Read config.toml (missing file = defaults); a bad file names the key and exits 3."""
    settings = Settings()
    sources: dict[str, str] = dict.fromkeys(SCHEMA, "default")
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            data = read_toml(path.read_text(encoding="utf-8"))
        except ValueError as exc:  # not TOML, or not UTF-8
            raise ConfigError(f"{path}: {exc}", hint="fix the file or remove it") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
        for key, raw in data.items():
            setting = SCHEMA.get(key)
            if setting is None:
                raise ConfigError(
                    f"{path}: unknown key '{key}'", hint=unknown_key_hint(key, list(SCHEMA))
                )
            try:
                value = _coerce(setting, raw)
            except ValueError as exc:
                raise ConfigError(f"{path}: {key}: {exc}") from None
            values[key] = tuple(value) if isinstance(value, list) else value
            sources[key] = str(path)
    if not values.get("timezone"):
        values["timezone"] = system_timezone()
        sources["timezone"] = "system"
    return replace(settings, sources=sources, **values)


def _number(text: str, kind: type) -> Any:
    """A finite number of ``kind`` from ``text``; ValueError naming what was typed."""
    import math

    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a number") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot read {text!r} as a number")
    return value


def parse_setting_value(key: str, text: str) -> Any:
    """Validate ``config set KEY VALUE`` input; lists are comma-separated."""
    setting = SCHEMA.get(key)
    if setting is None:
        raise UsageError(f"unknown setting '{key}'", hint=unknown_key_hint(key, list(SCHEMA)))
    raw: Any
    try:
        if setting.kind is list:
            raw = [part for part in text.split(",") if part.strip()]
        elif setting.kind is float:
            raw = _number(text.strip().rstrip("%"), float)
        elif setting.kind is int:
            raw = _number(text.strip(), int)
        else:
            raw = text
        return setting.check(raw)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}", hint=f"{key}: {setting.help}") from None


def write_setting(path: Path, key: str, value: Any) -> None:
    """Set one key in config.toml, keeping the others; ``None`` removes the key."""
    import tomli_w

    data: dict[str, Any] = {}
    if path.is_file():
        load_settings(path)  # refuse to rewrite a file that is already invalid
        data = read_toml(path.read_text(encoding="utf-8"))
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
    write_private_file(path, tomli_w.dumps(data))


# --------------------------------------------------------------------------- the clock


def parse_now(text: str, timezone: str) -> datetime:
    """Read ``LEADTIME_NOW`` / ``--now`` (ISO 8601); a value without offset is in ``timezone``."""
    from zoneinfo import ZoneInfo

    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"cannot read {text!r} as the current time",
            hint="LEADTIME_NOW and --now take ISO 8601, e.g. 2026-11-20T17:00:00+01:00",
        ) from None
    if not 1971 <= value.year <= 9997:
        raise UsageError(
            f"the current time {text!r} is out of range", hint="leadtime covers 1970 to 9998"
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value.astimezone(UTC)


def current_time(override: str | None, timezone: str) -> datetime:
    """The one place that reads the wall clock; ``--now`` / ``LEADTIME_NOW`` win over it."""
    text = override or os.environ.get("LEADTIME_NOW")
    if text:
        return parse_now(text, timezone)
    return datetime.now(UTC).replace(microsecond=0)
