"""Writes for the catalogue: create and change policies, keep their matches current.

Every write checks who may make it, validates the conditions and the amount rule (Chinese
errors, nothing half-written), audits, and refreshes the policy's matches in the same
transaction; enterprises that newly qualify for a policy in force are told (notifications).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.chains.models import Chain
from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.models import Department
from wulian.enterprises.models import Enterprise
from wulian.notifications.choices import Kind
from wulian.notifications.services import notify

from . import conditions as cond
from .choices import Mode, Stage
from .facts import Facts
from .matching import amount_for, match_policies, reasons_for, validate_amount_rule
from .models import Policy, PolicyMatch
from .permissions import may_issue

EDITABLE = (
    "title",
    "doc_number",
    "issued_on",
    "issuer",
    "valid_from",
    "valid_until",
    "stages",
    "summary",
    "clauses",
    "mode",
    "materials",
    "conditions",
    "amount_rule",
    "payout_workdays",
    "is_active",
    "is_synthetic",
)


def clean_policy(values: dict[str, Any], *, instance: Policy | None = None) -> dict[str, Any]:
    """Validate a policy's values (merged over `instance` for a partial change)."""
    merged = {f: getattr(instance, f) for f in EDITABLE} if instance else {}
    merged.update(values)
    if not str(merged.get("title") or "").strip():
        raise ValidationError({"title": _("请填写政策名称。")})
    if not isinstance(merged.get("issuer"), Department):
        raise ValidationError({"issuer": _("请选择发文部门。")})
    if merged.get("mode") not in Mode.values:
        raise ValidationError(
            {"mode": _("兑现方式应为 no_application（免申即享）或 application（快申快享）。")}
        )
    errors: dict[str, Any] = {}
    for key, check in (("conditions", cond.validate), ("amount_rule", validate_amount_rule)):
        try:
            merged[key] = check(merged.get(key))
        except ValidationError as exc:
            errors[key] = exc.messages
    stages = merged.get("stages") or []
    bad = [s for s in stages if s not in Stage.values]
    if not isinstance(stages, list) or bad:
        errors["stages"] = [_("未知生命周期阶段：%(s)s") % {"s": "、".join(map(str, bad))}]
    materials = [str(m).strip() for m in (merged.get("materials") or []) if str(m).strip()]
    if merged.get("mode") == Mode.APPLICATION and not materials:
        errors["materials"] = [_("快申快享政策须列出申报材料清单。")]
    merged["materials"] = materials
    start, end = merged.get("valid_from"), merged.get("valid_until")
    if start and end and end < start:
        errors["valid_until"] = [_("有效期至不能早于有效期起。")]
    if errors:
        raise ValidationError(errors)
    merged["title"] = str(merged["title"]).strip()
    return merged


def _chains(codes: list[str] | None) -> list[Chain] | None:
    if codes is None:
        return None
    found = {c.code: c for c in Chain.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({"chains": [_("未知产业链代码：%(c)s") % {"c": "、".join(unknown)}]})
    return [found[c] for c in codes]


@transaction.atomic
def create_policy(
    *, actor, values: dict[str, Any], chains: list[str] | None = None, check_rights: bool = True
) -> Policy:
    """Add a policy to the catalogue and match it against the registry at once.

    `check_rights=False` is for the demo and imports, which act for the issuing department.
    """
    if check_rights and not may_issue(actor, values.get("issuer")):
        raise PermissionDenied(_("只能以本部门名义发布政策。"))
    clean = clean_policy(values)
    chain_rows = _chains(chains)
    policy = Policy(created_by=actor if getattr(actor, "pk", None) else None)
    for name in EDITABLE:
        if name in clean:
            setattr(policy, name, clean[name])
    policy.save()
    if chain_rows:
        policy.chains.set(chain_rows)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=policy,
        after=audit.snapshot(policy, EDITABLE),
    )
    refresh_matches(policy=policy)
    return policy


@transaction.atomic
def update_policy(
    *, actor, policy: Policy, values: dict[str, Any], chains: list[str] | None = None
) -> Policy:
    """Change a policy (its department's staff or administrators) and re-match it."""
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if not may_issue(actor, policy.issuer):
        raise PermissionDenied(_("只能修改本部门发布的政策。"))
    if "issuer" in values and not may_issue(actor, values["issuer"]):
        raise PermissionDenied(_("只能以本部门名义发布政策。"))
    clean = clean_policy(values, instance=policy)
    if not may_issue(actor, clean["issuer"]):
        raise PermissionDenied(_("只能以本部门名义发布政策。"))
    chain_rows = _chains(chains)
    before = audit.snapshot(policy, EDITABLE)
    for name in EDITABLE:
        setattr(policy, name, clean[name])
    policy.save()
    if chain_rows is not None:
        policy.chains.set(chain_rows)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=policy,
        before=before,
        after=audit.snapshot(policy, EDITABLE),
    )
    refresh_matches(policy=policy)
    return policy


@transaction.atomic
def delete_policy(*, actor, policy: Policy) -> None:
    """Remove a policy nobody has been paid under yet (otherwise: set it 失效)."""
    if not may_issue(actor, policy.issuer):
        raise PermissionDenied(_("只能删除本部门发布的政策。"))
    if policy.payouts.exists():
        raise ValidationError(_("该政策已有兑现记录，不能删除；可将其设为失效。"))
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=policy,
        before=audit.snapshot(policy, EDITABLE),
    )
    policy.delete()


@dataclass
class RefreshReport:
    matched: int
    near: int
    new: int
    told: int


def _rows(policy: Policy, facts: Facts, result, now: dt.datetime) -> dict[int, PolicyMatch]:
    rows = {}
    for pk in result.matched:
        rows[pk] = PolicyMatch(
            policy=policy,
            enterprise_id=pk,
            is_near=False,
            missed=None,
            reasons=reasons_for(policy.conditions, facts, pk),
            amount_wan=amount_for(policy.amount_rule, facts, pk),
            first_matched_at=now,
            updated_at=now,
        )
    for pk, missed in result.near:
        rows[pk] = PolicyMatch(
            policy=policy,
            enterprise_id=pk,
            is_near=True,
            missed=missed,
            reasons=reasons_for(policy.conditions, facts, pk),
            amount_wan=None,
            first_matched_at=now,
            updated_at=now,
        )
    return rows


CHANGED = ("is_near", "missed", "reasons", "amount_wan")


@transaction.atomic
def refresh_matches(
    *, policy: Policy, now: dt.datetime | None = None, facts=None, result=None
) -> RefreshReport:
    """Recompute who qualifies for `policy` (and who is one condition short), store the
    difference, and tell the accounts of enterprises that newly qualify for it."""
    now = now or timezone.now()
    if facts is None or result is None:
        facts, results = match_policies([policy])
        result = results[policy.pk]
    fresh = _rows(policy, facts, result, now)
    stored = {m.enterprise_id: m for m in PolicyMatch.objects.filter(policy=policy)}
    PolicyMatch.objects.filter(
        policy=policy, enterprise_id__in=[pk for pk in stored if pk not in fresh]
    ).delete()
    create, update, newly = [], [], []
    for pk, row in fresh.items():
        old = stored.get(pk)
        if old is None:
            create.append(row)
        elif any(getattr(old, f) != getattr(row, f) for f in CHANGED):
            for f in CHANGED:
                setattr(old, f, getattr(row, f))
            old.updated_at = now
            update.append(old)
        if not row.is_near and (old is None or old.is_near):
            newly.append(pk)
    PolicyMatch.objects.bulk_create(create, batch_size=2000)
    PolicyMatch.objects.bulk_update(update, [*CHANGED, "updated_at"], batch_size=1000)
    policy.matched, policy.near, policy.matched_at = len(result.matched), len(result.near), now
    policy.save(update_fields=["matched", "near", "matched_at"])
    told = tell_new_matches(policy, newly, now) if policy.is_active else 0
    return RefreshReport(len(result.matched), len(result.near), len(newly), told)


def tell_new_matches(policy: Policy, enterprise_ids: list[int], now: dt.datetime) -> int:
    """Each enterprise (with an account) newly qualifying for a policy in force is told once."""
    told = 0
    through = Enterprise.accounts.through
    accounts: dict[int, list] = {}
    for link in through.objects.filter(enterprise_id__in=enterprise_ids).select_related("user"):
        accounts.setdefault(link.enterprise_id, []).append(link.user)
    url = reverse("policies:detail", args=[policy.pk])
    for pk, people in accounts.items():
        message = notify(
            kind=Kind.POLICY_MATCHED,
            recipients=people,
            title=_("您的企业符合政策“%(t)s”") % {"t": policy.title[:80]},
            body=_("%(d)s发布，兑现方式：%(m)s。点击查看匹配理由。")
            % {"d": policy.issuer.name, "m": policy.get_mode_display()},
            url=url,
            dedupe_key=f"policy-match:{policy.pk}:{pk}",
            now=now,
        )
        told += message is not None
    return told


def refresh_all_matches(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Re-match every policy in force over one load of the registry (nightly and on demand)."""
    policies = list(Policy.objects.filter(is_active=True).select_related("issuer"))
    facts, results = match_policies(policies)
    totals = {"policies": len(policies), "matched": 0, "new": 0, "told": 0}
    for policy in policies:
        report = refresh_matches(policy=policy, now=now, facts=facts, result=results[policy.pk])
        totals["matched"] += report.matched
        totals["new"] += report.new
        totals["told"] += report.told
    return totals
