import datetime as dt
import logging

import pytest

from wulian.core import workdays
from wulian.core.models import CalendarOverride
from wulian.core.workdays import WorkdayCalendar

TZ = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=TZ)


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (dt.date(2024, 10, 1), False),  # 国庆节
        (dt.date(2024, 10, 7), False),
        (dt.date(2024, 9, 29), True),  # Sunday, 调休 working day
        (dt.date(2024, 10, 12), True),  # Saturday, 调休 working day
        (dt.date(2025, 1, 28), False),  # 春节 eve
        (dt.date(2025, 1, 26), True),  # Sunday, 调休
        (dt.date(2025, 2, 8), True),  # Saturday, 调休
        (dt.date(2025, 1, 1), False),  # 元旦
        (dt.date(2024, 12, 31), True),
    ],
)
def test_holidays_and_makeup_days(day, workday):
    assert WorkdayCalendar(overrides={}).is_workday(day) is workday


def test_add_workdays_across_national_day():
    cal = WorkdayCalendar(overrides={})
    # Friday 2024-09-27 + 3 working days: Sep 29 (Sun, 调休), Sep 30, then Oct 8.
    assert cal.add_workdays(at(2024, 9, 27), 3) == at(2024, 10, 8)


def test_add_workdays_across_spring_festival_and_year_end():
    cal = WorkdayCalendar(overrides={})
    assert cal.add_workdays(at(2024, 12, 31), 1) == at(2025, 1, 2)
    # Friday 2025-01-24 + 2: Jan 26 (Sun, 调休), Jan 27.
    assert cal.add_workdays(at(2025, 1, 24), 2) == at(2025, 1, 27)
    # Monday 2025-01-27 + 1 skips the whole holiday to Feb 5.
    assert cal.add_workdays(at(2025, 1, 27), 1) == at(2025, 2, 5)


def test_start_on_holiday_counts_from_next_working_day():
    cal = WorkdayCalendar(overrides={})
    assert cal.add_workdays(at(2024, 10, 3, 15), 1) == at(2024, 10, 9, 0)


def test_workdays_between():
    cal = WorkdayCalendar(overrides={})
    assert cal.workdays_between(dt.date(2024, 9, 30), dt.date(2024, 10, 8)) == 1
    assert cal.workdays_between(dt.date(2024, 10, 8), dt.date(2024, 9, 30)) == -1


@pytest.mark.django_db
def test_override_wins_and_uncovered_year_falls_back(caplog):
    workdays._warned_years.discard(2031)
    CalendarOverride.objects.create(date=dt.date(2031, 1, 1), is_workday=False, note="元旦")
    cal = WorkdayCalendar()
    with caplog.at_level(logging.WARNING, logger="wulian.calendar"):
        assert cal.is_workday(dt.date(2031, 1, 1)) is False  # override
        assert cal.is_workday(dt.date(2031, 1, 2)) is True  # Thursday, fallback
        assert cal.is_workday(dt.date(2031, 1, 4)) is False  # Saturday, fallback
    assert cal.add_workdays(at(2030, 12, 31), 1) == at(2031, 1, 2)
    assert any("工作日历未覆盖" in r.getMessage() for r in caplog.records)
