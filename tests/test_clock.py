"""One clock: the same wall time, zone name or year means the same thing to every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import Home, Run


def started_at(cli: Run, now: str, *at: str) -> str:
    """Start a timer (at ``now``, or ``--at``) and give its start instant as JSON reports it."""
    done = cli("start", "Spike", *at, env={"LEADTIME_NOW": now})
    assert done.exit_code == 0, done.stderr
    status = cli("status", "--format", "json", env={"LEADTIME_NOW": now})
    assert cli("cancel", env={"LEADTIME_NOW": now}).exit_code == 0
    start: str = json.loads(status.stdout)["start"]
    return start


@pytest.mark.parametrize(
    ("wall", "instant"),
    [
        # Berlin's clocks go back at 03:00 CEST: 02:30 happens twice; the later one is CET
        ("2026-10-25T02:30", "2026-10-25T01:30:00Z"),
        # and forward at 02:00 CET: 02:30 is skipped; it moves forward by the jump
        ("2026-03-29T02:30", "2026-03-29T01:30:00Z"),
        ("2026-11-20T09:15", "2026-11-20T08:15:00Z"),
    ],
)
def test_a_wall_time_is_one_instant_whether_it_is_now_or_at(
    cli: Run, wall: str, instant: str
) -> None:
    """LEADTIME_NOW and --at read the same wall time as the same instant, even when the
    clocks change around it."""
    assert started_at(cli, wall) == instant
    assert started_at(cli, "2026-11-20T18:00", "--at", wall.replace("T", " ")) == instant


@pytest.mark.parametrize(
    ("args", "now"),
    [
        (("report", "--from", "1969-12-29"), None),
        (("report", "--week", "1969-W52"), None),
        (("report", "--week", "9999-W01"), None),
        (("log", "Spike", "5m", "--at", "9999-01-01 10:00"), None),
        (("report",), "1969-12-31T12:00"),
        (("log", "Spike", "5m"), "9999-06-01T12:00"),
    ],
)
def test_every_command_keeps_the_same_years_and_says_which(
    cli: Run, home: Home, args: tuple[str, ...], now: str | None
) -> None:
    done = cli(*args, env={"LEADTIME_NOW": now} if now else None)
    assert done.exit_code == 2, done.stderr
    assert done.stderr.startswith("error: ")
    assert "hint: leadtime covers 1970 to 9998" in done.stderr
    assert not home.db.exists() or cli("ls", "--format", "json").stdout.strip() in ("[]", "")


@pytest.mark.parametrize(
    ("args", "now"),
    [
        (("log", "Spike", "5m", "--at", "1970-01-05 10:00"), "1970-01-05T12:00"),
        (("log", "Spike", "5m", "--at", "9998-12-20 10:00"), "9998-12-20T12:00"),
    ],
)
def test_the_first_and_last_years_are_kept(cli: Run, args: tuple[str, ...], now: str) -> None:
    assert cli(*args, env={"LEADTIME_NOW": now}).exit_code == 0
    report = cli("report", "--weeks", "1", "--format", "json", env={"LEADTIME_NOW": now})
    assert report.exit_code == 0, report.stderr


def test_an_unknown_zone_is_named_with_the_closest_real_one_wherever_it_is_set(
    cli: Run, home: Home
) -> None:
    home.config.write_text('timezone = "Europe/Berln"\n', encoding="utf-8")
    from_config = cli("report")
    assert from_config.exit_code == 3
    assert "unknown time zone 'Europe/Berln'; did you mean Europe/Berlin?" in from_config.stderr

    home.config.write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")
    from_option = cli("report", "--tz", "America/New_Yrok")
    assert from_option.exit_code == 2
    assert "unknown time zone 'America/New_Yrok'" in from_option.stderr
    assert "America/New_York" in from_option.stderr


def test_an_import_since_the_first_day_kept_reads_from_it_east_of_utc(
    cli: Run, tmp_path: Path
) -> None:
    """1970-01-01 00:00 in Berlin is 1969 in UTC: --since takes it as every command does."""
    calendar = tmp_path / "one.ics"
    calendar.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:one\r\n"
        b"DTSTAMP:20261101T000000Z\r\nDTSTART:20261118T090000Z\r\nDTEND:20261118T100000Z\r\n"
        b"SUMMARY:Design review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    done = cli("import", str(calendar), "--since", "1970-01-01")
    assert done.exit_code == 0, done.stderr
    assert "1 added" in done.stdout
    assert cli("import", str(calendar), "--since", "1969-12-31").exit_code == 2
