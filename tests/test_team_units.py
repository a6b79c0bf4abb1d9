"""The team view without a server: addresses, settings, passwords, rendering, and what an
import loads when the team is not asked for."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import Home, Run
from leadtime.errors import InputError, UsageError
from leadtime.reports.numbers import Verdict
from leadtime.team.address import parse_team_address, team_password
from leadtime.team.records import OwnWeek, Published, TeamReport, TeamWeek

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "tech-lead.ics")


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("postgresql://dana@db.example.com/leads", "postgresql://dana@db.example.com/leads"),
        ("postgres://Dana@DB.example.com:6432/leads", "postgresql://Dana@db.example.com:6432/leads"),
        ("postgresql+psycopg://dana@db/leads?sslmode=verify-full",
         "postgresql://dana@db/leads?sslmode=verify-full"),
        ("postgresql://dana%40corp@[::1]:5432/leads", "postgresql://dana%40corp@[::1]:5432/leads"),
    ],
)  # fmt: skip
def test_a_team_address_is_stored_in_one_form(text: str, stored: str) -> None:
    assert str(parse_team_address(text)) == stored
    assert str(parse_team_address(stored)) == stored


def test_an_address_gives_libpq_its_parameters_without_a_password() -> None:
    address = parse_team_address(
        "postgresql://dana%40corp@db.example.com:6432/leads?sslmode=require"
    )
    assert address.connect_args() == {
        "user": "dana@corp", "dbname": "leads", "host": "db.example.com", "port": 6432,
        "sslmode": "require", "connect_timeout": "10", "application_name": "leadtime",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("postgresql://dana:s3cret-pw@db/leads", "contains a password"),
        ("postgresql://dana@db/leads?password=s3cret-pw", "contains a password"),
        ("postgresql://dana@db/leads?sslpassword=s3cret-pw", "contains a password"),
        ("mysql://dana@db/leads", "not a PostgreSQL address"),
        ("postgresql://db/leads", "names no role"),
        ("postgresql://dana@db/", "names no database"),
        ("postgresql://dana@db:99999/leads", "bad port"),
        ("postgresql://dana@db/leads?options=-csearch_path%3Devil", "does not pass on: options"),
    ],
)
def test_a_bad_address_is_a_usage_error_that_never_shows_the_password(
    text: str, complaint: str
) -> None:
    with pytest.raises(UsageError) as caught:
        parse_team_address(text)
    assert complaint in caught.value.message
    assert "s3cret-pw" not in caught.value.message + (caught.value.hint or "")


def test_the_team_setting_takes_only_an_address_without_a_password(cli: Run, home: Home) -> None:
    refused = cli("config", "set", "team", "postgresql://dana:hunter2@db/leads")
    assert refused.exit_code == 3 and "hunter2" not in refused.stderr
    assert cli("config", "set", "team_publish", "sometimes").exit_code == 3
    assert cli("config", "set", "team_publish", "auto").exit_code == 0
    shown = json.loads(cli("config", "show", "--json").stdout)["settings"]
    assert shown["team_publish"] == "auto" and shown["team"] is None


def test_the_team_password_comes_from_the_environment_the_keyring_then_the_prompt() -> None:
    address = parse_team_address("postgresql://dana@db.example.com/leads")
    keyring = {("leadtime-team:db.example.com", "dana"): "from-keyring"}
    asked: list[str] = []

    def prompt(question: str) -> str:
        asked.append(question)
        return "typed"

    def lookup(service: str, user: str) -> str | None:
        return keyring.get((service, user))

    environ = {"LEADTIME_TEAM_PASSWORD": "from-env"}
    assert team_password(address, environ=environ, prompt=prompt, keyring_lookup=lookup) == (
        "from-env"
    )
    assert team_password(address, environ={}, prompt=prompt, keyring_lookup=lookup) == (
        "from-keyring"
    )
    assert asked == []
    keyring.clear()
    assert team_password(address, environ={}, prompt=prompt, keyring_lookup=lookup) == "typed"
    assert asked == ["team password for dana at db.example.com: "]
    assert team_password(address, environ={}, prompt=None, keyring_lookup=lookup,
                         required=False) is None  # fmt: skip
    with pytest.raises(InputError) as caught:
        team_password(address, environ={}, prompt=None, keyring_lookup=lookup)
    assert caught.value.hint == (
        "set LEADTIME_TEAM_PASSWORD, or store it with: "
        "keyring set leadtime-team:db.example.com dana"
    )


# --------------------------------------------------------------------------- rendering


def report_with_untrusted_labels() -> TeamReport:
    shown = TeamWeek(
        "2026-W46", date(2026, 11, 9), 6, 0.61, 0.686, 0.724, 3, 2, 1,
        minutes={"leadership": 690.0, "hands-on": 300.0},
        activities={"leadership": {"\x1b[31mred\x1b]0;owned\x07": 60.0, "review": 300.0,
                                   "**bold** | pipe": 30.0}},
        you=OwnWeek(0.71, Verdict.ON_TARGET),
    )  # fmt: skip
    hidden = TeamWeek("2026-W47", date(2026, 11, 16), None, you=None)
    return TeamReport("postgresql://dana@db/leads", 5, (shown, hidden))


def test_the_json_form_has_numbers_only_for_a_week_with_enough_leads() -> None:
    from leadtime.render.team import team_json

    data = json.loads(team_json(report_with_untrusted_labels()))
    shown, hidden = data["weeks"]
    assert data["min_group"] == 5
    assert shown["median_share"] == 68.6 and shown["p25_share"] == 61.0
    assert shown["p75_share"] == 72.4 and shown["leads"] == 6
    assert (shown["on_target"], shown["too_hands_on"], shown["too_hands_off"]) == (3, 2, 1)
    assert shown["you"] == {"share": 71.0, "verdict": "on-target"}
    assert hidden == {"week": "2026-W47", "start": "2026-11-16", "end": "2026-11-22",
                      "suppressed": True, "you": None}  # fmt: skip


def test_labels_from_other_members_reach_no_terminal_or_markdown_as_code() -> None:
    from leadtime.render.team import team_markdown, team_table

    report = report_with_untrusted_labels()
    table = team_table(report)
    assert "\x1b" not in table and "\x07" not in table
    assert "review 5.0 h" in table and "fewer than 5 leads" in table
    markdown = team_markdown(report)
    assert "\\*\\*bold\\*\\* \\| pipe 0.5 h" in markdown
    assert "\x1b" not in markdown


def test_what_publish_says() -> None:
    from leadtime.render.team import published_text

    document = {"from": "2026-W43", "to": "2026-W46", "weeks": [{}, {}]}
    sent = Published("postgresql://dana@db/leads", document, ("2026-W43",), dry_run=False)
    assert published_text(sent) == (
        "published 2 weeks of 2026-W43..2026-W46 to postgresql://dana@db/leads; "
        "not enough data to judge: 2026-W43"
    )
    dry = Published(None, {**document, "weeks": [{}]}, (), dry_run=True)
    assert published_text(dry) == "would publish 1 week of 2026-W43..2026-W46"


# --------------------------------------------------------------------------- start-up


def loaded_modules(home: Home, *args: str) -> set[str]:
    """The modules a real ``leadtime`` process imports for ``args`` (-X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "leadtime", *args],
        capture_output=True, text=True, env=home.env(), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }


def test_an_import_loads_nothing_of_the_team_when_team_publish_is_off(home: Home) -> None:
    home.config.write_text(
        'timezone = "Europe/Berlin"\nteam = "postgresql://dana@db.example.com/leads"\n'
    )
    first = loaded_modules(home, "import", EXAMPLE)  # creates the database
    again = loaded_modules(home, "import")  # the bare import a cron job runs
    assert "leadtime.cli.run" in first and "leadtime.cli.run" in again  # seen at all
    team = ("psycopg", "leadtime.team.", "leadtime.app.team")
    light = {"leadtime.team.address", "leadtime.team.schema"}  # names and parsing only
    for loaded in (first, again):
        assert not {m for m in loaded if m.startswith(team) and m not in light}


def test_the_publish_function_takes_the_same_lock_as_leave_and_remove() -> None:
    from leadtime.team.migrations.versions import team_0001
    from leadtime.team.schema import PUBLISH_LOCK

    assert f"pg_advisory_xact_lock({PUBLISH_LOCK})" in team_0001.UPGRADE


def test_without_the_driver_a_team_command_says_how_to_install_it(
    cli: Run, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.config.write_text(
        'timezone = "Europe/Berlin"\nteam = "postgresql://dana@db.example.com/leads"\n'
    )
    monkeypatch.setitem(sys.modules, "psycopg2", None)  # as if it were not installed
    result = cli("team", "report")
    assert result.exit_code == 4
    assert result.stderr.startswith("error: the team view needs the PostgreSQL driver psycopg2")
    assert "pipx inject leadtime psycopg2-binary" in result.stderr


def test_the_command_line_declares_the_minimum_group_the_database_enforces() -> None:
    from leadtime.cli.spec import TEAM_INIT
    from leadtime.team.schema import MIN_GROUP_CEILING, MIN_GROUP_DEFAULT, MIN_GROUP_FLOOR

    (option,) = TEAM_INIT.options
    assert (option.low, option.high) == (MIN_GROUP_FLOOR, MIN_GROUP_CEILING)
    assert f"(new team: {MIN_GROUP_DEFAULT})" in option.help


def test_the_team_commands_are_read_without_the_framework() -> None:
    from leadtime.cli.reader import read

    for line in [("team", "report", "--weeks", "52"), ("team", "publish", "--dry-run"),
                 ("team", "report", "-f", "json"), ("team", "leave", "--yes")]:  # fmt: skip
        assert read(line) is not None, line
    assert read(("team", "init", "postgresql://a@b/c", "--min-group", "2")) is None  # Typer says
