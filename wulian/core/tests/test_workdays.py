import datetime as dt

import pytest

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
def test_override_wins_and_uncovered_year_takes_provisional_statutory_holidays():
    CalendarOverride.objects.create(date=dt.date(2031, 1, 2), is_workday=False, note="本地")
    cal = WorkdayCalendar()
    assert cal.is_workday(dt.date(2031, 1, 1)) is False  # 元旦, provisional
    assert cal.is_workday(dt.date(2031, 1, 2)) is False  # override
    assert cal.is_workday(dt.date(2031, 1, 3)) is True  # Friday
    assert cal.is_workday(dt.date(2031, 1, 4)) is False  # Saturday
    assert cal.is_provisional(dt.date(2031, 1, 3)) and not cal.is_provisional(dt.date(2025, 1, 3))
    assert cal.add_workdays(at(2030, 12, 31), 1) == at(2031, 1, 3)


def test_one_day_deadline_filed_on_new_years_eve_2026_falls_on_4_january_2027():
    cal = WorkdayCalendar(overrides={})
    assert cal.add_workdays(at(2026, 12, 31), 1) == at(2027, 1, 4)
    assert cal.is_provisional(dt.date(2027, 1, 4))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2027, 2, 5), "春节 eve"),
        (dt.date(2027, 2, 8), "春节 third day"),
        (dt.date(2027, 4, 5), "清明"),
        (dt.date(2027, 5, 1), "劳动节"),
        (dt.date(2027, 6, 9), "端午"),
        (dt.date(2027, 9, 15), "中秋"),
        (dt.date(2027, 10, 1), "国庆"),
    ],
)
def test_statutory_holidays_of_an_uncovered_year_are_days_off(day, name):
    assert WorkdayCalendar(overrides={}).is_workday(day) is False, name


def test_entered_year_drops_the_provisional_holidays():
    cal = WorkdayCalendar(overrides={}, entered_years=[2027])
    assert cal.is_workday(dt.date(2027, 6, 9)) is True  # a Wednesday: the admins' word stands
    assert not cal.is_provisional(dt.date(2027, 6, 9))


def test_statutory_rule_agrees_with_the_package_where_the_package_has_data():
    from wulian.core.holidays import statutory_holidays

    cal = WorkdayCalendar(overrides={})
    for year in (2025, 2026):
        assert not any(cal.is_workday(d) for d in statutory_holidays(year)), year


def test_counting_is_consistent_with_walking_day_by_day():
    cal = WorkdayCalendar(overrides={dt.date(2026, 3, 3): False})
    start = dt.date(2025, 12, 20)
    walked = 0
    for offset in range(1, 500):
        day = start + dt.timedelta(days=offset)
        walked += cal.is_workday(day)
        assert cal.workdays_between(start, day) == walked
        if cal.is_workday(day):
            assert cal.nth_workday_after(start, walked) == day
            assert cal.nth_workday_back(day, 1) == day


def test_countdown_label_says_time_left_due_today_or_how_late():
    import datetime as dt

    from wulian.core.workdays import countdown_label

    due = dt.datetime(2026, 12, 1, 17, 0)
    assert countdown_label(due_at=None, overdue=False, overdue_workdays=0, workdays_left=3) == "—"
    assert countdown_label(due_at=due, overdue=False, overdue_workdays=0, workdays_left=3) == (
        "剩余 3 个工作日"
    )
    assert countdown_label(due_at=due, overdue=False, overdue_workdays=0, workdays_left=0) == (
        "今日到期"
    )
    assert (
        countdown_label(due_at=due, overdue=True, overdue_workdays=0, workdays_left=0) == "已超期"
    )
    assert countdown_label(due_at=due, overdue=True, overdue_workdays=4, workdays_left=0) == (
        "已超期 4 个工作日"
    )
