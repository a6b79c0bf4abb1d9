"""What every part of the store agrees on, importable without SQLAlchemy: the schema
revisions this program knows, where a SQLite URL points, and which entries a command reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Every revision this program knows, oldest first; the last one is what it writes.
REVISIONS = ("0001", "0002")
HEAD = REVISIONS[-1]
RULES_FINGERPRINT = "rules_fingerprint"  # meta key: the rules the stored categories come from


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or None for other databases and ``:memory:``."""
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    rest = rest.split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


@dataclass(frozen=True)
class EntryFilter:
    """Which entries a listing, report or check reads, as one SQL condition for any driver."""

    start_ts: int | None = None  # entries ending after this ...
    end_ts: int | None = None  # ... and starting before this
    origin: str | None = None
    category: str | None = None
    calendar: str | None = None
    excluded: bool = False  # True: only the excluded calendar instances

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A WHERE condition with named parameters (``:name``, as sqlite3 and SQLAlchemy take)."""
        clauses = ["excluded IS NOT NULL" if self.excluded else "excluded IS NULL"]
        params: dict[str, Any] = {}
        if self.start_ts is not None:
            # A zero-length calendar event at the very start still belongs to the period.
            clauses.append("(end_ts > :start OR start_ts >= :start)")
            params["start"] = self.start_ts
        if self.end_ts is not None:
            clauses.append("start_ts < :end")
            params["end"] = self.end_ts
        for column in ("origin", "category", "calendar"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = :{column}")
                params[column] = value
        return " AND ".join(clauses), params


SPAN_COLUMNS = "start_ts, end_ts, origin, category, activity"  # the report's input, in order
