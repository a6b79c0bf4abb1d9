"""The two front ends of the one declaration agree: every command line of the README and of
the bad-input sweep, and the option spellings Click allows, do the same through the reader
(what ``leadtime`` runs) and through the Typer application: the same exit code, the same
standard output and error, the same database afterwards."""

from __future__ import annotations

import itertools
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NOW, REPO, ZONE, Result, run_main
from leadtime.cli.group import run_typer
from leadtime.cli.reader import read
from test_bad_input_sweep import BAD_ARGUMENTS

README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLE = REPO / "examples" / "tech-lead.ics"


def readme_lines() -> list[tuple[str, ...]]:
    """Every ``leadtime …`` command line of the README: in console blocks and in code spans,
    except those that reach for the network."""
    found: list[str] = []
    for line in README.splitlines():
        if line.startswith("$ leadtime "):
            found.append(line[2:])
    found += re.findall(r"`(leadtime [^`]+)`", README)
    lines = []
    for text in found:
        text = text.split("  #")[0].replace("\\|", "|").strip()
        if re.search(r"https?://|webcal://|caldav\+|~/|\.\.\.|\|", text):
            continue
        try:
            words = tuple(shlex.split(text))[1:]
        except ValueError:
            continue
        if words and words not in lines:
            lines.append(words)
    return lines


# The spellings Click allows, where a second reader is most likely to differ from it.
SPELLINGS = [
    ("log", "x", "30m", "-t=foo"),
    ("log", "x", "30m", "-t="),
    ("log", "x", "30m", "-tfoo"),
    ("log", "x", "30m", "-t", "foo"),
    ("log", "x", "30m", "--tag=foo", "--tag", "bar"),
    ("log", "x", "30m", "--tag="),
    ("log", "x", "30m", "--tag"),
    ("--db=", "log", "x", "30m"),
    ("--db", "log", "x", "30m"),
    ("log", "x", "30m", "--debug"),
    ("--debug", "log", "x", "30m"),
    ("log", "--debug", "x", "30m"),
    ("log", "x", "--", "30m"),
    ("log", "--", "-x", "30m"),
    ("log", "x", "30m", "--at"),
    ("log", "x", "30m", "--at=10:00", "--at", "11:00"),
    ("log", "x", "30m", "-n", "a note", "-nanother"),
    ("log", "x", "30m", "--as=leadership:review"),
    ("log", "x", "30m", "-y"),
    ("log", "x", "30m", "--yes=1"),
    ("log", "x", "9:30"),
    ("log", "x", "14:00"),
    ("log", "x", "1:30"),
    ("log", "x", "9h30m"),
    ("log", "x", "9h30m", "--yes"),
    ("log", "x", "30m", "extra"),
    ("log",),
    ("log", "-h"),
    ("log", "x", "30m", "-ty"),
    ("status", "-f=json"),
    ("status", "-fjson"),
    ("status", "-f", "json"),
    ("status", "--format=json"),
    ("status", "--format", "xml"),
    ("status", "--format"),
    ("status", "extra"),
    ("start", "x", "-t", "a", "-t", "b", "--at", "17:00"),
    ("stop", "--at", "1m ago"),
    ("stop", "-y"),
    ("cancel", "--debug"),
    ("ls", "-w", "2026-W46", "-c", "leadership", "-f", "csv"),
    ("ls", "-wlast week", "-fjson"),
    ("ls", "--category", "lead"),
    ("ls", "--source=ics", "--format=json"),
    ("ls", "-s", "nope"),
    ("report", "--weeks", "0"),
    ("report", "--weeks=2", "--by=activity", "-f", "json"),
    ("report", "--by", "tags"),
    ("report", "--weeks", "two"),
    ("check", "--target", "0.7"),
    ("check", "--target=nan"),
    ("check", "--week", "2026-W46", "-fjson"),
    ("check", "--weeks", "521"),
    ("plan", "--weeks", "0", "-f", "json"),
    ("day", "2026-11-19", "--format=json"),
    ("day", "2026-11-19", "2026-11-20"),
    ("rules", "show", "-f", "json"),
    ("rules", "--help"),
    ("rules",),
    ("rules", "nope"),
    ("rules", "--format", "json", "show"),
    ("rules", "explain", "Prototype the new parser"),
    ("rules", "coverage", "--top", "0"),
    ("rules", "coverage", "--top=3"),
    ("rules", "add", "design crit", "leadership:review"),
    ("rules", "add", "design crit"),
    ("classify", "zzzz", "leadership", "--series"),
    ("calendars",),
    ("calendars", "-f", "json"),
    ("calendars", "--format=json", "rm", "x"),
    ("calendars", "rm", "--format", "json"),
    ("config", "show", "--json"),
    ("config", "set", "target", "65"),
    ("config",),
    ("export", "-f", "csv"),
    ("nosuchcommand",),
    ("--nosuchoption", "status"),
    ("--rules", "/nonexistent.toml", "report"),
    ("--version",),
    (),
]


def lines() -> list[tuple[str, ...]]:
    chosen: list[tuple[str, ...]] = []
    for line in itertools.chain(SPELLINGS, readme_lines(), BAD_ARGUMENTS):
        if line not in chosen:
            chosen.append(tuple(line))
    return chosen


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the example calendar imported, a logged entry and a running timer."""
    path = tmp_path_factory.mktemp("template") / "home"
    path.mkdir()
    (path / "config.toml").write_text(
        f'timezone = "{ZONE}"\nme = ["dana@example.com"]\n', encoding="utf-8"
    )
    env = _env(path)
    for args in (
        ("import", str(EXAMPLE)),
        ("log", "Reviewed the auth RFC", "45m", "--at", "fri 16:30", "-t", "rfc"),
        ("start", "Spike: new parser", "--at", "17:30"),
    ):
        assert run_main(args, env=env).exit_code == 0
    return path


def _env(home: Path) -> dict[str, str]:
    return {"LEADTIME_HOME": str(home), "LEADTIME_NOW": NOW, "NO_COLOR": "1", "COLUMNS": "120",
            "LEADTIME_DATABASE_URL": "", "PAGER": "cat", "EDITOR": "", "VISUAL": ""}  # fmt: skip


def _ids() -> Iterator[str]:
    for number in itertools.count():
        yield f"{number:08d}"


def _run(
    through: str, args: tuple[str, ...], home: Path, template: Path, monkeypatch
) -> tuple[Result, bytes]:
    import leadtime.store.entries as stored

    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(template, home)
    workdir = home.parent / "work"  # emptied: a file one run writes (-o FILE) is its own
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    ids = _ids()
    monkeypatch.setattr(stored, "random_id", lambda: next(ids))
    if through == "reader":
        result = run_main(args, env=_env(home))
    else:
        from typer.testing import CliRunner

        with CliRunner().isolation(env=_env(home)) as (stdout, stderr, _):
            code = run_typer(list(args))
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = stdout.getvalue(), stderr.getvalue()
        result = Result(code, out.decode(), err.decode())
    return result, _entries(home)


def _entries(home: Path) -> bytes:
    import sqlite3

    with sqlite3.connect(home / "leadtime.db") as conn:
        rows = conn.execute("select * from entries order by id").fetchall()
    return repr(rows).encode()


@pytest.mark.parametrize("args", lines(), ids=lambda args: " ".join(args) or "(none)")
def test_both_front_ends_agree(
    args: tuple[str, ...], template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    by_reader, stored_by_reader = _run("reader", args, home, template, monkeypatch)
    by_typer, stored_by_typer = _run("typer", args, home, template, monkeypatch)
    assert by_reader == by_typer
    assert stored_by_reader == stored_by_typer
    assert "Traceback" not in by_reader.stderr


def test_the_reader_takes_the_common_lines_itself() -> None:
    """The daily lines never need Typer (the sweep above would pass if the reader read
    nothing at all)."""
    for line in [
        ("log", "x", "30m", "-t=foo"),
        ("--db=", "log", "x", "30m"),
        ("log", "x", "30m", "--debug"),
        ("status", "--format=json"),
        ("report", "--weeks", "520"),
        ("check",),
        ("calendars", "-f", "json"),
        ("rules", "explain", "x"),
    ]:
        assert read(line) is not None, line
    for line in [("log", "-h"), ("status", "-f=json"), ("rules",), ("nosuchcommand",), ()]:
        assert read(line) is None, line


def test_a_short_option_keeps_what_follows_it_as_click_does() -> None:
    invocation = read(("log", "x", "30m", "-t=foo", "-tbar", "--tag=baz"))
    assert invocation is not None
    assert invocation.values["tag"] == ["=foo", "bar", "baz"]
