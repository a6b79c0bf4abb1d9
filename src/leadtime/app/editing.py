"""``leadtime edit ID`` in an editor: an entry as a small TOML document, and back.

The document holds what ``edit`` can change (title, start, end, tags, note), with comments
that say the formats. What comes back is read into :class:`~leadtime.app.entries.Changes`
and checked by :func:`~leadtime.app.entries.edited`, the same path as ``edit --title``;
nothing is written unless the whole document is valid.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leadtime.app.entries import Changes, Door, edited, parse_tags
from leadtime.app.workspace import Workspace
from leadtime.entry import Entry
from leadtime.errors import InputError, UsageError

FIELDS = ("title", "start", "end", "tags", "note")


def _local(moment: datetime, tz: str) -> str:
    """``2026-11-20 14:00``, with seconds only when the entry has them."""
    from leadtime.units import zone

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
    from leadtime.entry import utc
    from leadtime.timeparse import parse_moment
    from leadtime.units import zone

    original: datetime = getattr(entry, key)
    value = values.get(key)
    if isinstance(value, datetime):  # an unquoted TOML date-time
        return utc(value if value.tzinfo else value.replace(tzinfo=zone(tz)))
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
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"not valid TOML: {exc}") from None
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


def save_document(ws: Workspace, entry: Entry, text: str) -> Entry | None:
    """Apply a saved document to ``entry`` (re-classified); None when it changes nothing.

    Raises:
        UsageError, InputError: see :func:`read_document`; nothing is written.
    """
    from leadtime.app.entries import edit_entry

    document = read_document(text, entry, now=ws.now, tz=ws.tz)
    if document.same_as(entry):
        return None
    if entry.id is None:
        raise InputError("the entry has no id")
    return edit_entry(ws, entry.id, document.changes)
