"""What the registry says about every enterprise, loaded once for the fields conditions test.

`load_facts(fields)` answers, per field, {enterprise id: value}: the registry's own columns,
the chains an enterprise is on (any link, 主营 or 配套), its current tags, its latest 亩均
grade, aggregates of its monthly reports over the last 12 months against the 12 before, and
what policies paid it this year. One query per group of fields, whatever the number of
policies, so matching every policy against the whole registry stays one pass over memory.
A value the registry does not have is absent (None): it never satisfies a condition.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from wulian.chains.models import EnterpriseLink
from wulian.enterprises.models import Enterprise, EnterpriseMonth, EnterpriseTag
from wulian.enterprises.mujun import latest_year, mujun_grades

REGISTRY_COLUMNS = {
    "region": "region_id",
    "main_chain": "chain_code",
    "is_above_scale": "is_above_scale",
    "is_listed": "is_listed",
    "employees": "employees",
    "output_wan": "output_wan",
    "tax_wan": "tax_wan",
    "land_area_mu": "land_area_mu",
    "founded_years": "founded_on",
}
MONTH_METRICS = {"output": "output_wan", "revenue": "revenue_wan", "tax": "tax_wan", "rd": "rd_wan"}


@dataclass
class Facts:
    """Values by field and enterprise id, and what they refer to (亩均 year, month window)."""

    ids: list[int]
    values: dict[str, dict[int, Any]] = field(default_factory=dict)
    mujun_year: int | None = None
    window: tuple[dt.date, dt.date] | None = None
    today: dt.date = field(default_factory=timezone.localdate)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # value labels, per field

    def get(self, name: str, pk: int) -> Any:
        return self.values.get(name, {}).get(pk)


def add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _years_since(start: dt.date | None, today: dt.date) -> int | None:
    if start is None:
        return None
    years = today.year - start.year
    if (today.month, today.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def _registry(facts: Facts, names: set[str], qs) -> None:
    wanted = [n for n in REGISTRY_COLUMNS if n in names]
    columns = ["id", *(REGISTRY_COLUMNS[n] for n in wanted)]
    stores = {n: facts.values.setdefault(n, {}) for n in wanted}
    for row in qs.values_list(*columns):
        pk = row[0]
        for name, value in zip(wanted, row[1:], strict=True):
            if name == "founded_years":
                value = _years_since(value, facts.today)
            elif value is not None and name in ("output_wan", "tax_wan", "land_area_mu"):
                value = float(value)
            stores[name][pk] = value


def _sets(facts: Facts, name: str, pairs: Iterable[tuple[int, str]]) -> None:
    store: dict[int, set] = defaultdict(set)
    for pk, value in pairs:
        store[pk].add(value)
    facts.values[name] = {pk: frozenset(store.get(pk, ())) for pk in facts.ids}


def _months(facts: Facts, names: set[str], ids: list[int] | None) -> None:
    from django.db.models import Max

    last = EnterpriseMonth.objects.aggregate(last=Max("month"))["last"]
    for name in names:
        facts.values[name] = {}
    if last is None:
        return
    first = add_months(last, -11)
    facts.window = (first, last)
    qs = EnterpriseMonth.objects.filter(month__gte=add_months(last, -23), month__lte=last)
    if ids is not None:
        qs = qs.filter(enterprise_id__in=ids)
    now_q, before_q = Q(month__gte=first), Q(month__lt=first)
    aggregates = {"n_now": Count("id", filter=now_q), "n_before": Count("id", filter=before_q)}
    for key, column in MONTH_METRICS.items():
        aggregates[f"{key}_now"] = Sum(column, filter=now_q)
        aggregates[f"{key}_before"] = Sum(column, filter=before_q)
    for row in qs.values("enterprise_id").annotate(**aggregates):
        pk = row["enterprise_id"]
        comparable = row["n_now"] and row["n_now"] == row["n_before"]
        for key in MONTH_METRICS:
            now, before = row[f"{key}_now"], row[f"{key}_before"]
            if f"months.{key}_sum" in names and row["n_now"] and now is not None:
                facts.values[f"months.{key}_sum"][pk] = float(now)
            if f"months.{key}_yoy" in names and comparable and now is not None and before:
                yoy = (float(now) - float(before)) / float(before) * 100
                facts.values[f"months.{key}_yoy"][pk] = round(yoy, 1)
        if "months.rd_ratio" in names and row["revenue_now"] and row["rd_now"] is not None:
            ratio = float(row["rd_now"]) / float(row["revenue_now"]) * 100
            facts.values["months.rd_ratio"][pk] = round(ratio, 2)


def _paid(facts: Facts, ids: list[int] | None) -> None:
    from .choices import PayoutStatus
    from .models import Payout

    qs = Payout.objects.filter(status=PayoutStatus.PAID, paid_at__year=facts.today.year)
    if ids is not None:
        qs = qs.filter(enterprise_id__in=ids)
    paid = dict(
        qs.values("enterprise_id").annotate(s=Sum("paid_wan")).values_list("enterprise_id", "s")
    )
    facts.values["history.paid_wan"] = {pk: float(paid.get(pk) or 0) for pk in facts.ids}


def load_facts(names: Iterable[str], enterprise_ids: Iterable[int] | None = None) -> Facts:
    """The values of the named fields for every enterprise (or only `enterprise_ids`)."""
    names = set(names)
    ids = None if enterprise_ids is None else list(enterprise_ids)
    qs = Enterprise.objects.all() if ids is None else Enterprise.objects.filter(pk__in=ids)
    facts = Facts(ids=[])
    _registry(facts, names, qs)
    facts.ids = list(qs.values_list("id", flat=True)) if ids is None else ids
    if "chain" in names:
        links = EnterpriseLink.objects.all()
        if ids is not None:
            links = links.filter(enterprise_id__in=ids)
        _sets(facts, "chain", links.values_list("enterprise_id", "link__chain__code"))
    if "tag" in names:
        tags = EnterpriseTag.objects.current(facts.today)
        if ids is not None:
            tags = tags.filter(enterprise_id__in=ids)
        _sets(facts, "tag", tags.values_list("enterprise_id", "kind"))
    if "mujun_grade" in names:
        facts.mujun_year = latest_year()
        grades = mujun_grades(facts.mujun_year) if facts.mujun_year else {}
        if ids is not None:
            grades = {pk: grades[pk] for pk in ids if pk in grades}
        facts.values["mujun_grade"] = grades
    month_names = {n for n in names if n.startswith("months.")}
    if month_names:
        _months(facts, month_names, ids)
    if "history.paid_wan" in names:
        _paid(facts, ids)
    return facts
