"""Weekly reports and the check: pure functions from stored spans to frozen records.

``weeks`` does the ISO-week arithmetic in a zone, ``fold`` counts overlapping time once,
``split`` builds the weekly records and their verdicts, ``check`` judges them for the gate.
"""

from leadtime.reports.check import CheckResult, CheckWeek, judge
from leadtime.reports.split import (
    CATEGORIES,
    Report,
    Span,
    Verdict,
    WeekRecord,
    aggregate_record,
    build_report,
    percent,
    spans_window,
    to_json_dict,
)

__all__ = [
    "CATEGORIES",
    "CheckResult",
    "CheckWeek",
    "Report",
    "Span",
    "Verdict",
    "WeekRecord",
    "aggregate_record",
    "build_report",
    "judge",
    "percent",
    "spans_window",
    "to_json_dict",
]
