"""The period a command covers: ``--week``, ``--weeks N``, ``--from/--to`` or its default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from leadtime.app.workspace import Workspace
from leadtime.clock import (
    FIRST_MONDAY,
    FIRST_YEAR,
    LAST_MONDAY,
    LAST_YEAR,
    RANGE_HINT,
    WEEK,
    local_date,
)
from leadtime.errors import UsageError

MAX_WEEKS = 5200  # a century: more is a typing mistake, and would take long
EARLIEST_MONDAY = FIRST_MONDAY - WEEK  # the week that holds 1970-01-01


@dataclass(frozen=True)
class Period:
    """What the user asked for; every field None means the command's default."""

    week: str | None = None
    weeks: int | None = None
    first: str | None = None  # --from
    last: str | None = None  # --to

    def chosen(self) -> list[str]:
        return [
            name
            for name, value in (
                ("--week", self.week),
                ("--weeks", self.weeks),
                ("--from", self.first or self.last),
            )
            if value
        ]


def _bounded(day: date, option: str) -> date:
    if not EARLIEST_MONDAY <= day <= LAST_MONDAY:
        raise UsageError(
            f"{option} {day.isoformat()} is out of range",
            hint=RANGE_HINT,
        )
    return day


def _days(ws: Workspace, period: Period) -> tuple[date, date]:
    from leadtime.timeparse import parse_date

    now, tz = ws.now, ws.tz
    if period.first is None:
        raise UsageError("--to needs --from", hint="--from 2026-11-01 --to 2026-11-30")
    first = _bounded(parse_date(period.first, now=now, tz=tz), "--from")
    last = _bounded(
        parse_date(period.last, now=now, tz=tz) if period.last else local_date(now, tz), "--to"
    )
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    if (last - first).days > MAX_WEEKS * 7:
        raise UsageError(
            f"the period {first}..{last} is longer than {MAX_WEEKS} weeks",
            hint="choose a shorter period",
        )
    return first, last


def mondays(
    ws: Workspace, period: Period, *, default: int, complete_only: bool = False
) -> list[date]:
    """The Mondays of the weeks a command covers.

    ``--weeks N`` (and the default, ``default`` weeks) means the last N complete weeks,
    plus the current one unless ``complete_only`` (the check judges complete weeks only).
    ``--from/--to`` covers every week that overlaps the range, whole.
    """
    from leadtime.reports import weeks as wk
    from leadtime.timeparse import parse_week

    chosen = period.chosen()
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join(chosen)} cannot be combined", hint="choose one period")
    if period.week:
        return [_bounded(parse_week(period.week, now=ws.now, tz=ws.tz), "--week")]
    if period.first or period.last:
        first, last = _days(ws, period)
        return wk.weeks_between(first, last)
    count = period.weeks if period.weeks is not None else default
    if count > MAX_WEEKS:
        raise UsageError(f"--weeks {count} is more than {MAX_WEEKS}")
    found = wk.last_n_weeks(ws.now, ws.tz, count, include_current=not complete_only)
    if found and found[0] < EARLIEST_MONDAY:
        reachable = sum(1 for monday in found if monday >= EARLIEST_MONDAY)
        reachable -= 0 if complete_only else 1  # the current week is not one of the N
        raise UsageError(
            f"--weeks {count} would begin in the week of {found[0]}, before {FIRST_YEAR}",
            hint=f"leadtime covers {FIRST_YEAR} to {LAST_YEAR}: at most --weeks "
            f"{reachable} from now",
        )
    return [_bounded(monday, "--weeks") for monday in found]


def window(ws: Workspace, period: Period, *, default: int) -> tuple[int, int]:
    """Unix seconds ``[start, end)`` of the period; ``--from/--to`` are exact days here.

    ``default`` is the number of complete weeks before the current one covered when no
    period is given (0: the current week only), as in :func:`mondays`.
    """
    from leadtime.reports import weeks as wk

    if (period.first or period.last) and not (period.week or period.weeks):
        mondays(ws, period, default=default)  # validates the combination
        first, last = _days(ws, period)
        return wk.day_bounds(first, last, ws.tz)
    return wk.spans_window(mondays(ws, period, default=default), ws.tz)
