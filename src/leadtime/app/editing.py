"""``leadtime edit ID`` in an editor: an entry as a small TOML document, and back.

The document holds what ``edit`` can change (title, start, end, tags, note), with comments
that say the formats. What comes back is read into :class:`~leadtime.app.entries.Changes`
and checked by :func:`~leadtime.app.entries.edited`, the same path as ``edit --title``;
nothing is written unless the whole document is valid.

Only what the user changed in the editor is saved: another ``edit`` that lands while the
editor is open keeps its changes. When both changed the same field, the save is refused
and the editor offered again with the entry as it is now.

The editor works on a file in a private directory of its own, removed afterwards with
whatever the editor left there; an editor that removes the file, puts a directory in its
place, or writes something that is not UTF-8 text is a clear error, not a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leadtime.app.entries import Changes, Door, EditConflict, edited, parse_tags
from leadtime.app.workspace import Workspace
from leadtime.entry import Entry
from leadtime.errors import InputError, LeadtimeError, UsageError

FIELDS = ("title", "start", "end", "tags", "note")
MAX_DOCUMENT = 1_000_000  # bytes: an entry's document is a few hundred


def _local(moment: datetime, tz: str) -> str:
    """``2026-11-20 14:00``, with seconds only when the entry has them."""
    from leadtime.clock import zone

    local = moment.astimezone(zone(tz))
    return f"{local:%Y-%m-%d %H:%M:%S}" if local.second else f"{local:%Y-%m-%d %H:%M}"


def entry_document(entry: Entry, tz: str) -> str:
    """The entry as the TOML document the editor shows."""
    import tomli_w

    values = {
        "title": entry.title,
        "start": _local(entry.start, tz),
        "end": _local(entry.end, tz),
        "tags": list(entry.tags),
        "note": entry.note,
    }
    header = (
        f"# leadtime entry {entry.id} ({entry.origin.value}). Save and close to apply;\n"
        "# close without a change to keep it as it is.\n"
        f"# start, end: local time in {tz}, \"YYYY-MM-DD HH:MM\" (or a time 'log --at' reads,\n"
        '#   such as "yesterday 14:00" or "2026-11-20T14:00+01:00")\n'
        '# tags: a list of words without commas, e.g. ["rfc", "auth"]; [] for none\n'
        '# note: free text; """...""" spans several lines\n'
    )
    return header + tomli_w.dumps(values, multiline_strings=True)


@dataclass(frozen=True)
class Document:
    """What the user saved, read: the changes and the entry they make (already checked)."""

    changes: Changes
    result: Entry

    def same_as(self, entry: Entry) -> bool:
        """Whether saving it would change nothing."""
        return (self.result.title, self.result.start, self.result.end, self.result.tags) == (
            entry.title,
            entry.start,
            entry.end,
            entry.tags,
        ) and self.result.note == entry.note


def _text(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if not isinstance(value, str):
        raise UsageError(f"{key} must be text in quotes", hint=f'{key} = "..."')
    return value


def _moment(values: dict[str, Any], key: str, entry: Entry, *, now: datetime, tz: str) -> datetime:
    """The ``start`` or ``end`` of the document; an untouched one keeps its exact instant
    (a local time that happens twice, on the night the clocks go back, stays as it was)."""
    from leadtime.clock import RANGE_HINT, in_years
    from leadtime.timeparse import parse_moment

    original: datetime = getattr(entry, key)
    value = values.get(key)
    if isinstance(value, datetime):  # an unquoted TOML date-time: read as its text would be
        if value.tzinfo is not None and not in_years(value.year):
            raise UsageError(f"{key}: {value.isoformat()} is out of range", hint=RANGE_HINT)
        value = value.isoformat()
    if not isinstance(value, str):
        raise UsageError(f"{key} must be a time in quotes", hint=f'{key} = "2026-11-20 14:00"')
    if value.strip() == _local(original, tz):
        return original
    try:
        return parse_moment(value, now=now, tz=tz)
    except UsageError as exc:
        raise UsageError(f"{key}: {exc.message}", hint=exc.hint) from None


def read_document(text: str, entry: Entry, *, now: datetime, tz: str) -> Document:
    """Read a saved document into checked changes of ``entry``.

    Raises:
        UsageError: not TOML, an unknown or missing key, or a value of the wrong kind.
        InputError: the entry it describes is not valid (:func:`~leadtime.app.entries.edited`).
    """
    from leadtime.config import read_toml

    try:
        values = read_toml(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise UsageError(f"unknown key {unknown[0]!r}", hint=f"the keys are {', '.join(FIELDS)}")
    missing = [key for key in FIELDS if key not in values]
    if missing:
        raise UsageError(
            f"{missing[0]} is missing", hint='every key must stay; [] or "" empties one'
        )
    tags = values["tags"]
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise UsageError("tags must be a list of words", hint='tags = ["rfc", "auth"]')
    changes = Changes(
        title=_text(values, "title"),
        start=_moment(values, "start", entry, now=now, tz=tz),
        end=_moment(values, "end", entry, now=now, tz=tz),
        tags=parse_tags(tags),
        note=_text(values, "note"),
    )
    return Document(changes, edited(entry, changes, now, door=Door.EDITOR))


def editable(ws: Workspace, ref: str) -> Entry:
    """The entry ``ref`` names, if ``edit`` may change it (a logged or timed entry).

    Raises:
        InputError: it comes from an import, which would undo the edit.
    """
    from leadtime.app.entries import find_entry

    entry = find_entry(ws, ref)
    edited(entry, Changes(), ws.now)  # refuses an imported entry, before the editor opens
    return entry


def changed_fields(document: Document, shown: Entry) -> Changes:
    """What the user changed in the document of ``shown``, and nothing else. The times go
    together: a document with a new start keeps the end it shows."""
    result = document.result
    times = (result.start, result.end) != (shown.start, shown.end)
    return Changes(
        title=result.title if result.title != shown.title else None,
        start=result.start if times else None,
        end=result.end if times else None,
        tags=result.tags if result.tags != shown.tags else None,
        note=result.note if result.note != shown.note else None,
    )


def save_document(ws: Workspace, entry: Entry, text: str) -> Entry | None:
    """Apply what the user changed in the document of ``entry`` (re-classified); None when
    it changes nothing.

    Raises:
        UsageError, InputError: see :func:`read_document`; nothing is written.
        EditConflict: a field changed in the document changed in the database too.
    """
    from leadtime.app.entries import edit_entry

    document = read_document(text, entry, now=ws.now, tz=ws.tz)
    if document.same_as(entry):
        return None
    if entry.id is None:
        raise InputError("the entry has no id")
    return edit_entry(ws, entry.id, changed_fields(document, entry), base=entry)


# --------------------------------------------------------------------------- the editor


class EditorFailed(InputError):
    """The editor could not be run, or said it failed: opening it again would not help."""


def run_editor(editor: str, text: str, name: str) -> str:
    """``text`` as the shell command ``editor`` left it, in a file called ``name`` in a
    private directory of its own (removed afterwards, with whatever the editor left).

    Raises:
        EditorFailed: the editor did not start or exited with a failure.
        InputError: the file is gone or is no longer a file.
        UsageError: the file is not UTF-8 text, or larger than any entry's document.
    """
    import shlex
    import shutil
    import stat
    import subprocess
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="leadtime-edit-"))
    path = folder / name
    try:
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        try:
            done = subprocess.run(f"{editor} {shlex.quote(str(path))}", shell=True, check=False)
        except OSError as exc:
            raise EditorFailed(f"the editor failed: {exc.strerror}; nothing was changed") from None
        if done.returncode != 0:
            raise EditorFailed(
                f"the editor failed (exit status {done.returncode}); nothing was changed",
                hint="check $VISUAL / $EDITOR",
            )
        try:
            info = path.lstat()
        except FileNotFoundError:
            raise InputError("the editor removed the file; nothing was changed") from None
        if not stat.S_ISREG(info.st_mode):
            raise InputError("the editor left something else than a file; nothing was changed")
        if info.st_size > MAX_DOCUMENT:
            raise UsageError(
                f"the saved document is larger than {MAX_DOCUMENT // 1_000_000} MB; "
                "nothing was changed"
            )
        data = path.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"the saved document is not UTF-8 text (byte {exc.start}); nothing was changed"
        ) from None


def with_error(text: str, message: str) -> str:
    """The document with the error on top (replacing the previous one's)."""
    from leadtime.text import safe

    lines = [line for line in text.splitlines() if not line.startswith("# error: ")]
    return "\n".join([f"# error: {safe(message, newlines=False)}", *lines]) + "\n"


@dataclass(frozen=True)
class Edited:
    """How an edit in the editor ended: the entry as it is now, and whether it was saved,
    or left as it was because the user gave up after an error."""

    entry: Entry
    saved: bool
    gave_up: bool = False


def edit_in_editor(
    ws: Workspace,
    ref: str,
    editor: str,
    again: Callable[[LeadtimeError], bool] | None = None,
) -> Edited:
    """Open the entry ``ref`` in ``editor`` and save what the user changed, once valid.

    After an error (an invalid document, a file the editor removed, a field changed
    meanwhile by another command) ``again`` is asked whether to open the editor again; it
    reopens with the error on top (and, after a clash, with the entry as it is now).
    Without ``again`` (no one to ask) the error is raised; nothing was written.
    """
    from leadtime.app.entries import find_entry

    shown = editable(ws, ref)
    text = entry_document(shown, ws.tz)
    name = f"leadtime-{shown.id}.toml"
    while True:
        retry = text  # reopened with, when the editor leaves nothing readable
        try:
            saved_text = run_editor(editor, text, name)
            retry = saved_text
            changed = save_document(ws, shown, saved_text)
        except EditorFailed:
            raise
        except LeadtimeError as exc:
            if again is None:
                raise
            if not again(exc):
                return Edited(shown, saved=False, gave_up=True)
            if isinstance(exc, EditConflict):
                shown = find_entry(ws, ref)
                retry = entry_document(shown, ws.tz)
            text = with_error(retry, exc.message)
            continue
        return Edited(changed or shown, saved=changed is not None)
