"""Where leadtime keeps its files, config.toml's schema, `config set` values and the clock."""

from __future__ import annotations

import stat
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadtime.clock import machine_zone
from leadtime.config import (
    SCHEMA,
    Settings,
    current_time,
    load_settings,
    parse_now,
    parse_setting_value,
    resolve_paths,
    write_setting,
)
from leadtime.errors import ConfigError, ExitCode, UsageError

# --------------------------------------------------------------------------- paths


def test_leadtime_home_holds_everything(tmp_path: Path) -> None:
    paths = resolve_paths({"LEADTIME_HOME": str(tmp_path / "lt")})
    assert paths.origin == "LEADTIME_HOME"
    assert paths.data_dir == paths.config_dir == tmp_path / "lt"
    assert paths.database == tmp_path / "lt" / "leadtime.db"
    assert paths.config_file == tmp_path / "lt" / "config.toml"
    assert paths.rules_file == tmp_path / "lt" / "rules.toml"
    assert paths.database_url == f"sqlite:///{tmp_path / 'lt' / 'leadtime.db'}"


def test_leadtime_home_may_start_with_a_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_paths({"LEADTIME_HOME": "~/lt"}).data_dir == tmp_path / "lt"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG directories are Linux's")
@pytest.mark.parametrize("environ", [{}, {"LEADTIME_HOME": ""}])
def test_without_leadtime_home_the_platform_directories_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    paths = resolve_paths(environ)
    assert paths.origin == "platform directories"
    assert paths.database == tmp_path / "data" / "leadtime" / "leadtime.db"
    assert paths.config_file == tmp_path / "config" / "leadtime" / "config.toml"
    assert paths.rules_file == tmp_path / "config" / "leadtime" / "rules.toml"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG directories are Linux's")
@pytest.mark.parametrize(
    "xdg",
    [
        {},  # the defaults under HOME
        {"XDG_DATA_HOME": "/srv/data", "XDG_CONFIG_HOME": "/srv/config"},
        {"XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": ""},  # not absolute: ignored
        {"XDG_DATA_HOME": "   ", "XDG_CONFIG_HOME": "/srv/config/"},
    ],
)
@pytest.mark.parametrize("home_dir", ["/home/dana", "/home/dana/", "/"])
def test_the_xdg_directories_are_where_platformdirs_puts_them(
    monkeypatch: pytest.MonkeyPatch, xdg: dict[str, str], home_dir: str
) -> None:
    """Read without loading platformdirs (it costs more than a whole status), and held here
    to platformdirs' own answers."""
    import platformdirs

    for name in ("LEADTIME_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", home_dir)
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    paths = resolve_paths()
    assert paths.data_home == platformdirs.user_data_dir("leadtime", appauthor=False)
    assert paths.config_home == platformdirs.user_config_dir("leadtime", appauthor=False)


def test_a_snapshot_stands_for_the_file_only_while_the_file_is_unchanged(tmp_path: Path) -> None:
    from leadtime.config import settings_snapshot, snapshot_is_current

    missing = tmp_path / "config.toml"
    snapshot = settings_snapshot(missing)
    assert snapshot is not None and snapshot_is_current(snapshot, missing)
    assert load_settings(missing, snapshot).target == 70.0
    write(missing, "target = 65\n")
    assert not snapshot_is_current(snapshot, missing)
    fresh = settings_snapshot(missing)
    assert fresh is not None and load_settings(missing, fresh).target == 65.0
    write(missing, "target = 60.0\n")  # one byte longer: another file
    assert load_settings(missing, fresh).target == 60.0
    assert not snapshot_is_current(b"not a snapshot", missing)


def test_the_given_environment_wins_over_the_process_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADTIME_HOME", str(tmp_path / "process"))
    assert resolve_paths({"LEADTIME_HOME": str(tmp_path / "given")}).data_dir == (
        tmp_path / "given"
    )
    assert resolve_paths().data_dir == tmp_path / "process"


# --------------------------------------------------------------------------- settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "config.toml")
    assert settings.as_dict() == {**Settings().as_dict(), "timezone": settings.timezone}
    assert settings.target == 70.0 and settings.tolerance == 5.0 and settings.min_hours == 4.0
    assert settings.me == () and settings.max_unclassified is None
    assert settings.timezone  # the machine's zone, never empty
    assert settings.sources["timezone"] == "system"
    assert {settings.sources[k] for k in SCHEMA if k != "timezone"} == {"default"}


def test_values_in_the_file_are_read_and_their_source_named(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        'timezone = "America/New_York"\n'
        'me = ["Dana@Example.com", "mailto:dana@corp.example"]\n'
        "target = 65\ntolerance = 7.5\nmin_hours = 6\nmax_unclassified = 20\n"
        "horizon_weeks = 12\n",
    )
    settings = load_settings(path)
    assert settings.timezone == "America/New_York"
    assert settings.me == ("dana@example.com", "dana@corp.example")
    assert settings.target == 65.0 and isinstance(settings.target, float)
    assert settings.tolerance == 7.5
    assert settings.min_hours == 6.0
    assert settings.max_unclassified == 20.0
    assert settings.horizon_weeks == 12
    assert settings.sources["target"] == str(path)
    assert settings.sources["timezone"] == str(path)


def test_working_hours_are_read_from_the_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml").work_hours == "mon-fri 09:00-17:00"
    path = write(tmp_path / "config.toml", 'work_hours = "mon-thu 08:00-16:00"\n')
    assert load_settings(path).work_hours == "mon-thu 08:00-16:00"


def test_a_single_address_may_be_a_string(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'me = "dana@example.com"\n')
    assert load_settings(path).me == ("dana@example.com",)


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    error = caught.value
    assert error.exit_code == ExitCode.CONFIG
    assert str(path) in error.message
    assert "\n" not in error.message
    return error


def test_bad_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    error = config_error(write(tmp_path / "config.toml", "target = \n"))
    assert error.hint == "fix the file or remove it"


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'timezone = "Europe/Z\xfcrich"\n')
    config_error(path)


def test_an_unknown_key_is_named_with_the_closest_known_one(tmp_path: Path) -> None:
    error = config_error(write(tmp_path / "config.toml", "targt = 70\n"))
    assert "'targt'" in error.message
    assert error.hint == "did you mean 'target'?"


def test_an_unknown_key_far_from_all_lists_the_known_ones(tmp_path: Path) -> None:
    error = config_error(write(tmp_path / "config.toml", "colour = 'red'\n"))
    assert error.hint is not None
    for key in ("timezone", "me", "target", "tolerance", "min_hours", "horizon_weeks"):
        assert key in error.hint


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('target = "seventy"', "target"),
        ("target = true", "target"),
        ("tolerance = [5]", "tolerance"),
        ("min_hours = 'four'", "min_hours"),
        ("horizon_weeks = 2.5", "horizon_weeks"),
        ('horizon_weeks = "8"', "horizon_weeks"),
        ("me = 42", "me"),
        ("me = [1, 2]", "me"),
        ('me = ["not an address"]', "me"),
        ("timezone = 1", "timezone"),
        ('timezone = "Mars/Olympus_Mons"', "timezone"),
        ('work_hours = "mon-fri 9-5"', "work_hours"),
        ("work_hours = 9", "work_hours"),
    ],
)
def test_a_wrong_value_is_a_config_error_naming_the_key(
    tmp_path: Path, line: str, key: str
) -> None:
    error = config_error(write(tmp_path / "config.toml", line + "\n"))
    assert f": {key}: " in error.message


@pytest.mark.parametrize(
    "line",
    ["target = 150", "target = -1", "tolerance = 101", "min_hours = -2", "horizon_weeks = 0"],
)
def test_values_outside_any_sensible_range_are_refused(tmp_path: Path, line: str) -> None:
    key = line.split()[0]
    error = config_error(write(tmp_path / "config.toml", line + "\n"))
    assert f": {key}: " in error.message


# --------------------------------------------------------------------------- config set


def test_setting_values_are_read_as_the_schema_says() -> None:
    assert parse_setting_value("target", "72") == 72.0
    assert parse_setting_value("target", "72%") == 72.0
    assert parse_setting_value("tolerance", "2.5") == 2.5
    assert parse_setting_value("min_hours", "6") == 6.0
    assert parse_setting_value("horizon_weeks", "6") == 6
    assert parse_setting_value("timezone", "Asia/Tokyo") == "Asia/Tokyo"
    assert parse_setting_value("me", "Dana@Example.com, ,lee@example.org") == [
        "dana@example.com",
        "lee@example.org",
    ]


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("target", "seventy"),
        ("target", "150"),
        ("horizon_weeks", "two"),
        ("horizon_weeks", "0"),
        ("timezone", "Mars/Olympus_Mons"),
        ("me", "nobody"),
        ("target", "nan"),
        ("work_hours", "mon-fri 9-5"),
    ],
)
def test_a_bad_setting_value_is_a_config_error_with_the_meaning_as_hint(
    key: str, text: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_setting_value(key, text)
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith(f"{key}: ")
    assert caught.value.hint == f"{key}: {SCHEMA[key].help}"


def test_an_unknown_setting_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError) as caught:
        parse_setting_value("tolerence", "5")
    assert "'tolerence'" in caught.value.message
    assert caught.value.hint == "did you mean 'tolerance'?"


def test_write_setting_round_trips_and_keeps_the_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'timezone = "Europe/Berlin"\n')
    write_setting(path, "target", parse_setting_value("target", "65"))
    write_setting(path, "me", parse_setting_value("me", "dana@example.com"))
    settings = load_settings(path)
    assert settings.timezone == "Europe/Berlin"
    assert settings.target == 65.0
    assert settings.me == ("dana@example.com",)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    write_setting(path, "target", None)
    assert "target" not in tomllib.loads(path.read_text(encoding="utf-8"))
    assert load_settings(path).target == 70.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_write_setting_creates_the_file_and_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "config" / "leadtime" / "config.toml"
    write_setting(path, "horizon_weeks", 4)
    assert load_settings(path).horizon_weeks == 4
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_write_setting_refuses_to_rewrite_a_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "targt = 70\n")
    with pytest.raises(ConfigError):
        write_setting(path, "target", 65.0)
    assert path.read_text(encoding="utf-8") == "targt = 70\n"


# --------------------------------------------------------------------------- the clock


def test_now_with_an_offset_is_that_instant_in_utc() -> None:
    assert parse_now("2026-11-20T18:00:00+01:00", "Asia/Tokyo") == datetime(
        2026, 11, 20, 17, 0, tzinfo=UTC
    )


def test_now_without_an_offset_is_read_in_the_zone_with_its_summer_time() -> None:
    assert parse_now("2026-11-20T18:00:00", "Europe/Berlin") == datetime(
        2026, 11, 20, 17, 0, tzinfo=UTC
    )
    assert parse_now(" 2026-07-01T12:00 ", "Europe/Berlin") == datetime(
        2026, 7, 1, 10, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["tomorrow", "20/11/2026", ""])
def test_an_unreadable_now_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_now(text, "UTC")
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.hint is not None and "ISO 8601" in caught.value.hint


def test_a_now_outside_the_calendar_leadtime_covers_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        parse_now("0001-01-01T00:00:00Z", "UTC")
    assert "out of range" in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE


def test_the_override_wins_over_leadtime_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADTIME_NOW", "2026-01-05T09:00:00Z")
    assert current_time("2026-11-20T18:00:00+01:00", "UTC") == datetime(
        2026, 11, 20, 17, 0, tzinfo=UTC
    )
    assert current_time(None, "UTC") == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    monkeypatch.setenv("LEADTIME_NOW", "2026-01-05T09:00:00")
    assert current_time(None, "America/New_York") == datetime(2026, 1, 5, 14, 0, tzinfo=UTC)


def test_without_an_override_the_clock_is_utc_to_the_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LEADTIME_NOW", raising=False)
    now = current_time(None, "Europe/Berlin")
    assert now.tzinfo is UTC
    assert now.microsecond == 0


def test_the_system_zone_comes_from_tz_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert machine_zone() == "Asia/Tokyo"
    monkeypatch.setenv("TZ", "No/Such_Zone")
    assert machine_zone() != "No/Such_Zone"
