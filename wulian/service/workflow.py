"""The closed loop as an explicit state machine.

`TRANSITIONS` says, for each (state, action), the next state and who owns that step, relative
to the request: the filing enterprise, the dispatching department (营商办), the handling
department, or the system. `transition()` is the only writer of `status`: it locks the row,
re-checks against the locked state (so two people acting at once cannot both win), applies the
step, saves with `update_fields`, and writes the event row, the audit event and the rollup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.models import Department
from wulian.core.workdays import WorkdayCalendar

from . import rollup
from .choices import Action, Actor, RequestStatus
from .deadlines import ServiceCalendar, add_workdays, local, silence_workdays
from .models import ServiceEvent, ServiceRequest

S = RequestStatus
A = Action
ENT = frozenset({Actor.ENTERPRISE})
DISP = frozenset({Actor.DISPATCHER})
HANDLER = frozenset({Actor.HANDLER})
SYSTEM = frozenset({Actor.SYSTEM})
RESUME = "resume"  # target of supply_material: back to where the request was paused

# (from state, action) → (to state, who may take the step)
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset]] = {
    (S.SUBMITTED, A.ACCEPT): (S.ACCEPTED, DISP),
    (S.SUBMITTED, A.REJECT): (S.REJECTED, DISP),
    (S.ACCEPTED, A.REJECT): (S.REJECTED, DISP),
    (S.SUBMITTED, A.REQUEST_MATERIAL): (S.AWAITING_MATERIAL, DISP),
    (S.ACCEPTED, A.REQUEST_MATERIAL): (S.AWAITING_MATERIAL, DISP),
    (S.ACCEPTED, A.ROUTE): (S.ROUTED, DISP),
    # Manual override: the dispatcher may re-route a request that nobody has started yet.
    (S.ROUTED, A.ROUTE): (S.ROUTED, DISP),
    (S.ROUTED, A.START): (S.IN_PROGRESS, HANDLER),
    (S.ROUTED, A.ANSWER): (S.ANSWERED, HANDLER),
    (S.IN_PROGRESS, A.ANSWER): (S.ANSWERED, HANDLER),
    (S.ROUTED, A.TRANSFER): (S.ROUTED, HANDLER),
    (S.IN_PROGRESS, A.TRANSFER): (S.ROUTED, HANDLER),
    (S.ROUTED, A.REQUEST_MATERIAL): (S.AWAITING_MATERIAL, HANDLER),
    (S.IN_PROGRESS, A.REQUEST_MATERIAL): (S.AWAITING_MATERIAL, HANDLER),
    (S.AWAITING_MATERIAL, A.SUPPLY_MATERIAL): (RESUME, ENT),
    (S.ANSWERED, A.CONFIRM): (S.CLOSED, ENT),
    (S.ANSWERED, A.REOPEN): (S.IN_PROGRESS, ENT),
    (S.ANSWERED, A.SEND_BACK): (S.IN_PROGRESS, ENT),
    (S.ANSWERED, A.AUTO_CLOSE): (S.CLOSED, SYSTEM),
}
# Actions a person chooses (REOPEN follows from a low rating; AUTO_CLOSE from silence).
USER_ACTIONS = (
    A.ACCEPT,
    A.REJECT,
    A.ROUTE,
    A.START,
    A.ANSWER,
    A.TRANSFER,
    A.REQUEST_MATERIAL,
    A.SUPPLY_MATERIAL,
    A.CONFIRM,
    A.SEND_BACK,
)
NEEDS_REASON = frozenset({A.REJECT, A.TRANSFER, A.REQUEST_MATERIAL, A.SEND_BACK})
REOPEN_MAX_RATING = 2


class IllegalTransition(Exception):
    """The step does not exist from the request's current state (HTTP 409)."""


class TransitionConflict(IllegalTransition):
    """Someone else changed the request since it was loaded (HTTP 409)."""


def actors_for(request: ServiceRequest, user) -> frozenset:
    """Which step owners `user` is for this request (None is the system)."""
    if user is None:
        return SYSTEM
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    kinds = set()
    if user.is_superuser:
        kinds |= {Actor.DISPATCHER, Actor.HANDLER}
    elif user.role == Role.DEPARTMENT and user.department_id:
        if user.department.is_dispatcher:
            kinds.add(Actor.DISPATCHER)
        if request.department_id and user.department_id == request.department_id:
            kinds.add(Actor.HANDLER)
    elif user.role == Role.ENTERPRISE:
        cache = getattr(user, "_service_enterprise_ids", None)
        if cache is None:
            cache = set(user.enterprises.values_list("id", flat=True))
            user._service_enterprise_ids = cache
        if request.enterprise_id in cache:
            kinds.add(Actor.ENTERPRISE)
    return frozenset(kinds)


def can_transition(request: ServiceRequest, action: str, user) -> bool:
    """Whether `user` may take `action` on `request` in its current state."""
    step = TRANSITIONS.get((request.status, action))
    return step is not None and bool(step[1] & actors_for(request, user))


def available_actions(request: ServiceRequest, user) -> list[str]:
    return [a for a in USER_ACTIONS if can_transition(request, a, user)]


def _label(status: str) -> str:
    return str(S(status).label) if status in S.values else status


@dataclass
class StepInput:
    reason: str = ""
    department: Department | None = None
    rating: int | None = None
    comment: str = ""
    answer: str = ""


def _require(value, message: str):
    if not value:
        raise ValidationError(message)
    return value


@transaction.atomic
def transition(
    *,
    request: ServiceRequest,
    action: str,
    actor,
    reason: str = "",
    department: Department | None = None,
    rating: int | None = None,
    comment: str = "",
    answer: str = "",
    now: dt.datetime | None = None,
    calendar: WorkdayCalendar | None = None,
) -> ServiceRequest:
    """Take one step of the loop on `request` as `actor` (None = the system).

    Raises TransitionConflict when the request changed since it was loaded, IllegalTransition
    when the step does not exist from the current state, PermissionDenied when `actor` does not
    own the step and ValidationError for missing or bad input; nothing is written then.
    """
    now = now or timezone.now()
    cal = calendar or ServiceCalendar()
    reason = (reason or "").strip()
    # We want both (a) a lock on the row so that a concurrent step waits for us, and (b) to
    # judge the step against the state we locked, not the one the caller loaded earlier.
    locked = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("category", "department")
        .get(pk=request.pk)
    )
    if locked.status != request.status:
        raise TransitionConflict(
            _("该诉求已被他人处理，当前状态为“%(s)s”，请刷新后重试。")
            % {"s": _label(locked.status)}
        )
    if action == A.CONFIRM and rating is not None and rating <= REOPEN_MAX_RATING:
        action = A.REOPEN
    step = TRANSITIONS.get((locked.status, action))
    if step is None:
        raise IllegalTransition(
            _("当前状态“%(s)s”下不能执行“%(a)s”。")
            % {"s": _label(locked.status), "a": A(action).label if action in A.values else action}
        )
    target, owners = step
    if not owners & actors_for(locked, actor):
        raise PermissionDenied(_("您无权对该诉求执行“%(a)s”。") % {"a": A(action).label})
    if action in NEEDS_REASON:
        _require(reason, _("请填写理由。"))
    if len(reason) > 2000:
        raise ValidationError(_("理由不能超过 2000 字。"))

    before = rollup.contribution_of(locked)
    from_status = locked.status
    fields = {"status", "updated_at"}
    event_department = None

    if action == A.ACCEPT:
        locked.accepted_at = now
        locked.answer_due_at = add_workdays(cal, now, locked.category.answer_days)
        locked.due_at = locked.answer_due_at
        fields |= {"accepted_at", "answer_due_at", "due_at"}
    elif action == A.REJECT:
        locked.closed_at = now
        locked.due_at = None
        fields |= {"closed_at", "due_at"}
    elif action in (A.ROUTE, A.TRANSFER):
        if department is None and action == A.ROUTE:
            from .services import resolve_department

            department = resolve_department(locked)
        _require(department, _("没有匹配的派单规则，请选择承办部门。"))
        if action == A.TRANSFER and department.pk == locked.department_id:
            raise ValidationError(_("转派的部门不能是当前承办部门。"))
        locked.department = department
        locked.routed_at = now
        event_department = department
        fields |= {"department", "routed_at"}
    elif action == A.ANSWER:
        answer = (answer or "").strip()
        _require(answer, _("请填写答复内容。"))
        if len(answer) > 5000:
            raise ValidationError(_("答复内容不能超过 5000 字。"))
        locked.answer = answer
        locked.answered_at = now
        spent = cal.workdays_between(local(locked.submitted_at).date(), local(now).date())
        locked.answer_workdays = max(0, spent - locked.paused_workdays)
        locked.due_at = add_workdays(cal, now, silence_workdays())
        fields |= {"answer", "answered_at", "answer_workdays", "due_at"}
    elif action == A.REQUEST_MATERIAL:
        locked.resume_status = from_status
        locked.paused_at = now
        fields |= {"resume_status", "paused_at"}
    elif action == A.SUPPLY_MATERIAL:
        target = locked.resume_status or S.SUBMITTED
        waited = cal.workdays_between(local(locked.paused_at or now).date(), local(now).date())
        waited = max(0, waited)
        if waited:
            if locked.due_at:
                locked.due_at = add_workdays(cal, locked.due_at, waited)
            if locked.answer_due_at:
                locked.answer_due_at = add_workdays(cal, locked.answer_due_at, waited)
        locked.paused_workdays += waited
        locked.paused_at = None
        locked.resume_status = ""
        fields |= {"due_at", "answer_due_at", "paused_workdays", "paused_at", "resume_status"}
    elif action in (A.CONFIRM, A.REOPEN):
        if rating is None or not 1 <= int(rating) <= 5:
            raise ValidationError(_("请给出 1–5 分的评分。"))
        locked.rating = int(rating)
        locked.rating_comment = (comment or "").strip()[:500]
        fields |= {"rating", "rating_comment"}
        if action == A.CONFIRM:
            locked.closed_at = now
            locked.due_at = None
            fields |= {"closed_at", "due_at"}
        else:
            reason = reason or _("评分 %(r)d 分，自动退回重办。") % {"r": locked.rating}
            _reopen(locked, cal, now)
            fields |= {"reopen_count", "due_at", "answer_due_at"}
    elif action == A.SEND_BACK:
        _reopen(locked, cal, now)
        fields |= {"reopen_count", "due_at", "answer_due_at"}
    elif action == A.AUTO_CLOSE:
        locked.closed_at = now
        locked.due_at = None
        locked.closed_by_silence = True
        fields |= {"closed_at", "due_at", "closed_by_silence"}

    locked.status = target
    locked.updated_at = now
    locked.save(update_fields=sorted(fields))
    ServiceEvent.objects.create(
        request=locked,
        at=now,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=target,
        reason=reason,
        department=event_department,
        rating=locked.rating if action in (A.CONFIRM, A.REOPEN) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        instance=locked,
        before={"status": from_status},
        after={"status": target, "department": locked.department_id},
        note=f"{A(action).label} {reason}".strip(),
    )
    rollup.apply(before, rollup.contribution_of(locked))
    return locked


def _reopen(locked: ServiceRequest, cal: WorkdayCalendar, now: dt.datetime) -> None:
    """Back to the handling department with a fresh answer deadline; counted against it."""
    locked.reopen_count += 1
    locked.answer_due_at = add_workdays(cal, now, locked.category.answer_days)
    locked.due_at = locked.answer_due_at
