"""What only a real process shows: exit codes, start-up imports, concurrent writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from conftest import Home, Run

HEAVY = ("sqlalchemy", "sqlmodel", "icalendar", "recurring_ical_events", "alembic")


def imported_modules(home: Home, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "leadtime", *args],
        capture_output=True, text=True, env=home.env(), timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--help",), {}),
        (("--version",), {}),
        (("log", "--help"), {}),
        (
            (),
            {"_LEADTIME_COMPLETE": "complete_bash", "COMP_WORDS": "leadtime lo", "COMP_CWORD": "1"},
        ),
    ],
)
def test_startup_imports_no_storage_or_calendar_library(home: Home, args, env) -> None:
    if env:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c",
             "from leadtime.cli import main; raise SystemExit(main())"],
            capture_output=True, text=True, env=home.env(**env), timeout=60,
        )  # fmt: skip
        names = {
            line.rsplit("|", 1)[1].strip().split(".")[0]
            for line in done.stderr.splitlines()
            if line.startswith("import time:") and "|" in line
        }
        assert "log" in done.stdout
    else:
        names = imported_modules(home, *args)
    assert "typer" in names  # the measurement itself works
    assert not names & set(HEAVY)


def test_version(proc: Run) -> None:
    from leadtime import __version__

    result = proc("--version")
    assert (result.exit_code, result.stdout.strip()) == (0, f"leadtime {__version__}")


def test_help_documents_exit_codes(proc: Run) -> None:
    out = " ".join(proc("--help").stdout.split())
    for text in ("0 success", "1 off target", "2 usage", "3 bad configuration", "4 bad input",
                 "5 not enough data", "70 internal"):  # fmt: skip
        assert text in out


def test_usage_error_is_exit_2(proc: Run) -> None:
    result = proc("log", "--no-such-option")
    assert result.exit_code == 2


def test_corrupt_database_is_exit_4_and_untouched(proc: Run, home: Home) -> None:
    home.db.write_bytes(b"not a database at all\n" * 100)
    before = home.db.read_bytes()
    result = proc("log", "Something", "30m")
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: ")
    assert "Traceback" not in result.stderr
    assert home.db.read_bytes() == before


def test_internal_error_is_exit_70_not_a_breach(home: Home) -> None:
    crash = (
        "import leadtime.store as q\n"
        "def boom(*a, **k): raise RuntimeError('disk on fire')\n"
        "q.add_entries = boom\n"
        "from leadtime.cli import main\n"
        "raise SystemExit(main())\n"
    )
    args = [sys.executable, "-c", crash]
    command = ["log", "Something", "30m"]
    done = subprocess.run([*args, *command], capture_output=True, text=True, env=home.env())
    assert done.returncode == 70
    assert "error: internal error: RuntimeError: disk on fire" in done.stderr
    assert "Traceback" not in done.stderr
    debug = subprocess.run(
        [*args, "--debug", *command], capture_output=True, text=True, env=home.env()
    )
    assert debug.returncode == 70 and "Traceback" in debug.stderr


WRITER = """
import sys
from datetime import UTC, datetime
from leadtime.entry import Entry
from leadtime.errors import LeadtimeError
from leadtime.store import Store, add_entries
moment = datetime(2026, 11, 16, 9, tzinfo=UTC)
try:
    store = Store.open(sys.argv[1])
    with store.write() as conn:
        add_entries(conn, [Entry(moment, moment.replace(minute=10), sys.argv[2])], moment)
except LeadtimeError as exc:
    sys.exit(f"error: {exc.message}")
"""


def test_twenty_concurrent_writers_all_land(home: Home) -> None:
    from leadtime.store import Store

    url = f"sqlite:///{home.db}"
    Store.open(url).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, f"Review {n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=home.env(),
        )
        for n in range(20)
    ]
    results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    for code, err in results:
        assert code == 0, err
        assert "locked" not in err
    with sqlite3.connect(home.db) as conn:
        titles = sorted(r[0] for r in conn.execute("SELECT title FROM entries"))
    assert titles == sorted(f"Review {n}" for n in range(20))


LEAN_FORBIDDEN = {*HEAVY, "typer", "click", "rich", "pydantic", "pendulum"}
# The standard library's dataclasses (with inspect) cost a daily command more than its work.
DAILY_FORBIDDEN = {*LEAN_FORBIDDEN, "dataclasses", "inspect"}


def test_the_daily_commands_load_neither_the_orm_nor_the_cli_framework(home: Home) -> None:
    """log, start, stop, status and cancel on a current local SQLite file take the lean
    path: the store on the standard library's sqlite3, no Typer, no Rich, and the rules
    engine's classes without the standard library's dataclasses."""
    assert imported_modules(home, "log", "Warm-up", "5m")  # creates the schema first
    for args in (
        ("log", "Code review", "30m", "--tag", "pr"),
        ("start", "Spike: parser", "--at", "17:00"),
        ("status",),
        ("status", "--format", "json"),
        ("stop",),
        ("start", "Something else"),
        ("cancel",),
    ):
        names = imported_modules(home, *args)
        assert "leadtime" in names and "sqlite3" in names  # the measurement itself works
        assert not names & DAILY_FORBIDDEN, (args, names & DAILY_FORBIDDEN)


# What a shell prompt can afford: `status` after a write runs on the interpreter, sqlite3
# and zoneinfo, and none of these (each costs a good part of the whole command).
PROMPT_FORBIDDEN = {"dataclasses", "inspect", "pathlib", "typing", "tomllib", "platformdirs",
                    "json", "urllib", "hashlib", "fractions", "difflib", "re2"}  # fmt: skip


def test_status_loads_only_what_a_shell_prompt_can_afford(home: Home) -> None:
    interpreter = imported_modules_of(home, [sys.executable, "-c", "pass"])
    imported_modules(home, "start", "Spike: parser", "--at", "17:00")  # a write: the snapshot
    for args in (("status",), ("status", "--format", "json")):
        names = imported_modules(home, *args) - interpreter
        assert "leadtime" in names and "sqlite3" in names  # the measurement itself works
        allowed = {"json"} if "json" in args else set()  # what the output itself needs
        assert not names & (PROMPT_FORBIDDEN - allowed), (args, names & PROMPT_FORBIDDEN)


# The rules engine: needed to classify, not to learn that the stored classifications are
# current (a fingerprint compare), which is all a check or a report of them needs.
ENGINE = {"leadtime.rules.conditions", "leadtime.rules.ruleset", "leadtime.rules.schema",
          "leadtime.rules.words", "leadtime.rules.compiled", "leadtime.rules.learned"}  # fmt: skip


def test_check_and_report_load_no_rules_engine_while_the_classifications_are_current(
    home: Home,
) -> None:
    imported_modules(home, "log", "Code review", "30m")  # classified, fingerprint stored
    for args in (("check",), ("report",), ("report", "--weeks", "4")):
        names = imported_module_paths(home, *args)
        assert "leadtime.rules.digest" in names  # the fingerprint was compared
        assert not names & ENGINE, (args, names & ENGINE)
        tops = {name.split(".")[0] for name in names}
        assert not tops & (LEAN_FORBIDDEN | {"pathlib"}), (args, tops & LEAN_FORBIDDEN)
    rule = '[[rule]]\nname = "reviews"\ncategory = "hands-on"\ntitle_words = ["review"]\n'
    home.rules.write_text(rule, encoding="utf-8")
    changed = imported_module_paths(home, "check")  # new rules: the entries are re-classified
    assert "leadtime.rules.ruleset" in changed


def imported_module_paths(home: Home, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "leadtime", *args],
        capture_output=True, text=True, env=home.env(), timeout=60,
    )  # fmt: skip
    assert done.returncode in (0, 1, 5), done.stderr  # on target, off target, no data
    return {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_an_unchanged_config_file_is_not_parsed_again(home: Home) -> None:
    """A write keeps a snapshot of config.toml's values; later commands take it while the
    file is unchanged, and read the file again as soon as it changes."""
    home.config.write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")
    imported_modules(home, "start", "Spike: parser", "--at", "17:00")
    assert "tomllib" not in imported_modules(home, "status")
    home.config.write_text('timezone = "America/New_York"\n', encoding="utf-8")
    assert "tomllib" in imported_modules(home, "status")
    done = subprocess.run(
        [sys.executable, "-m", "leadtime", "status"],
        capture_output=True, text=True, env=home.env(), timeout=60,
    )  # fmt: skip
    assert "since 2026-11-20 11:00" in done.stdout  # 17:00 in Berlin, read in New York


def imported_modules_of(home: Home, argv: list[str]) -> set[str]:
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]],
        capture_output=True, text=True, env=home.env(), timeout=60,
    )  # fmt: skip
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_without_a_config_file_commands_run_on_the_defaults(proc: Run, home: Home) -> None:
    home.config.unlink()
    for args in (("start", "Spike", "--at", "16:00"), ("status",), ("stop",), ("status",)):
        done = proc(*args)
        assert done.exit_code == 0, (args, done.stderr)
