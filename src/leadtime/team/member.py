"""What a member does in the team database: publish, read the team's numbers, leave.

Every statement runs as the member's own role, so row-level security decides what it
touches: its own rows, and the team's numbers only through ``leadtime_team.report()``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from leadtime.clock import iso_label
from leadtime.reports.numbers import CATEGORIES, Verdict
from leadtime.team.db import Session
from leadtime.team.records import OwnWeek, TeamWeek
from leadtime.team.schema import PUBLISH_LOCK, SCHEMA

__all__ = ["delete_own_rows", "publish", "read_report"]

_PUBLISH = f"SELECT {SCHEMA}.publish(%s::jsonb)"
_REPORT = (
    "SELECT week, min_group, leads, p25_share, median_share, p75_share, on_target, "
    f"too_hands_on, too_hands_off, minutes, activities FROM {SCHEMA}.report(%s, %s)"
)
# Row-level security shows a member its own rows only; the condition says the same for an
# owner, whom the policies do not bind.
_OWN = (
    f"SELECT week, leadership, hands_on, verdict FROM {SCHEMA}.weeks "
    "WHERE member = current_user AND week BETWEEN %s AND %s"
)
_DELETE_OWN = f"DELETE FROM {SCHEMA}.weeks WHERE member = current_user"


def publish(session: Session, document: str) -> int:
    """Replace this role's weeks in the document's range by the document's weeks (the
    JSON text, exactly as ``--dry-run`` prints it); returns how many weeks landed."""
    return int(session.value(_PUBLISH, (document,)))


def delete_own_rows(session: Session) -> int:
    """Delete every week this role published (its activities go with them)."""
    with session.errors(), session.raw.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK,))
        cursor.execute(_DELETE_OWN)
        return int(cursor.rowcount)


def read_report(session: Session, first: date, last: date) -> tuple[int, list[TeamWeek]]:
    """The minimum group and the team's weeks from ``first`` to ``last`` (Mondays), each
    with this role's own published week beside it."""
    own = {
        row[0]: OwnWeek(row[1] / (row[1] + row[2]), Verdict(row[3]))
        for row in session.rows(_OWN, (first, last))
    }
    min_group = 0
    weeks = []
    for row in session.rows(_REPORT, (first, last)):
        monday, min_group, leads = row[0], int(row[1]), row[2]
        if leads is None:
            weeks.append(TeamWeek(iso_label(monday), monday, None, you=own.get(monday)))
            continue
        weeks.append(
            TeamWeek(
                iso_label(monday),
                monday,
                int(leads),
                p25_share=row[3],
                median_share=row[4],
                p75_share=row[5],
                on_target=row[6],
                too_hands_on=row[7],
                too_hands_off=row[8],
                minutes=_by_category(row[9]),
                activities=_activities(row[10]),
                you=own.get(monday),
            )
        )
    return min_group, weeks


def _by_category(found: dict[str, Any] | None) -> dict[str, float]:
    found = found or {}
    return {name: float(found[name]) for name in CATEGORIES if name in found}


def _activities(found: dict[str, Any] | None) -> dict[str, dict[str, float]]:
    """Per category in the usual order, largest activity first."""
    found = found or {}
    return {
        name: dict(
            sorted(
                ((str(label), float(minutes)) for label, minutes in found[name].items()),
                key=lambda item: (-item[1], item[0]),
            )
        )
        for name in CATEGORIES
        if name in found
    }
