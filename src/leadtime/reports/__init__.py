"""Weekly reports and the check: pure functions from stored spans to frozen records.

``weeks`` does the ISO-week arithmetic in a zone, ``workhours`` reads the working hours,
``fold`` counts overlapping time once, ``numbers`` holds the verdict and its band,
``records`` the frozen week records, ``build`` makes them from spans, ``check`` judges them
for the gate.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leadtime.reports.build import Span, build_report
    from leadtime.reports.check import CheckResult, CheckWeek, judge
    from leadtime.reports.numbers import CATEGORIES, NO_LABEL, Verdict, band, verdict_for
    from leadtime.reports.records import BREAKDOWNS, Report, WeekRecord, aggregate_record
    from leadtime.reports.weeks import spans_window
    from leadtime.reports.workhours import DEFAULT_WORK_HOURS, WorkHours
    from leadtime.units import percent

# Each name is loaded from its module on first use: a report does not load the check.
_HOMES = {
    "leadtime.reports.build": ("Span", "build_report"),
    "leadtime.reports.check": ("CheckResult", "CheckWeek", "judge"),
    "leadtime.reports.numbers": ("CATEGORIES", "NO_LABEL", "Verdict", "band", "verdict_for"),
    "leadtime.reports.records": ("BREAKDOWNS", "Report", "WeekRecord", "aggregate_record"),
    "leadtime.reports.weeks": ("spans_window",),
    "leadtime.reports.workhours": ("DEFAULT_WORK_HOURS", "WorkHours"),
    "leadtime.units": ("percent",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "BREAKDOWNS",
    "CATEGORIES",
    "DEFAULT_WORK_HOURS",
    "NO_LABEL",
    "CheckResult",
    "CheckWeek",
    "Report",
    "Span",
    "Verdict",
    "WeekRecord",
    "WorkHours",
    "aggregate_record",
    "band",
    "build_report",
    "judge",
    "percent",
    "spans_window",
    "verdict_for",
]
