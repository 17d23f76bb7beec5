"""Chinese working days: public holidays and make-up working days (调休).

The chinese-calendar package knows each year's State Council schedule for a fixed range of
years and raises outside it. Admin-entered `CalendarOverride` rows win over the package; for a
date the package does not cover and no override names, we fall back to Monday–Friday and log a
warning for the admins — never an error page.
"""

import datetime as dt
import logging
from collections.abc import Iterable

import chinese_calendar

from .models import CalendarOverride

logger = logging.getLogger("wulian.calendar")
_warned_years: set[int] = set()


class WorkdayCalendar:
    """Answers working-day questions with overrides loaded once per instance."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        if overrides is None:
            overrides = dict(CalendarOverride.objects.values_list("date", "is_workday"))
        self.overrides = overrides

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in _warned_years:
                _warned_years.add(day.year)
                logger.warning(
                    "工作日历未覆盖 %s 年：按周一至周五计算，"
                    "请管理员在“工作日历调整”中录入节假日。",
                    day.year,
                )
            return day.weekday() < 5

    def add_workdays(self, start: dt.datetime, days: int) -> dt.datetime:
        """The moment `days` full working days after `start`, at the same time of day.

        A start on a non-working day counts from the next working day's beginning.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        current = start
        if not self.is_workday(current.date()):
            current = current.replace(hour=0, minute=0, second=0, microsecond=0)
            while not self.is_workday(current.date()):
                current += dt.timedelta(days=1)
        remaining = days
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_workday(current.date()):
                remaining -= 1
        return current

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days end lies after start."""
        if end <= start:
            return -self.workdays_between(end, start) if end < start else 0
        return sum(
            1
            for i in range(1, (end - start).days + 1)
            if self.is_workday(start + dt.timedelta(days=i))
        )

    def workdays(self, days: Iterable[dt.date]) -> list[dt.date]:
        return [d for d in days if self.is_workday(d)]


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar().is_workday(day)


def add_workdays(start: dt.datetime, days: int) -> dt.datetime:
    return WorkdayCalendar().add_workdays(start, days)
