"""Deadlines in Chinese working days: due times, time left, overdue and escalation.

Everything here is derived from the stored deadlines at the moment of asking, so there is no
scheduler: a request becomes overdue, and escalates, simply because time has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.workdays import WorkdayCalendar, countdown_label, local, overdue_workdays

from .choices import Escalation, RequestStatus

# Steps whose deadline belongs to the government side (the clock the statistics judge).
CLOCK_STATUSES = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.ACCEPTED,
        RequestStatus.ROUTED,
        RequestStatus.IN_PROGRESS,
    }
)


class ServiceCalendar(WorkdayCalendar):
    """The working-day calendar as the service app uses it (O(1) per question, see
    core.workdays)."""


def silence_workdays() -> int:
    """Working days an enterprise has to rate an answer before it is closed by silence."""
    return settings.SERVICE_SILENCE_WORKDAYS


def escalation_steps() -> tuple[tuple[int, Escalation], ...]:
    """(working days overdue, level): overdue at all → 部门负责人; then 链办; then 市领导."""
    chain_days, leader_days = settings.SERVICE_ESCALATION_WORKDAYS
    return (
        (0, Escalation.DEPARTMENT_HEAD),
        (int(chain_days), Escalation.CHAIN_OFFICE),
        (int(leader_days), Escalation.LEADER),
    )


def start_of_nth_workday_back(cal: WorkdayCalendar, today: dt.date, n: int) -> dt.date:
    """The n-th working day counting back from today (today itself counts if it works)."""
    return cal.nth_workday_back(today, n)


def overdue_cutoff(cal: WorkdayCalendar, now: dt.datetime, workdays: int) -> dt.datetime:
    """Requests with `due_at` before this moment are at least `workdays` working days overdue.

    Zero means merely past due. Used to turn escalation levels into indexed range filters.
    """
    now = local(now)
    if workdays <= 0:
        return now
    day = start_of_nth_workday_back(cal, now.date(), workdays)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def escalation_for(cal: WorkdayCalendar, due: dt.datetime | None, now: dt.datetime) -> Escalation:
    if due is None or local(now) <= local(due):
        return Escalation.NONE
    late = overdue_workdays(cal, due, now)
    level = Escalation.NONE
    for days, step in escalation_steps():
        if late >= days:
            level = step
    return level


@dataclass(frozen=True)
class Clock:
    """What a page shows about a request's deadline."""

    due_at: dt.datetime | None
    paused: bool
    overdue: bool
    workdays_left: int
    overdue_workdays: int
    escalation: Escalation
    awaiting_rating: bool = False
    # The deadline falls in a year whose 调休 schedule is not entered yet: it was computed on
    # the statutory holidays alone and may still move.
    provisional: bool = False

    @property
    def label(self) -> str:
        text = self._label()
        if self.provisional and self.due_at is not None:
            text += _("（暂按法定节假日计算）")
        return text

    @property
    def label_key(self) -> tuple:
        """Everything `label` reads (with the active language): a page of rows works each
        label out once per key."""
        return (
            self.paused,
            self.awaiting_rating,
            self.due_at is None,
            self.overdue,
            self.overdue_workdays,
            self.workdays_left,
            self.provisional,
        )

    def _label(self) -> str:
        if self.paused:
            return _("等待企业补充材料，计时暂停")
        if self.awaiting_rating and self.due_at is not None:
            return _("待企业评价（%(n)d 个工作日内）") % {"n": self.workdays_left}
        return countdown_label(
            due_at=self.due_at,
            overdue=self.overdue,
            overdue_workdays=self.overdue_workdays,
            workdays_left=self.workdays_left,
        )

    @property
    def css(self) -> str:
        if self.paused or self.awaiting_rating:
            return "bg-secondary-lt"
        if self.overdue:
            return "bg-red-lt"
        if self.workdays_left <= 1 and self.due_at is not None:
            return "bg-yellow-lt"
        return "bg-green-lt"


def clock_for(request, cal: WorkdayCalendar, now: dt.datetime | None = None, *, zone=None) -> Clock:
    """Due time, time left, overdue state and escalation of one request, as of `now`.

    Lists call this once per row: each moment is put into local time once (every
    `timezone.localtime` reads a context-local, as does the current zone: a list passes
    `zone` once for its rows) and the overdue days are counted once.
    """
    zone = zone or timezone.get_current_timezone()
    now = _in_zone(now or timezone.now(), zone)
    paused = request.status == RequestStatus.AWAITING_MATERIAL
    due = request.due_at
    judged = request.status in CLOCK_STATUSES and due is not None
    overdue = judged and now > due
    due_day = _in_zone(due, zone).date() if due is not None else None
    left = late = 0
    if due is not None and not overdue and not paused:
        left = cal.workdays_between(now.date(), due_day)
    if overdue:
        late = cal.workdays_between(due_day, now.date())
    escalation = Escalation.NONE
    if overdue:
        for days, step in escalation_steps():
            if late >= days:
                escalation = step
    return Clock(
        due_at=due,
        paused=paused,
        overdue=overdue,
        workdays_left=left,
        overdue_workdays=late,
        escalation=escalation,
        awaiting_rating=request.status == RequestStatus.ANSWERED,
        provisional=due_day is not None and cal.is_provisional(due_day),
    )


def _in_zone(moment: dt.datetime, zone) -> dt.datetime:
    if moment.tzinfo is zone:
        return moment  # what astimezone gives for its own zone
    return moment.astimezone(zone) if moment.utcoffset() is not None else moment
