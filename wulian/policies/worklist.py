"""What 政策体系 work waits for one person (read by the workbench).

The issuing department: 兑现清单 to approve, applications to review, approved payouts to pay.
An enterprise: material to supply, and policies it qualifies for that it may apply for
(快申快享) — the matched policies of its workbench. A leader: payouts overdue long enough to
reach 市领导关注. A chain office or county: overdue payouts of its enterprises.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.choices import Role
from wulian.core.permissions import is_enterprise_user
from wulian.core.workdays import WorkdayCalendar
from wulian.core.worklist import ITEMS_PER_SECTION, Todo, TodoSection

from .choices import BatchStatus, Mode, PayoutStatus
from .deadlines import clock_for, leader_cutoff
from .models import Payout, PayoutBatch, Policy
from .permissions import oversees_payouts, sees_every_payout_overdue

S = PayoutStatus


def _payouts(key, label, url, qs, now, cal, clocked=True) -> TodoSection | None:
    count = qs.count()
    if not count:
        return None
    overdue = qs.overdue(now).count() if clocked else 0
    items = []
    for p in qs.for_list().order_by("due_at", "id")[:ITEMS_PER_SECTION]:
        clock = clock_for(p, cal, now)
        items.append(
            Todo(
                title=f"{p.policy.title} · {p.enterprise.name}",
                url=p.get_absolute_url(),
                detail=_("%(a)s 万元 · %(c)s") % {"a": p.amount_wan, "c": clock.label},
                due=p.due_at,
                overdue=clock.overdue,
                status=p.get_status_display(),
            )
        )
    return TodoSection(key=key, label=label, url=url, count=count, overdue=overdue, items=items)


def _department(user, now, cal) -> list:
    mine = Payout.objects.filter(policy__issuer_id=user.department_id)
    listing = reverse("policies:payouts")
    batches = PayoutBatch.objects.filter(
        policy__issuer_id=user.department_id, status=BatchStatus.DRAFT
    ).select_related("policy")
    found: list = []
    batches = list(batches)
    if batches:
        items = [
            Todo(
                title=_("兑现清单：%(p)s") % {"p": b.policy.title},
                url=b.get_absolute_url(),
                detail=_("生成于 %(d)s") % {"d": f"{timezone.localtime(b.created_at):%Y-%m-%d}"},
                due=None,
                status=b.get_status_display(),
            )
            for b in batches[:ITEMS_PER_SECTION]
        ]
        found.append(
            TodoSection(
                key="policies.batch",
                label=_("待审核的兑现清单"),
                url=reverse("policies:list"),
                count=len(batches),
                overdue=0,
                items=items,
            )
        )
    found.append(
        _payouts(
            "policies.review",
            _("待审核的政策兑现申请"),
            f"{listing}?status=applied",
            mine.filter(status=S.APPLIED),
            now,
            cal,
        )
    )
    found.append(
        _payouts(
            "policies.pay",
            _("已核准、待拨付的政策资金"),
            f"{listing}?status=approved",
            mine.filter(status=S.APPROVED),
            now,
            cal,
        )
    )
    return found


def _enterprise(user, now, cal) -> list:
    own = Payout.objects.visible_to(user)
    found = [
        _payouts(
            "policies.supply",
            _("政策兑现需补充材料"),
            reverse("policies:payouts"),
            own.filter(status=S.AWAITING_MATERIAL),
            now,
            cal,
            clocked=False,
        )
    ]
    applied = set(own.values_list("policy_id", flat=True))
    open_ = (
        Policy.objects.matched_for(user)
        .filter(mode=Mode.APPLICATION)
        .exclude(pk__in=applied)
        .order_by("-issued_on")
    )
    rows = list(open_[: ITEMS_PER_SECTION + 1])
    if rows:
        found.append(
            TodoSection(
                key="policies.apply",
                label=_("本企业符合条件、可申请的政策（快申快享）"),
                url=f"{reverse('policies:list')}?matched=1",
                count=open_.count(),
                overdue=0,
                items=[
                    Todo(
                        title=p.title,
                        url=p.get_absolute_url(),
                        detail=p.issuer.name,
                        due=p.valid_until,
                        status=p.get_mode_display(),
                    )
                    for p in rows[:ITEMS_PER_SECTION]
                ],
            )
        )
    return found


def _overseer(user, now, cal) -> list:
    listing = reverse("policies:payouts")
    scoped = Payout.objects.visible_to(user)
    if sees_every_payout_overdue(user):
        qs = scoped.on_the_clock().filter(due_at__lt=leader_cutoff(cal, now))
        label = _("超期升级至市领导关注的政策兑现")
    else:
        qs = scoped.overdue(now)
        label = _("本链超期的政策兑现") if user.role == Role.CHAIN else _("本县超期的政策兑现")
    return [_payouts("policies.overdue", label, f"{listing}?overdue=true", qs, now, cal)]


def sections_for(user, now: dt.datetime | None = None) -> list[TodoSection]:
    """The 政策体系 work waiting for `user`, as workbench sections (empty ones left out)."""
    now = now or timezone.now()
    cal = WorkdayCalendar()
    found: list = []
    if is_enterprise_user(user):
        found += _enterprise(user, now, cal)
    if user.role == Role.DEPARTMENT and user.department_id:
        found += _department(user, now, cal)
    if oversees_payouts(user):
        found += _overseer(user, now, cal)
    return [s for s in found if s is not None]
