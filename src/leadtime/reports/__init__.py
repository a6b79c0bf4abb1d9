"""Weekly reports and the check: pure functions from stored spans to frozen records.

``weeks`` does the ISO-week arithmetic in a zone, ``workhours`` reads the working hours,
``fold`` counts overlapping time once, ``numbers`` holds the verdict and its band,
``records`` the frozen week records, ``build`` makes them from spans, ``check`` judges them
for the gate.
"""

from leadtime.reports.build import Span, build_report
from leadtime.reports.check import CheckResult, CheckWeek, judge
from leadtime.reports.numbers import CATEGORIES, NO_LABEL, Verdict, band, verdict_for
from leadtime.reports.records import BREAKDOWNS, Report, WeekRecord, aggregate_record
from leadtime.reports.weeks import spans_window
from leadtime.reports.workhours import DEFAULT_WORK_HOURS, WorkHours
from leadtime.units import percent

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
