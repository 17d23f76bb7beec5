"""An enterprise claims its account: submitted without an account, approved or rejected.

The workflow takes the shape of `service.workflow`: a `TRANSITIONS` table, `can_decide()`,
and one `decide_claim()` that locks the claim, re-checks it against the locked state, applies
the step's handler, saves with `update_fields` and writes the audit event and the
notification in the same transaction.

A claim names an enterprise of the registry by its USCC. It is refused, with the reason in
Chinese and nothing written, when the USCC is malformed or not in the registry, when the
enterprise already has an active enterprise account or a claim under review, when the username
is taken (by an account or by a claim under review), or when the password is weak. The
reviewers (administrators, and the staff of the enterprise's county) are told of a new claim;
approval creates the enterprise account, linked to the enterprise, and tells its owner.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.models import User
from wulian.core.validators import normalize_text, reject_nul, uscc_problem
from wulian.enterprises.models import Enterprise
from wulian.notifications.choices import Kind
from wulian.notifications.services import notify

from .choices import ClaimAction, ClaimStatus
from .models import AccountClaim
from .permissions import can_decide
from .services import _check_username

S = ClaimStatus
A = ClaimAction

# (from state, action) → to state. Both steps are the reviewers'.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, A.APPROVE): S.APPROVED,
    (S.PENDING, A.REJECT): S.REJECTED,
}
NEEDS_REASON = frozenset({A.REJECT})
MOBILE = re.compile(r"^1[3-9]\d{9}$")
AUDITED = ("uscc", "contact_name", "phone", "username", "status", "reason", "account")


class IllegalStep(Exception):
    """The step does not exist from the claim's current state (HTTP 409)."""


def reviewers(enterprise: Enterprise):
    """Who may decide a claim on `enterprise`: administrators and its county's staff."""
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(role=Role.COUNTY, region_id=enterprise.region_id)
    )


def _enterprise_for(uscc: str, errors: dict[str, list[str]]) -> Enterprise | None:
    problem = uscc_problem(uscc) if uscc else _("请填写统一社会信用代码")
    if problem:
        errors.setdefault("uscc", []).append(problem)
        return None
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        errors.setdefault("uscc", []).append(
            _("企业库中没有统一社会信用代码为 %(c)s 的企业，请核对，或联系企业所在区县。")
            % {"c": uscc}
        )
        return None
    if enterprise.accounts.filter(is_active=True, role=Role.ENTERPRISE).exists():
        errors.setdefault("uscc", []).append(
            _("“%(n)s”已有企业账号，不能重复认领；如需新增账号，请联系企业所在区县或管理员。")
            % {"n": enterprise.name}
        )
    elif enterprise.account_claims.pending().exists():
        errors.setdefault("uscc", []).append(
            _("“%(n)s”已有一份认领申请正在审核中，请等待审核结果。") % {"n": enterprise.name}
        )
    return enterprise


def _check_claim_username(username: str, errors: dict[str, list[str]]) -> str:
    username = _check_username(username, errors, exclude=None)
    if username and AccountClaim.objects.pending().filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(
            _("用户名“%(u)s”已被另一份待审核的认领申请使用") % {"u": username}
        )
    return username


@transaction.atomic
def submit_claim(
    *, actor, uscc: str, contact_name: str, phone: str, username: str, password: str
) -> AccountClaim:
    """A person (usually without an account: `actor` None) claims an enterprise's account.

    Everything is checked before anything is written; the reviewers are told in the same
    transaction.
    """
    for value in (uscc, contact_name, phone, username, password):
        reject_nul(value or "")
    errors: dict[str, list[str]] = {}
    uscc = normalize_text(uscc or "").upper()
    enterprise = _enterprise_for(uscc, errors)
    contact_name = normalize_text(contact_name or "")
    if not contact_name:
        errors.setdefault("contact_name", []).append(_("请填写联系人姓名"))
    phone = normalize_text(phone or "").replace(" ", "").replace("-", "")
    if not MOBILE.match(phone):
        errors.setdefault("phone", []).append(_("请填写 11 位手机号码，如 13800000000"))
    username = _check_claim_username(username, errors)
    try:
        validate_password(password or "", User(username=username, display_name=contact_name))
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    claim = AccountClaim(
        enterprise=enterprise,
        uscc=uscc,
        contact_name=contact_name,
        phone=phone,
        username=username,
        password_hash=make_password(password),
    )
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        # Another claim on the same enterprise or username was saved a moment ago.
        raise ValidationError(
            {"uscc": [_("该企业或用户名刚刚有另一份认领申请提交，请稍后查看。")]}
        ) from None
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=claim,
        after=audit.snapshot(claim, AUDITED),
        note=_("提交企业账号认领"),
    )
    notify(
        kind=Kind.CLAIM_SUBMITTED,
        recipients=reviewers(enterprise),
        title=_("企业账号认领待审核：%(n)s") % {"n": enterprise.name},
        body=_("联系人 %(p)s（%(m)s）申请开通账号“%(u)s”。")
        % {"p": contact_name, "m": phone, "u": username},
        url=reverse("accounts:claim-detail", args=[claim.pk]),
    )
    return claim


def _approve(claim: AccountClaim, actor) -> None:
    """Create the enterprise account with the username and password the claimant chose."""
    if claim.enterprise.accounts.filter(is_active=True, role=Role.ENTERPRISE).exists():
        raise ValidationError(_("该企业已有启用的企业账号，不能再通过认领开通。"))
    if User.objects.filter(username__iexact=claim.username).exists():
        raise ValidationError(
            _("用户名“%(u)s”已被占用，请驳回，并请申请人换一个用户名重新申请。")
            % {"u": claim.username}
        )
    account = User(
        username=claim.username,
        display_name=claim.contact_name,
        role=Role.ENTERPRISE,
        password=claim.password_hash,
    )
    account.save()
    account.enterprises.set([claim.enterprise])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=account,
        after={
            **audit.snapshot(account, ("username", "display_name", "role", "is_active")),
            "enterprises": claim.uscc,
        },
        note=_("认领通过，开通企业账号"),
    )
    claim.account = account
    notify(
        kind=Kind.CLAIM_APPROVED,
        recipients=[account],
        title=_("企业账号已开通：%(n)s") % {"n": claim.enterprise.name},
        body=_("您对“%(n)s”的账号认领已通过审核，现在可以使用本账号办理企业事项。")
        % {"n": claim.enterprise.name},
        url=reverse("home"),
    )


def _reject(claim: AccountClaim, actor) -> None:
    """Nothing is created; the claimant reads the reason with their claim's 查询码."""


HANDLERS: dict[str, Callable[[AccountClaim, object], None]] = {
    A.APPROVE: _approve,
    A.REJECT: _reject,
}


@transaction.atomic
def decide_claim(*, actor, claim: AccountClaim, action: str, reason: str = "") -> AccountClaim:
    """Approve or reject a claim under review (a reason is required to reject)."""
    reason = normalize_text(reason or "")
    reject_nul(reason)
    if action not in A.values:
        raise ValidationError({"action": [_("未知的审核操作“%(a)s”") % {"a": action}]})
    claim = AccountClaim.objects.select_for_update().select_related("enterprise").get(pk=claim.pk)
    if not can_decide(claim, actor):
        raise PermissionDenied(_("您无权审核该企业的账号认领。"))
    target = TRANSITIONS.get((claim.status, action))
    if target is None:
        raise IllegalStep(
            _("该认领申请%(s)s，不能再%(a)s。")
            % {"s": claim.get_status_display(), "a": A(action).label}
        )
    if action in NEEDS_REASON and not reason:
        raise ValidationError({"reason": [_("驳回时请填写理由，申请人会看到。")]})
    if len(reason) > 300:
        raise ValidationError({"reason": [_("审核意见不能超过 300 字")]})
    before = audit.snapshot(claim, AUDITED)
    HANDLERS[action](claim, actor)
    claim.status, claim.reason = target, reason
    claim.decided_at, claim.decided_by = timezone.now(), actor
    # The chosen password now lives in the account (or nowhere): the claim keeps no hash.
    claim.password_hash = ""
    fields = ["status", "reason", "decided_at", "decided_by", "account", "password_hash"]
    claim.save(update_fields=fields)
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        instance=claim,
        before=before,
        after=audit.snapshot(claim, AUDITED),
        note=_("企业账号认领%(a)s") % {"a": A(action).label},
    )
    return claim
