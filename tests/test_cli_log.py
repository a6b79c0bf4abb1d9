"""Daily logging from the terminal: log, timer, ls, edit, rm, classify, export/restore."""

from __future__ import annotations

import json
import sqlite3

from conftest import Home, Run


def entries(cli: Run, *args: str) -> list[dict]:
    result = cli("ls", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def count_rows(home: Home) -> int:
    if not home.db.exists():  # nothing was ever written
        return 0
    with sqlite3.connect(home.db) as conn:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]


# --------------------------------------------------------------------------- log


def test_log_ends_now_by_default(cli: Run) -> None:
    result = cli("log", "Reviewed the auth RFC", "45m")
    assert result.exit_code == 0, result.stderr
    assert "Reviewed the auth RFC" in result.stdout
    (entry,) = entries(cli)
    # now = 2026-11-20 18:00 Berlin (17:00 UTC); 45 minutes back
    assert (entry["start"], entry["end"]) == ("2026-11-20T16:15:00Z", "2026-11-20T17:00:00Z")
    assert entry["origin"] == "log"
    assert len(entry["id"]) == 8


def test_log_at_a_start_time(cli: Run) -> None:
    assert cli("log", "Fixed the flaky login test", "1h30", "--at", "14:00").exit_code == 0
    (entry,) = entries(cli)
    assert (entry["start"], entry["end"]) == ("2026-11-20T13:00:00Z", "2026-11-20T14:30:00Z")


def test_log_from_to_on_an_earlier_weekday(cli: Run) -> None:
    result = cli("log", "Architecture sync", "--from", "mon 9:30", "--to", "mon 11:00")
    assert result.exit_code == 0, result.stderr
    (entry,) = entries(cli)
    assert (entry["start"], entry["end"]) == ("2026-11-16T08:30:00Z", "2026-11-16T10:00:00Z")


def test_log_with_tags_note_and_manual_category(cli: Run) -> None:
    result = cli(
        "log", "Parser prototype", "2h", "--tag", "parser", "-t", "#q4",
        "--note", "tried a PEG grammar", "--as", "hands-on:spike",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    (entry,) = entries(cli)
    assert entry["tags"] == ["parser", "q4"]
    assert entry["note"] == "tried a PEG grammar"
    assert (entry["category"], entry["activity"], entry["decided_by"]) == (
        "hands-on", "spike", "manual",
    )  # fmt: skip


def test_log_is_classified_by_the_default_rules(cli: Run) -> None:
    cli("log", "Code review of the billing PR", "30m")
    (entry,) = entries(cli)
    assert entry["category"] == "leadership"
    assert entry["decided_by"] not in (None, "manual")


def test_bad_duration_is_a_usage_error_quoting_the_value(cli: Run, home: Home) -> None:
    result = cli("log", "Something", "7x")
    assert result.exit_code == 2
    assert "error: " in result.stderr and "'7x'" in result.stderr
    assert "hint: " in result.stderr
    assert count_rows(home) == 0


def test_zero_and_overlong_durations_are_refused(cli: Run, home: Home) -> None:
    for duration in ("0m", "25h"):
        result = cli("log", "Something", duration)
        assert result.exit_code == 4, (duration, result.stderr)
        assert result.stderr.startswith("error: ")
    assert count_rows(home) == 0


def test_end_before_start_is_refused(cli: Run, home: Home) -> None:
    result = cli("log", "Backwards", "--from", "15:00", "--to", "14:00")
    assert result.exit_code == 4
    assert "before the start" in result.stderr
    assert count_rows(home) == 0


def test_unknown_category_for_as(cli: Run) -> None:
    result = cli("log", "Something", "1h", "--as", "meetings")
    assert result.exit_code == 2
    assert "unknown category 'meetings'" in result.stderr


# --------------------------------------------------------------------------- timer


def test_timer_start_status_stop(cli: Run) -> None:
    assert cli("start", "Spike: streaming parser", "--at", "16:30").exit_code == 0
    status = cli("status")
    assert "Spike: streaming parser" in status.stdout and "1h30m" in status.stdout
    assert cli("stop").exit_code == 0
    (entry,) = entries(cli)
    assert entry["origin"] == "timer"
    assert (entry["start"], entry["end"]) == ("2026-11-20T15:30:00Z", "2026-11-20T17:00:00Z")
    assert "no timer running" in cli("status").stdout


def test_start_while_running_and_stop_without_timer(cli: Run, home: Home) -> None:
    assert cli("stop").exit_code == 4
    assert cli("start", "First", "--at", "17:00").exit_code == 0
    second = cli("start", "Second")
    assert second.exit_code == 4
    assert "already running" in second.stderr and "hint:" in second.stderr
    assert cli("cancel").exit_code == 0
    assert cli("cancel").exit_code == 4
    assert count_rows(home) == 0


def test_stop_at_an_earlier_time(cli: Run) -> None:
    cli("start", "Debugging the cache", "--at", "15:00")
    assert cli("stop", "--at", "16:10").exit_code == 0
    (entry,) = entries(cli)
    assert entry["minutes"] == 70


# --------------------------------------------------------------------------- ls


def test_ls_filters_by_period_source_and_category(cli: Run) -> None:
    cli("log", "Old spike", "1h", "--at", "2026-11-09 10:00", "--as", "hands-on")
    cli("log", "Mentoring Ana", "1h", "--at", "mon 10:00", "--as", "leadership:mentoring")
    cli("start", "Bug bash", "--at", "16:00", "--as", "hands-on:bugfix")
    cli("stop")
    assert [e["title"] for e in entries(cli)] == ["Mentoring Ana", "Bug bash"]
    assert [e["title"] for e in entries(cli, "--week", "2026-W46")] == ["Old spike"]
    assert [e["title"] for e in entries(cli, "--weeks", "2")] == [
        "Old spike", "Mentoring Ana", "Bug bash",
    ]  # fmt: skip
    assert [e["title"] for e in entries(cli, "--source", "timer")] == ["Bug bash"]
    assert [e["title"] for e in entries(cli, "--category", "leadership")] == ["Mentoring Ana"]
    assert [e["title"] for e in entries(cli, "--from", "2026-11-09", "--to", "2026-11-09")] == [
        "Old spike"
    ]


def test_ls_table_and_csv(cli: Run) -> None:
    cli("log", "Hiring interview", "1h", "--at", "10:00")
    table = cli("ls")
    assert "Hiring interview" in table.stdout and "1 entry, 1h" in table.stdout
    csv_out = cli("ls", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,start,end,minutes,title")
    assert "Hiring interview" in csv_out[1]


# --------------------------------------------------------------------------- edit, rm, classify


def test_edit_changes_title_times_and_reclassifies(cli: Run) -> None:
    cli("log", "Something", "30m", "--at", "10:00")
    (entry,) = entries(cli)
    result = cli(
        "edit", entry["id"], "--title", "Sprint planning", "--duration", "1h", "-t", "team"
    )
    assert result.exit_code == 0, result.stderr
    (edited,) = entries(cli)
    assert edited["id"] == entry["id"]
    assert edited["title"] == "Sprint planning" and edited["tags"] == ["team"]
    assert (edited["start"], edited["end"]) == ("2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z")
    assert edited["category"] == "leadership"


def test_edit_refuses_a_negative_span(cli: Run) -> None:
    cli("log", "Something", "30m", "--at", "10:00")
    (entry,) = entries(cli)
    assert cli("edit", entry["id"], "--end", "09:00").exit_code == 4
    assert entries(cli) == [entry]


def test_rm_unknown_id(cli: Run) -> None:
    result = cli("rm", "zzzzzzzz", "--yes")
    assert result.exit_code == 4
    assert "no entry with id 'zzzzzzzz'" in result.stderr


def test_rm_asks_unless_yes(cli: Run) -> None:
    cli("log", "One", "30m", "--at", "9:00")
    cli("log", "Two", "30m", "--at", "10:00")
    one, two = entries(cli)
    refused = cli("rm", one["id"])
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert len(entries(cli)) == 2
    assert cli("rm", one["id"][:5], "--yes").exit_code == 0  # a unique prefix works
    assert entries(cli) == [two]


def test_classify_and_clear(cli: Run) -> None:
    cli("log", "Code review of the billing PR", "30m")
    (entry,) = entries(cli)
    assert cli("classify", entry["id"], "hands-on:pairing").exit_code == 0
    (manual,) = entries(cli)
    assert (manual["category"], manual["activity"], manual["decided_by"]) == (
        "hands-on", "pairing", "manual",
    )  # fmt: skip
    assert cli("classify", entry["id"], "--clear").exit_code == 0
    (cleared,) = entries(cli)
    assert cleared["category"] == "leadership" and cleared["decided_by"] != "manual"


# --------------------------------------------------------------------------- export / restore


def test_export_restore_round_trip(cli: Run, home: Home, tmp_path, monkeypatch) -> None:
    cli("log", "Reviewed the auth RFC", "45m", "--tag", "auth", "--note", "two comments")
    cli("log", "Prototype", "2h", "--at", "mon 13:00", "--as", "hands-on:spike")
    exported = cli("export").stdout
    other = tmp_path / "other"
    other.mkdir()
    (other / "config.toml").write_text('timezone = "Europe/Berlin"\n')
    backup = tmp_path / "backup.jsonl"
    backup.write_text(exported)
    monkeypatch.setenv("LEADTIME_HOME", str(other))
    result = cli("restore", str(backup))
    assert result.exit_code == 0, result.stderr
    assert "restored 2 entries" in result.stdout
    again = cli("restore", str(backup))
    assert "restored 0 entries, 2 already present" in again.stdout
    assert cli("export").stdout.splitlines()[1:] == exported.splitlines()[1:]


def test_restore_rejects_a_bad_line_and_writes_nothing(cli: Run, home: Home, tmp_path) -> None:
    cli("log", "One", "30m")
    lines = cli("export").stdout.splitlines()
    broken = tmp_path / "broken.jsonl"
    record = json.loads(lines[1])
    record["id"] = "other123"
    record["start"] = "yesterday"
    broken.write_text(
        "\n".join([lines[0], lines[1].replace(record["id"], "x"), json.dumps(record)])
    )
    result = cli("restore", str(broken))
    assert result.exit_code == 4
    assert ":3:" in result.stderr and "nothing was restored" in result.stderr
    assert count_rows(home) == 1


def test_export_csv_has_every_field(cli: Run) -> None:
    cli("log", "One", "30m")
    header = cli("export", "--format", "csv").stdout.splitlines()[0]
    assert header.split(",") == [
        "id", "start", "end", "minutes", "title", "note", "location", "tags", "origin",
        "calendar", "uid", "recurrence_id", "organizer", "attendees", "excluded", "category",
        "activity", "decided_by",
    ]  # fmt: skip


# --------------------------------------------------------------------------- config


def test_config_set_validates_and_show_tells_where(cli: Run, home: Home) -> None:
    assert cli("config", "set", "target", "75").exit_code == 0
    assert cli("config", "set", "me", "lead@example.com, Lead@Corp.example").exit_code == 0
    shown = json.loads(cli("config", "show", "--json").stdout)
    assert shown["settings"]["target"] == 75.0
    assert shown["settings"]["me"] == ["lead@example.com", "lead@corp.example"]
    assert shown["sources"]["target"] == str(home.config)
    assert shown["files"]["database"] == f"sqlite:///{home.db}"
    bad = cli("config", "set", "timezone", "Mars/Olympus")
    assert bad.exit_code == 3 and "Mars/Olympus" in bad.stderr
    assert cli("config", "set", "colour", "blue").exit_code == 2


def test_bad_config_file_is_exit_3(cli: Run, home: Home) -> None:
    home.config.write_text('timezone = "Europe/Berlin"\ntargett = 70\n')
    result = cli("log", "One", "30m")
    assert result.exit_code == 3
    assert "unknown key 'targett'" in result.stderr and "did you mean 'target'" in result.stderr
    assert not home.db.exists()
