"""Writes for key work and meetings: tasks with their 四定, reports, closing, agendas,
decisions. Every write is atomic and audited; status changes lock the row and leave an
event row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.models import Department
from wulian.core.permissions import role_allowed
from wulian.core.validators import reject_nul
from wulian.investment import stats as investment_stats
from wulian.service import stats as service_stats

from . import notices, rag
from .choices import AgendaKind, Cadence, MeetingStatus, Rag, TaskStatus
from .models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingEvent,
    MeetingSeries,
    Milestone,
    ProgressReport,
    Task,
    TaskEvent,
    WorkItem,
)
from .permissions import can_close, can_manage_meeting, can_report, is_leader, works_in

# Who may move a task or a meeting from which status to which.
TASK_TRANSITIONS = {
    (TaskStatus.OPEN, TaskStatus.DONE): frozenset({Role.LEADER, Role.DEPARTMENT}),
}
MEETING_TRANSITIONS = {
    (MeetingStatus.DRAFT, MeetingStatus.HELD): frozenset(
        {Role.LEADER, Role.CHAIN, Role.DEPARTMENT}
    ),
}
AGENDA_LIMIT = 10


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _text(value: str, max_length: int | None = None) -> str:
    """Stripped text, refused (never cut) when longer than the field holds."""
    value = (value or "").strip()
    reject_nul(value)
    if max_length and len(value) > max_length:
        raise ValidationError(
            _("“%(v)s…”过长：不能超过 %(n)d 字（现为 %(m)d 字）。")
            % {"v": value[:12], "n": max_length, "m": len(value)}
        )
    return value


# ---------------------------------------------------------------- tasks


def create_task(
    *,
    actor,
    work_item: WorkItem,
    title: str,
    target_text: str,
    lead_department: Department | None,
    responsible_person: str,
    deadline: dt.date | None,
    done_standard: str,
    co_departments: Iterable[Department] = (),
    milestones: Iterable[tuple[str, dt.date]] = (),
    target_value: Decimal | None = None,
    target_unit: str = "",
    indicator_code: str = "",
    cadence: str = Cadence.MONTHLY,
    start_on: dt.date | None = None,
    source_meeting: Meeting | None = None,
    is_synthetic: bool = False,
    check_rights: bool = True,
) -> Task:
    """Create a task with its 四定; every missing 定 is reported at once, in Chinese."""
    start_on = start_on or timezone.localdate()
    problems = []
    title = _text(title, 200)
    target_text = _text(target_text, 300)
    responsible_person = _text(responsible_person, 50)
    done_standard = _text(done_standard)
    if not title:
        problems.append(_("任务名称不能为空"))
    if not target_text:
        problems.append(_("定目标：请填写可衡量的目标"))
    if lead_department is None or not responsible_person:
        problems.append(_("定责任：请明确牵头部门和责任人"))
    if deadline is None:
        problems.append(_("定时限：请填写完成时限"))
    elif deadline < start_on:
        problems.append(_("定时限：完成时限不能早于开始日期"))
    if not done_standard:
        problems.append(_("定标准：请写明怎样算完成"))
    if cadence not in Cadence.values:
        problems.append(_("报送频次应为每周或每月"))
    milestones = list(milestones)
    for name, due in milestones:
        if not _text(name) or due is None:
            problems.append(_("节点须有名称和日期"))
        elif deadline and due > deadline:
            problems.append(_("节点“%(n)s”的日期晚于完成时限") % {"n": name})
    if problems:
        raise ValidationError(problems)
    co = [d for d in co_departments if d.pk != lead_department.pk]
    if check_rights and not (
        is_leader(actor)
        or (source_meeting is not None and can_manage_meeting(actor, source_meeting))
        or works_in(actor, lead_department.pk)
    ):
        raise PermissionDenied(_("您无权为该部门布置任务。"))
    with transaction.atomic():
        task = Task.objects.create(
            work_item=work_item,
            title=title,
            target_text=target_text,
            target_value=target_value,
            target_unit=_text(target_unit, 20),
            indicator_code=_text(indicator_code, 60),
            lead_department=lead_department,
            responsible_person=responsible_person,
            start_on=start_on,
            deadline=deadline,
            done_standard=done_standard,
            cadence=cadence,
            source_meeting=source_meeting,
            is_synthetic=is_synthetic,
        )
        task.co_departments.set(co)
        Milestone.objects.bulk_create(
            Milestone(task=task, name=_text(name, 200), due_on=due) for name, due in milestones
        )
        audit.record(
            actor=actor, action=AuditAction.CREATE, instance=task, after=audit.snapshot(task)
        )
    return task


def submit_report(
    *,
    actor,
    task: Task,
    progress_pct: int,
    summary: str,
    problems: str = "",
    escalate: bool = False,
    value: Decimal | None = None,
    on: dt.date | None = None,
) -> ProgressReport:
    """Report progress on an open task (the lead or a co-department, or a leader)."""
    if not can_report(actor, task):
        raise PermissionDenied(_("只有牵头或配合部门可以报送该任务进展。"))
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("任务已办结，不能再报送进展。"))
    errors = []
    if progress_pct is None or not 0 <= int(progress_pct) <= 100:
        errors.append(_("完成进度应为0到100之间的整数"))
    summary = _text(summary)
    if not summary:
        errors.append(_("请填写进展情况"))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors.append(_("报送日期不能晚于今天"))
    if escalate and not _text(problems):
        errors.append(_("提请例会协调时请写明存在问题"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = ProgressReport.objects.create(
            task=task,
            reported_on=on,
            progress_pct=int(progress_pct),
            value=value,
            summary=summary,
            problems=_text(problems),
            escalate=bool(escalate),
            author=_actor(actor),
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=report,
            after=audit.snapshot(report, ["task", "reported_on", "progress_pct", "escalate"]),
        )
    return report


def complete_milestone(*, actor, milestone: Milestone, on: dt.date | None = None) -> Milestone:
    if not can_report(actor, milestone.task):
        raise PermissionDenied(_("您无权更新该任务的节点。"))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("完成日期不能晚于今天。"))
    with transaction.atomic():
        before = audit.snapshot(milestone)
        milestone.done_on = on
        milestone.save(update_fields=["done_on"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=milestone,
            before=before,
            after=audit.snapshot(milestone),
        )
    return milestone


def close_task(*, actor, task: Task, standard_met: bool, evidence: str) -> Task:
    """Close a task, checked against its 定标准: the closer confirms the standard is met and
    says how; every milestone must be done."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        roles = TASK_TRANSITIONS.get((locked.status, TaskStatus.DONE))
        if roles is None:
            raise ValidationError(_("任务已办结。"))
        if not (can_close(actor, locked) and role_allowed(actor, roles)):
            raise PermissionDenied(_("只有牵头部门或市领导可以办结任务。"))
        problems = []
        evidence = _text(evidence)
        if not standard_met:
            problems.append(
                _("请对照完成标准确认已达到：%(s)s") % {"s": locked.done_standard[:100]}
            )
        if not evidence:
            problems.append(_("请写明达到完成标准的依据"))
        pending = list(
            locked.milestones.filter(done_on__isnull=True).values_list("name", flat=True)
        )
        if pending:
            problems.append(_("尚有节点未完成：%(n)s") % {"n": "、".join(pending)})
        if problems:
            raise ValidationError(problems)
        before = audit.snapshot(locked, ["status", "closed_on"])
        locked.status = TaskStatus.DONE
        locked.closed_on = timezone.localdate()
        locked.closing_evidence = evidence
        locked.save(update_fields=["status", "closed_on", "closing_evidence"])
        TaskEvent.objects.create(
            task=locked,
            from_status=TaskStatus.OPEN,
            to_status=TaskStatus.DONE,
            actor=_actor(actor),
            note=evidence,
        )
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            instance=locked,
            before=before,
            after=audit.snapshot(locked, ["status", "closed_on"]),
        )
    return locked


# ---------------------------------------------------------------- meetings


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last held meeting of the same series before this one."""
    return (
        Meeting.objects.filter(
            series=meeting.series,
            status=MeetingStatus.HELD,
            scheduled_on__lte=meeting.scheduled_on,
        )
        .exclude(pk=meeting.pk)
        .order_by("-scheduled_on", "-id")
        .first()
    )


def scoped_tasks(series: MeetingSeries):
    """The tasks a series follows: a chain meeting its own decisions' tasks, a city meeting all."""
    tasks = Task.objects.all()
    if series.chain_code:
        tasks = tasks.filter(source_meeting__series__chain_code=series.chain_code)
    return tasks


def _task_line(task) -> str:
    progress = "—" if task.effective_progress is None else f"{task.effective_progress}%"
    return _("牵头：%(d)s（%(p)s）；时限：%(t)s；状态：%(r)s；进度：%(g)s") % {
        "d": task.lead_department.name,
        "p": task.responsible_person,
        "t": task.deadline,
        "r": task.rag.label,
        "g": progress,
    }


def _request_items() -> list[tuple[str, str, str, str, str]]:
    """The most overdue 企呼我应 requests as agenda rows."""
    return [
        (
            AgendaKind.REQUEST,
            f"{request['title']}（{request['enterprise']}）",
            _("承办：%(d)s；逾期%(n)s个工作日；%(e)s")
            % {
                "d": request["department"] or _("未派单"),
                "n": request["overdue_workdays"],
                "e": request["escalation_label"],
            },
            f"request:{request['id']}",
            request["url"],
        )
        for request in service_stats.overdue_requests(limit=AGENDA_LIMIT)
    ]


def _project_items(chain_code: str) -> list[tuple[str, str, str, str, str]]:
    """The longest-stalled projects (of one chain when `chain_code` is given) as agenda rows."""
    return [
        (
            AgendaKind.PROJECT,
            project["name"],
            _("%(s)s阶段已%(n)s天未推进；%(r)s；牵头：%(d)s")
            % {
                "s": project["stage_label"],
                "n": project["days"],
                "r": project["region"],
                "d": project["lead_department"] or "—",
            },
            f"project:{project['id']}",
            project["url"],
        )
        for project in investment_stats.stalled_projects(limit=AGENDA_LIMIT, chain_code=chain_code)
    ]


def draft_agenda(*, actor, meeting: Meeting, today: dt.date | None = None) -> list[AgendaItem]:
    """Draft the agenda from the data, replacing the previous draft (hand-added items stay).

    In order: the follow-up of the last meeting's decisions, late (red) tasks, at-risk
    (amber) tasks, matters escalated since the last meeting, overdue 企呼我应 requests and
    stalled projects (of the series' chain, if it has one).
    """
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("您无权筹备该会议。"))
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("会议已召开，议程不能再生成。"))
    today = today or timezone.localdate()
    items: list[tuple[str, str, str, str, str]] = []
    last = previous_meeting(meeting)
    if last is not None:
        decisions = list(last.decisions.select_related("task").order_by("id"))
        task_ids = [d.task_id for d in decisions if d.task_id]
        tasks = {
            t.pk: t
            for t in rag.attach(
                Task.objects.filter(pk__in=task_ids)
                .with_progress(today)
                .select_related("lead_department"),
                today,
            )
        }
        for decision in decisions:
            task = tasks.get(decision.task_id)
            detail = _task_line(task) if task else _("尚未形成任务")
            items.append(
                (
                    AgendaKind.FOLLOW_UP,
                    decision.text[:280],
                    detail,
                    f"decision:{decision.pk}",
                    task.get_absolute_url() if task else last.get_absolute_url(),
                )
            )
    open_tasks = rag.attach(
        scoped_tasks(meeting.series)
        .open()
        .with_progress(today)
        .select_related("lead_department", "work_item")
        .order_by("deadline", "id"),
        today,
    )
    for kind, colour in ((AgendaKind.LATE_TASK, Rag.RED), (AgendaKind.AT_RISK, Rag.AMBER)):
        for task in [t for t in open_tasks if t.rag.rag == colour][:AGENDA_LIMIT]:
            detail = _task_line(task) + "；" + "；".join(task.rag.reasons)
            items.append((kind, task.title, detail, f"task:{task.pk}", task.get_absolute_url()))
    since = last.scheduled_on if last else today - dt.timedelta(days=31)
    escalated = (
        ProgressReport.objects.filter(
            escalate=True,
            reported_on__gte=since,
            task__in=scoped_tasks(meeting.series).open().values("pk"),
        )
        .select_related("task", "task__lead_department")
        .order_by("-reported_on", "-id")[:AGENDA_LIMIT]
    )
    for report in escalated:
        items.append(
            (
                AgendaKind.ESCALATED,
                report.task.title,
                _("%(d)s %(on)s 提请协调：%(p)s")
                % {
                    "d": report.task.lead_department.name,
                    "on": report.reported_on,
                    "p": report.problems[:200],
                },
                f"report:{report.pk}",
                report.task.get_absolute_url(),
            )
        )
    items += _request_items() + _project_items(meeting.series.chain_code)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        locked.agenda.exclude(kind=AgendaKind.OTHER).delete()
        manual = list(locked.agenda.order_by("order", "id"))
        rows = [
            AgendaItem(
                meeting=locked,
                order=index,
                kind=kind,
                title=title[:300],
                detail=detail,
                ref=ref,
                url=url[:200],
            )
            for index, (kind, title, detail, ref, url) in enumerate(items, start=1)
        ]
        AgendaItem.objects.bulk_create(rows)
        for offset, item in enumerate(manual, start=len(rows) + 1):
            item.order = offset
            item.save(update_fields=["order"])
        locked.agenda_drafted_at = timezone.now()
        locked.save(update_fields=["agenda_drafted_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            note=_("生成议程：%(n)d项") % {"n": len(rows)},
        )
        notices.agenda_ready(meeting=locked, actor=actor, count=len(rows) + len(manual))
    return list(meeting.agenda.all())


def add_agenda_item(*, actor, meeting: Meeting, title: str, detail: str = "") -> AgendaItem:
    """Add a topic by hand (kept when the agenda is drafted again)."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("您无权筹备该会议。"))
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("会议已召开，议程不能再修改。"))
    title = _text(title, 300)
    if not title:
        raise ValidationError(_("请填写议题。"))
    with transaction.atomic():
        last = meeting.agenda.order_by("-order").values_list("order", flat=True).first() or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=last + 1,
            kind=AgendaKind.OTHER,
            title=title,
            detail=_text(detail),
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=item,
            after=audit.snapshot(item, ["meeting", "title"]),
        )
    return item


def schedule_meeting(*, actor, series: MeetingSeries, on: dt.date, title: str = "") -> Meeting:
    """Put the next sitting of a series on the calendar and draft its agenda."""
    if not can_manage_meeting(actor, series):
        raise PermissionDenied(_("您无权筹备该例会。"))
    if on is None:
        raise ValidationError(_("请填写会议日期。"))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            series=series,
            scheduled_on=on,
            title=_text(title, 150) or f"{series.name}（{on.year}年{on.month}月{on.day}日）",
        )
        audit.record(
            actor=actor, action=AuditAction.CREATE, instance=meeting, after=audit.snapshot(meeting)
        )
        draft_agenda(actor=actor, meeting=meeting)
    return meeting


def hold_meeting(*, actor, meeting: Meeting, minutes: str = "") -> Meeting:
    """Mark the meeting held (its decisions can then be recorded)."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
        roles = MEETING_TRANSITIONS.get((locked.status, MeetingStatus.HELD))
        if roles is None:
            raise ValidationError(_("会议已召开。"))
        if not can_manage_meeting(actor, locked) or not role_allowed(actor, roles):
            raise PermissionDenied(_("您无权主持该会议。"))
        if locked.scheduled_on > timezone.localdate():
            raise ValidationError(_("会议日期未到，不能标记为已召开。"))
        before = audit.snapshot(locked, ["status", "held_at"])
        locked.status = MeetingStatus.HELD
        locked.held_at = timezone.now()
        locked.minutes = _text(minutes) or locked.minutes
        locked.save(update_fields=["status", "held_at", "minutes"])
        MeetingEvent.objects.create(
            meeting=locked,
            from_status=MeetingStatus.DRAFT,
            to_status=MeetingStatus.HELD,
            actor=_actor(actor),
        )
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            instance=locked,
            before=before,
            after=audit.snapshot(locked, ["status", "held_at"]),
        )
    return locked


def record_decision(*, actor, meeting: Meeting, text: str) -> Decision:
    """Record a decision taken at a held meeting."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("您无权记录该会议的决定事项。"))
    text = _text(text)
    if not text:
        raise ValidationError(_("请填写决定事项。"))
    with transaction.atomic():
        # Read the status under a lock: the caller's copy may predate the meeting being held.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != MeetingStatus.HELD:
            raise ValidationError(_("会议召开后才能记录决定事项。"))
        decision = Decision.objects.create(meeting=meeting, text=text, recorded_by=_actor(actor))
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=decision,
            after=audit.snapshot(decision, ["meeting", "text"]),
        )
    return decision


def decision_to_task(*, actor, decision: Decision, **four_fixes) -> Task:
    """Turn a decision into a task with its 四定 (the fields of create_task)."""
    if not can_manage_meeting(actor, decision.meeting):
        raise PermissionDenied(_("您无权为该会议的决定事项布置任务。"))
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.task_id:
            raise ValidationError(_("该决定事项已形成任务。"))
        four_fixes.setdefault("title", locked.text[:200])
        task = create_task(actor=actor, source_meeting=locked.meeting, **four_fixes)
        locked.task = task
        locked.save(update_fields=["task"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            before={"task": None},
            after={"task": task.pk},
            note=_("决定事项形成任务"),
        )
        notices.decision_assigned(task=task, actor=actor)
    return task
