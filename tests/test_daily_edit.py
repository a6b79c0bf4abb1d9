"""``leadtime edit ID`` in $EDITOR, with a scripted editor that rewrites the TOML it is given.

The editor script copies each document it is shown to ``shown-N.toml`` and applies the
replacements of the ``EDIT_N`` variable (N counts the openings from 1): a JSON list of
``[old, new]`` pairs, applied to the text in order.
"""

from __future__ import annotations

import json
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest

from conftest import Home, Run

EDITOR_SCRIPT = """\
import json, os, sys
from pathlib import Path

path = Path(sys.argv[-1])
here = Path(__file__).parent
count_file = here / "openings"
n = int(count_file.read_text()) + 1 if count_file.exists() else 1
count_file.write_text(str(n))
text = path.read_text(encoding="utf-8")
(here / f"shown-{n}.toml").write_text(text, encoding="utf-8")
for old, new in json.loads(os.environ.get(f"EDIT_{n}", "[]")):
    assert old in text, old
    text = text.replace(old, new)
path.write_text(text, encoding="utf-8")
"""


@pytest.fixture
def editor(tmp_path: Path) -> tuple[str, Path]:
    folder = tmp_path / "editor"
    folder.mkdir()
    script = folder / "edit.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")
    return f"{sys.executable} {script}", folder


def logged(cli: Run, *args: str) -> str:
    done = cli("log", *args)
    assert done.exit_code == 0, done.stderr
    return done.stdout.split()[1]


def record(cli: Run, entry_id: str) -> dict[str, object]:
    listed = cli("ls", "--format", "json", "--week", "2026-W47")
    assert listed.exit_code == 0, listed.stderr
    found = json.loads(listed.stdout)
    return next(r for r in found if r["id"] == entry_id)


def env(command: str, *edits: list[list[str]]) -> dict[str, str]:
    values = {"EDITOR": command, "VISUAL": ""}
    values.update({f"EDIT_{n}": json.dumps(pairs) for n, pairs in enumerate(edits, 1)})
    return values


def test_the_editor_changes_title_times_tags_and_note(cli: Run, editor: tuple[str, Path]) -> None:
    command, folder = editor
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00", "-t", "rfc")
    edits = [
        ['title = "Reviewed the auth RFC"', 'title = "Fixed the login bug"'],
        ['end = "2026-11-20 14:45"', 'end = "2026-11-20 15:30"'],
        ['tags = [\n    "rfc",\n]', 'tags = ["auth", "bug"]'],
        ['note = ""', 'note = "two lines\\nof note"'],
    ]
    done = cli("edit", entry_id, env=env(command, edits))
    assert done.exit_code == 0, done.stderr
    expected = f"updated {entry_id}  2026-11-20 14:00  1h30m  Fixed the login bug"
    assert done.stdout.startswith(expected)
    shown = (folder / "shown-1.toml").read_text(encoding="utf-8")
    assert "# start, end: local time in Europe/Berlin" in shown
    assert 'start = "2026-11-20 14:00"' in shown
    after = record(cli, entry_id)
    assert after["title"] == "Fixed the login bug"
    assert (after["start"], after["end"]) == ("2026-11-20T13:00:00Z", "2026-11-20T14:30:00Z")
    assert after["tags"] == ["auth", "bug"]
    assert after["note"] == "two lines\nof note"
    assert after["category"] == "hands-on"  # re-classified by the rules for the new title


def test_an_unchanged_document_writes_nothing(cli: Run, editor: tuple[str, Path]) -> None:
    command, _ = editor
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    before = record(cli, entry_id)
    done = cli("edit", entry_id, env=env(command, []))
    assert done.exit_code == 0
    assert done.stdout == f"no changes; {entry_id} is as it was\n"
    assert record(cli, entry_id) == before


def test_an_untouched_time_keeps_its_instant_when_the_clocks_go_back(
    cli: Run, editor: tuple[str, Path]
) -> None:
    command, _ = editor
    # 02:30 happens twice in Berlin on 2026-10-25; this is the first one (CEST, 00:30 UTC)
    entry_id = logged(cli, "Incident", "20m", "--at", "2026-10-25T02:30+02:00")
    done = cli("edit", entry_id, env=env(command, [["Incident", "Incident call"]]))
    assert done.exit_code == 0, done.stderr
    found = json.loads(cli("ls", "--format", "json", "--week", "2026-W43").stdout)
    assert (found[0]["title"], found[0]["start"]) == ("Incident call", "2026-10-25T00:30:00Z")
    assert found[0]["minutes"] == 20.0


@pytest.mark.parametrize(
    ("edits", "code", "message"),
    [
        ([['end = "2026-11-20 14:45"', 'end = "2026-11-20 13:00"']], 4, "end is before the start"),
        ([['title = "Reviewed the auth RFC"', 'title = "  "']], 2, "the title is empty"),
        ([['note = ""', 'note = ""\nowner = "me"']], 2, "unknown key 'owner'"),
        ([['start = "2026-11-20 14:00"', 'start = "half past two"']], 2, "start: cannot read"),
        ([['note = ""', "note = "]], 2, "not valid TOML"),
        ([["tags = []", 'tags = "rfc"']], 2, "tags must be a list"),
    ],
)
def test_an_invalid_document_says_why_and_writes_nothing(
    cli: Run, editor: tuple[str, Path], edits: list[list[str]], code: int, message: str
) -> None:
    command, _ = editor
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    before = record(cli, entry_id)
    done = cli("edit", entry_id, env=env(command, edits))
    assert done.exit_code == code
    assert message in done.stderr and "Traceback" not in done.stderr
    assert "--from" not in done.stderr  # the editor's document has no options to swap
    assert record(cli, entry_id) == before


def test_on_a_terminal_an_invalid_edit_is_offered_again(
    cli: Run, editor: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadtime.cli import entries

    monkeypatch.setattr(entries, "interactive", lambda: True)
    command, folder = editor
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    bad = [['end = "2026-11-20 14:45"', 'end = "2026-11-20 13:00"']]
    fixed = [['end = "2026-11-20 13:00"', 'end = "2026-11-20 15:00"']]
    done = cli("edit", entry_id, input="y\n", env=env(command, bad, fixed))
    assert done.exit_code == 0, done.stderr
    assert "the end is before the start" in done.stderr
    assert (
        (folder / "shown-2.toml")
        .read_text(encoding="utf-8")
        .startswith("# error: the end is before the start\n")
    )
    assert record(cli, entry_id)["end"] == "2026-11-20T14:00:00Z"


def test_declining_to_edit_again_writes_nothing(
    cli: Run, editor: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadtime.cli import entries

    monkeypatch.setattr(entries, "interactive", lambda: True)
    command, _ = editor
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    before = record(cli, entry_id)
    bad = [['title = "Reviewed the auth RFC"', 'title = ""']]
    done = cli("edit", entry_id, input="n\n", env=env(command, bad))
    assert done.exit_code == 0 and "nothing changed" in done.stdout
    assert record(cli, entry_id) == before


def test_without_an_editor_or_a_terminal_edit_asks_for_options(cli: Run) -> None:
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    done = cli("edit", entry_id, env={"EDITOR": "", "VISUAL": ""})
    assert done.exit_code == 2
    assert "hint:" in done.stderr and "--title" in done.stderr


def test_a_failing_editor_changes_nothing(cli: Run) -> None:
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    failing = f'{sys.executable} -c "import sys; sys.exit(3)"'
    done = cli("edit", entry_id, env={"EDITOR": failing, "VISUAL": ""})
    assert done.exit_code == 4 and "the editor failed" in done.stderr


# --------------------------------------------------------------------------- odd editors

ODD_EDITOR = """\
import os, shutil, subprocess, sys
from pathlib import Path

mode, path = sys.argv[1], Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
if mode == "delete":
    path.unlink()
elif mode == "directory":
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")
elif mode == "latin-1":
    path.write_bytes(text.replace("Reviewed", "Révisé").encode("latin-1"))
elif mode == "nested":
    path.write_text(text.replace('note = ""', "note = " + "[" * 100_000 + "]" * 100_000))
elif mode == "far-end":
    path.write_text(text.replace('end = "2026-11-20 14:45"', "end = 9999-12-31T23:59:59-14:00"))
elif mode == "huge":
    path.write_text(text.replace('note = ""', 'note = "' + "x" * 2_000_000 + '"'))
elif mode.startswith("meanwhile"):
    # Another command changes the entry while the editor is open.
    entry_id = path.name.split("-")[1].split(".")[0]
    subprocess.run(
        [sys.executable, "-m", "leadtime", "edit", entry_id, "--note", "from the other edit",
         "--tag", "meanwhile"],
        check=True, capture_output=True,
    )
    if mode == "meanwhile-title":
        text = text.replace('title = "Reviewed the auth RFC"', 'title = "Reviewed the RFC"')
    else:
        text = text.replace('note = ""', 'note = "from the editor"')
    path.write_text(text)
"""


@pytest.fixture
def odd_editor(tmp_path: Path) -> str:
    script = tmp_path / "odd_editor.py"
    script.write_text(ODD_EDITOR, encoding="utf-8")
    return f"{sys.executable} {script}"


ODD = [
    ("delete", 4, "error: the editor removed the file; nothing was changed\n"),
    ("directory", 4, "error: the editor left something else than a file; nothing was changed\n"),
    ("latin-1", 2, "error: the saved document is not UTF-8 text (byte *); nothing was changed\n"),
    ("nested", 2, "error: not valid TOML: arrays or tables nested too deeply\n"),
    ("far-end", 2, "error: end: 9999-12-31T23:59:59-14:00 is out of range\n"
                   "hint: leadtime covers 1970 to 9998\n"),
    ("huge", 2, "error: the saved document is larger than 1 MB; nothing was changed\n"),
]  # fmt: skip


@pytest.mark.parametrize(("mode", "code", "said"), ODD, ids=[case[0] for case in ODD])
def test_an_odd_editor_is_a_clear_error_and_changes_nothing(
    cli: Run, odd_editor: str, mode: str, code: int, said: str
) -> None:
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    before = record(cli, entry_id)
    done = cli("edit", entry_id, env={"EDITOR": f"{odd_editor} {mode}", "VISUAL": ""})
    assert done.exit_code == code
    assert fnmatch(done.stderr, said), done.stderr
    assert record(cli, entry_id) == before


@pytest.mark.parametrize("mode", [case[0] for case in ODD])
def test_on_a_terminal_an_odd_editor_is_offered_again(
    cli: Run, odd_editor: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadtime.cli import entries

    monkeypatch.setattr(entries, "interactive", lambda: True)
    entry_id = logged(cli, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    before = record(cli, entry_id)
    done = cli("edit", entry_id, input="n\n", env={"EDITOR": f"{odd_editor} {mode}", "VISUAL": ""})
    assert done.exit_code == 0
    assert done.stderr.startswith("warning: ") and "Edit it again?" in done.stdout
    assert done.stdout.endswith("nothing changed\n")
    assert record(cli, entry_id) == before


@pytest.mark.parametrize("mode", ["delete", "directory"])
def test_the_editors_leftovers_are_removed(
    proc: Run, home: Home, odd_editor: str, mode: str, tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    assert proc("log", "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00").exit_code == 0
    entry_id = json.loads(proc("ls", "--format", "json", "--week", "2026-W47").stdout)[0]["id"]
    env = {"EDITOR": f"{odd_editor} {mode}", "VISUAL": "", "TMPDIR": str(temporary)}
    done = proc("edit", entry_id, env=env)
    assert done.exit_code == 4 and "Traceback" not in done.stderr
    assert list(temporary.iterdir()) == []


def proc_record(proc: Run, entry_id: str) -> dict[str, object]:
    found = json.loads(proc("ls", "--format", "json", "--week", "2026-W47").stdout)
    return next(r for r in found if r["id"] == entry_id)


# Two commands on one database at once are two processes, as they are for a user (in one
# process, a second opening of the file would drop the first connection's locks).


def test_a_change_made_while_the_editor_is_open_is_kept(proc: Run, odd_editor: str) -> None:
    entry_id = logged(proc, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00", "-t", "rfc")
    done = proc("edit", entry_id, env={"EDITOR": f"{odd_editor} meanwhile-title", "VISUAL": ""})
    assert done.exit_code == 0, done.stderr
    after = proc_record(proc, entry_id)
    assert after["title"] == "Reviewed the RFC"  # the editor's change
    assert (after["note"], after["tags"]) == ("from the other edit", ["meanwhile"])  # kept


def test_a_field_changed_in_both_places_is_refused_not_reverted(proc: Run, odd_editor: str) -> None:
    entry_id = logged(proc, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    done = proc("edit", entry_id, env={"EDITOR": f"{odd_editor} meanwhile-note", "VISUAL": ""})
    assert done.exit_code == 4
    assert done.stderr == (
        f"error: {entry_id} was changed while it was open in the editor (its note); "
        "nothing was changed\nhint: edit it again: it opens as it is now\n"
    )
    after = proc_record(proc, entry_id)
    assert (after["note"], after["tags"]) == ("from the other edit", ["meanwhile"])


def test_after_a_clash_the_editor_opens_with_the_entry_as_it_is_now(
    cli: Run,
    proc: Run,
    editor: tuple[str, Path],
    odd_editor: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from leadtime.cli import entries

    monkeypatch.setattr(entries, "interactive", lambda: True)
    command, folder = editor
    entry_id = logged(proc, "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    # The first opening: another edit changes the note meanwhile, and so does the user.
    first = cli("edit", entry_id, input="n\n",
                env={"EDITOR": f"{odd_editor} meanwhile-note", "VISUAL": ""})  # fmt: skip
    assert first.exit_code == 0 and "was changed while it was open" in first.stderr
    # Opened again, it shows the note as it is now.
    fix = [['note = "from the other edit"', 'note = "both, merged"']]
    done = cli("edit", entry_id, env=env(command, fix))
    assert done.exit_code == 0, done.stderr
    assert 'note = "from the other edit"' in (folder / "shown-1.toml").read_text()
    assert proc_record(proc, entry_id)["note"] == "both, merged"
