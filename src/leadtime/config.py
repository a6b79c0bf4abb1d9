"""Where leadtime keeps its files, the settings schema, and the clock.

Everything here is cheap to import: every command loads this module, so it works on
text paths with :mod:`os.path` (pathlib costs more than a whole ``leadtime status``) and
imports what it needs only when it needs it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from leadtime.errors import ConfigError, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

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
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ValueError("not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:  # TOMLDecodeError, or int()'s limit on digits
        raise ValueError(f"not valid TOML: {str(exc).split(';')[0]}") from None


# --------------------------------------------------------------------------- paths


class Paths:
    """The files leadtime reads and writes, and why they are where they are.

    ``data_home`` and ``config_home`` are the two directories as text; the ``Path``
    properties load :mod:`pathlib` only when a command asks for one.
    """

    __slots__ = ("config_home", "data_home", "origin")

    def __init__(self, data_home: str, config_home: str, origin: str) -> None:
        self.data_home = data_home
        self.config_home = config_home
        self.origin = origin  # "LEADTIME_HOME" or "platform directories"

    def __repr__(self) -> str:
        return f"Paths({self.data_home!r}, {self.config_home!r}, {self.origin!r})"

    @property
    def data_dir(self) -> Path:
        from pathlib import Path

        return Path(self.data_home)

    @property
    def config_dir(self) -> Path:
        from pathlib import Path

        return Path(self.config_home)

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def config_file(self) -> Path:
        return self.config_dir / CONFIG_FILENAME

    @property
    def config_path(self) -> str:
        """The config file, as text."""
        return os.path.join(self.config_home, CONFIG_FILENAME)

    @property
    def rules_file(self) -> Path:
        return self.config_dir / RULES_FILENAME

    @property
    def rules_path(self) -> str:
        """The rules file, as text."""
        return os.path.join(self.config_home, RULES_FILENAME)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{os.path.join(self.data_home, DB_FILENAME)}"


def resolve_paths(environ: Mapping[str, str] | None = None) -> Paths:
    """``LEADTIME_HOME`` when set, holding everything; the platform's directories otherwise
    (on Linux the XDG base directories, read here as platformdirs reads them, without
    loading it; a test holds the two to the same answers)."""
    env = os.environ if environ is None else environ
    home = env.get("LEADTIME_HOME")
    if home:
        path = os.path.expanduser(home)
        return Paths(path, path, "LEADTIME_HOME")
    import sys

    home_dir = env.get("HOME", "")
    if sys.platform == "linux" and home_dir.startswith("/") and "ANDROID_DATA" not in env:
        return Paths(
            os.path.join(_xdg(env, "XDG_DATA_HOME", home_dir, ".local/share"), APP_NAME),
            os.path.join(_xdg(env, "XDG_CONFIG_HOME", home_dir, ".config"), APP_NAME),
            "platform directories",
        )
    import platformdirs

    return Paths(
        platformdirs.user_data_dir(APP_NAME, appauthor=False),
        platformdirs.user_config_dir(APP_NAME, appauthor=False),
        "platform directories",
    )


def _xdg(env: Mapping[str, str], name: str, home: str, default: str) -> str:
    """An XDG base directory: the variable when it holds an absolute path, else ``default``
    under the (absolute) home directory."""
    value = env.get(name, "")
    return value if value.startswith("/") else os.path.join(home.rstrip("/") or "/", default)


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


def check_timezone(value: str) -> str:
    from leadtime.clock import check_zone_name

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


def _team_address(value: str) -> str:
    from leadtime.team.address import parse_team_address

    try:
        return str(parse_team_address(value))
    except UsageError as exc:
        raise ValueError(f"{exc.message} ({exc.hint})" if exc.hint else exc.message) from None


def _one_of(*choices: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value.strip().lower() not in choices:
            raise ValueError(f"must be one of: {', '.join(choices)}")
        return value.strip().lower()

    return check


def _on_off(value: str) -> str:
    word = value.strip().lower()
    if word in ("on", "true", "yes", "1"):
        return "on"
    if word in ("off", "false", "no", "0"):
        return "off"
    raise ValueError(f"expected on or off, got {value!r}")


def normalise_emails(value: list[str]) -> list[str]:
    cleaned = [v.strip().lower().removeprefix("mailto:") for v in value if v.strip()]
    for address in cleaned:
        if "@" not in address:
            raise ValueError(f"{address!r} is not an e-mail address")
    return cleaned


class Setting:
    """One key of config.toml: its type, meaning and check (its default is on Settings)."""

    __slots__ = ("check", "help", "key", "kind")

    def __init__(
        self, key: str, kind: type, help: str, check: Callable[[Any], Any] | None = None
    ) -> None:
        self.key, self.kind, self.help = key, kind, help
        self.check: Callable[[Any], Any] = check or (lambda value: value)


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
            "learned",
            str,
            "the learned tier: on (guess what no rule decides, or abstain) or off",
            _on_off,
        ),
        Setting(
            "git_max_session",
            str,
            "git: the longest work session; a later commit starts the next one",
            _session_duration,
        ),
        Setting(
            "network_timeout",
            float,
            "feeds and CalDAV: seconds one request may take in all, answer included",
            _ranged(1, 600, "seconds"),
        ),
        Setting(
            "horizon_weeks",
            int,
            "how far ahead open-ended series are expanded",
            _ranged(1, 520, "weeks"),
        ),
        Setting(
            "team",
            str,
            "the team database you publish to, without a password ('leadtime team join')",
            _team_address,
        ),
        Setting(
            "team_owner",
            str,
            "the team database you own, without a password ('leadtime team init')",
            _team_address,
        ),
        Setting(
            "team_publish",
            str,
            "auto: publish to your team after each import; off: only 'leadtime team publish'",
            _one_of("off", "auto"),
        ),
    )
}


class Settings:
    """The effective settings: every key of :data:`SCHEMA` as an attribute — the file's
    value, or the default written here — and ``sources``: where each value came from."""

    timezone: str = ""  # "" until resolved: the system's zone
    me: tuple[str, ...] = ()
    target: float = 70.0
    tolerance: float = 5.0
    min_hours: float = 4.0
    max_unclassified: float | None = None
    horizon_weeks: int = 8
    work_hours: str = "mon-fri 09:00-17:00"
    learned: str = "on"
    git_max_gap: str = "120m"
    git_first_commit: str = "30m"
    git_max_session: str = "8h"
    network_timeout: float = 30.0
    team: str | None = None
    team_owner: str | None = None
    team_publish: str = "off"

    def __init__(self, sources: Mapping[str, str] | None = None, **values: Any) -> None:
        for key, value in values.items():
            if key not in SCHEMA:
                raise TypeError(f"unknown setting {key!r}")
            setattr(self, key, value)
        self.sources = dict(sources or {})  # key -> where its value came from

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in SCHEMA}

    def __repr__(self) -> str:
        return f"Settings({self.as_dict()!r})"


def _coerce(setting: Setting, raw: Any) -> Any:
    kind = setting.kind
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        raw = float(raw)
    if kind is list and isinstance(raw, str):
        raw = [raw]
    if setting.check is _on_off and isinstance(raw, bool):
        raw = "on" if raw else "off"
    if kind is list and isinstance(raw, list) and not all(isinstance(i, str) for i in raw):
        raise ValueError("expected a list of strings")
    if not isinstance(raw, kind) or isinstance(raw, bool):
        raise ValueError(f"expected {kind.__name__}, got {type(raw).__name__}")
    return setting.check(raw)


def unknown_key_hint(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(known)


def load_settings(path: str | Path, snapshot: bytes | None = None) -> Settings:
    """Read config.toml (missing file = defaults); a bad file names the key and exits 3.

    ``snapshot`` is what :func:`settings_snapshot` made of the file earlier: when the file
    is still the one it was made of (same size, modification time and inode), its values
    are taken from there without parsing TOML again.
    """
    signature = _signature(path)
    values = _from_snapshot(snapshot, signature) if snapshot else None
    if values is None:
        values = _read_config(str(path)) if signature is not None else {}
    sources: dict[str, str] = dict.fromkeys(SCHEMA, "default")
    sources.update(dict.fromkeys(values, str(path)))
    settings = Settings(sources, **values)
    if not settings.timezone:
        from leadtime.clock import machine_zone

        settings.timezone = machine_zone()
        settings.sources["timezone"] = "system"
    return settings


def settings_snapshot(path: str | Path) -> bytes | None:
    """The values of the config file as they are now, with the file's signature, for
    :func:`load_settings` to trust later; None when the file cannot be read or is bad."""
    import marshal

    signature = _signature(path)
    try:
        values = _read_config(str(path)) if signature is not None else {}
    except ConfigError:
        return None
    return marshal.dumps((_SNAPSHOT_VERSION, signature, values))


_SNAPSHOT_VERSION = 1  # of the snapshot's layout (values are the file's, checked, as stored)


def snapshot_is_current(snapshot: bytes, path: str | Path) -> bool:
    """Whether ``snapshot`` was made of the config file as it is now."""
    return _from_snapshot(snapshot, _signature(path)) is not None


def _signature(path: str | Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    import stat as modes

    if not modes.S_ISREG(stat.st_mode):
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _from_snapshot(
    snapshot: bytes, signature: tuple[int, int, int] | None
) -> dict[str, Any] | None:
    import marshal

    try:
        version, stored, values = marshal.loads(snapshot)
    except (ValueError, EOFError, TypeError):
        return None
    if version != _SNAPSHOT_VERSION or stored != signature or not isinstance(values, dict):
        return None
    if not set(values) <= set(SCHEMA):
        return None
    return values


def _read_config(path: str) -> dict[str, Any]:
    """The checked values config.toml sets (lists as tuples); ConfigError names the key."""
    values: dict[str, Any] = {}
    try:
        with open(path, "rb") as handle:
            data = read_toml(handle.read().decode("utf-8"))
    except ValueError as exc:  # not TOML, or not UTF-8
        raise ConfigError(f"{path}: {exc}", hint="fix the file or remove it") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: cannot read: Is a directory") from None
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
    return values


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
    """Read ``LEADTIME_NOW`` / ``--now`` (ISO 8601); a value without offset is a wall time in
    ``timezone``, read as ``--at`` reads one (:func:`leadtime.clock.parse_iso`)."""
    from leadtime.clock import RANGE_HINT, in_years, parse_iso

    try:
        value = parse_iso(text, timezone)
    except (ValueError, OverflowError):
        raise UsageError(
            f"cannot read {text!r} as the current time",
            hint="LEADTIME_NOW and --now take ISO 8601, e.g. 2026-11-20T17:00:00+01:00",
        ) from None
    if not in_years(value.year):
        raise UsageError(f"the current time {text!r} is out of range", hint=RANGE_HINT)
    return value


def current_time(override: str | None, timezone: str) -> datetime:
    """The one place that reads the wall clock; ``--now`` / ``LEADTIME_NOW`` win over it."""
    text = override or os.environ.get("LEADTIME_NOW")
    if text:
        return parse_now(text, timezone)
    return datetime.now(UTC).replace(microsecond=0)
