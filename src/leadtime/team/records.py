"""What the team commands return: frozen records for the renderers, no driver, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from leadtime.reports.numbers import Verdict

__all__ = ["MemberChange", "OwnWeek", "Published", "TeamReport", "TeamWeek"]


@dataclass(frozen=True)
class OwnWeek:
    """Your own published week, shown beside the team's."""

    share: float  # leadership / (leadership + hands-on), 0..1
    verdict: Verdict


@dataclass(frozen=True)
class TeamWeek:
    """One ISO week of the team report.

    ``leads`` is None for a suppressed week (fewer publishers than the minimum group): then
    every number is None and the tables empty, whatever the database holds. Shares are
    0..1; ``minutes`` and ``activities`` are mean minutes per lead, for the categories and
    activities that at least the minimum group of leads have time on.
    """

    week: str
    start: date
    leads: int | None
    p25_share: float | None = None
    median_share: float | None = None
    p75_share: float | None = None
    on_target: int | None = None
    too_hands_on: int | None = None
    too_hands_off: int | None = None
    minutes: dict[str, float] = field(default_factory=dict)
    activities: dict[str, dict[str, float]] = field(default_factory=dict)
    you: OwnWeek | None = None

    @property
    def suppressed(self) -> bool:
        return self.leads is None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


@dataclass(frozen=True)
class TeamReport:
    """The team's weeks, oldest first, and the minimum group the database applied."""

    team: str  # the masked address
    min_group: int
    weeks: tuple[TeamWeek, ...]

    def mix(self) -> dict[str, dict[str, float]]:
        """Mean minutes per lead and week of each activity over the weeks that show it."""
        totals: dict[str, dict[str, list[float]]] = {}
        for record in self.weeks:
            for category, labels in record.activities.items():
                for label, minutes in labels.items():
                    totals.setdefault(category, {}).setdefault(label, []).append(minutes)
        return {
            category: dict(
                sorted(
                    ((label, sum(values) / len(values)) for label, values in labels.items()),
                    key=lambda item: (-item[1], item[0]),
                )
            )
            for category, labels in totals.items()
        }


@dataclass(frozen=True)
class Published:
    """What ``team publish`` sent (or, with ``--dry-run``, would send)."""

    team: str | None  # the masked address; None for a dry run without a team
    document: dict[str, Any]  # exactly what is sent
    skipped: tuple[str, ...]  # complete weeks left out: not enough data to judge
    dry_run: bool

    @property
    def weeks(self) -> int:
        return len(self.document["weeks"])


@dataclass(frozen=True)
class MemberChange:
    """What ``team add`` / ``team remove`` / ``team leave`` did."""

    team: str
    role: str
    created: bool = False  # a new login role
    granted: bool = False  # leadtime_member granted now
    revoked: bool = False
    rows: int = 0  # published weeks deleted
