"""Who is told about key work: the agenda of a meeting, decisions assigned, late 四定 tasks.

The first two are called by the services inside their transaction; `remind_late_tasks` is a
scheduled job of the worker. Each late task is told once per deadline.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.choices import Role
from wulian.notifications import audience
from wulian.notifications.choices import Kind
from wulian.notifications.services import notify, sent_keys

from .choices import TaskStatus
from .models import Meeting, Task


def _departments_staff(department_ids):
    return get_user_model().objects.filter(
        is_active=True, role=Role.DEPARTMENT, department_id__in=list(department_ids)
    )


def task_people(task: Task):
    """The lead and co-departments' staff, and the chain office of the meeting it came from."""
    departments = {task.lead_department_id, *task.co_departments.values_list("pk", flat=True)}
    people = list(_departments_staff(departments))
    if task.source_meeting_id and task.source_meeting.series.chain_code:
        people += list(audience.chain_office(task.source_meeting.series.chain_code))
    return people


def agenda_ready(*, meeting: Meeting, actor, count: int) -> None:
    """The agenda was drafted: tell the organiser, the chain office and the departments whose
    tasks are on it."""
    series = meeting.series
    task_ids = [
        int(ref.split(":", 1)[1])
        for ref in meeting.agenda.filter(ref__startswith="task:").values_list("ref", flat=True)
    ]
    departments = set(
        Task.objects.filter(pk__in=task_ids).values_list("lead_department_id", flat=True)
    )
    if series.organiser_id:
        departments.add(series.organiser_id)
    people = list(_departments_staff(departments)) + list(audience.chain_office(series.chain_code))
    today = timezone.localdate()
    notify(
        kind=Kind.AGENDA_READY,
        recipients=people,
        department=series.organiser,
        exclude=actor,
        url=meeting.get_absolute_url(),
        dedupe_key=f"keywork:agenda:{meeting.pk}:{today:%Y%m%d}",
        title=_("会议议程已生成：%(m)s") % {"m": meeting.title},
        body=_("会议日期：%(d)s；议题 %(n)d 项。请提前准备所涉任务的进展。")
        % {"d": meeting.scheduled_on, "n": count},
    )


def decision_assigned(*, task: Task, actor) -> None:
    """A meeting decision became a task: tell the departments that must carry it out."""
    notify(
        kind=Kind.DECISION_ASSIGNED,
        recipients=task_people(task),
        department=task.lead_department,
        exclude=actor,
        url=task.get_absolute_url(),
        title=_("会议决定事项交办：%(t)s") % {"t": task.title},
        body=_("牵头：%(d)s（%(p)s）；完成时限：%(due)s；完成标准：%(s)s")
        % {
            "d": task.lead_department.name,
            "p": task.responsible_person,
            "due": task.deadline,
            "s": task.done_standard[:200],
        },
    )


def remind_late_tasks(*, today: dt.date | None = None) -> int:
    """Tell each open task past its deadline to its departments, once per deadline."""
    today = today or timezone.localdate()
    late = list(
        Task.objects.filter(status=TaskStatus.OPEN, deadline__lt=today)
        .select_related("lead_department", "source_meeting__series")
        .order_by("deadline", "id")
    )
    keys = {t.pk: f"keywork:task_late:{t.pk}:{t.deadline:%Y%m%d}" for t in late}
    told = sent_keys(list(keys.values()))
    sent = 0
    for task in late:
        if keys[task.pk] in told:
            continue
        sent += bool(
            notify(
                kind=Kind.TASK_LATE,
                recipients=task_people(task),
                department=task.lead_department,
                url=task.get_absolute_url(),
                dedupe_key=keys[task.pk],
                title=_("四定任务逾期：%(t)s") % {"t": task.title},
                body=_("完成时限 %(d)s 已过 %(n)d 天；牵头：%(l)s（%(p)s）。请报送进展或办结。")
                % {
                    "d": task.deadline,
                    "n": (today - task.deadline).days,
                    "l": task.lead_department.name,
                    "p": task.responsible_person,
                },
            )
        )
    return sent
