"""The same behaviour on PostgreSQL, for teams: the bundled example run through the CLI on
SQLite and on a real PostgreSQL server (started by the tests, see conftest) gives the same
import summary, reports, check and export.

Skipped where no server can be had; `LEADTIME_TEST_POSTGRES=require` (as in .ci/run) makes
that a failure. `LEADTIME_TEST_POSTGRES_URL` points the tests at a server you run yourself.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from conftest import REPO, Home, Run

EXAMPLE = str(REPO / "examples" / "tech-lead.ics")
ID_FIELDS = {"id", "entry_id"}  # chosen by the database (autoincrement) or at random


def without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in ID_FIELDS}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def imported_count(summary: str) -> int:
    """How many entries an import's summary says it added (a first import adds them all)."""
    found = re.search(r"(\d+) added, 0 updated, 0 removed, 0 unchanged", summary)
    assert found, summary
    return int(found.group(1))


def run_the_example(cli: Run, db: str) -> dict[str, Any]:
    """What a user sees from the example's commands, in a comparable form."""

    def ok(*args: str, codes: tuple[int, ...] = (0,)) -> str:
        result = cli("--db", db, *args)
        assert result.exit_code in codes, (args, result.exit_code, result.stderr)
        return result.stdout

    seen: dict[str, Any] = {}
    seen["import"] = ok("import", EXAMPLE)
    seen["reimport"] = ok("import", EXAMPLE)
    logged = ok("log", "Reviewed the auth RFC", "45m", "--at", "fri 16:30")
    assert logged.startswith("logged "), logged
    seen["log"] = re.sub(r"^logged \S+", "logged <id>", logged)  # a random id
    seen["report"] = json.loads(ok("report", "--format", "json", "--weeks", "8"))
    seen["report_by_activity"] = json.loads(
        ok("report", "--format", "json", "--weeks", "3", "--by", "activity")
    )
    check = cli("--db", db, "check", "--format", "json", "--weeks", "4")
    assert check.exit_code in (0, 1, 5), check.stderr
    seen["check"] = (check.exit_code, json.loads(check.stdout))
    header, *lines = ok("export").splitlines()
    seen["export_header"] = json.loads(header)
    seen["export"] = sorted(
        (without_ids(json.loads(line)) for line in lines), key=lambda e: json.dumps(e)
    )
    rows = csv.DictReader(io.StringIO(ok("export", "--format", "csv")))
    seen["export_csv"] = sorted(json.dumps(without_ids(row), sort_keys=True) for row in rows)
    return seen


def test_the_example_gives_the_same_results_on_postgresql_and_sqlite(
    cli: Run, home: Home, pg_url: str
) -> None:
    home.config.write_text('timezone = "Europe/Berlin"\nme = ["dana@example.com"]\n')
    sqlite = run_the_example(cli, f"sqlite:///{home.path / 'side.db'}")
    postgres = run_the_example(cli, pg_url)

    # The example itself behaves as documented, so equality below is not of two blanks.
    added = imported_count(sqlite["import"])
    assert added > 100  # the example is a quarter of a lead's calendar
    assert sqlite["reimport"].rstrip().endswith(": unchanged")
    assert len(sqlite["export"]) == added + 1  # the calendar's entries plus the logged one
    assert len(sqlite["export_csv"]) == added + 1
    assert any(e.get("title") == "Reviewed the auth RFC" for e in sqlite["export"])

    for key in sqlite:
        assert postgres[key] == sqlite[key], key


def test_each_test_gets_a_fresh_empty_database(cli: Run, pg_url: str) -> None:
    result = cli("--db", pg_url, "export")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1  # the header alone
    assert cli("--db", pg_url, "log", "Spike on caching", "1h").exit_code == 0
    _header, entry = cli("--db", pg_url, "export").stdout.splitlines()
    assert json.loads(entry)["title"] == "Spike on caching"


def test_another_test_does_not_see_the_previous_ones_entries(cli: Run, pg_url: str) -> None:
    assert len(cli("--db", pg_url, "export").stdout.splitlines()) == 1


def test_a_team_moving_to_postgresql_keeps_every_entry(
    cli: Run, home: Home, pg_url: str, tmp_path: Path
) -> None:
    home.config.write_text('timezone = "Europe/Berlin"\nme = ["dana@example.com"]\n')
    solo = f"sqlite:///{home.path / 'solo.db'}"
    imported = cli("--db", solo, "import", EXAMPLE)
    assert imported.exit_code == 0, imported.stderr
    logged = cli("--db", solo, "log", "Pairing on the flaky test", "1h", "--note", "ünïcode")
    assert logged.exit_code == 0, logged.stderr
    backup = tmp_path / "backup.jsonl"
    assert cli("--db", solo, "export", "-o", str(backup)).exit_code == 0

    restored = cli("--db", pg_url, "restore", str(backup))
    assert restored.exit_code == 0, restored.stderr
    again = cli("--db", pg_url, "restore", str(backup))  # present entries are kept as they are
    assert again.exit_code == 0, again.stderr

    before = cli("--db", solo, "export").stdout.splitlines()
    after = cli("--db", pg_url, "export").stdout.splitlines()
    assert len(before) == 1 + imported_count(imported.stdout) + 1  # header, calendar, log
    assert sorted(after) == sorted(before)  # ids included: restore keeps them


def test_a_logged_entry_reads_back_the_same_on_each_backend(cli: Run, db_url: str) -> None:
    logged = cli("--db", db_url, "log", "Design review of the auth RFC", "1h30",
                 "--at", "fri 10:00", "--tag", "rfc")  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    _header, line = cli("--db", db_url, "export").stdout.splitlines()
    entry = json.loads(line)
    assert entry["start"] == "2026-11-20T09:00:00Z"  # 10:00 in Berlin, in winter
    assert entry["end"] == "2026-11-20T10:30:00Z"
    assert entry["minutes"] == 90.0
    assert entry["tags"] == ["rfc"]
    assert (entry["origin"], entry["category"], entry["activity"]) == ("log", "leadership", "rfc")
