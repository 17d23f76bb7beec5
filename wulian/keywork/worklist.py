"""What 四定 key work waits for one person (read by the workbench).

A department: its tasks whose progress report is due (or that passed their deadline), and the
meeting decisions assigned to it. A chain office: the late tasks of its chain's meetings. A
leader: tasks whose last report asks the meeting to coordinate (提请协调).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.choices import Role
from wulian.core.worklist import ITEMS_PER_SECTION, Todo, TodoSection, due_sort_key

from . import rag
from .choices import Rag
from .models import Task
from .permissions import is_leader

SOON = dt.timedelta(days=rag.SOON_DAYS)


def report_due(task, today: dt.date) -> dt.date:
    """When the next progress report is due, on the task's cadence."""
    since = task.last_report_on or task.start_on
    return since + dt.timedelta(days=rag.CADENCE_DAYS.get(task.cadence, 31))


def _todo(task, due: dt.date, overdue: bool, detail: str) -> Todo:
    return Todo(
        title=task.title,
        url=task.get_absolute_url(),
        detail=detail,
        due=due,
        overdue=overdue,
        status=task.rag.label,
    )


def _section(key: str, label: str, url: str, todos: list[Todo]) -> TodoSection | None:
    if not todos:
        return None
    todos.sort(key=due_sort_key)
    return TodoSection(
        key=key,
        label=label,
        url=url,
        count=len(todos),
        overdue=sum(t.overdue for t in todos),
        items=todos[:ITEMS_PER_SECTION],
    )


def _open_tasks(user, today):
    return rag.attach(
        Task.objects.visible_to(user)
        .open()
        .with_progress(today)
        .select_related("lead_department", "source_meeting"),
        today,
    )


def _department(user, today) -> list:
    tasks = _open_tasks(user, today)
    decided, to_report = [], []
    for task in tasks:
        late = today > task.deadline
        if task.source_meeting_id:
            decided.append(
                _todo(
                    task,
                    task.deadline,
                    late,
                    _("%(m)s 交办；完成时限 %(d)s；%(r)s")
                    % {"m": task.source_meeting.title, "d": task.deadline, "r": task.rag.label},
                )
            )
            continue
        due = report_due(task, today)
        if late or due <= today + SOON:
            overdue = late or today > due + dt.timedelta(days=rag.REPORT_GRACE_DAYS)
            to_report.append(
                _todo(
                    task,
                    min(due, task.deadline),
                    overdue,
                    _("应于 %(d)s 前报送进展；完成时限 %(t)s") % {"d": due, "t": task.deadline},
                )
            )
    url = reverse("keywork:my-tasks")
    return [
        _section("keywork.report", _("待报送进展的四定任务"), url, to_report),
        _section("keywork.decisions", _("会议交办的决定事项"), url, decided),
    ]


def _chain(user, today) -> list:
    late = [
        _todo(t, t.deadline, True, _("；").join(t.rag.reasons))
        for t in _open_tasks(user, today)
        if t.rag.rag == Rag.RED
    ]
    return [_section("keywork.chain_late", _("本链滞后的任务"), reverse("keywork:late"), late)]


def _leader(user, today) -> list:
    asked = [
        _todo(
            t,
            t.deadline,
            today > t.deadline,
            _("%(d)s 提请协调；%(r)s")
            % {"d": t.lead_department.name, "r": _("；").join(t.rag.reasons) or t.rag.label},
        )
        for t in _open_tasks(user, today)
        if t.last_escalated
    ]
    return [_section("keywork.escalated", _("提请协调的任务"), reverse("keywork:late"), asked)]


def sections_for(user, today: dt.date | None = None) -> list[TodoSection]:
    """The key work waiting for `user`, as workbench sections (empty ones left out)."""
    today = today or timezone.localdate()
    found: list = []
    if user.role == Role.DEPARTMENT and user.department_id:
        found += _department(user, today)
    if user.role == Role.CHAIN and user.chain_code:
        found += _chain(user, today)
    if is_leader(user):
        found += _leader(user, today)
    return [s for s in found if s is not None]
