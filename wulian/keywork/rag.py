"""Red/amber/green status of a task, derived from its dates, milestones and reports.

Never stored and never typed: computed from the facts each time it is read, so it cannot go
stale. The rules, in order (the first red reason makes it red; otherwise any amber reason):

red    — past the deadline and not closed; or a milestone past its date and not done;
         or the reported progress lags the time elapsed by more than RED_LAG points.
amber  — the report for the cadence is missing (weekly: 7 days, monthly: 31 days, plus
         REPORT_GRACE_DAYS); a milestone falls due within SOON_DAYS; the deadline is within
         SOON_DAYS*2 with progress under 80%; or progress lags time by more than AMBER_LAG.
green  — none of the above. A closed task is "done".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wulian.indicators.services import progress_towards

from .choices import Cadence, Rag, TaskStatus

RED_LAG = 40
AMBER_LAG = 20
SOON_DAYS = 7
REPORT_GRACE_DAYS = 3
CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.MONTHLY: 31}


@dataclass
class RagResult:
    rag: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Rag(self.rag).label)


def expected_progress(start_on: dt.date, deadline: dt.date, today: dt.date) -> int:
    """The share of the task's time that has passed, in percent (0–100)."""
    total = (deadline - start_on).days
    if total <= 0:
        return 100 if today >= deadline else 0
    return max(0, min(100, round((today - start_on).days * 100 / total)))


def derive_rag(
    *,
    status: str,
    today: dt.date,
    start_on: dt.date,
    deadline: dt.date,
    cadence: str,
    last_report_on: dt.date | None,
    progress: int | None,
    overdue_milestones: int = 0,
    milestones_due_soon: int = 0,
) -> RagResult:
    """The task's status with its reasons in the active language (see the module docstring)."""
    if status == TaskStatus.DONE:
        return RagResult(Rag.DONE)
    progress = progress or 0
    red: list[str] = []
    amber: list[str] = []
    if today > deadline:
        red.append(_("已超过完成时限%(days)s天") % {"days": (today - deadline).days})
    if overdue_milestones:
        red.append(_("%(n)s个节点逾期未完成") % {"n": overdue_milestones})
    lag = expected_progress(start_on, deadline, today) - progress
    if lag > RED_LAG and today <= deadline:
        red.append(_("进度落后时序%(lag)s个百分点") % {"lag": lag})
    elif lag > AMBER_LAG and today <= deadline:
        amber.append(_("进度落后时序%(lag)s个百分点") % {"lag": lag})
    allowed = CADENCE_DAYS.get(cadence, 31) + REPORT_GRACE_DAYS
    since = last_report_on or start_on
    if today > since and (today - since).days > allowed:
        amber.append(_("已%(days)s天未报送进展") % {"days": (today - since).days})
    if milestones_due_soon:
        soon = {"n": milestones_due_soon, "days": SOON_DAYS}
        amber.append(_("%(n)s个节点%(days)s天内到期") % soon)
    if today <= deadline and (deadline - today).days <= SOON_DAYS * 2 and progress < 80:
        amber.append(
            _("距完成时限不足%(days)s天，进度%(progress)s%%")
            % {"days": SOON_DAYS * 2, "progress": progress}
        )
    if red:
        return RagResult(Rag.RED, red + amber)
    if amber:
        return RagResult(Rag.AMBER, amber)
    return RagResult(Rag.GREEN)


def rag_for(task, today: dt.date) -> RagResult:
    """RAG for a Task annotated by TaskQuerySet.with_progress() (no extra queries)."""
    return derive_rag(
        status=task.status,
        today=today,
        start_on=task.start_on,
        deadline=task.deadline,
        cadence=task.cadence,
        last_report_on=task.last_report_on,
        progress=task.effective_progress,
        overdue_milestones=task.overdue_milestones,
        milestones_due_soon=task.milestones_due_soon,
    )


def indicator_progress(task, cache: dict) -> int | None:
    """Progress read from the task's indicator towards the task's target, in percent.

    The indicators module judges it by the indicator's direction of good: a task to bring the
    城乡居民收入倍差 down to 1.70 counts the fall since the task started, not value ÷ target.
    None when the indicator has no value to judge by (the task's reports decide then).
    """
    if not task.indicator_code or task.target_value is None:
        return None
    key = (task.indicator_code, task.target_value, task.start_on.year)
    if key not in cache:
        cache[key] = progress_towards(
            task.indicator_code, task.target_value, since_year=task.start_on.year
        )
    result = cache[key]
    if result is None or result["pct"] is None:
        return None
    return max(0, min(100, int(result["pct"])))


def attach(tasks, today: dt.date) -> list:
    """Set `effective_progress`, `indicator_pct` and `rag` on annotated tasks; return them.

    When the task is tied to an indicator with data, the data decide its progress;
    otherwise the last report does.
    """
    cache: dict = {}
    tasks = list(tasks)
    for task in tasks:
        task.indicator_pct = indicator_progress(task, cache)
        task.effective_progress = (
            task.indicator_pct if task.indicator_pct is not None else task.last_progress
        )
        task.rag = rag_for(task, today)
    return tasks
