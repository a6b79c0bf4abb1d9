"""``leadtime config``: the effective settings, where each comes from, and changing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leadtime.app.workspace import Workspace
from leadtime.config import SCHEMA, parse_setting_value, write_setting
from leadtime.errors import UsageError


@dataclass(frozen=True)
class SettingView:
    key: str
    value: Any
    origin: str  # "default", "system" or the config file's path
    meaning: str


@dataclass(frozen=True)
class ConfigView:
    settings: tuple[SettingView, ...]
    files: dict[str, str]


def show(ws: Workspace) -> ConfigView:
    """Every setting with its value and origin, and where leadtime's files are."""
    from leadtime.secrets import mask_url

    settings, paths = ws.settings, ws.paths
    values = settings.as_dict()
    views = tuple(
        SettingView(key, values[key], settings.sources.get(key, "default"), setting.help)
        for key, setting in SCHEMA.items()
    )
    files = {
        "data directory": str(paths.data_dir),
        "config file": str(paths.config_file),
        "rules file": str(ws.rules_file or paths.rules_file),
        "database": mask_url(ws.database_url),
        "chosen by": paths.origin,
    }
    return ConfigView(views, files)


def set_value(ws: Workspace, key: str, text: str) -> Any:
    """Validate ``text`` for ``key`` and write it to config.toml; returns the value."""
    parsed = parse_setting_value(key, text)
    write_setting(ws.paths.config_file, key, list(parsed) if isinstance(parsed, tuple) else parsed)
    return parsed


def unset(ws: Workspace, key: str) -> None:
    """Remove ``key`` from config.toml so that its default applies."""
    if key not in SCHEMA:
        raise UsageError(f"unknown setting '{key}'", hint="known: " + ", ".join(SCHEMA))
    write_setting(ws.paths.config_file, key, None)
