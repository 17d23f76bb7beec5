"""Who is told what when a request moves, and when its deadline comes near or passes.

`announce(step)` is called by `workflow.transition` inside its transaction, so the message
exists exactly when the step was committed. `remind(now)` is the worker's scheduled job for
the time-driven events: one working day before a deadline, overdue (部门负责人督办, escalation
level 1) and the higher escalation levels (链办督办, 市领导关注).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.workdays import add_local_workdays as add_workdays
from wulian.notifications import audience
from wulian.notifications.choices import Kind
from wulian.notifications.services import notify, sent_keys

from .choices import Action, Escalation, RequestStatus
from .deadlines import ServiceCalendar, escalation_steps, overdue_cutoff
from .models import ServiceRequest

if TYPE_CHECKING:
    from .workflow import Step

A = Action
S = RequestStatus


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _facts(r: ServiceRequest) -> str:
    return _("企业：%(e)s；类别：%(c)s") % {"e": r.enterprise.name, "c": r.category.name}


def owners(r: ServiceRequest):
    """Who must act next on an open request: 营商办 before routing, then the department."""
    if r.status in (S.SUBMITTED, S.ACCEPTED) or not r.department_id:
        return audience.dispatchers()
    return audience.department_users(r.department_id)


def _enterprise_accounts(r: ServiceRequest):
    return r.enterprise.accounts.filter(is_active=True)


def _routed(step: Step) -> None:
    r = step.request
    transfer = step.action == A.TRANSFER
    notify(
        kind=Kind.TRANSFERRED if transfer else Kind.ROUTED,
        recipients=audience.department_users(r.department),
        department=r.department,
        exclude=step.actor,
        url=r.get_absolute_url(),
        title=(_("诉求转派到本部门：#%(id)d %(t)s") if transfer else _("新派单：#%(id)d %(t)s"))
        % {"id": r.pk, "t": r.title},
        body="\n".join(
            filter(
                None,
                [
                    _facts(r),
                    _("答复期限：%(d)s") % {"d": _when(r.answer_due_at)},
                    _("转派理由：%(r)s") % {"r": step.reason} if transfer else "",
                ],
            )
        ),
        now=step.now,
    )


def _material_requested(step: Step) -> None:
    r = step.request
    notify(
        kind=Kind.MATERIAL_REQUESTED,
        recipients=_enterprise_accounts(r),
        exclude=step.actor,
        url=r.get_absolute_url(),
        title=_("请补充材料：#%(id)d %(t)s") % {"id": r.pk, "t": r.title},
        body=_("需要补充：%(r)s\n补充前办理计时暂停。") % {"r": step.reason},
        now=step.now,
    )


def _material_supplied(step: Step) -> None:
    r = step.request
    notify(
        kind=Kind.MATERIAL_SUPPLIED,
        recipients=owners(r),
        department=r.department if r.department_id else None,
        exclude=step.actor,
        url=r.get_absolute_url(),
        title=_("企业已补充材料：#%(id)d %(t)s") % {"id": r.pk, "t": r.title},
        body="\n".join(filter(None, [_facts(r), step.reason])),
        now=step.now,
    )


def _answered(step: Step) -> None:
    r = step.request
    notify(
        kind=Kind.ANSWERED,
        recipients=_enterprise_accounts(r),
        exclude=step.actor,
        url=r.get_absolute_url(),
        title=_("诉求已答复，请评价：#%(id)d %(t)s") % {"id": r.pk, "t": r.title},
        body=_("%(d)s 已答复。请在 %(due)s 前确认并评分（1–5 分）；逾期未评价将默认办结。")
        % {"d": r.department.name if r.department_id else "", "due": _when(r.due_at)},
        now=step.now,
    )


def _reopened(step: Step) -> None:
    r = step.request
    why = (
        _("企业评分 %(n)d 分") % {"n": r.rating}
        if step.action == A.REOPEN
        else _("企业退回：%(r)s") % {"r": step.reason}
    )
    notify(
        kind=Kind.REOPENED,
        recipients=audience.department_users(r.department),
        department=r.department,
        exclude=step.actor,
        url=r.get_absolute_url(),
        title=_("诉求退回重办：#%(id)d %(t)s") % {"id": r.pk, "t": r.title},
        body=_("%(why)s。新的答复期限：%(d)s") % {"why": why, "d": _when(r.answer_due_at)},
        now=step.now,
    )


ANNOUNCERS = {
    A.ROUTE: _routed,
    A.TRANSFER: _routed,
    A.REQUEST_MATERIAL: _material_requested,
    A.SUPPLY_MATERIAL: _material_supplied,
    A.ANSWER: _answered,
    A.REOPEN: _reopened,
    A.SEND_BACK: _reopened,
}


def announce(step: Step) -> None:
    """Tell the people who must act after this step (nothing for steps nobody waits on)."""
    announcer = ANNOUNCERS.get(step.action)
    if announcer is not None:
        announcer(step)


def material_added(*, request: ServiceRequest, actor, count: int) -> None:
    """The enterprise added files to an open request without a state change."""
    notify(
        kind=Kind.MATERIAL_SUPPLIED,
        recipients=owners(request),
        department=request.department if request.department_id else None,
        exclude=actor,
        url=request.get_absolute_url(),
        title=_("企业上传了新材料：#%(id)d %(t)s") % {"id": request.pk, "t": request.title},
        body=_("新增 %(n)d 个文件。") % {"n": count},
    )


# ---------------------------------------------------------------- time-driven


def _stamp(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%d%H%M")


def _not_yet_told(rows, key):
    """(request, dedupe key) for the rows whose event has not been sent, 500 at a time."""
    chunk = []
    for r in rows.iterator(chunk_size=500):
        chunk.append((r, key(r)))
        if len(chunk) == 500:
            yield from _fresh(chunk)
            chunk = []
    yield from _fresh(chunk)


def _fresh(chunk):
    told = sent_keys([k for _r, k in chunk])
    return [(r, k) for r, k in chunk if k not in told]


def _due_soon(cal, now: dt.datetime) -> int:
    horizon = add_workdays(cal, now, 1)
    sent = 0
    rows = (
        ServiceRequest.objects.on_the_clock()
        .filter(due_at__gte=now, due_at__lte=horizon)
        .select_related("enterprise", "category", "department")
    )
    for r, key in _not_yet_told(rows, lambda r: f"service:due_soon:{r.pk}:{_stamp(r.due_at)}"):
        sent += bool(
            notify(
                kind=Kind.DUE_SOON,
                recipients=owners(r),
                department=r.department if r.department_id else None,
                url=r.get_absolute_url(),
                dedupe_key=key,
                title=_("一个工作日内到期：#%(id)d %(t)s") % {"id": r.pk, "t": r.title},
                body=_("%(f)s；期限：%(d)s（%(s)s）")
                % {"f": _facts(r), "d": _when(r.due_at), "s": r.get_status_display()},
                now=now,
            )
        )
    return sent


ESCALATION_AUDIENCE = {
    Escalation.CHAIN_OFFICE: lambda r: audience.chain_office(
        r.link.chain.code if r.link_id else ""
    ),
    Escalation.LEADER: lambda r: audience.leaders(),
}


def _escalations(cal, now: dt.datetime) -> int:
    """Overdue (level 1, 部门负责人督办, told to the owners), then 链办 and 市领导."""
    sent = 0
    for days, level in escalation_steps():
        cutoff = min(overdue_cutoff(cal, now, days), now)
        rows = (
            ServiceRequest.objects.on_the_clock()
            .filter(due_at__lt=cutoff)
            .select_related("enterprise", "category", "department", "link__chain")
        )
        prefix = f"service:level{int(level)}"
        for r, key in _not_yet_told(rows, lambda r, p=prefix: f"{p}:{r.pk}:{_stamp(r.due_at)}"):
            first = level == Escalation.DEPARTMENT_HEAD
            sent += bool(
                notify(
                    kind=Kind.OVERDUE if first else Kind.ESCALATED,
                    recipients=owners(r) if first else ESCALATION_AUDIENCE[level](r),
                    department=r.department if r.department_id else None,
                    url=r.get_absolute_url(),
                    dedupe_key=key,
                    title=_("【%(l)s】诉求已超期：#%(id)d %(t)s")
                    % {"l": Escalation(level).label, "id": r.pk, "t": r.title},
                    body=_("%(f)s；承办：%(d)s；期限：%(due)s")
                    % {
                        "f": _facts(r),
                        "d": r.department.name if r.department_id else _("营商办（待派单）"),
                        "due": _when(r.due_at),
                    },
                    now=now,
                )
            )
    return sent


def remind(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The time-driven events of every open request, each sent once per deadline."""
    now = now or timezone.now()
    cal = ServiceCalendar()
    return {"due_soon": _due_soon(cal, now), "overdue_or_escalated": _escalations(cal, now)}
