"""``leadtime import git|watson|timewarrior`` through the command line: one import, one
transaction, remembered like calendars, idempotent, and counted like any entry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Home, Run

FIXTURES = Path(__file__).parent / "fixtures" / "timewarrior"
ME = "dana@example.com"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def entries(cli: Run, *args: str) -> list[dict]:
    result = cli("ls", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def git_repo(path: Path, commits: list[tuple[str, str, str]]) -> Path:
    """A real repository with commits (author e-mail, author time ISO, subject)."""
    path.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}

    def git(*args: str, **extra: str) -> None:
        subprocess.run(["git", *args], cwd=path, env={**env, **extra}, check=True,
                       capture_output=True)  # fmt: skip

    git("init", "-q", "-b", "main")
    for email, when, subject in commits:
        (path / "log.txt").open("a").write(subject + "\n")
        git("add", "log.txt")
        git(
            "-c", "user.name=x", "-c", f"user.email={email}", "commit", "-q", "-m", subject,
            GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when,
            GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_EMAIL=email,
        )  # fmt: skip
    return path


@needs_git
def test_git_sessions_land_as_hands_on_and_reimport_changes_nothing(
    cli: Run, tmp_path: Path
) -> None:
    repo = git_repo(
        tmp_path / "api",
        [
            # Monday 2026-11-16 (Berlin): 10:00 and 11:30 form one session, 09:30-11:30
            (ME, "2026-11-16T10:00:00+01:00", "Add the parser"),
            (ME, "2026-11-16T11:30:00+01:00", "Fix the parser tests"),
            ("lee@example.com", "2026-11-16T12:00:00+01:00", "Someone else's work"),
            # 16:00 is 4.5 h later: a new session of one commit, 15:30-16:00
            (ME, "2026-11-16T16:00:00+01:00", "Write ADR-7 on caching"),
        ],
    )
    cli("config", "set", "me", ME)
    first = cli("import", "git", str(repo))
    assert first.exit_code == 0, first.stderr
    assert "3 commits, 2 sessions counted" in first.stdout and "2 added" in first.stdout
    found = entries(cli, "--source", "git")
    assert [(e["start"], e["end"]) for e in found] == [
        ("2026-11-16T08:30:00Z", "2026-11-16T10:30:00Z"),
        ("2026-11-16T14:30:00Z", "2026-11-16T15:00:00Z"),
    ]
    assert found[0]["title"] == "api: Add the parser; Fix the parser tests"
    assert (found[0]["category"], found[0]["activity"]) == ("hands-on", "coding")
    assert (found[1]["category"], found[1]["activity"]) == ("leadership", "rfc")  # an ADR
    again = cli("import")  # a bare import re-reads every remembered source
    assert again.exit_code == 0, again.stderr
    assert "0 added, 0 updated, 0 removed, 2 unchanged" in again.stdout
    week = json.loads(
        cli("report", "--week", "2026-W47", "--by", "source", "--format", "json").stdout
    )
    assert week["weeks"][0]["sources"]["hands-on"]["git"] == 120.0


def test_git_needs_an_author(cli: Run, tmp_path: Path) -> None:
    result = cli("import", "git", str(tmp_path))
    assert result.exit_code == 4
    assert "hint:" in result.stderr and "config set me" in result.stderr


def test_timewarrior_history_imports_once(cli: Run, home: Home) -> None:
    data = FIXTURES / "history" / "data"
    first = cli("import", "timewarrior", str(data))
    assert first.exit_code == 0, first.stderr
    assert "8 added" in first.stdout, first.stdout
    # the open interval (`timew start 2026-11-16T09:00 hiring interview`) runs here now
    status = cli("status")
    assert "running: 'hiring, interview'" in status.stdout
    again = cli("import", "timewarrior", str(data))
    assert "0 added, 0 updated, 0 removed, 8 unchanged" in again.stdout
    found = entries(cli, "--source", "timewarrior", "--from", "2026-10-26", "--to", "2026-11-15")
    assert len(found) == 8 and all(e["origin"] == "timewarrior" for e in found)


def test_timewarrior_export_from_standard_input(cli: Run) -> None:
    text = (FIXTURES / "history.export.json").read_text()
    result = cli("import", "timewarrior", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert "8 added" in result.stdout


def test_timew_export_after_the_data_directory_updates_the_same_history(cli: Run) -> None:
    data = FIXTURES / "history" / "data"
    assert cli("import", "timewarrior", str(data)).exit_code == 0
    text = (FIXTURES / "history.export.json").read_text()
    piped = cli("import", "timewarrior", "-", input=text)
    assert piped.exit_code == 0, piped.stderr
    assert "imported 'timewarrior' from timewarrior (standard input)" in piped.stdout
    assert "0 added, 0 updated, 0 removed, 8 unchanged" in piped.stdout
    # The directory stays what a refresh reads (standard input cannot be read again).
    listed = json.loads(cli("calendars", "--format", "json").stdout)
    assert [(c["name"], c["source"]) for c in listed] == [("timewarrior", f"timewarrior:{data}")]
    refresh = cli("import")
    assert f"'timewarrior' from timewarrior {data}" in refresh.stdout


def test_watson_named_or_found_by_itself_is_one_history(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "watson"
    folder.mkdir()
    frames = [[1763283600, 1763289000, "review", "a1", ["pr"], 1763289000]]
    (folder / "frames").write_text(json.dumps(frames))
    monkeypatch.setenv("WATSON_DIR", str(folder))
    first = cli("import", "watson")
    assert first.exit_code == 0 and "from watson (its own directory):" in first.stdout
    named = cli("import", "watson", str(folder))
    assert named.exit_code == 0, named.stderr
    assert f"from watson {folder}: 1 frames" in named.stdout and "1 unchanged" in named.stdout


def test_a_tracker_word_must_come_first(cli: Run, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "a.ics"), "git")
    assert result.exit_code == 2 and "must come first" in result.stderr


@pytest.mark.slow
def test_a_watson_history_written_by_watson_imports_once(cli: Run, tmp_path: Path) -> None:
    """Frames written by the real td-watson (its own `watson add`), through `import watson`."""
    pytest.importorskip("watson", reason="td-watson (the test extra) is not installed")
    import sys

    directory = tmp_path / "watson"
    directory.mkdir()
    env = {**os.environ, "WATSON_DIR": str(directory), "TZ": "Europe/Berlin"}
    for start, stop, args in (
        ("2026-11-16 09:00", "2026-11-16 10:30", ["review", "+pr"]),
        ("2026-11-17 14:00", "2026-11-17 17:15", ["coding", "+bugfix"]),
    ):
        subprocess.run(
            [sys.executable, "-m", "watson", "add", "-f", start, "-t", stop, *args],
            env=env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    first = cli("import", "watson", str(directory))
    assert first.exit_code == 0, first.stderr
    assert "2 frames, 2 entries counted" in first.stdout and "2 added" in first.stdout
    found = entries(cli, "--source", "watson")
    assert [(e["title"], e["start"], e["minutes"]) for e in found] == [
        ("review", "2026-11-16T08:00:00Z", 90.0),
        ("coding", "2026-11-17T13:00:00Z", 195.0),
    ]
    assert cli("import", "watson", str(directory)).stdout.count("2 unchanged") == 1
