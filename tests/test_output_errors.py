"""Output that cannot be written — a full disk, a closed descriptor, a file-size limit —
is one ``error:`` line and exit 4, never a crash; a command that had saved its change says
so (running it again would repeat it), and no half-written output is left behind.

Only a real process shows these: the streams are the process's own.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Home, Result, Run

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")


def run(
    home: Home,
    *args: str,
    stdout: int | object = subprocess.PIPE,
    before: Callable[[], None] | None = None,
    stderr: int | object = subprocess.PIPE,
) -> Result:
    done = subprocess.run(
        [sys.executable, "-m", "leadtime", *args],
        stdout=stdout,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        env=home.env(),
        preexec_fn=before,
        timeout=120,
    )
    out = done.stdout.decode() if isinstance(done.stdout, bytes) else ""
    err = done.stderr.decode() if isinstance(done.stderr, bytes) else ""
    return Result(done.returncode, out, err)


def into_full_disk(home: Home, *args: str) -> Result:
    with Path("/dev/full").open("w") as full:
        return run(home, *args, stdout=full)


def close_stdout() -> None:
    os.close(1)


def entries(home: Home) -> list[str]:
    with sqlite3.connect(home.db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT title FROM entries"))


def test_a_log_whose_confirmation_cannot_be_printed_says_it_was_saved(home: Home) -> None:
    result = into_full_disk(home, "log", "Code review", "15m")
    assert result.exit_code == 4
    assert result.stderr == (
        "error: cannot write the output: no space left on the device; the change itself was saved\n"
    )
    assert entries(home) == ["Code review"]


def test_a_log_with_standard_output_closed_says_it_was_saved(home: Home) -> None:
    result = run(home, "log", "Design review", "5m", stdout=None, before=close_stdout)
    assert result.exit_code == 4
    assert result.stderr == (
        "error: cannot write the output: standard output is closed; the change itself was saved\n"
    )
    assert entries(home) == ["Design review"]


def test_a_report_into_a_full_disk_is_exit_4_with_one_line(cli: Run, home: Home) -> None:
    """Every reading command is swept the same way in test_bad_input_sweep.py."""
    assert cli("log", "Mentoring", "1h", "--at", "2026-11-17 10:00").exit_code == 0
    result = into_full_disk(home, "report", "--week", "2026-W47")
    assert result.exit_code == 4, result.stderr
    assert result.stderr == "error: cannot write the output: no space left on the device\n"


def test_a_command_that_prints_nothing_does_not_need_standard_output(
    cli: Run, home: Home, tmp_path: Path
) -> None:
    assert cli("log", "Mentoring", "1h").exit_code == 0
    backup = tmp_path / "backup.jsonl"
    result = run(home, "export", "-o", str(backup), stdout=None, before=close_stdout)
    assert result.exit_code == 0, result.stderr
    assert "Mentoring" in backup.read_text()


def test_a_full_standard_error_does_not_fail_the_command(cli: Run, home: Home) -> None:
    assert cli("log", "Spike", "30m").exit_code == 0
    with Path("/dev/full").open("w") as full:
        overlapping = run(home, "log", "Spike again", "30m", stderr=full)  # warns on stderr
    assert overlapping.exit_code == 0
    assert overlapping.stdout.startswith("logged ")
    assert entries(home) == ["Spike", "Spike again"]


def test_a_database_opened_while_the_streams_are_closed_never_receives_output(
    home: Home,
) -> None:
    def close_all() -> None:
        for fd in (0, 1, 2):
            os.close(fd)

    result = run(home, "log", "Planning", "45m", stdout=None, stderr=None, before=close_all)
    assert result.exit_code == 4
    assert entries(home) == ["Planning"]  # the database is whole: nothing was printed into it
    with sqlite3.connect(home.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def limit_file_size(size: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def many_entries(cli: Run) -> None:
    for hour in range(8, 18):
        logged = cli("log", f"Review {hour}", "30m", "--at", f"2026-11-17 {hour}:00")
        assert logged.exit_code == 0, logged.stderr


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_an_export_that_does_not_fit_leaves_no_file_behind(
    cli: Run, home: Home, tmp_path: Path, unbuffered: str
) -> None:
    many_entries(cli)
    target = tmp_path / "backup.jsonl"
    env = home.env()
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered  # a short write must not be lost silently
    with target.open("w") as out:  # as the shell's "> backup.jsonl" does
        done = subprocess.run(
            [sys.executable, "-m", "leadtime", "export"],
            stdout=out, stderr=subprocess.PIPE, env=env, preexec_fn=limit_file_size(1024),
            timeout=120,
        )  # fmt: skip
    assert done.returncode == 4
    assert done.stderr.decode() == (
        "error: cannot write the output: the file is larger than allowed (file-size limit); "
        "the empty file was removed\n"
    )
    assert not target.exists()


def test_an_export_appended_to_a_file_that_does_not_fit_leaves_it_as_it_was(
    cli: Run, home: Home, tmp_path: Path
) -> None:
    many_entries(cli)
    target = tmp_path / "backups.jsonl"
    target.write_text("yesterday's backup\n")
    with target.open("a") as out:  # ">> backups.jsonl"
        result = run(home, "export", stdout=out, before=limit_file_size(1024))
    assert result.exit_code == 4
    assert result.stderr.endswith("; the file was left as it was\n")
    assert target.read_text() == "yesterday's backup\n"


def test_a_reader_that_stops_early_is_not_an_error(cli: Run, home: Home) -> None:
    many_entries(cli)
    reader = subprocess.Popen(
        [sys.executable, "-m", "leadtime", "export"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=home.env(),
    )  # fmt: skip
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # as "| head -c 0" does, before leadtime writes
    error = reader.stderr.read()
    assert reader.wait(timeout=120) == 0
    assert error == b""
