"""The gate's judgement: which weeks pass, and the exit code scripts rely on."""

from __future__ import annotations

from datetime import date, datetime

from leadtime.errors import ExitCode
from leadtime.reports import Report, Span, build_report
from leadtime.reports.check import judge

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-23T09:00:00+01:00")  # Monday of W48: W45-W47 complete
W45, W46, W47 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)


def hours(day: int, category: str, amount: float, origin: str = "log") -> Span:
    """``amount`` hours from 08:00 Berlin time (CET) on 2026-11-``day``."""
    begin = int(datetime.fromisoformat(f"2026-11-{day:02d}T08:00:00+01:00").timestamp())
    return Span(begin, begin + int(amount * 3600), origin, category, None)


def report(spans: list[Span], mondays: list[date], **kw: float) -> Report:
    return build_report(spans, mondays, tz=BERLIN, now=NOW, **kw)


ON_TARGET_W47 = [hours(16, "leadership", 7), hours(17, "hands-on", 3)]  # 70.0%
HANDS_ON_W46 = [hours(9, "leadership", 3), hours(10, "hands-on", 3)]  # 50.0%
THIN_W45 = [hours(2, "leadership", 2), hours(3, "hands-on", 1)]  # 3 h < 4 h


def test_on_target_week_passes_with_exit_0() -> None:
    result = judge(report(ON_TARGET_W47, [W47]))
    assert result.exit_code is ExitCode.OK
    assert result.passed is True
    (week,) = result.weeks
    assert week.passed is True
    assert week.reason == "leadership 70.0% is within 65.0%\N{EN DASH}75.0%"
    assert result.summary.startswith("on target: 2026-W47 leadership 70.0%")
    assert "target 70% ± 5" in result.summary


def test_breach_exits_1_and_names_the_week() -> None:
    result = judge(report(ON_TARGET_W47 + HANDS_ON_W46, [W46, W47]))
    assert result.exit_code is ExitCode.BREACH
    assert result.passed is False
    assert [w.passed for w in result.weeks] == [False, True]
    assert result.weeks[0].reason == "leadership 50.0% is below 65.0% (too hands-on)"
    assert result.summary.startswith("off target: 1 of 2 weeks")
    assert "2026-W46" in result.summary


def test_too_hands_off_is_a_breach_too() -> None:
    spans = [hours(16, "leadership", 9), hours(17, "hands-on", 1)]  # 90.0%
    result = judge(report(spans, [W47]))
    assert result.exit_code is ExitCode.BREACH
    assert result.weeks[0].reason == "leadership 90.0% is above 75.0% (too hands-off)"


def test_nothing_to_judge_exits_5() -> None:
    result = judge(report(THIN_W45, [W45]))
    assert result.exit_code is ExitCode.NOT_ENOUGH_DATA
    assert result.passed is None
    assert result.weeks[0].passed is None
    assert result.weeks[0].reason == "only 3.0 h classified, needs 4 h"
    empty = judge(report([], [W45]))
    assert empty.exit_code is ExitCode.NOT_ENOUGH_DATA
    assert empty.weeks[0].reason == "no leadership or hands-on time"
    assert judge(report([], [])).exit_code is ExitCode.NOT_ENOUGH_DATA


def test_weeks_without_data_are_skipped_when_others_pass() -> None:
    result = judge(report(THIN_W45 + ON_TARGET_W47, [W45, W46, W47]))
    assert [w.passed for w in result.weeks] == [None, None, True]
    assert result.exit_code is ExitCode.OK
    assert "2 skipped" in result.summary


def test_skipped_weeks_do_not_hide_a_breach() -> None:
    result = judge(report(THIN_W45 + HANDS_ON_W46, [W45, W46]))
    assert result.exit_code is ExitCode.BREACH


def test_average_judges_the_aggregate() -> None:
    # W46 50% (3 L, 3 H) and W47 70% (7 L, 3 H): together 10 / 16 = 62.5% -> too hands-on.
    result = judge(report(HANDS_ON_W46 + ON_TARGET_W47, [W46, W47]), average=True)
    (week,) = result.weeks
    assert result.average
    assert week.record.week == "2026-W46..2026-W47"
    assert week.reason == "leadership 62.5% is below 65.0% (too hands-on)"
    assert result.exit_code is ExitCode.BREACH


def test_average_needs_the_minimum_hours_per_week_with_classified_time() -> None:
    # 3 h + 3 h + 1 h = 7 h classified in three weeks: less than 3 * 4 h, so not judged.
    spans = [*THIN_W45, hours(9, "leadership", 3), hours(16, "hands-on", 1)]
    result = judge(report(spans, [W45, W46, W47]), average=True)
    assert result.exit_code is ExitCode.NOT_ENOUGH_DATA
    assert result.weeks[0].reason == "only 7.0 h classified, needs 12 h"


def test_weeks_without_classified_time_do_not_raise_the_bar() -> None:
    # W46 holds 3 h leadership + 2 h hands-on (60%, too hands-on); W45 has only an hour of
    # lunch, W47 nothing. Alone or with them, W46 is judged on its 5 h: one week, 4 h.
    lunch = hours(4, "other", 1, "ics")
    spans = [lunch, hours(9, "leadership", 3), hours(10, "hands-on", 2)]
    alone = judge(report(spans, [W46]), average=True)
    padded = judge(report(spans, [W45, W46, W47]), average=True)
    for result in (alone, padded):
        assert result.exit_code is ExitCode.BREACH
        assert result.weeks[0].reason == "leadership 60.0% is below 65.0% (too hands-on)"
    # with the hours of two weeks it would have needed 8 h
    thin = judge(report([*spans, hours(16, "leadership", 1)], [W45, W46, W47]), average=True)
    assert thin.exit_code is ExitCode.NOT_ENOUGH_DATA
    assert thin.weeks[0].reason == "only 6.0 h classified, needs 8 h"


def test_max_unclassified_breaches_even_a_passing_week() -> None:
    # 7 L + 3 H + 2.5 U = 12.5 h: unclassified 20.0%.
    spans = [*ON_TARGET_W47, hours(18, "unclassified", 2.5, "ics")]
    assert judge(report(spans, [W47]), max_unclassified=20).exit_code is ExitCode.OK  # not above
    result = judge(report(spans, [W47]), max_unclassified=19.9)
    assert result.exit_code is ExitCode.BREACH
    assert result.weeks[0].reason.endswith("; unclassified 20.0% is above 19.9%")


def test_max_unclassified_catches_a_week_that_is_mostly_unclassified() -> None:
    spans = [hours(16, "leadership", 1), hours(17, "unclassified", 9, "ics")]  # 90% unclassified
    assert judge(report(spans, [W47])).exit_code is ExitCode.NOT_ENOUGH_DATA
    assert judge(report(spans, [W47]), max_unclassified=50).exit_code is ExitCode.BREACH


def test_custom_target_and_tolerance() -> None:
    # 50.0% passes 50 ± 10 and its band is shown as 40.0-60.0.
    result = judge(report(HANDS_ON_W46, [W46], target=0.5, tolerance=0.1))
    assert result.exit_code is ExitCode.OK
    assert result.weeks[0].reason == "leadership 50.0% is within 40.0%\N{EN DASH}60.0%"
    assert "target 50% ± 10" in result.summary
