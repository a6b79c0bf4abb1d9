"""SQLModel tables. Times are Unix epoch seconds in UTC: unambiguous on every backend."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class EntryRow(SQLModel, table=True):
    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("calendar", "uid", "recurrence_id", name="uq_entries_source_key"),
        Index("ix_entries_start_ts", "start_ts"),
        Index("ix_entries_end_ts", "end_ts"),
    )

    id: str = Field(primary_key=True, max_length=16)
    start_ts: int = Field(sa_column=Column(BigInteger, nullable=False))
    end_ts: int = Field(sa_column=Column(BigInteger, nullable=False))
    title: str
    note: str = ""
    location: str = ""
    tags: str = ""  # comma-separated; tags never contain commas
    origin: str = Field(max_length=16)  # log | timer | ics | git | watson | timewarrior
    calendar: str | None = None
    uid: str | None = None
    recurrence_id: str | None = None  # "" for a one-off calendar event (unique key stays usable)
    organizer: str | None = None
    attendees: int = 0
    excluded: str | None = Field(default=None, max_length=16)
    category: str = Field(default="unclassified", max_length=16)
    activity: str | None = None
    decided_by: str | None = None  # rule name, "manual", or NULL
    created_ts: int = Field(sa_column=Column(BigInteger, nullable=False))
    updated_ts: int = Field(sa_column=Column(BigInteger, nullable=False))


class TimerRow(SQLModel, table=True):
    """The running timer; at most one row (id = 1)."""

    __tablename__ = "timer"

    id: int = Field(default=1, primary_key=True)
    title: str
    start_ts: int = Field(sa_column=Column(BigInteger, nullable=False))
    tags: str = ""
    note: str = ""
    category: str | None = None  # a manual classification chosen with ``start --as``
    activity: str | None = None


class MetaRow(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str


class CalendarRow(SQLModel, table=True):
    """A remembered calendar source: ``leadtime import`` with no argument re-reads these."""

    __tablename__ = "calendars"

    name: str = Field(primary_key=True)
    source: str
    last_import_ts: int | None = Field(default=None, sa_column=Column(BigInteger))
    events: int = 0
    instances: int = 0
    excluded: int = 0
    kind: str = Field(
        default="ics", sa_column=Column(String(16), nullable=False, server_default=text("'ics'"))
    )  # ics | caldav | git | watson | timewarrior
    state: str = Field(
        default="{}", sa_column=Column(Text, nullable=False, server_default=text("'{}'"))
    )  # JSON: content hash, etag, sync token, window, options


class SourceObjectRow(SQLModel, table=True):
    """A raw object of a source (CalDAV: one resource, its etag and its iCalendar data)."""

    __tablename__ = "source_objects"

    calendar: str = Field(primary_key=True)
    href: str = Field(primary_key=True)
    etag: str | None = None
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ExampleRow(SQLModel, table=True):
    """A title you classified yourself: a labelled example for the learned tier."""

    __tablename__ = "examples"

    title: str = Field(sa_column=Column(Text, primary_key=True))
    category: str = Field(max_length=16)
    activity: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_ts: int = Field(sa_column=Column(BigInteger, nullable=False))
