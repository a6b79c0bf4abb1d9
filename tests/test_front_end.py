"""What a new user meets first: numbers that mean what they look like, and refusals that name
options that exist — validated once in the use cases, whichever front end read the line."""

from __future__ import annotations

import json

import pytest

from conftest import Run


def logged(cli: Run) -> list[dict]:
    return json.loads(cli("ls", "--format", "json").stdout)


@pytest.mark.parametrize(
    ("text", "spelled"), [("9:30", "9h30m"), ("14:00", "14h"), ("5:05", "5h05m")]
)
def test_a_duration_written_like_a_time_of_day_is_refused(
    cli: Run, text: str, spelled: str
) -> None:
    done = cli("log", "Standup", text)
    assert done.exit_code == 2
    assert done.stderr.splitlines()[0] == (
        f"error: {text} looks like a time of day: use --at {text}, or {spelled} for a duration"
    )
    assert logged(cli) == []


def test_a_short_clock_duration_still_reads_as_hours_and_minutes(cli: Run) -> None:
    done = cli("log", "Code review", "1:30", "--at", "10:00")
    assert done.exit_code == 0, done.stderr
    assert [e["minutes"] for e in logged(cli)] == [90.0]


def test_an_entry_over_eight_hours_needs_yes(cli: Run) -> None:
    refused = cli("log", "Offsite", "9h", "--at", "08:00")
    assert refused.exit_code == 2 and "over 8 h; nothing was logged" in refused.stderr
    assert "--yes" in refused.stderr and logged(cli) == []
    accepted = cli("log", "Offsite", "9h", "--at", "08:00", "--yes")
    assert accepted.exit_code == 0 and [e["minutes"] for e in logged(cli)] == [540.0]


def test_a_timer_over_eight_hours_is_not_logged_without_yes(cli: Run) -> None:
    assert cli("start", "Spike", "--at", "08:00").exit_code == 0
    refused = cli("stop")
    assert refused.exit_code == 2 and "the timer has run 10h" in refused.stderr
    assert "stop --at WHEN" in refused.stderr and "running: 'Spike'" in cli("status").stdout
    assert cli("stop", "--yes").exit_code == 0 and logged(cli)[0]["minutes"] == 600.0


def test_stop_warns_of_an_overlap_as_log_does(cli: Run) -> None:
    assert cli("log", "Code review", "1h", "--at", "16:00").exit_code == 0
    assert cli("start", "Spike", "--at", "16:30").exit_code == 0
    done = cli("stop")
    assert done.exit_code == 0
    assert "warning: it overlaps" in done.stderr and "'Code review'" in done.stderr


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("check", "--target", "0.7"), "--target 0.7: must be a percentage from 1 to 99",
         "did you mean 70?"),
        (("check", "--tolerance", "nan"), "--tolerance nan: must be percentage points", None),
        (("report", "--by", "tags"), "--by tags: not a breakdown", "did you mean 'tag'?"),
    ],
)  # fmt: skip
def test_thresholds_and_breakdowns_are_checked_as_their_settings_are(
    cli: Run, args: tuple[str, ...], message: str, hint: str | None
) -> None:
    done = cli(*args)
    assert done.exit_code == 2
    assert message in done.stderr.splitlines()[0]
    if hint:
        assert hint in done.stderr


def test_stop_before_the_timer_started_names_what_stop_takes(cli: Run) -> None:
    assert cli("start", "Spike", "--at", "17:30").exit_code == 0
    done = cli("stop", "--at", "17:00")
    assert done.exit_code == 4
    assert "the end is before the start" in done.stderr
    assert "swap --from and --to" not in done.stderr and "--at" in done.stderr


def test_a_timer_of_no_time_points_to_cancel(cli: Run) -> None:
    assert cli("start", "Spike", "--at", "17:30").exit_code == 0
    done = cli("stop", "--at", "17:30")
    assert done.exit_code == 4 and "leadtime cancel" in done.stderr
    assert "duration such as 45m" not in done.stderr


def test_a_tag_with_the_equals_sign_click_leaves_is_refused(cli: Run) -> None:
    done = cli("log", "Code review", "30m", "-t=review")
    assert done.exit_code == 2 and "write -t review or --tag=review" in done.stderr
