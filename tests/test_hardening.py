"""Careless users, flaky machines and hostile input: no lost data, no exit 70, true messages."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Home, Run
from leadtime.app import importing
from leadtime.app.workspace import Workspace
from leadtime.errors import InputError

CALENDAR = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:{uid}@example.com
DTSTART:20261116T090000Z
DTEND:20261116T100000Z
SUMMARY:{title}
END:VEVENT
END:VCALENDAR
"""


def write_calendar(path: Path, uid: str, title: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CALENDAR.format(uid=uid, title=title).replace("\n", "\r\n"))
    return path


def titles(home: Home) -> list[str]:
    with sqlite3.connect(home.db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT title FROM entries"))


# --------------------------------------------------------------------------- data loss


def test_a_name_taken_while_reading_is_refused_under_the_write_lock(
    cli: Run, home: Home, tmp_path: Path
) -> None:
    """Two imports into one calendar name: the one that writes second must not delete the
    other's entries. The race is replayed step by step: A reads, B lands, A writes."""
    a = write_calendar(tmp_path / "A" / "work.ics", "a", "From A")
    b = write_calendar(tmp_path / "B" / "work.ics", "b", "From B")
    ws = Workspace()
    window = importing.import_window(ws, None, None)
    options = importing.ImportOptions((str(a),))
    (target,) = importing.targets({}, options.sources, None)  # nothing remembered yet
    plans = importing.read_any(ws, *target, (), window, options)
    assert cli("import", str(b)).exit_code == 0  # B takes the name "work" meanwhile
    with pytest.raises(InputError, match="was imported from"):
        importing._write(ws, plans, replacing=False, dry_run=False)
    assert titles(home) == ["From B"]


def test_an_import_marks_entries_classified_with_rules_that_changed_meanwhile(
    cli: Run, home: Home, tmp_path: Path
) -> None:
    calendar = write_calendar(tmp_path / "work.ics", "x", "Quarterly vendor call")
    old = Workspace()  # reads the rules now: the title is unclassified by the defaults
    window = importing.import_window(old, None, None)
    options = importing.ImportOptions((str(calendar),))
    (target,) = importing.targets({}, options.sources, None)
    plans = importing.read_any(old, *target, (), window, options)
    home.rules.write_text('[[rule]]\nname = "v"\ncategory = "other"\ntitle = ["vendor"]\n')
    assert cli("ls").exit_code == 0  # another command re-classifies with the new rules
    importing._write(old, plans, replacing=False, dry_run=False)
    listed = cli("ls", "--week", "2026-W47", "--format", "json")
    assert "re-classified" in listed.stderr  # the stale category was noticed and fixed
    assert json.loads(listed.stdout)[0]["category"] == "other"


def test_outputs_never_replace_leadtimes_own_files_or_existing_files(
    cli: Run, home: Home, tmp_path: Path
) -> None:
    assert cli("log", "Code review", "1h").exit_code == 0
    config = home.config.read_text()
    for args in (
        ("export", "-o", str(home.db)),
        ("report", "--svg", str(home.db)),
        ("check", "--junit", str(home.config)),
    ):
        result = cli(*args)
        assert result.exit_code == 4, args
        assert "leadtime's own files" in result.stderr
    assert titles(home) == ["Code review"]  # still the database, with its entry
    assert home.config.read_text() == config
    existing = tmp_path / "backup.jsonl"
    existing.write_text("keep me")
    refused = cli("export", "-o", str(existing))
    assert refused.exit_code == 4 and "--force" in refused.stderr
    assert existing.read_text() == "keep me"
    assert cli("export", "-o", str(existing), "--force").exit_code == 0
    assert existing.read_text().startswith('{"format": "leadtime-export"')


def test_restore_leaves_every_classification_current(cli: Run, tmp_path: Path) -> None:
    assert cli("log", "Code review", "1h").exit_code == 0
    backup = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(backup)).exit_code == 0
    lines = backup.read_text().splitlines()
    record = json.loads(lines[1])
    record.update(id="zz99zz99", category="other", activity=None, decided_by="old-rule")
    backup.write_text("\n".join([lines[0], json.dumps(record)]) + "\n")
    restored = cli("restore", str(backup))
    assert restored.exit_code == 0 and "restored 1 entries" in restored.stdout
    listed = cli("ls", "--format", "json")
    assert "re-classified" not in listed.stderr  # nothing was left stale
    assert {e["category"] for e in json.loads(listed.stdout)} == {"leadership"}


@pytest.mark.parametrize(
    ("change", "said", "restored"),
    [
        ({"end": "2026-11-20T09:00:00Z"}, "zero minutes; left out", None),
        ({"end": "2026-11-22T09:00:00Z"}, "48.0 h; at most 24 h; left out", None),
        ({"start": "1969-11-20T09:00:00Z"}, "the earliest leadtime keeps", None),
        ({"title": " "}, "the title is empty; left out", None),
        ({"attendees": -3}, "-3 attendees: counted as 0", {"attendees": 0}),
        ({"tags": ["a b", "x"], "calendar": "work", "uid": "u1"}, "belongs to no calendar",
         {"calendar": None, "uid": None, "tags": ["a b", "x"]}),
        ({"origin": "ics", "calendar": "work", "uid": "u1", "end": "2030-11-20T09:00:00Z"},
         "cut to end at 2027-11-21 09:00 UTC", {"end": "2027-11-21T09:00:00Z"}),
    ],
)  # fmt: skip
def test_restore_repairs_or_leaves_out_what_may_not_be_stored_and_restores_the_rest(
    cli: Run, home: Home, tmp_path: Path, change: dict, said: str, restored: dict | None
) -> None:
    """A file from an older leadtime, or edited by hand: each entry that may not be stored
    is cut (a calendar event longer than a year) or left out, and said so; the rest of the
    backup is restored whole."""
    good = {
        "id": "cd34ef56", "start": "2026-11-19T09:00:00Z", "end": "2026-11-19T10:00:00Z",
        "title": "Kept", "origin": "log", "category": "unclassified",
    }  # fmt: skip
    record = {**good, "id": "ab12cd34", "start": "2026-11-20T09:00:00Z",
              "end": "2026-11-20T10:00:00Z", "title": "Work"}  # fmt: skip
    record.update(change)
    backup = tmp_path / "old.jsonl"
    header = json.dumps({"format": "leadtime-export", "version": 1})
    backup.write_text("\n".join([header, json.dumps(good), json.dumps(record)]) + "\n")
    result = cli("restore", str(backup))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("warning: ab12cd34 ") and said in result.stderr
    found = {e["id"]: e for e in json.loads(cli("ls", "--format", "json", "--weeks", "60").stdout)}
    assert found["cd34ef56"]["title"] == "Kept"
    if restored is None:
        assert "ab12cd34" not in found
    else:
        assert {key: found["ab12cd34"][key] for key in restored} == restored


def test_restore_refuses_a_damaged_file_whole(cli: Run, tmp_path: Path) -> None:
    record = {"id": "ab12cd34", "start": "2026-11-20T09:00:00Z", "end": "2026-11-20T10:00:00Z",
              "title": None, "origin": "log", "category": "unclassified"}  # fmt: skip
    backup = tmp_path / "bad.jsonl"
    backup.write_text(
        json.dumps({"format": "leadtime-export", "version": 1}) + "\n" + json.dumps(record) + "\n"
    )
    result = cli("restore", str(backup))
    assert result.exit_code == 4
    assert "title is missing" in result.stderr and "nothing was restored" in result.stderr


# --------------------------------------------------------------------------- bounds


def test_too_many_weeks_back_say_how_many_there_are(cli: Run) -> None:
    # The week of 2026-11-20 begins on 2026-11-16, 2968 weeks after 1969-12-29, the week of
    # 1970-01-01.
    result = cli("report", "--weeks", "5200")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --weeks 5200 would begin in the week of 1927-03-21, before 1970\n"
        "hint: leadtime covers 1970 to 9998: at most --weeks 2968 from now\n"
    )
    assert cli("report", "--weeks", "2968", "--format", "json").exit_code == 0
    assert cli("report", "--weeks", "2969", "--format", "json").exit_code == 2


def test_the_first_instants_of_1970_are_not_called_before_1970(cli: Run, home: Home) -> None:
    home.config.write_text('timezone = "UTC"\n')
    for args in (
        ("log", "x", "15m", "--at", "1970-01-01 00:00"),
        ("start", "x", "--at", "1970-01-01 00:00"),
    ):
        result = cli(*args)
        assert result.exit_code == 4
        assert "before 1970" not in result.stderr
        assert "1970-01-01 00:00 UTC; the earliest leadtime keeps is 1970-01-02 00:00 UTC" in (
            result.stderr
        )
    assert cli("log", "x", "15m", "--at", "1970-01-02 00:00").exit_code == 0


def test_a_log_years_ahead_is_refused(cli: Run, home: Home) -> None:
    result = cli("log", "Far future", "10m", "--at", "9999-12-31 23:50")
    assert result.exit_code in (2, 4) and "error:" in result.stderr
    assert not home.db.exists() or titles(home) == []


def test_an_unbounded_period_is_refused_at_once(cli: Run) -> None:
    result = cli("report", "--from", "0002-01-01", "--to", "9999-12-20")
    assert result.exit_code == 2
    assert "out of range" in result.stderr or "longer than" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--week", "0001-W01"),
        ("report", "--week", "9999-W52"),
        ("report", "--from", "0001-01-01", "--to", "0001-01-07"),
        ("ls", "--from", "9999-12-30", "--to", "9999-12-31"),
        ("log", "x", "10m", "--at", "0001-01-01 10:00"),
        ("log", "x", "10m", "--at", "9999-12-31 23:59"),
        ("start", "x", "--at", "0001-01-01 00:00"),
        ("--now", "9999-12-31T23:59:00Z", "report"),
        ("--now", "0001-01-01T00:00:00Z", "ls"),
        ("import", "--since", "0001-01-01", "missing.ics"),
        ("import", "--until", "9999-12-31", "missing.ics"),
        ("check", "--week", "9999-W52"),
        ("log", "x", "99999999999999999999m"),
        ("config", "set", "horizon_weeks", "500000"),
        ("config", "set", "target", "nan"),
        ("config", "set", "tolerance", "1e309"),
    ],
)
def test_extreme_values_are_clear_errors_not_crashes(cli: Run, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code in (0, 2, 3, 4, 5), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_percentage_given_as_a_fraction_gets_a_hint(cli: Run) -> None:
    result = cli("config", "set", "target", "0.7")
    assert result.exit_code == 3
    assert "did you mean 70?" in result.stderr
    assert cli("config", "set", "horizon_weeks", "500000").exit_code == 3
    assert cli("config", "set", "tolerance", "60").exit_code == 3


def test_settings_print_rounded(cli: Run, home: Home) -> None:
    home.config.write_text('timezone = "Europe/Berlin"\ntarget = 69.99999999999999\n')
    shown = cli("config", "show").stdout
    assert "69.99999999999999" not in shown and "70" in shown


# --------------------------------------------------------------------------- messages


def test_a_misspelt_category_and_zone_get_a_suggestion(cli: Run) -> None:
    as_ = cli("log", "x", "10m", "--as", "handson")
    assert as_.exit_code == 2 and "did you mean 'hands-on'" in as_.stderr
    zone = cli("config", "set", "timezone", "Berlin")
    assert zone.exit_code == 3 and "Europe/Berlin" in zone.stderr


def test_a_forgotten_timer_points_to_stop_at(cli: Run) -> None:
    assert cli("start", "Spike", "--at", "yesterday 9:00").exit_code == 0
    result = cli("stop")
    assert result.exit_code == 4 and "stop --at" in result.stderr


def test_log_warns_about_the_future_and_about_overlaps(cli: Run) -> None:
    assert cli("log", "Code review", "1h", "--at", "14:00").exit_code == 0
    overlapping = cli("log", "Bug fix", "1h", "--at", "14:30")
    assert overlapping.exit_code == 0
    assert "overlaps" in overlapping.stderr and "Code review" in overlapping.stderr
    future = cli("log", "Planning", "1h", "--at", "17:30")  # now is 18:00: ends 18:30
    assert future.exit_code == 0 and "planned" in future.stderr


def test_an_overlap_with_a_long_entry_that_began_the_day_before_is_warned(cli: Run) -> None:
    """The overlap check reads only entries that start at most 24 h earlier: a 23 h 30 min
    entry from yesterday still reaches into today, and is named."""
    long = cli("log", "Offsite", "23h30m", "--at", "yesterday 14:00", "--yes")
    assert long.exit_code == 0, long.stderr
    overlapping = cli("log", "Bug fix", "30m", "--at", "13:00")
    assert "overlaps" in overlapping.stderr and "Offsite" in overlapping.stderr
    after = cli("log", "Review", "30m", "--at", "13:30")
    assert "Offsite" not in after.stderr


def test_markup_in_an_activity_is_text(cli: Run) -> None:
    assert cli("log", "x", "1h", "--as", "hands-on:[/x]").exit_code == 0
    result = cli("report", "--by", "activity")
    assert result.exit_code == 0 and "[/x]" in result.stdout


def test_terminal_escapes_in_calendar_titles_never_reach_the_terminal(
    cli: Run, tmp_path: Path
) -> None:
    hostile = "Sync\x1b]0;pwned\x07\x1b[2J \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"
    calendar = write_calendar(tmp_path / "evil.ics", "e", hostile)
    imported = cli("import", str(calendar))
    assert imported.exit_code == 0
    for args in (("ls", "--week", "2026-W47"), ("report", "--by", "activity"), ("calendars",)):
        out = cli(*args)
        assert "\x1b" not in out.stdout + out.stderr, args


def test_escapes_in_titles_stay_out_of_every_narrowed_view(cli: Run, tmp_path: Path) -> None:
    # The views cut titles with an ellipsis on a narrow terminal: what they cut is the
    # cleaned text, never an escape sequence split in two.
    hostile = (
        "\x1b]8;;http://evil\x1b\\Review of the very long design document\x1b]8;;\x1b\\\x1b[2J"
    )
    done = write_calendar(tmp_path / "past.ics", "p", hostile)
    ahead = tmp_path / "ahead.ics"
    ahead.write_text(done.read_text().replace("20261116T", "20261124T").replace("p@", "a@"))
    for calendar in (done, ahead):
        assert cli("import", str(calendar)).exit_code == 0
    for width in ("80", "60"):
        for args in (("day", "2026-11-16"), ("plan",), ("ls", "--week", "2026-W47"),
                     ("report", "--by", "activity")):  # fmt: skip
            out = cli(*args, env={"COLUMNS": width})
            assert out.exit_code == 0, out.stderr
            assert "\x1b" not in out.stdout + out.stderr, (args, width)
            assert "Review of" in out.stdout or args[0] == "report", (args, width)


def test_csv_cells_cannot_be_formulas(cli: Run) -> None:
    assert cli("log", '=HYPERLINK("http://evil")', "1h").exit_code == 0
    for args in (("ls", "--format", "csv"), ("export", "--format", "csv")):
        rows = list(csv.DictReader(io.StringIO(cli(*args).stdout)))
        assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://evil")'], args


def test_a_calendar_with_replies_but_no_me_warns_with_the_likely_address(
    cli: Run, tmp_path: Path
) -> None:
    calendar = tmp_path / "dana.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nX-WR-CALNAME:dana@example.com\r\n"
        "BEGIN:VEVENT\r\nUID:d1\r\nDTSTART:20261116T090000Z\r\nDTEND:20261116T100000Z\r\n"
        "SUMMARY:Vendor pitch\r\nORGANIZER:mailto:sales@vendor.example\r\n"
        "ATTENDEE;PARTSTAT=DECLINED:mailto:dana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = cli("import", str(calendar))
    assert result.exit_code == 0
    assert "declined count as attended" in result.stderr
    assert "leadtime config set me dana@example.com" in result.stderr
    quiet = cli("import", str(calendar), "--me", "dana@example.com", "--calendar", "other")
    assert "declined" not in quiet.stderr


def test_reading_works_in_a_read_only_home(cli: Run, home: Home, tmp_path: Path) -> None:
    """A database that cannot be written (opened read-only here, as after a full disk or a
    read-only mount) can still be listed, reported and exported, with a rules change
    applied in memory."""
    assert cli("log", "Quarterly vendor call", "1h", "--at", "mon 9:00").exit_code == 0
    home.rules.write_text('[[rule]]\nname = "v"\ncategory = "other"\ntitle = ["vendor"]\n')
    url = f"sqlite:///{home.db}?mode=ro"
    listed = cli("--db", url, "ls", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["category"] == "other"  # classified in memory
    report = cli("--db", url, "report", "--week", "2026-W47", "--format", "json")
    assert report.exit_code == 0 and json.loads(report.stdout)["weeks"][0]["minutes"]["other"] == 60
    assert cli("--db", url, "export").exit_code == 0
    refused = cli("--db", url, "log", "x", "10m")
    assert refused.exit_code == 4 and "error:" in refused.stderr


def test_config_show_masks_the_database_password(cli: Run) -> None:
    url = "postgresql+psycopg://lead:hunter2@db.internal/leadtime"
    shown = cli("--db", url, "config", "show")
    assert shown.exit_code == 0
    assert "hunter2" not in shown.stdout and "lead:" in shown.stdout
    as_json = cli("--db", url, "config", "show", "--json")
    assert "hunter2" not in as_json.stdout


def test_outputs_that_cannot_be_written_are_exit_4_and_leave_nothing(
    cli: Run, tmp_path: Path
) -> None:
    assert cli("log", "Code review", "5h", "--at", "mon 9:00").exit_code == 0
    folder = tmp_path / "out"
    folder.mkdir()
    for args in (
        ("export", "-o", str(folder)),
        ("report", "--svg", str(tmp_path / "missing" / "r.svg")),
        ("check", "--week", "2026-W47", "--junit", str(folder)),
    ):
        result = cli(*args)
        assert result.exit_code == 4, (args, result.stderr)
        assert result.stderr.startswith("error:") and len(result.stderr.splitlines()) <= 2
    assert list(folder.iterdir()) == []  # no temporary file left
    assert not (tmp_path / "missing").exists()  # nothing created outside the target


def test_a_breach_stays_exit_1_when_only_the_step_summary_fails(cli: Run, tmp_path: Path) -> None:
    assert cli("log", "Fix the parser", "6h", "--at", "2026-11-10 09:00").exit_code == 0
    result = cli(
        "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(tmp_path)}
    )  # a directory: it cannot be appended to
    assert result.exit_code == 1
    assert "::error" in result.stdout
    assert "warning: the step summary was not written" in result.stderr
