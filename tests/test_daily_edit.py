"""``leadtime edit ID`` in $EDITOR, with a scripted editor that rewrites the TOML it is given.

The editor script copies each document it is shown to ``shown-N.toml`` and applies the
replacements of the ``EDIT_N`` variable (N counts the openings from 1): a JSON list of
``[old, new]`` pairs, applied to the text in order.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import Run

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
    found = json.loads(cli("ls", "--format", "json", "--week", "2026-W47").stdout)
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
