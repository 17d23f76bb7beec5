"""Statistics of the 政策体系: per policy, department, chain and county — enterprises matched,
payouts begun (listed or applied), paid, amount, mean working days to payment, on-time rate.

Read by the statistics page, the API, the cockpit and the workbench. The payout and match
tables are small next to the registry (one row per enterprise and policy), so the figures are
aggregated on read with one grouped query per table; scoped by `visible_to(user)`.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from .choices import CLOCK_PAYOUT, PayoutStatus
from .models import Payout, PolicyMatch

DIMENSIONS = {
    "policy": ("policy_id", "policy__title"),
    "department": ("policy__issuer_id", "policy__issuer__name"),
    "chain": ("enterprise__chain_code", "enterprise__chain_code"),
    "county": ("enterprise__region_id", "enterprise__region__name"),
}


class PolicyStatsRow(TypedDict):
    """One group's figures; rates in percent (None with nothing to count)."""

    key: str
    name: str
    matched: int
    started: int
    paid: int
    paid_wan: float
    overdue: int
    mean_workdays: float | None
    on_time_pct: float | None
    is_synthetic: bool


def _chain_names() -> dict[str, str]:
    from wulian.chains.models import Chain

    return dict(Chain.objects.values_list("code", "name"))


def stats(
    by: str, *, payouts=None, matches=None, now: dt.datetime | None = None
) -> list[PolicyStatsRow]:
    """Figures grouped by `by` (policy, department, chain, county) over the given querysets."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    now = now or timezone.now()
    key, name = DIMENSIONS[by]
    payouts = Payout.objects.all() if payouts is None else payouts
    matches = PolicyMatch.objects.all() if matches is None else matches
    paid = Q(status=PayoutStatus.PAID)
    rows = (
        payouts.exclude(status=PayoutStatus.REMOVED)
        .values(key, name)
        .annotate(
            started=Count("id"),
            paid=Count("id", filter=paid),
            paid_wan=Sum("paid_wan", filter=paid),
            overdue=Count("id", filter=Q(status__in=CLOCK_PAYOUT, due_at__lt=now)),
            mean=Avg("pay_workdays", filter=paid),
            on_time=Count("id", filter=paid & Q(paid_at__lte=F("due_at"))),
            synthetic=Count("id", filter=Q(is_synthetic=True)),
        )
    )
    matched = dict(
        matches.filter(is_near=False).values(key).annotate(n=Count("id")).values_list(key, "n")
    )
    names = _chain_names() if by == "chain" else {}
    out: dict[str, PolicyStatsRow] = {}
    for r in rows:
        k = r[key] if r[key] is not None else ""
        out[str(k)] = PolicyStatsRow(
            key=str(k),
            name=names.get(r[name], r[name]) if by == "chain" else (r[name] or "—"),
            matched=matched.get(r[key], 0),
            started=r["started"],
            paid=r["paid"],
            paid_wan=float(r["paid_wan"] or 0),
            overdue=r["overdue"],
            mean_workdays=round(r["mean"], 1) if r["mean"] is not None else None,
            on_time_pct=round(r["on_time"] / r["paid"] * 100, 1) if r["paid"] else None,
            is_synthetic=bool(r["synthetic"]),
        )
    if by != "chain":
        labels = dict(matches.values_list(key, name).distinct()) if matched else {}
    else:
        labels = names
    for k, n in matched.items():
        if str(k if k is not None else "") not in out:
            out[str(k if k is not None else "")] = PolicyStatsRow(
                key=str(k if k is not None else ""),
                name=str(labels.get(k) or k or "—"),
                matched=n,
                started=0,
                paid=0,
                paid_wan=0.0,
                overdue=0,
                mean_workdays=None,
                on_time_pct=None,
                is_synthetic=False,
            )
    return sorted(out.values(), key=lambda r: (-r["paid_wan"], -r["matched"], r["name"]))


class PayoutOverview(TypedDict):
    """The cockpit's headline for policy payouts."""

    policies: int
    started: int
    paid: int
    paid_wan: float
    open: int
    overdue: int
    leader: int
    on_time_pct: float | None
    mean_workdays: float | None
    is_synthetic: bool


def overview(now: dt.datetime | None = None, payouts=None) -> PayoutOverview:
    """Headline figures over every payout, or over `payouts` (a user's scope)."""
    from wulian.core.workdays import WorkdayCalendar

    from .deadlines import leader_cutoff
    from .models import Policy

    now = now or timezone.now()
    paid = Q(status=PayoutStatus.PAID)
    clock = Q(status__in=CLOCK_PAYOUT)
    cutoff = leader_cutoff(WorkdayCalendar(), now)
    payouts = Payout.objects.all() if payouts is None else payouts
    agg = payouts.exclude(status=PayoutStatus.REMOVED).aggregate(
        started=Count("id"),
        paid=Count("id", filter=paid),
        paid_wan=Sum("paid_wan", filter=paid),
        open=Count("id", filter=Q(status__in=[*CLOCK_PAYOUT, PayoutStatus.AWAITING_MATERIAL])),
        overdue=Count("id", filter=clock & Q(due_at__lt=now)),
        leader=Count("id", filter=clock & Q(due_at__lt=cutoff)),
        on_time=Count("id", filter=paid & Q(paid_at__lte=F("due_at"))),
        mean=Avg("pay_workdays", filter=paid),
        synthetic=Count("id", filter=Q(is_synthetic=True)),
    )
    policies = Policy.objects.filter(is_active=True)
    return PayoutOverview(
        policies=policies.count(),
        started=agg["started"],
        paid=agg["paid"],
        paid_wan=float(agg["paid_wan"] or 0),
        open=agg["open"],
        overdue=agg["overdue"],
        leader=agg["leader"],
        on_time_pct=round(agg["on_time"] / agg["paid"] * 100, 1) if agg["paid"] else None,
        mean_workdays=round(agg["mean"], 1) if agg["mean"] is not None else None,
        is_synthetic=bool(agg["synthetic"]) or policies.filter(is_synthetic=True).exists(),
    )
