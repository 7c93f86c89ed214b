"""The office's clocks, checked against dates worked out by hand from the rules.

Holidays used (as the `holidays` package has them for Indonesia, public + government, 2026):
Mon 17 Aug (Hari Kemerdekaan); Thu 24 Dec (cuti bersama Natal) and Fri 25 Dec (Natal);
Wed 18 Mar (cuti bersama Nyepi), Thu 19 Mar (Nyepi), Fri 20 Mar (cuti bersama Idul Fitri),
Sat 21 - Sun 22 Mar (Idul Fitri), Mon 23 - Tue 24 Mar (cuti bersama Idul Fitri),
Fri 3 Apr (Wafat Yesus Kristus).
July 2026 has no holiday.
"""

from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from app.workflow.clock import WorkingCalendar, due_at, package_holidays

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkingCalendar()


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def test_the_package_has_the_holidays_these_tests_rely_on():
    found = holidays.country_holidays("ID", years=2026, categories=("public", "government"), language="id")
    assert found[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert found[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert found[date(2026, 3, 23)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert not [day for day in found if day.month == 7]


# --- wall clock: around the clock, nights and weekends included ---------------------------------


def test_wall_clock_runs_through_the_night():
    assert due_at(wib(2026, 7, 2, 22), timedelta(hours=1), None, CALENDAR) == wib(2026, 7, 2, 23)


def test_wall_clock_runs_through_the_weekend():
    due = due_at(wib(2026, 7, 4, 2), timedelta(days=1), None, CALENDAR)
    assert due == wib(2026, 7, 5, 2)
    assert due.utcoffset() == timedelta(0)


def test_wall_clock_runs_through_holidays():
    assert due_at(wib(2026, 8, 16, 12), timedelta(days=1), None, CALENDAR) == wib(2026, 8, 17, 12)


def test_no_standard_no_due_date():
    assert due_at(wib(2026, 7, 1, 9), None, None, CALENDAR) is None


def test_a_standard_is_wall_clock_or_working_days_not_both():
    with pytest.raises(ValueError):
        due_at(wib(2026, 7, 1, 9), timedelta(hours=1), 1, CALENDAR)


# --- working days -------------------------------------------------------------------------------


def test_weekend_is_skipped():
    # Fri 14:00 + 1 working day: the close of Monday, the next working day.
    due = due_at(wib(2026, 7, 3, 14), None, 1, CALENDAR)
    assert due == wib(2026, 7, 7, 0)
    assert due.tzinfo == UTC


def test_a_standard_in_working_days_ends_at_the_close_of_its_last_working_day():
    # SOP 11: received Wed 1 Jul at 09:00, the 14th working day after it is Tue 21 Jul; due at its
    # close (24.00), not at 09:00 — whatever the hour of the receipt.
    assert due_at(wib(2026, 7, 1, 9), None, 14, CALENDAR) == wib(2026, 7, 22, 0)
    assert due_at(wib(2026, 7, 1, 23, 59), None, 14, CALENDAR) == wib(2026, 7, 22, 0)
    assert due_at(wib(2026, 7, 4, 10), None, 1, CALENDAR) == wib(2026, 7, 7, 0)  # from a Saturday


def test_counting_from_a_weekend_starts_on_monday_morning():
    assert CALENDAR.add_working_days(wib(2026, 7, 4, 10), 1) == wib(2026, 7, 7, 0)


def test_fourteen_working_days_without_holidays():
    # Wed 1 Jul 09:00: two weeks give 10 (Wed 15 Jul 09:00); Thu, Fri, Mon, Tue give 4 more.
    assert CALENDAR.add_working_days(wib(2026, 7, 1, 9), 14) == wib(2026, 7, 21, 9)


def test_half_a_working_day_spans_the_weekend():
    # Fri 20:00 leaves 4 h of Friday; the other 8 h are Monday's.
    assert CALENDAR.add_working_days(wib(2026, 7, 3, 20), 0.5) == wib(2026, 7, 6, 8)


def test_due_at_the_end_of_friday_not_on_monday():
    assert CALENDAR.add_working_days(wib(2026, 7, 3, 18), 0.25) == wib(2026, 7, 4, 0)


def test_whole_days_end_on_the_night_of_the_last_working_day():
    # Fri 3 Jul 00:00: Fri 3 Jul, Mon 6 - Fri 10 Jul, Mon 13 - Fri 17 Jul are the 11 days; the weekend after
    # adds no working time, so the earliest moment is the end of Friday 17 Jul, not Monday morning.
    assert CALENDAR.add_working_days(wib(2026, 7, 3), 11) == wib(2026, 7, 18)
    assert CALENDAR.add_working_days(wib(2026, 7, 4, 10), 5) == wib(2026, 7, 11)


def test_zero_days_is_the_start_and_negative_is_refused():
    assert CALENDAR.add_working_days(wib(2026, 7, 4, 10), 0) == wib(2026, 7, 4, 10)
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(wib(2026, 7, 1, 9), -1)


def test_independence_day_is_skipped():
    assert not CALENDAR.is_working_day(date(2026, 8, 17))
    assert CALENDAR.holiday_name(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    # Fri 14 Aug 14:00: 10 h of Friday, the weekend and Monday 17 Aug skipped, 14 h of Tuesday.
    assert due_at(wib(2026, 8, 14, 14), None, 1, CALENDAR) == wib(2026, 8, 19, 0)


def test_cuti_bersama_is_skipped():
    assert not CALENDAR.is_working_day(date(2026, 12, 24))
    # Wed 23 Dec 10:00: 14 h of Wednesday, Thu 24 (cuti bersama) to Sun 27 skipped, 10 h of Monday.
    assert CALENDAR.add_working_days(wib(2026, 12, 23, 10), 1) == wib(2026, 12, 28, 10)


def test_fourteen_working_day_permit_across_idul_fitri():
    # Mon 16 Mar 09:00: the working days after it are Tue 17 Mar; Wed 25, Thu 26, Fri 27, Mon 30,
    # Tue 31 Mar; Wed 1, Thu 2 Apr (Fri 3 Apr is Good Friday); Mon 6 to Fri 10 Apr; Mon 13 Apr, the 14th.
    assert due_at(wib(2026, 3, 16, 9), None, 14, CALENDAR) == wib(2026, 4, 14, 0)


def test_admin_extra_holiday_shifts_the_due_date_by_a_day():
    calendar = WorkingCalendar(extra_holidays=frozenset({date(2026, 7, 10)}))
    assert not calendar.is_working_day(date(2026, 7, 10))
    assert calendar.holiday_name(date(2026, 7, 10)) is None
    assert calendar.add_working_days(wib(2026, 7, 1, 9), 14) == wib(2026, 7, 22, 9)


def test_admin_correction_makes_a_package_holiday_a_working_day():
    calendar = WorkingCalendar(extra_working_days=frozenset({date(2026, 8, 17)}))
    assert calendar.is_working_day(date(2026, 8, 17))
    assert calendar.holiday_name(date(2026, 8, 17)) is None
    assert calendar.add_working_days(wib(2026, 8, 14, 14), 1) == wib(2026, 8, 17, 14)


def test_a_correction_does_not_make_a_weekend_a_working_day():
    calendar = WorkingCalendar(extra_working_days=frozenset({date(2026, 3, 21)}))
    assert not calendar.is_working_day(date(2026, 3, 21))


# --- working time between two moments -----------------------------------------------------------


def test_working_time_across_a_weekend():
    assert CALENDAR.working_time_between(wib(2026, 7, 3, 14), wib(2026, 7, 6, 10)) == timedelta(hours=20)


def test_working_time_across_a_holiday():
    # Fri 14 Aug 14:00 to Tue 18 Aug 10:00: 10 h of Friday + 10 h of Tuesday; Monday is a holiday.
    assert CALENDAR.working_time_between(wib(2026, 8, 14, 14), wib(2026, 8, 18, 10)) == timedelta(hours=20)
    assert CALENDAR.working_time_between(wib(2026, 8, 17, 8), wib(2026, 8, 17, 17)) == timedelta(0)


def test_working_time_within_one_day():
    assert CALENDAR.working_time_between(wib(2026, 7, 1, 8), wib(2026, 7, 1, 16, 30)) == timedelta(
        hours=8, minutes=30
    )


def test_days_follow_the_wib_calendar_not_utc():
    # Fri 23:00 to Sat 05:00 WIB is all Friday in UTC (16:00-22:00), but only 1 h lies on Friday in WIB.
    assert CALENDAR.working_time_between(wib(2026, 7, 3, 23), wib(2026, 7, 4, 5)) == timedelta(hours=1)


def test_reversed_or_empty_interval_is_zero():
    assert CALENDAR.working_time_between(wib(2026, 7, 6, 10), wib(2026, 7, 3, 14)) == timedelta(0)
    assert CALENDAR.working_time_between(wib(2026, 7, 1, 9), wib(2026, 7, 1, 9)) == timedelta(0)


def test_naive_datetimes_are_utc():
    friday_14_wib, monday_10_wib = datetime(2026, 7, 3, 7), datetime(2026, 7, 6, 3)
    assert CALENDAR.working_time_between(friday_14_wib, monday_10_wib) == timedelta(hours=20)
    due = CALENDAR.add_working_days(friday_14_wib, 1)
    assert due == datetime(2026, 7, 6, 7, tzinfo=UTC)
    assert due.tzinfo == UTC
    assert due_at(datetime(2026, 7, 2, 15), timedelta(hours=1), None, CALENDAR) == wib(2026, 7, 2, 23)


def test_working_days_between():
    # Fri 14 Aug to Mon 24 Aug: Fri 14, Tue 18, Wed 19, Thu 20, Fri 21 (Mon 17 Aug is a holiday).
    assert CALENDAR.working_days_between(wib(2026, 8, 14), wib(2026, 8, 24)) == 5.0


def test_working_days_of_2026():
    # 261 weekdays (52 weeks and a Thursday) minus 21 holidays falling on weekdays.
    assert CALENDAR.working_days_between(wib(2026, 1, 1), wib(2027, 1, 1)) == 240.0


def test_working_time_and_adding_working_days_agree():
    start = wib(2026, 3, 16, 9)
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, 14)) == 14.0


def test_package_holidays_are_cached():
    assert package_holidays(2026) is package_holidays(2026)


def test_three_years_are_quick():
    start, end = wib(2031, 2, 3, 9), wib(2034, 2, 3, 9)
    package_holidays(2020)  # the package's one-off lazy loading is not what is measured
    began = timer.perf_counter()
    total = CALENDAR.working_days_between(start, end)
    due = CALENDAR.add_working_days(start, total)
    elapsed = timer.perf_counter() - began
    assert elapsed < 0.05
    # Reference: a plain day-by-day count straight from the package.
    found = holidays.country_holidays(
        "ID", years=range(2031, 2035), categories=("public", "government"), language="id"
    )
    days = [date(2031, 2, 3) + timedelta(days=n) for n in range((date(2034, 2, 3) - date(2031, 2, 3)).days)]
    assert total == sum(1 for day in days if day.weekday() < 5 and day not in found)
    # Both ends (Mon 3 Feb 2031, Fri 3 Feb 2034) are working days, so adding the total lands on the end.
    assert due == end
