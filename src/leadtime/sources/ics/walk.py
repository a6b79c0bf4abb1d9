"""Walking recurrence rules with a bound on the candidates examined, not only the instances.

dateutil's rule iterator walks period after period from DTSTART and yields the candidates
that match the BYxxx parts. A rule that never matches again (``FREQ=SECONDLY;BYMONTH=2;
BYMONTHDAY=30``) keeps walking to the year 9999 before it ends: millions of periods,
seconds for one event. recurring-ical-events asks dateutil for whole lists between two
instants, so a dense rule also costs every instance of the window at once. Here:

* instances come one at a time, in order (``xafter``), so that the caller stops at its
  instance cap without producing the rest;
* a rule examines at most ``Limits.candidates`` candidates, counted from DTSTART: the
  periods its iterator steps through (one FREQ times INTERVAL each: a day of a
  ``FREQ=DAILY`` rule, a second of a ``FREQ=SECONDLY`` one), each weighted by what
  dateutil spends on it, measured against a day of ``FREQ=DAILY`` (a year of
  ``FREQ=YEARLY``, whose every day is checked against the BYxxx parts, counts 16). A rule
  that would need more to reach the end of the window is read up to where its
  candidates end (:attr:`Tally.cut` says where);
* a walk never goes on past the end of what was asked: dateutil's per-period bookkeeping
  (``_iterinfo.rebuild``) runs once for every month walked (every year for
  ``FREQ=YEARLY``) and reads the rule's ``_byeaster`` each time; :class:`BoundedRule`
  counts those reads and ends the walk a few months after the end, where dateutil would
  go on to 9999 looking for one more match (dateutil issue #1441 asks for such a bound).

Everything is counted, nothing is timed: the same file gives the same instances on a fast
and on a loaded machine.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

# The shortest length of one period of dateutil's frequencies, YEARLY (0) to SECONDLY (6).
_PERIOD_SECONDS = (365 * 86_400, 28 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1)
# What dateutil spends on one period of each frequency, in periods of FREQ=DAILY (measured:
# from about 5 us for a day to about 85 us for a year, whose 366 days are each checked).
_PERIOD_COST = (16, 3, 2, 1, 3, 3, 3)
_YEARLY = 0
# Months (years for FREQ=YEARLY) a walk may go past its end before it is stopped: dateutil
# starts the bookkeeping of a month before it looks at any of its days, and wall-clock
# times may lie a day away from the UTC window.
_SLACK_UNITS = 3


class _PastEnd(Exception):
    """Raised inside dateutil's iterator to end a walk that went past its end."""


@dataclass(slots=True)
class Limits:
    """What the next rule to be walked may examine; set by the caller before each series."""

    candidates: int = 0


@dataclass(slots=True)
class Tally:
    """What the walks of a set of rules cost: the candidates they examined, and the moment
    (in the rules' own time) after which a rule was not read because its candidates ran
    out, or None."""

    walked: int = 0
    cut: datetime | None = None


def period(rule: Any) -> timedelta:
    """The shortest span of one candidate period of a dateutil rule: FREQ times INTERVAL."""
    return timedelta(seconds=_PERIOD_SECONDS[rule._freq] * max(rule._interval, 1))


def _units(rule: Any, start: datetime, end: datetime) -> int:
    """dateutil's bookkeeping steps (months, or years for FREQ=YEARLY) from start to end."""
    if rule._freq == _YEARLY:
        return max(end.year - start.year, 0)
    return max((end.year - start.year) * 12 + end.month - start.month, 0)


@cache
def _bounded_rule_class() -> type:
    from dateutil.rrule import rrule

    class BoundedRule(rrule):  # type: ignore[misc]
        """A dateutil rule whose walk ends ``left`` bookkeeping steps from now."""

        @property
        def _byeaster(self) -> Any:
            state = self.__dict__
            left = state.get("_leadtime_left")
            if left is not None:
                if left <= 0:
                    raise _PastEnd
                state["_leadtime_left"] = left - 1
            return state["_byeaster"]

        def allow(self, steps: int | None) -> None:
            self.__dict__["_leadtime_left"] = steps

    return BoundedRule


def bounded(rule: Any) -> Any:
    """The same dateutil rule, as one whose walks :func:`steps` can bound."""
    # A subclass instance with the same state: dateutil builds plain rrules, and without
    # its cache an iteration ended by _PastEnd leaves no lock held.
    rule.__class__ = _bounded_rule_class()
    rule._cache = None
    return rule


def is_bounded(rule: Any) -> bool:
    return isinstance(rule, _bounded_rule_class())


def steps(
    rule: Any, first: datetime, start: datetime, stop: datetime, candidates: int, tally: Tally
) -> Generator[datetime, None, None]:
    """The times of a :func:`bounded` rule in [start, stop], in order, one at a time.

    The rule examines at most ``candidates`` candidates counted from ``first`` (its
    DTSTART): where it would need more to reach ``stop``, it is read up to where they end
    and ``tally.cut`` says where. The candidates examined are added to ``tally.walked``,
    also when the caller stops early.
    """
    step = period(rule)
    cost = _PERIOD_COST[rule._freq]
    periods = candidates // cost
    # the candidates end before the window does: read up to there, and say so
    short = (stop - first) / step > periods
    end = first + step * periods if short else stop
    reached = first
    passed = False
    rule.allow(_units(rule, first, end) + _SLACK_UNITS)
    try:
        for moment in rule.xafter(start, inc=True):
            if moment > end:
                passed = True
                break
            reached = moment
            yield moment
    except _PastEnd:
        passed = True
    finally:  # also when the caller stops early, at its instance cap
        rule.allow(None)
        if passed:
            reached = end
            if short and (tally.cut is None or end < tally.cut):
                tally.cut = end
        tally.walked += max(int((reached - first) / step), 1) * cost


def make_series_class(limits: Limits) -> type:
    """A recurring-ical-events Series that walks its rules lazily and within ``limits``.

    Its occurrences also tell whether a rule generated them (for RECURRENCE-ID).
    """
    from recurring_ical_events import Occurrence, Series
    from recurring_ical_events.util import compare_greater, convert_to_datetime, is_pytz

    class Rules(Series.RecurrenceRules):  # type: ignore[misc]
        """The rules of one series, walked lazily, each within ``limits.candidates``;
        ``tally`` adds up what every walk cost (see :class:`Tally`)."""

        tally: Tally | None = None

        def rrulestr(self, rule_string: str) -> Any:
            return bounded(super().rrulestr(rule_string))

        def rrule_between(self, span_start: Any, span_stop: Any) -> Iterator[Any]:
            """The rules' starts in [span_start, span_stop], in order, one at a time."""
            start = convert_to_datetime(span_start, self.tzinfo)
            stop = convert_to_datetime(span_stop, self.tzinfo)
            if self.tzinfo is not None:
                # in the rules' own zone, instants compare without a look-up of the offset
                start, stop = start.astimezone(self.tzinfo), stop.astimezone(self.tzinfo)
            if is_pytz(self.tzinfo):  # as recurring-ical-events does: pytz is off by an hour
                start = self.tzinfo.normalize(start - timedelta(hours=1))
                stop = self.tzinfo.normalize(stop + timedelta(hours=1))
            walks = [self._walk(rule, start, stop) for rule in self.rrules]
            yield from walks[0] if len(walks) == 1 else heapq.merge(*walks)

        def _walk(self, rule: Any, start: datetime, stop: datetime) -> Iterator[Any]:
            if not is_bounded(rule):  # DTSTART and the RDATEs: a short list
                for moment in rule.xafter(start, inc=True):
                    if moment > stop:
                        return
                    yield moment
                return
            if self.tally is None:
                self.tally = Tally()
            walk = steps(rule, self.start, start, stop, limits.candidates, self.tally)
            try:
                for moment in walk:
                    zone: Any = moment.tzinfo
                    if is_pytz(self.tzinfo) and zone is not None:
                        moment = zone.localize(moment.replace(tzinfo=None))
                    if rule.until is None or not compare_greater(moment, rule.until):
                        yield moment
            finally:
                walk.close()

    class BoundedSeries(Series):  # type: ignore[misc]
        RecurrenceRules = Rules

        def occurrence(self, adapter: Any, start: Any = None, end: Any = None) -> Any:
            return _Occurrence(adapter, start, end, start is not None)

    class _Occurrence(Occurrence):  # type: ignore[misc]
        """An occurrence that remembers whether a rule generated it."""

        def __init__(self, adapter: Any, start: Any, end: Any, derived: bool) -> None:
            super().__init__(adapter, start, end)
            self.adapter = adapter
            self.derived = derived

    return BoundedSeries


def walked(series: Any) -> tuple[int, datetime | date | None]:
    """The candidates a series' rules examined, and where one was cut (or None)."""
    tally = getattr(series.recurrence, "tally", None)
    return (tally.walked, tally.cut) if tally is not None else (0, None)
