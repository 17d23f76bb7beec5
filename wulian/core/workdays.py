"""Chinese working days: public holidays and make-up working days (调休), in O(1) per question.

Where a date's answer comes from, first match wins:
1. an administrator's `CalendarOverride` for that date;
2. the chinese-calendar package, for the years it covers (the State Council's schedules);
3. for a year neither covers, the statutory holidays (`core.holidays`) as *provisional* days
   off, unless administrators have marked the year's schedule entered (`CalendarYear`);
4. Monday to Friday.

Every answer is read from a per-date table built once per process for each state of the
calendar (the overrides and the entered years): `cum[i]` counts the working days from the
table's first day to day i, and `days` lists the working days in order. Counting working days
between two dates is one subtraction; finding the n-th working day after a date is one index.
The table is rebuilt (for the process) when the overrides change, and grown when a date falls
outside it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _

from .cache import derived
from .holidays import statutory_holidays
from .models import CalendarOverride, CalendarYear

logger = logging.getLogger("wulian.calendar")

FIRST_YEAR = 2004  # the package's first year; nothing in Wulian is older


@functools.cache
def package_years() -> frozenset[int]:
    """Years the chinese-calendar package knows the State Council's schedule for."""
    from chinese_calendar.constants import holidays

    return frozenset(d.year for d in holidays)


@dataclass(frozen=True)
class _Table:
    start: dt.date
    end: dt.date
    workday: bytes  # 1 per working day, indexed by days since start
    cum: tuple[int, ...]  # working days in [start, start + i]
    days: tuple[int, ...]  # ordinals of the working days, in order
    provisional_years: frozenset[int]


def _package_answer(day: dt.date) -> bool:
    return chinese_calendar.is_workday(day)


def _build(
    overrides: tuple[tuple[dt.date, bool], ...], entered: frozenset[int], last_year: int
) -> _Table:
    start, end = dt.date(FIRST_YEAR, 1, 1), dt.date(last_year, 12, 31)
    known = package_years()
    provisional = frozenset(
        y for y in range(FIRST_YEAR, last_year + 1) if y not in known and y not in entered
    )
    statutory: dict[dt.date, str] = {}
    for year in provisional:
        statutory.update(statutory_holidays(year))
    override = dict(overrides)
    flags = bytearray((end - start).days + 1)
    cum: list[int] = []
    days: list[int] = []
    total = 0
    day = start
    for i in range(len(flags)):
        if day in override:
            works = override[day]
        elif day.year in known:
            works = _package_answer(day)
        elif day in statutory:
            works = False
        else:
            works = day.weekday() < 5
        if works:
            flags[i] = 1
            total += 1
            days.append(day.toordinal())
        cum.append(total)
        day += dt.timedelta(days=1)
    return _Table(start, end, bytes(flags), tuple(cum), tuple(days), provisional)


_tables: dict[tuple, _Table] = {}


def _table_for(overrides, entered: frozenset[int], last_year: int) -> _Table:
    key = (overrides, entered, last_year)
    table = _tables.get(key)
    if table is None:
        if len(_tables) > 8:
            _tables.clear()
        table = _tables[key] = _build(overrides, entered, last_year)
    return table


def _default_last_year() -> int:
    return max(dt.date.today().year + 2, max(package_years()) + 1)  # noqa: DTZ011 - a year


def _read_stored() -> tuple[tuple, tuple]:
    overrides = tuple(CalendarOverride.objects.values_list("date", "is_workday"))
    return overrides, tuple(CalendarYear.objects.values_list("year", flat=True))


def stored_calendar() -> tuple[tuple, tuple]:
    """The administrators' overrides (date, is_workday) and entered years, under the one
    freshness rule for derived data (core.cache.derived): read from the database again after
    any write to either table, otherwise one cache read instead of two statements on every
    request that shows a deadline."""
    return derived("workday-calendar", (CalendarOverride, CalendarYear), _read_stored)


class WorkdayCalendar:
    """Answers working-day questions for one state of the calendar (read once per instance)."""

    def __init__(
        self,
        overrides: dict[dt.date, bool] | None = None,
        entered_years: Iterable[int] | None = None,
    ):
        if overrides is None:
            stored, stored_years = stored_calendar()
            overrides = dict(stored)
            if entered_years is None:
                entered_years = stored_years
        self.overrides = overrides
        self._key = tuple(sorted(overrides.items()))
        self._entered = frozenset(entered_years or ())
        last = max([_default_last_year(), *(d.year for d in overrides)])
        self._table = _table_for(self._key, self._entered, last)

    def _cover(self, day: dt.date) -> _Table:
        table = self._table
        if day > table.end:
            self._table = table = _table_for(self._key, self._entered, day.year + 1)
        return table

    def _index(self, day: dt.date) -> int | None:
        table = self._cover(day)
        if day < table.start:
            return None
        return (day - table.start).days

    def is_workday(self, day: dt.date) -> bool:
        index = self._index(day)
        if index is None:  # before 2004: weekdays, with the override table above them
            return self.overrides.get(day, day.weekday() < 5)
        return bool(self._table.workday[index])

    def is_provisional(self, day: dt.date) -> bool:
        """True when the date's year has only the provisional statutory holidays."""
        self._cover(day)
        return day.year in self._table.provisional_years

    def provisional_years(self) -> frozenset[int]:
        return self._table.provisional_years

    def _cum(self, day: dt.date) -> int:
        index = self._index(day)
        if index is None:
            raise ValueError("dates before 2004 are outside the working-day calendar")
        return self._table.cum[index]

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days end lies after start."""
        if end < start:
            return -self.workdays_between(end, start)
        self._cover(end)
        return self._cum(end) - self._cum(start)

    def nth_workday_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n ≥ 1), or `day` itself when n is 0."""
        if n == 0:
            return day
        table = self._cover(day)
        position = self._cum(day) + n - 1  # index in table.days
        while position >= len(table.days):
            table = self._cover(table.end + dt.timedelta(days=366))
        return dt.date.fromordinal(table.days[position])

    def add_workdays(self, start: dt.datetime, days: int) -> dt.datetime:
        """The moment `days` full working days after `start`, at the same time of day.

        A start on a non-working day counts from the next working day's beginning.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        current = start
        if not self.is_workday(current.date()):
            current = current.replace(hour=0, minute=0, second=0, microsecond=0)
            first = self.nth_workday_after(current.date(), 1)
            current = current + dt.timedelta(days=(first - current.date()).days)
        target = self.nth_workday_after(current.date(), days)
        return current + dt.timedelta(days=(target - current.date()).days)

    def nth_workday_back(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day counting back from `day` (itself counts if it works)."""
        table = self._cover(day)
        if day < table.start:
            raise ValueError("dates before 2004 are outside the working-day calendar")
        position = bisect.bisect_right(table.days, day.toordinal()) - n
        return dt.date.fromordinal(table.days[max(position, 0)])

    def workdays(self, days: Iterable[dt.date]) -> list[dt.date]:
        return [d for d in days if self.is_workday(d)]


# Modules above core that keep dates computed from the calendar (e.g. the service app's
# deadlines) register here in their AppConfig.ready(); the calendar services call each one in
# the same transaction as a change, with the actor and the dates that changed. Core cannot
# import those modules (dependencies point downward), so they come to it.
CalendarListener = Callable[..., int]
calendar_listeners: list[CalendarListener] = []


def register_calendar_listener(listener: CalendarListener) -> None:
    if listener not in calendar_listeners:
        calendar_listeners.append(listener)


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar().is_workday(day)


def add_workdays(start: dt.datetime, days: int) -> dt.datetime:
    return WorkdayCalendar().add_workdays(start, days)


# ---- deadlines counted in working days (the service requests' and the payouts' clocks) ----


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def add_local_workdays(cal: WorkdayCalendar, start: dt.datetime, days: int) -> dt.datetime:
    """`days` working days after `start` (local time), at the same time of day."""
    return cal.add_workdays(local(start), days)


def overdue_workdays(cal: WorkdayCalendar, due: dt.datetime, now: dt.datetime) -> int:
    """Whole working days between the due date and today (0 when due today or not yet due)."""
    due, now = local(due), local(now)
    if now <= due:
        return 0
    return cal.workdays_between(due.date(), now.date())


def countdown_label(
    *, due_at: dt.datetime | None, overdue: bool, overdue_workdays: int, workdays_left: int
) -> str:
    """What a running clock says: time left in working days, due today, or how late."""
    if due_at is None:
        return "—"
    if overdue:
        if overdue_workdays:
            return _("已超期 %(n)d 个工作日") % {"n": overdue_workdays}
        return _("已超期")
    if workdays_left == 0:
        return _("今日到期")
    return _("剩余 %(n)d 个工作日") % {"n": workdays_left}
