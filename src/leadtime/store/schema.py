"""What every part of the store agrees on, importable without SQLAlchemy: the schema
revisions this program knows, where a SQLite URL points, the rows
the store hands out, and which entries a command reads."""

from __future__ import annotations

from datetime import UTC, datetime

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Collection
    from pathlib import Path
    from typing import Any

# Every revision this program knows, oldest first; the last one is what it writes.
REVISIONS = ("0001", "0002", "0003", "0004", "0005")
HEAD = REVISIONS[-1]
RULES_FINGERPRINT = "rules_fingerprint"  # meta key: the rules the stored categories come from
EXAMPLES_VERSION = "examples_version"  # meta key: bumped whenever your examples change


def to_ts(moment: datetime) -> int:
    """An aware instant as it is stored: Unix seconds."""
    return int(moment.timestamp())


def from_ts(seconds: int) -> datetime:
    """A stored instant as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or None for other databases and ``:memory:``."""
    text = sqlite_path_text(url)
    if text is None:
        return None
    from pathlib import Path

    return Path(text)


def sqlite_path_text(url: str) -> str | None:
    """:func:`sqlite_path` as text."""
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    rest = rest.split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    return rest


def sqlite_options(url: str) -> dict[str, str]:
    """The ``?key=value`` options of a SQLite URL (``mode=ro`` opens it read-only)."""
    _, _, query = url.partition("?")
    options = {}
    for pair in query.split("&"):
        key, sep, value = pair.partition("=")
        if sep:
            options[key] = value
    return options


class EntryFilter:
    """Which entries a listing, report or check reads, as one SQL condition for any driver."""

    __slots__ = ("calendar", "category", "end_ts", "excluded", "origin", "origins", "start_ts",
                 "starts_from", "tag")  # fmt: skip

    def __init__(
        self,
        start_ts: int | None = None,  # entries ending after this ...
        end_ts: int | None = None,  # ... and starting before this
        origin: str | None = None,
        category: str | None = None,
        calendar: str | None = None,
        excluded: bool = False,  # True: only the excluded calendar instances
        tag: str | None = None,  # entries carrying this tag (exactly, not as a substring)
        origins: tuple[str, ...] = (),  # entries from any of these origins; () for all
        starts_from: int | None = None,  # entries starting at or after this
    ) -> None:
        self.start_ts, self.end_ts, self.origin, self.category = start_ts, end_ts, origin, category
        self.calendar, self.excluded, self.tag, self.origins = calendar, excluded, tag, origins
        self.starts_from = starts_from

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"EntryFilter({fields})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EntryFilter) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    __hash__ = None  # type: ignore[assignment]

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A WHERE condition with named parameters (``:name``, as sqlite3 and SQLAlchemy take)."""
        clauses = ["excluded IS NOT NULL" if self.excluded else "excluded IS NULL"]
        params: dict[str, Any] = {}
        if self.start_ts is not None:
            # A zero-length calendar event at the very start still belongs to the period.
            # ``end_ts >= :start`` alone says nothing new, but lets the database read the
            # end_ts index from the period's start: a recent period of a long history
            # reads only its own rows, not every earlier one.
            clauses.append("end_ts >= :start AND (end_ts > :start OR start_ts >= :start)")
            params["start"] = self.start_ts
        if self.end_ts is not None:
            clauses.append("start_ts < :end")
            params["end"] = self.end_ts
        if self.starts_from is not None:
            # Bounded on both sides, the start_ts index reads only the rows in between.
            clauses.append("start_ts >= :starts_from")
            params["starts_from"] = self.starts_from
        for column in ("origin", "category", "calendar"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = :{column}")
                params[column] = value
        if self.origins:
            names = [f":origin_{i}" for i in range(len(self.origins))]
            clauses.append(f"origin IN ({', '.join(names)})")
            params.update({f"origin_{i}": o for i, o in enumerate(self.origins)})
        if self.tag:
            # Tags never contain commas; the tag is compared whole, literally (no LIKE).
            clauses.append("(',' || tags || ',') LIKE :tag_pattern ESCAPE '!'")
            escaped = self.tag.replace("!", "!!").replace("%", "!%").replace("_", "!_")
            params["tag_pattern"] = f"%,{escaped},%"
        return " AND ".join(clauses), params

    def keeps_tags(self, tags: str) -> bool:
        """The exact tag test behind the SQL pre-selection (LIKE ignores ASCII case in SQLite)."""
        return not self.tag or self.tag in tags.split(",")


SPAN_COLUMNS = "start_ts, end_ts, origin, category, activity, tags"  # SpanRow, in order
FEATURE_COLUMNS = (
    "id, title, note, location, tags, calendar, origin, organizer, attendees, start_ts, end_ts"
)
# What a FeatureRow column holds when no classifier reads it (see feature_columns).
_UNREAD = {"note": "''", "location": "''", "tags": "''", "calendar": "NULL", "origin": "''",
           "organizer": "NULL", "attendees": "0", "start_ts": "0", "end_ts": "0"}  # fmt: skip
_READ_BY = {"start_ts": ("minutes", "weekday"), "end_ts": ("minutes", "weekday")}


def feature_groups(fields: Collection[str]) -> tuple[str, list[tuple[int, str]]]:
    """For a classifier that reads ``fields`` but not the weekday: a FeatureRow select list
    in which every entry with the same values in those fields has the same row (unread
    columns are constants, the times become start 0 and end = the entry's length), and
    the position and SQL expression of each column that tells the groups apart."""
    select: list[str] = []
    keys: list[tuple[int, str]] = []
    for position, column in enumerate(FEATURE_COLUMNS.split(", ")):
        if column == "id" or column == "start_ts":
            select.append(f"{'NULL' if column == 'id' else '0'} AS {column}")
        elif column == "end_ts":
            timed = "minutes" in fields
            select.append(f"{'end_ts - start_ts' if timed else '0'} AS end_ts")
            if timed:
                keys.append((position, "end_ts - start_ts"))
        elif column in _UNREAD and column not in fields:
            select.append(f"{_UNREAD[column]} AS {column}")
        else:
            select.append(column)
            keys.append((position, column))
    return ", ".join(select), keys


def feature_columns(fields: Collection[str] | None) -> str:
    """FEATURE_COLUMNS, with a constant in place of each column none of ``fields`` (the
    Features fields a classifier reads; None: all) comes from: less to read and convert
    when the rules look at a few columns of every stored entry."""
    if fields is None:
        return FEATURE_COLUMNS
    columns = []
    for column in FEATURE_COLUMNS.split(", "):
        readers = _READ_BY.get(column, (column,))
        unread = column in _UNREAD and not any(name in fields for name in readers)
        columns.append(f"{_UNREAD[column]} AS {column}" if unread else column)
    return ", ".join(columns)
