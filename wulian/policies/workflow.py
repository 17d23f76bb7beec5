"""Payouts (兑现) as an explicit state machine, and the two ways a payout begins.

免申即享: the issuing department generates a 兑现清单 from the policy's matches (`generate_batch`),
removes lines with a reason, approves the list (`approve_batch`), then records each payment.
快申快享: the enterprise applies with the material checklist (`apply_for_policy`); the
department approves, asks for material (the clock stops) or rejects with a reason, then pays.
`transition()` is the only writer of a payout's status: it locks the row, re-checks the step
against the locked state and the table, applies it, and writes the event and the audit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.workdays import WorkdayCalendar, local
from wulian.core.workdays import add_local_workdays as add_workdays

from . import notices
from .choices import BatchStatus, Mode, PayoutAction, PayoutStatus
from .facts import load_facts
from .matching import amount_for, fields_of
from .models import Payout, PayoutBatch, PayoutEvent, Policy, PolicyMatch
from .permissions import enterprise_ids_of, handles

S = PayoutStatus
A = PayoutAction
HANDLER, ENTERPRISE = "handler", "enterprise"

TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.LISTED, A.REMOVE): (S.REMOVED, HANDLER),
    (S.LISTED, A.APPROVE): (S.APPROVED, HANDLER),
    (S.APPLIED, A.APPROVE): (S.APPROVED, HANDLER),
    (S.APPLIED, A.REQUEST_MATERIAL): (S.AWAITING_MATERIAL, HANDLER),
    (S.APPLIED, A.REJECT): (S.REJECTED, HANDLER),
    (S.AWAITING_MATERIAL, A.SUPPLY_MATERIAL): (S.APPLIED, ENTERPRISE),
    (S.APPROVED, A.PAY): (S.PAID, HANDLER),
}
NEEDS_REASON = frozenset({A.REMOVE, A.REQUEST_MATERIAL, A.REJECT})
USER_ACTIONS = (A.APPROVE, A.REQUEST_MATERIAL, A.REJECT, A.REMOVE, A.SUPPLY_MATERIAL, A.PAY)


class IllegalTransition(Exception):
    """The step does not exist from the payout's current state (HTTP 409)."""


def owners(payout: Payout, user) -> set[str]:
    kinds = set()
    if handles(user, payout.policy):
        kinds.add(HANDLER)
    if payout.enterprise_id in enterprise_ids_of(user):
        kinds.add(ENTERPRISE)
    return kinds


def can_transition(payout: Payout, action: str, user) -> bool:
    step = TRANSITIONS.get((payout.status, action))
    if step is None or step[1] not in owners(payout, user):
        return False
    # A 免申即享 line is approved with its whole list, not one by one.
    return not (action == A.APPROVE and payout.status == S.LISTED)


def available_actions(payout: Payout, user) -> list[str]:
    return [a for a in USER_ACTIONS if can_transition(payout, a, user)]


def _money(value, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(l)s应为数字（万元）。") % {"l": label}) from None
    if amount <= 0:
        raise ValidationError(_("%(l)s应大于 0。") % {"l": label})
    return amount


def _event(payout, action, actor, before, after, reason, now) -> PayoutEvent:
    return PayoutEvent(
        payout=payout,
        at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=before,
        to_status=after,
        reason=reason,
    )


@transaction.atomic
def transition(
    *,
    payout: Payout,
    action: str,
    actor,
    reason: str = "",
    amount_wan=None,
    paid_wan=None,
    payment_ref: str = "",
    materials: list[str] | None = None,
    now: dt.datetime | None = None,
    calendar: WorkdayCalendar | None = None,
) -> Payout:
    """Take one step on a payout as `actor`; nothing is written when the step is refused."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    locked = (
        Payout.objects.select_for_update(of=("self",)).select_related("policy").get(pk=payout.pk)
    )
    if locked.status != payout.status:
        raise IllegalTransition(
            _("该兑现已被他人处理，当前状态为“%(s)s”，请刷新后重试。")
            % {"s": locked.get_status_display()}
        )
    step = TRANSITIONS.get((locked.status, action))
    if step is None:
        raise IllegalTransition(
            _("当前状态“%(s)s”下不能执行“%(a)s”。")
            % {"s": locked.get_status_display(), "a": A(action).label}
        )
    if not can_transition(locked, action, actor):
        raise PermissionDenied(_("您无权对该兑现执行“%(a)s”。") % {"a": A(action).label})
    if action in NEEDS_REASON and not reason:
        raise ValidationError(_("请填写理由。"))
    if len(reason) > 500:
        raise ValidationError(_("理由不能超过 500 字。"))
    before, target = locked.status, step[0]
    fields = {"status", "updated_at", "reason"}
    cal = calendar or WorkdayCalendar()
    if action == A.APPROVE:
        locked.approved_at = now
        amount = _money(amount_wan, _("核定金额"))
        if amount is not None:
            locked.amount_wan = amount
        if locked.amount_wan <= 0:
            raise ValidationError(_("请填写核定金额（万元）。"))
        fields |= {"approved_at", "amount_wan"}
    elif action == A.REQUEST_MATERIAL:
        locked.paused_at = now
        fields.add("paused_at")
    elif action == A.SUPPLY_MATERIAL:
        waited = cal.workdays_between(local(locked.paused_at or now).date(), local(now).date())
        if waited and locked.due_at:
            locked.due_at = add_workdays(cal, locked.due_at, waited)
        locked.paused_workdays += max(waited, 0)
        locked.paused_at = None
        if materials is not None:
            locked.materials = _checked_materials(locked.policy, materials, partial=True)
        fields |= {"due_at", "paused_workdays", "paused_at", "materials"}
    elif action == A.PAY:
        locked.paid_wan = _money(paid_wan, _("拨付金额")) or locked.amount_wan
        locked.paid_at = now
        locked.payment_ref = (payment_ref or "").strip()[:100]
        spent = cal.workdays_between(local(locked.started_at).date(), local(now).date())
        locked.pay_workdays = max(0, spent - locked.paused_workdays)
        fields |= {"paid_wan", "paid_at", "payment_ref", "pay_workdays"}
    locked.status = target
    locked.reason = reason
    locked.updated_at = now
    locked.save(update_fields=sorted(fields))
    _event(locked, action, actor, before, target, reason, now).save()
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        instance=locked,
        before={"status": before},
        after={"status": target, "amount_wan": str(locked.amount_wan)},
        note=f"{A(action).label} {reason}".strip(),
    )
    notices.announce(locked, action, actor, now)
    return locked


def _checked_materials(policy: Policy, provided: list[str], partial: bool = False) -> list[dict]:
    names = [str(m).strip() for m in provided or [] if str(m).strip()]
    unknown = [n for n in names if n not in policy.materials]
    if unknown:
        raise ValidationError(_("不在材料清单中：%(m)s") % {"m": "、".join(unknown)})
    missing = [m for m in policy.materials if m not in names]
    if missing and not partial:
        raise ValidationError(_("请提交全部申报材料，尚缺：%(m)s") % {"m": "、".join(missing)})
    return [{"name": m, "provided": m in names} for m in policy.materials]


def _in_force(policy: Policy, today: dt.date) -> None:
    if not policy.is_active:
        raise ValidationError(_("该政策已失效。"))
    if policy.valid_from and today < policy.valid_from:
        raise ValidationError(_("该政策尚未生效（%(d)s 起）。") % {"d": policy.valid_from})
    if policy.valid_until and today > policy.valid_until:
        raise ValidationError(_("该政策已过有效期（至 %(d)s）。") % {"d": policy.valid_until})


@transaction.atomic
def apply_for_policy(
    *,
    actor,
    policy: Policy,
    enterprise,
    materials: list[str],
    note: str = "",
    now: dt.datetime | None = None,
    calendar: WorkdayCalendar | None = None,
    check_rights: bool = True,
) -> Payout:
    """快申快享: an enterprise applies with the checklist; the payment clock starts now.

    `check_rights=False` only for the demo, which files applications for enterprises.
    """
    now = now or timezone.now()
    if check_rights and enterprise.pk not in enterprise_ids_of(actor):
        raise PermissionDenied(_("只能为本企业申请。"))
    if policy.mode != Mode.APPLICATION:
        raise ValidationError(_("免申即享政策无需申请，由部门直接兑现。"))
    _in_force(policy, timezone.localdate(now))
    if Payout.objects.filter(policy=policy, enterprise=enterprise).exists():
        raise ValidationError(_("本企业已申请过该政策。"))
    checked = _checked_materials(policy, materials)
    facts = load_facts(fields_of(policy.conditions, policy.amount_rule), [enterprise.pk])
    cal = calendar or WorkdayCalendar()
    payout = Payout.objects.create(
        policy=policy,
        enterprise=enterprise,
        status=S.APPLIED,
        amount_wan=amount_for(policy.amount_rule, facts, enterprise.pk) or Decimal(0),
        started_at=now,
        due_at=add_workdays(cal, now, policy.payout_workdays),
        materials=checked,
        application_note=(note or "").strip()[:2000],
        created_by=actor if getattr(actor, "pk", None) else None,
        updated_at=now,
    )
    _event(payout, A.APPLY, actor, "", S.APPLIED, "", now).save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=payout,
        after={"status": S.APPLIED, "amount_wan": str(payout.amount_wan)},
        note=str(A.APPLY.label),
    )
    notices.announce(payout, A.APPLY, actor, now)
    return payout


@transaction.atomic
def generate_batch(
    *, actor, policy: Policy, now: dt.datetime | None = None, calendar=None
) -> PayoutBatch:
    """免申即享: list every qualifying enterprise not yet listed, with its amount."""
    now = now or timezone.now()
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if not handles(actor, policy):
        raise PermissionDenied(_("只有发文部门可以生成兑现清单。"))
    if policy.mode != Mode.NO_APPLICATION:
        raise ValidationError(_("快申快享政策由企业申请，不生成兑现清单。"))
    _in_force(policy, timezone.localdate(now))
    if policy.batches.filter(status=BatchStatus.DRAFT).exists():
        raise ValidationError(_("该政策已有待审核的兑现清单，请先审核。"))
    taken = set(Payout.objects.filter(policy=policy).values_list("enterprise_id", flat=True))
    matches = PolicyMatch.objects.qualified().filter(policy=policy).exclude(enterprise_id__in=taken)
    lines = [(m.enterprise_id, m.amount_wan) for m in matches.order_by("enterprise_id")]
    unknown = sum(1 for _pk, amount in lines if amount is None)
    lines = [(pk, amount) for pk, amount in lines if amount]
    if not lines:
        raise ValidationError(_("没有尚未列入清单的符合条件企业。"))
    note = _("%(n)d 家企业测算基数缺失，未列入。") % {"n": unknown} if unknown else ""
    batch = PayoutBatch.objects.create(policy=policy, created_by=actor, created_at=now, note=note)
    due = add_workdays(calendar or WorkdayCalendar(), now, policy.payout_workdays)
    payouts = Payout.objects.bulk_create(
        Payout(
            policy=policy,
            enterprise_id=pk,
            batch=batch,
            status=S.LISTED,
            amount_wan=amount,
            started_at=now,
            due_at=due,
            created_by=actor,
            updated_at=now,
        )
        for pk, amount in lines
    )
    if not all(p.pk for p in payouts):  # backends that do not return ids (none we support)
        payouts = list(batch.payouts.all())
    PayoutEvent.objects.bulk_create(
        _event(p, A.LIST, actor, "", S.LISTED, "", now) for p in payouts
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=batch,
        after={"lines": len(payouts), "amount_wan": str(sum(a for _pk, a in lines))},
        note=_("生成兑现清单"),
    )
    return batch


@transaction.atomic
def approve_batch(*, actor, batch: PayoutBatch, now: dt.datetime | None = None) -> PayoutBatch:
    """Approve a 兑现清单: every line still listed becomes approved, to be paid."""
    now = now or timezone.now()
    batch = PayoutBatch.objects.select_for_update().select_related("policy").get(pk=batch.pk)
    if not handles(actor, batch.policy):
        raise PermissionDenied(_("只有发文部门可以审核兑现清单。"))
    if batch.status != BatchStatus.DRAFT:
        raise IllegalTransition(_("该清单已审核。"))
    lines = list(batch.payouts.select_for_update().filter(status=S.LISTED))
    for payout in lines:
        payout.status, payout.approved_at, payout.updated_at = S.APPROVED, now, now
    Payout.objects.bulk_update(lines, ["status", "approved_at", "updated_at"])
    PayoutEvent.objects.bulk_create(
        _event(p, A.APPROVE, actor, S.LISTED, S.APPROVED, "", now) for p in lines
    )
    batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, actor, now
    batch.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        instance=batch,
        before={"status": BatchStatus.DRAFT},
        after={"status": BatchStatus.APPROVED, "approved": len(lines)},
        note=_("审核通过兑现清单"),
    )
    notices.batch_approved(batch, lines, now)
    return batch


@transaction.atomic
def link_service_request(*, actor, payout: Payout, request_id: int) -> Payout:
    """Tie a 企呼我应 request (e.g. of category 政策兑现) to the payout it is about.

    The request must be the same enterprise's. Read through the foreign key's model, since
    the service app is a sibling of this one and is not imported.
    """
    payout = Payout.objects.select_for_update().select_related("policy").get(pk=payout.pk)
    if not handles(actor, payout.policy):
        raise PermissionDenied(_("只有发文部门可以关联诉求。"))
    model = Payout._meta.get_field("service_request").related_model
    request = model.objects.filter(pk=request_id).first()
    if request is None:
        raise ValidationError(_("没有编号为 %(n)s 的企呼我应诉求。") % {"n": request_id})
    if request.enterprise_id != payout.enterprise_id:
        raise ValidationError(_("该诉求不是本企业提交的，不能关联。"))
    before = payout.service_request_id
    payout.service_request = request
    payout.save(update_fields=["service_request"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=payout,
        before={"service_request": before},
        after={"service_request": request.pk},
        note=_("关联企呼我应诉求"),
    )
    return payout
