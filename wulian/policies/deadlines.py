"""Payout deadlines in Chinese working days: time left, overdue and escalation, derived.

Nothing is scheduled to make a payout overdue: it is overdue because `due_at` has passed.
The scheduled job (`tasks.py`) only tells people, once per level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.workdays import WorkdayCalendar, countdown_label, local, overdue_workdays

from .choices import CLOCK_PAYOUT, Escalation, PayoutStatus


def leader_after_workdays() -> int:
    """Working days overdue after which a payout is put before the city's leaders."""
    return settings.POLICY_ESCALATION_WORKDAYS


def leader_cutoff(cal: WorkdayCalendar, now: dt.datetime) -> dt.datetime:
    """Payouts due before this moment have reached 市领导关注."""
    day = cal.nth_workday_back(local(now).date(), leader_after_workdays())
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time.min)), now)


@dataclass(frozen=True)
class Clock:
    """What a page shows about a payout's deadline."""

    due_at: dt.datetime | None
    paused: bool
    overdue: bool
    workdays_left: int
    overdue_workdays: int
    escalation: Escalation
    done: bool

    @property
    def label(self) -> str:
        if self.done:
            return "—"
        if self.paused:
            return _("等待企业补充材料，计时暂停")
        return countdown_label(
            due_at=self.due_at,
            overdue=self.overdue,
            overdue_workdays=self.overdue_workdays,
            workdays_left=self.workdays_left,
        )

    @property
    def css(self) -> str:
        if self.done or self.paused:
            return "bg-secondary-lt"
        if self.overdue:
            return "bg-red-lt"
        if self.workdays_left <= 5:
            return "bg-yellow-lt"
        return "bg-green-lt"


def clock_for(payout, cal: WorkdayCalendar, now: dt.datetime | None = None) -> Clock:
    now = now or timezone.now()
    due = payout.due_at
    judged = payout.status in CLOCK_PAYOUT and due is not None
    overdue = judged and now > due
    late = overdue_workdays(cal, due, now) if overdue else 0
    level = Escalation.NONE
    if overdue:
        level = Escalation.LEADER if late >= leader_after_workdays() else Escalation.DEPARTMENT_HEAD
    left = 0
    if judged and not overdue:
        left = cal.workdays_between(local(now).date(), local(due).date())
    return Clock(
        due_at=due,
        paused=payout.status == PayoutStatus.AWAITING_MATERIAL,
        overdue=overdue,
        workdays_left=left,
        overdue_workdays=late,
        escalation=level,
        done=payout.status in (PayoutStatus.PAID, PayoutStatus.REMOVED, PayoutStatus.REJECTED),
    )
