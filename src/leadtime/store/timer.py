"""The running timer: at most one row (id = 1)."""

from __future__ import annotations

from datetime import datetime

from leadtime.store.schema import from_ts, to_ts

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from leadtime.entry import Classification
    from leadtime.store.conn import Conn


class Timer:
    """The running timer: what it is, since when, and how the user classified it (None:
    the rules decide)."""

    __slots__ = ("classification", "note", "start", "tags", "title")

    def __init__(
        self,
        title: str,
        start: datetime,
        tags: tuple[str, ...],
        note: str,
        classification: Classification | None,
    ) -> None:
        self.title, self.start, self.tags, self.note = title, start, tags, note
        self.classification = classification


def get_timer(conn: Conn) -> Timer | None:
    row = conn.execute(
        "SELECT title, start_ts, tags, note, category, activity FROM timer WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    title, start, tags, note, category, activity = row
    manual = None
    if category:
        from leadtime.entry import MANUAL, Category, Classification

        manual = Classification(Category(category), activity, MANUAL)
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
