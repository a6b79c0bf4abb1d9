"""The running timer: at most one row (id = 1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from leadtime.entry import MANUAL, Category, Classification
from leadtime.store.conn import Conn
from leadtime.store.entries import from_ts, to_ts


@dataclass(frozen=True)
class Timer:
    title: str
    start: datetime
    tags: tuple[str, ...]
    note: str
    classification: Classification | None  # a manual classification, or None for the rules


def get_timer(conn: Conn) -> Timer | None:
    row = conn.execute(
        "SELECT title, start_ts, tags, note, category, activity FROM timer WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    title, start, tags, note, category, activity = row
    manual = Classification(Category(category), activity, MANUAL) if category else None
    return Timer(title, from_ts(start), tuple(t for t in tags.split(",") if t), note, manual)


def set_timer(conn: Conn, timer: Timer) -> None:
    manual = timer.classification
    conn.execute(
        "INSERT INTO timer (id, title, start_ts, tags, note, category, activity)"
        " VALUES (1, :title, :start, :tags, :note, :category, :activity)",
        {
            "title": timer.title,
            "start": to_ts(timer.start),
            "tags": ",".join(timer.tags),
            "note": timer.note,
            "category": manual.category.value if manual else None,
            "activity": manual.activity if manual else None,
        },
    )


def clear_timer(conn: Conn) -> None:
    conn.execute("DELETE FROM timer")
