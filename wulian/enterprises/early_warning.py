"""运行监测预警: flag enterprises whose monthly figures fall, and record what was done.

Rules (`WarningRule`, editable by the city) say which figure, which comparison and how far:
- 同比 (yoy): in each of the N months up to the enterprise's latest report, the figure is at
  least `threshold_pct` below the same month a year before;
- 较N个月前 (drop): the latest figure is at least `threshold_pct` below the one N months before
  (sharp staff cuts).

`evaluate_warnings` runs after every write of monthly figures (for the enterprises written)
and by `manage.py evaluate_warnings`. A flag is turned into action by a 链办, county or
department user: a visit task here (`plan_visit_for_flag`), or a proactive 企呼我应 request
filed on the enterprise's behalf by the service app, which then calls `record_flag_action`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction

from .choices import FlagStatus, WarningKind
from .models import Enterprise, EnterpriseMonth, WarningFlag, WarningRule
from .permissions import may_visit
from .visits import plan_visit

DEFAULT_RULES = (
    ("output_wan", WarningKind.YOY, Decimal(20), 3),
    ("tax_wan", WarningKind.YOY, Decimal(30), 3),
    ("electricity_wkwh", WarningKind.YOY, Decimal(20), 3),
    ("employees", WarningKind.DROP, Decimal(15), 3),
)


def ensure_default_rules() -> None:
    """The four standard rules, when the city has none yet."""
    if not WarningRule.objects.exists():
        WarningRule.objects.bulk_create(
            [
                WarningRule(metric=m, kind=k, threshold_pct=t, months=n)
                for m, k, t, n in DEFAULT_RULES
            ]
        )


def _shift(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _pct(now, base) -> float | None:
    if now is None or base is None or not base:
        return None
    return (float(now) - float(base)) / float(base) * 100


def check_rule(rule: WarningRule, series: dict[dt.date, dict]) -> tuple[float, list] | None:
    """(change in %, evidence rows) when `rule` fires on this series, else None."""
    if not series:
        return None
    latest = max(series)
    limit = -float(rule.threshold_pct)
    evidence = []
    if rule.kind == WarningKind.YOY:
        changes = []
        for back in range(rule.months - 1, -1, -1):
            month = _shift(latest, -back)
            now = (series.get(month) or {}).get(rule.metric)
            base = (series.get(_shift(month, -12)) or {}).get(rule.metric)
            change = _pct(now, base)
            if change is None or change > limit:
                return None
            changes.append(change)
            evidence.append(_row(month, now, _shift(month, -12), base, change))
        return sum(changes) / len(changes), evidence
    before_month = _shift(latest, -rule.months)
    now = series[latest].get(rule.metric)
    base = (series.get(before_month) or {}).get(rule.metric)
    change = _pct(now, base)
    if change is None or change > limit:
        return None
    return change, [_row(latest, now, before_month, base, change)]


def _row(month, value, base_month, base, change) -> dict:
    return {
        "month": f"{month:%Y-%m}",
        "value": float(value),
        "base_month": f"{base_month:%Y-%m}",
        "base": float(base),
        "change_pct": round(change, 1),
    }


def _series(enterprise_ids: list[int] | None) -> dict[int, dict[dt.date, dict]]:
    """The last 15 months up to each enterprise's own latest report (enough for N ≤ 3 YoY)."""
    rules = list(WarningRule.objects.filter(is_active=True))
    depth = max([12 + r.months for r in rules if r.kind == WarningKind.YOY] + [13]) + 1
    qs = EnterpriseMonth.objects.all()
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=enterprise_ids)
    latest = qs.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return {}
    qs = qs.filter(month__gte=_shift(latest, -depth))
    out: dict[int, dict[dt.date, dict]] = defaultdict(dict)
    fields = ("output_wan", "tax_wan", "electricity_wkwh", "employees")
    for pk, month, *values in qs.values_list("enterprise_id", "month", *fields).iterator(
        chunk_size=5000
    ):
        out[pk][month] = dict(zip(fields, values, strict=True))
    return out


def sync_flag_scope(enterprise_ids: Iterable[int]) -> int:
    """Copy these enterprises' county and main chain onto their flags (every status).

    Called in the writer's transaction by the services that change an enterprise's county
    (import_enterprises) or main chain (set_chain_codes); the warnings page counts and
    filters flags by these copies. Returns the number of flags updated.
    """
    owner = Enterprise.objects.filter(pk=OuterRef("enterprise_id"))
    total = 0
    for chunk in _id_chunks(enterprise_ids, 2000):
        total += WarningFlag.objects.filter(enterprise_id__in=chunk).update(
            region_id=Subquery(owner.values("region_id")[:1]),
            chain_code=Subquery(owner.values("chain_code")[:1]),
        )
    return total


def evaluate_warnings(enterprise_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Raise, refresh or clear flags for these enterprises (all when None); atomic.

    The enterprises are taken 2,000 at a time (their series, their live flags, the writes),
    so memory holds one chunk whatever the registry's size.
    """
    rules = list(WarningRule.objects.filter(is_active=True))
    counts = {"raised": 0, "refreshed": 0, "cleared": 0}
    with transaction.atomic():
        for chunk in _id_chunks(enterprise_ids, 2000):
            for key, value in _evaluate_chunk(chunk, rules).items():
                counts[key] += value
    return counts


def _id_chunks(enterprise_ids: Iterable[int] | None, size: int) -> Iterator[list[int]]:
    """Sorted, distinct ids in chunks; every enterprise of the registry when None."""
    if enterprise_ids is None:
        last = 0
        while chunk := list(
            Enterprise.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        ):
            yield chunk
            last = chunk[-1]
        return
    ids = sorted(set(enterprise_ids))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _evaluate_chunk(ids: list[int], rules: list[WarningRule]) -> dict[str, int]:
    data = _series(ids)
    live = WarningFlag.objects.live().filter(rule__in=rules, enterprise_id__in=ids)
    current = {(f.enterprise_id, f.rule_id): f for f in live}
    seen = set()
    new, changed = [], []
    for pk, series in data.items():
        for rule in rules:
            hit = check_rule(rule, series)
            if hit is None:
                continue
            change, evidence = hit
            month = dt.date.fromisoformat(evidence[-1]["month"] + "-01")
            flag = current.get((pk, rule.pk))
            seen.add((pk, rule.pk))
            if flag is None:
                new.append(
                    WarningFlag(
                        enterprise_id=pk,
                        rule=rule,
                        month=month,
                        change_pct=Decimal(f"{change:.1f}"),
                        evidence=evidence,
                    )
                )
            elif flag.month != month or flag.evidence != evidence:
                flag.month, flag.evidence = month, evidence
                flag.change_pct = Decimal(f"{change:.1f}")
                flag.updated_at = timezone.now()
                changed.append(flag)
    gone = [f for key, f in current.items() if key not in seen and f.status == FlagStatus.OPEN]
    for flag in gone:
        flag.status = FlagStatus.CLEARED
        flag.updated_at = timezone.now()
    if new:
        # Each new flag copies its enterprise's county, main chain and synthetic mark; most
        # evaluations raise nothing, so the registry is read for the flags raised only.
        owners = {
            pk: rest
            for pk, *rest in Enterprise.objects.filter(
                pk__in=[f.enterprise_id for f in new]
            ).values_list("pk", "region_id", "chain_code", "is_synthetic")
        }
        for flag in new:
            flag.region_id, flag.chain_code, flag.is_synthetic = owners[flag.enterprise_id]
    WarningFlag.objects.bulk_create(new, batch_size=2000)
    WarningFlag.objects.bulk_update(
        [*changed, *gone],
        ["month", "evidence", "change_pct", "status", "updated_at"],
        batch_size=1000,
    )
    return {"raised": len(new), "refreshed": len(changed), "cleared": len(gone)}


# ---- acting on a flag ---------------------------------------------------------------------


def can_act(user, flag: WarningFlag) -> bool:
    """链办, county, department and leader users who can see the flag may act on it."""
    if not may_visit(user):
        return False
    return WarningFlag.objects.visible_to(user).filter(pk=flag.pk).exists()


def check_can_act(actor, flag: WarningFlag) -> WarningFlag:
    """The flag, locked, if the actor may act on it and it is still live; else an error."""
    if not can_act(actor, flag):
        raise PermissionDenied(_("您不能处置该预警。"))
    flag = WarningFlag.objects.select_for_update().get(pk=flag.pk)
    # A planned visit may still lead to a request; a request already in the loop, a
    # dismissal or a cleared flag closes the matter.
    if flag.status not in (FlagStatus.OPEN, FlagStatus.VISIT):
        raise ValidationError(_("该预警已处置或已消除。"))
    return flag


def _act(actor, flag: WarningFlag, status: str, note: str, url: str) -> WarningFlag:
    before = audit.snapshot(flag, ("status", "action_note", "action_url"))
    flag.status = status
    flag.action_note = note[:500]
    flag.action_url = url[:200]
    flag.acted_by = actor
    flag.acted_at = timezone.now()
    flag.save(update_fields=["status", "action_note", "action_url", "acted_by", "acted_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=flag,
        before=before,
        after=audit.snapshot(flag, ("status", "action_note", "action_url")),
        note=_("预警处置"),
    )
    return flag


@transaction.atomic
def plan_visit_for_flag(
    *, actor, flag: WarningFlag, planned_for: dt.date, note: str = "", visitor=None
) -> WarningFlag:
    """Turn a flag into a visit task on the enterprise; the flag remembers it."""
    flag = check_can_act(actor, flag)
    if planned_for < timezone.localdate():
        raise ValidationError({"planned_for": _("计划走访日期不能早于今天。")})
    visit = plan_visit(
        actor=actor,
        enterprise=flag.enterprise,
        planned_for=planned_for,
        purpose=_("运行监测预警：%(r)s") % {"r": flag.rule},
        visitor=visitor,
    )
    text = note or _("已安排 %(d)s 走访") % {"d": f"{planned_for:%Y-%m-%d}"}
    return _act(actor, flag, FlagStatus.VISIT, text, f"/enterprises/{visit.enterprise_id}/#visits")


@transaction.atomic
def record_flag_action(*, actor, flag: WarningFlag, note: str, url: str = "") -> WarningFlag:
    """What the service app did on a flag (a proactive request filed on the enterprise's
    behalf, 我呼企应); called by service inside its own transaction."""
    flag = check_can_act(actor, flag)
    return _act(actor, flag, FlagStatus.REQUEST, note, url)


@transaction.atomic
def dismiss_flag(*, actor, flag: WarningFlag, reason: str) -> WarningFlag:
    """Checked and found harmless (e.g. a planned shutdown); the reason is required."""
    if not reason.strip():
        raise ValidationError({"reason": _("请说明排除原因。")})
    flag = check_can_act(actor, flag)
    return _act(actor, flag, FlagStatus.DISMISSED, reason.strip(), "")


RULE_FIELDS = ("metric", "kind", "threshold_pct", "months", "is_active")


@transaction.atomic
def save_warning_rule(*, actor, rule: WarningRule | None = None, **values) -> WarningRule:
    """Create or change a rule (audited), then re-check every enterprise against the rules."""
    before = audit.snapshot(rule, RULE_FIELDS) if rule is not None else None
    rule = rule or WarningRule()
    for key in RULE_FIELDS:
        if key in values:
            setattr(rule, key, values[key])
    rule.updated_by = actor if getattr(actor, "pk", None) else None
    rule.full_clean()
    rule.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=rule,
        before=before,
        after=audit.snapshot(rule, RULE_FIELDS),
        note=_("预警规则"),
    )
    if not rule.is_active:
        WarningFlag.objects.filter(rule=rule, status=FlagStatus.OPEN).update(
            status=FlagStatus.CLEARED, updated_at=timezone.now()
        )
    evaluate_warnings()
    return rule
