"""The former home of calendar imports; sources of every kind now live in ``sources``."""

from __future__ import annotations

from datetime import datetime

from leadtime.store.conn import Conn
from leadtime.store.sources import SourceInfo, SyncResult, get_source, list_sources, sync_entries

CalendarInfo = SourceInfo
list_calendars = list_sources
sync_calendar = sync_entries


def remember_calendar(
    conn: Conn, name: str, source: str, now: datetime, counts: tuple[int, int, int]
) -> None:
    """Remember an .ics calendar and its counts, keeping any state stored for it."""
    from leadtime.store.sources import remember_source

    known = get_source(conn, name)
    state = known.state if known is not None else {}
    remember_source(conn, SourceInfo(name, "ics", source, now, *counts, state))


__all__ = ["CalendarInfo", "SyncResult", "list_calendars", "remember_calendar", "sync_calendar"]
