"""Your manual classifications kept as labelled examples (the ``examples`` table), one per
title: the learned tier learns from them, and weighs them above its shipped corpus."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from leadtime.entry import Classification
from leadtime.store.conn import Conn
from leadtime.store.meta import get_meta, set_meta
from leadtime.store.schema import EXAMPLES_VERSION


class Example(NamedTuple):
    """A title and the category (and activity) you gave it."""

    title: str
    category: str
    activity: str | None


def list_examples(conn: Conn) -> list[Example]:
    """Every example, oldest first."""
    rows = conn.execute(
        "SELECT title, category, activity FROM examples ORDER BY created_ts, title"
    ).fetchall()
    return [Example(str(t), str(c), a) for t, c, a in rows]


def examples_version(conn: Conn) -> str:
    """Changes whenever an example is added, changed or removed ("0" before any)."""
    return get_meta(conn, EXAMPLES_VERSION) or "0"


def _bump(conn: Conn) -> None:
    set_meta(conn, EXAMPLES_VERSION, str(int(examples_version(conn)) + 1))


def put_examples(conn: Conn, titles: Sequence[str], choice: Classification, now: datetime) -> None:
    """Remember ``choice`` for each of ``titles`` (replacing what was said of them before)."""
    params = [
        {"title": t, "category": choice.category.value, "activity": choice.activity,
         "ts": int(now.timestamp())}
        for t in dict.fromkeys(titles)
    ]  # fmt: skip
    if not params:
        return
    conn.executemany("DELETE FROM examples WHERE title = :title", params)
    conn.executemany(
        "INSERT INTO examples (title, category, activity, created_ts)"
        " VALUES (:title, :category, :activity, :ts)",
        params,
    )
    _bump(conn)


def forget_examples(conn: Conn, titles: Sequence[str]) -> None:
    """Forget what you said of these titles."""
    params = [{"title": t} for t in dict.fromkeys(titles)]
    if params:
        conn.executemany("DELETE FROM examples WHERE title = :title", params)
        _bump(conn)
