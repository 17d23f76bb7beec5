"""The closed loop as an explicit state machine.

`TRANSITIONS` says, for each (state, action), the next state and who owns that step, relative
to the request: the filing enterprise, the dispatching department (营商办), the handling
department, or the system. `transition()` is the only writer of `status`: it locks the row,
re-checks against the locked state (so two people acting at once cannot both win), applies the
step, saves with `update_fields`, and writes the event row, the audit event and the rollup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.models import Department
from wulian.core.workdays import WorkdayCalendar, local
from wulian.core.workdays import add_local_workdays as add_workdays

from . import notices, rollup
from .choices import Action, Actor, RequestStatus
from .deadlines import ServiceCalendar, silence_workdays
from .models import ServiceEvent, ServiceRequest
from .permissions import enterprise_ids, is_dispatcher

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
        if is_dispatcher(user):
            kinds.add(Actor.DISPATCHER)
        if request.department_id and user.department_id == request.department_id:
            kinds.add(Actor.HANDLER)
    elif user.role == Role.ENTERPRISE:
        if request.enterprise_id in enterprise_ids(user):
            kinds.add(Actor.ENTERPRISE)
    return frozenset(kinds)


def can_transition(request: ServiceRequest, action: str, user) -> bool:
    """Whether `user` may take `action` on `request` in its current state."""
    step = TRANSITIONS.get((request.status, action))
    return step is not None and bool(step[1] & actors_for(request, user))


def available_actions(request: ServiceRequest, user) -> list[str]:
    """The actions `user` may take on `request` now (what can_transition allows), with the
    user's roles for the request worked out once rather than once per action."""
    return actions_allowed(request.status, actors_for(request, user))


def actions_allowed(status: str, actors: frozenset) -> list[str]:
    """The user actions open in `status` to someone who is `actors` (actors_for)."""
    allowed = []
    for action in USER_ACTIONS:
        step = TRANSITIONS.get((status, action))
        if step is not None and step[1] & actors:
            allowed.append(action)
    return allowed


def _label(status: str) -> str:
    return str(S(status).label) if status in S.values else status


def _require(value, message: str):
    if not value:
        raise ValidationError(message)
    return value


@dataclass
class Step:
    """One step being taken: the locked request, the input, and what the handler changes.

    A handler sets the request's fields, adds their names to `fields`, and may change
    `target` (supply_material resumes where the request was), `reason` and `department`.
    """

    request: ServiceRequest
    action: str
    actor: object
    target: str
    from_status: str
    now: dt.datetime
    cal: WorkdayCalendar
    reason: str = ""
    department: Department | None = None
    rating: int | None = None
    comment: str = ""
    answer: str = ""
    fields: set = field(default_factory=lambda: {"status", "updated_at"})
    event_department: Department | None = None


def _accept(step: Step) -> None:
    r = step.request
    r.accepted_at = step.now
    r.answer_due_at = add_workdays(step.cal, step.now, r.category.answer_days)
    r.due_at = r.answer_due_at
    step.fields |= {"accepted_at", "answer_due_at", "due_at"}


def _close(step: Step) -> None:
    step.request.closed_at = step.now
    step.request.due_at = None
    step.fields |= {"closed_at", "due_at"}


def _route(step: Step) -> None:
    r = step.request
    department = step.department
    if department is None and step.action == A.ROUTE:
        from .services import resolve_department

        department = resolve_department(r)
    _require(department, _("没有匹配的派单规则，请选择承办部门。"))
    if step.action == A.TRANSFER and department.pk == r.department_id:
        raise ValidationError(_("转派的部门不能是当前承办部门。"))
    r.department = department
    r.routed_at = step.now
    step.event_department = department
    step.fields |= {"department", "routed_at"}


def _answer(step: Step) -> None:
    r = step.request
    answer = _require((step.answer or "").strip(), _("请填写答复内容。"))
    if len(answer) > 5000:
        raise ValidationError(_("答复内容不能超过 5000 字。"))
    r.answer = answer
    r.answered_at = step.now
    spent = step.cal.workdays_between(local(r.submitted_at).date(), local(step.now).date())
    r.answer_workdays = max(0, spent - r.paused_workdays)
    r.due_at = add_workdays(step.cal, step.now, silence_workdays())
    step.fields |= {"answer", "answered_at", "answer_workdays", "due_at"}


def _request_material(step: Step) -> None:
    step.request.resume_status = step.from_status
    step.request.paused_at = step.now
    step.fields |= {"resume_status", "paused_at"}


def _supply_material(step: Step) -> None:
    """The clock resumes: both deadlines move by the working days spent waiting."""
    r, cal, now = step.request, step.cal, step.now
    step.target = r.resume_status or S.SUBMITTED
    waited = max(0, cal.workdays_between(local(r.paused_at or now).date(), local(now).date()))
    if waited:
        if r.due_at:
            r.due_at = add_workdays(cal, r.due_at, waited)
        if r.answer_due_at:
            r.answer_due_at = add_workdays(cal, r.answer_due_at, waited)
    r.paused_workdays += waited
    r.paused_at = None
    r.resume_status = ""
    step.fields |= {"due_at", "answer_due_at", "paused_workdays", "paused_at", "resume_status"}


def _rate(step: Step) -> None:
    r = step.request
    if step.rating is None or not 1 <= int(step.rating) <= 5:
        raise ValidationError(_("请给出 1–5 分的评分。"))
    r.rating = int(step.rating)
    r.rating_comment = (step.comment or "").strip()[:500]
    step.fields |= {"rating", "rating_comment"}
    if step.action == A.CONFIRM:
        _close(step)
    else:
        step.reason = step.reason or _("评分 %(r)d 分，自动退回重办。") % {"r": r.rating}
        _reopen(step)


def _reopen(step: Step) -> None:
    """Back to the handling department with a fresh answer deadline; counted against it."""
    r = step.request
    r.reopen_count += 1
    r.answer_due_at = add_workdays(step.cal, step.now, r.category.answer_days)
    r.due_at = r.answer_due_at
    step.fields |= {"reopen_count", "due_at", "answer_due_at"}


def _auto_close(step: Step) -> None:
    _close(step)
    step.request.closed_by_silence = True
    step.fields.add("closed_by_silence")


def _start(step: Step) -> None:
    """Only the state changes."""


HANDLERS: dict[str, Callable[[Step], None]] = {
    A.ACCEPT: _accept,
    A.REJECT: _close,
    A.ROUTE: _route,
    A.TRANSFER: _route,
    A.START: _start,
    A.ANSWER: _answer,
    A.REQUEST_MATERIAL: _request_material,
    A.SUPPLY_MATERIAL: _supply_material,
    A.CONFIRM: _rate,
    A.REOPEN: _rate,
    A.SEND_BACK: _reopen,
    A.AUTO_CLOSE: _auto_close,
}


def _lock(request: ServiceRequest) -> ServiceRequest:
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
    return locked


def _allowed_target(locked: ServiceRequest, action: str, actor, reason: str) -> str:
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
    return target


def _record(step: Step, before) -> None:
    """Save the changed fields and write the event, the audit and the rollup delta."""
    r = step.request
    r.status = step.target
    r.updated_at = step.now
    r.save(update_fields=sorted(step.fields))
    rated = step.action in (A.CONFIRM, A.REOPEN)
    ServiceEvent.objects.create(
        request=r,
        at=step.now,
        actor=step.actor,
        action=step.action,
        from_status=step.from_status,
        to_status=step.target,
        reason=step.reason,
        department=step.event_department,
        rating=r.rating if rated else None,
    )
    audit.record(
        actor=step.actor,
        action=AuditAction.TRANSITION,
        instance=r,
        before={"status": step.from_status},
        after={"status": step.target, "department": r.department_id},
        note=f"{A(step.action).label} {step.reason}".strip(),
    )
    rollup.apply(before, rollup.contribution_of(r))


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

    Locks the row, checks the step against the locked state, the table and the owner, lets
    the action's handler apply it, then records it and tells the people concerned
    (`notices.announce`) — all in one transaction.

    Raises TransitionConflict when the request changed since it was loaded, IllegalTransition
    when the step does not exist from the current state, PermissionDenied when `actor` does not
    own the step and ValidationError for missing or bad input; nothing is written then.
    """
    reason = (reason or "").strip()
    locked = _lock(request)
    if action == A.CONFIRM and rating is not None and rating <= REOPEN_MAX_RATING:
        action = A.REOPEN
    step = Step(
        request=locked,
        action=action,
        actor=actor,
        target=_allowed_target(locked, action, actor, reason),
        from_status=locked.status,
        now=now or timezone.now(),
        cal=calendar or ServiceCalendar(),
        reason=reason,
        department=department,
        rating=rating,
        comment=comment,
        answer=answer,
    )
    before = rollup.contribution_of(locked)
    HANDLERS[action](step)
    _record(step, before)
    notices.announce(step)
    return locked


def dispatch(
    *,
    actor,
    requests: list[ServiceRequest],
    department: Department | None = None,
    now: dt.datetime | None = None,
) -> list[ServiceRequest]:
    """营商办's one step: accept each new request and route it, to `department` or (None) to
    the department its routing rule names — for one request or a batch.

    All or nothing: if any request cannot be dispatched (already taken by someone else, no
    matching rule, not the actor's to dispatch) nothing is written and the error names it.
    """
    if not requests:
        raise ValidationError(_("请先选择要派单的诉求。"))
    done = []
    with transaction.atomic():
        for request in requests:
            if request.status not in (RequestStatus.SUBMITTED, RequestStatus.ACCEPTED):
                # already dispatched (a double click, or someone else): never route it again
                raise ValidationError(
                    _("#%(id)d“%(t)s”已是“%(s)s”，未重复派单；本批诉求均未派单。")
                    % {"id": request.pk, "t": request.title, "s": _label(request.status)}
                )
            try:
                if request.status == RequestStatus.SUBMITTED:
                    request = transition(request=request, action=A.ACCEPT, actor=actor, now=now)
                done.append(
                    transition(
                        request=request,
                        action=A.ROUTE,
                        actor=actor,
                        department=department,
                        now=now,
                    )
                )
            except (IllegalTransition, ValidationError) as exc:
                text = str(exc) if isinstance(exc, IllegalTransition) else "；".join(exc.messages)
                raise ValidationError(
                    _("#%(id)d“%(t)s”：%(e)s 本批诉求均未派单。")
                    % {"id": request.pk, "t": request.title, "e": text}
                ) from exc
    return done
