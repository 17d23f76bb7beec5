"""Statistics for 企呼我应, read from the rollup table plus the (indexed) open-and-late rows.

The rollup holds everything that only changes when a request changes. Being overdue changes
with the clock, so "open and overdue" is counted live over open requests only (an index on
status and due date), never over the whole history. Other apps call `overview()`,
`link_service_summary()` and `overdue_requests()`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count
from django.utils import timezone

from wulian.core.models import Department, Region

from .choices import Dimension, Escalation
from .deadlines import ServiceCalendar, clock_for
from .models import ServiceCategory, ServiceRequest, ServiceRollup

DIMENSION_FIELD = {
    Dimension.DEPARTMENT: "department_id",
    Dimension.CATEGORY: "category_id",
    Dimension.REGION: "region_id",
    Dimension.LINK: "link_id",
}


class ServiceOverview(TypedDict):
    """The city's headline figures. Rates are shares from 0 to 1 (None with nothing to count);
    satisfaction is a mean rating from 1 to 5."""

    total: int
    open: int
    overdue: int
    closed: int
    closed_rate: float | None
    on_time_rate: float | None
    satisfaction: float | None
    mean_answer_days: float | None
    p90_answer_days: int | None
    reopen_rate: float | None
    escalated_to_leader: int
    is_synthetic: bool  # any request counted is synthetic (the figures are then synthetic)


class LinkServiceSummary(TypedDict):
    """Requests about one chain link over all time; `on_time` counts closures on time."""

    total: int
    closed: int
    on_time: int
    satisfaction: float | None


class OverdueRequest(TypedDict):
    """One open request past its deadline, as a meeting agenda lists it."""

    id: int
    title: str
    enterprise: str
    category: str
    department: str
    due_at: dt.datetime
    overdue_workdays: int
    escalation: int
    escalation_label: str
    url: str


@dataclass
class StatRow:
    """Counts for one group, and the rates the pages show."""

    key: str
    label: str = ""
    total: int = 0
    rejected: int = 0
    closed: int = 0
    closed_on_time: int = 0
    open_overdue: int = 0
    answered: int = 0
    answer_days_sum: int = 0
    rated: int = 0
    rating_sum: int = 0
    silent_closed: int = 0
    reopened: int = 0
    hist: dict | None = None

    def add(self, row: ServiceRollup) -> None:
        for name in (
            "total",
            "rejected",
            "closed",
            "closed_on_time",
            "answered",
            "answer_days_sum",
            "rated",
            "rating_sum",
            "silent_closed",
            "reopened",
        ):
            setattr(self, name, getattr(self, name) + getattr(row, name))
        if self.hist is None:
            self.hist = {}
        for bucket, count in (row.answer_hist or {}).items():
            self.hist[bucket] = self.hist.get(bucket, 0) + count

    @property
    def closed_rate(self) -> float | None:
        """办结率: closed ÷ requests taken on (不予受理 excluded)."""
        base = self.total - self.rejected
        return self.closed / base if base else None

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: closed on time ÷ (closed + open and overdue)."""
        base = self.closed + self.open_overdue
        return self.closed_on_time / base if base else None

    @property
    def mean_answer_days(self) -> float | None:
        return self.answer_days_sum / self.answered if self.answered else None

    @property
    def p90_answer_days(self) -> int | None:
        if not self.answered or not self.hist:
            return None
        threshold = 0.9 * self.answered
        running = 0
        for bucket in sorted(self.hist, key=int):
            running += self.hist[bucket]
            if running >= threshold:
                return int(bucket)
        return int(max(self.hist, key=int))

    @property
    def satisfaction(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.answered if self.answered else None


def period(year: int | None = None, month: dt.date | None = None):
    """(first month, last month) of a year or a single month; None for all time."""
    if month:
        first = month.replace(day=1)
        return first, first
    if year:
        return dt.date(year, 1, 1), dt.date(year, 12, 1)
    return None


def _month_range(span) -> dict:
    if span is None:
        return {}
    return {"month__gte": span[0], "month__lte": span[1]}


def _submitted_in(qs, span):
    if span is None:
        return qs
    tz = timezone.get_current_timezone()
    last = span[1]
    after = (
        last.replace(year=last.year + 1, month=1)
        if last.month == 12
        else (last.replace(month=last.month + 1))
    )
    return qs.filter(
        submitted_at__gte=dt.datetime.combine(span[0], dt.time.min, tzinfo=tz),
        submitted_at__lt=dt.datetime.combine(after, dt.time.min, tzinfo=tz),
    )


def _open_overdue(field: str | None, span, now: dt.datetime) -> dict[str, int]:
    qs = _submitted_in(ServiceRequest.objects.overdue(now), span)
    if field is None:
        return {"": qs.count()}
    return {
        str(row[field]): row["n"]
        for row in qs.values(field).order_by().annotate(n=Count("id"))
        if row[field] is not None
    }


def months_available() -> list[dt.date]:
    """The months that have requests, newest first (for the statistics page's selector)."""
    return list(
        ServiceRollup.objects.filter(dimension=Dimension.ALL, total__gt=0)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def labels(dimension: str) -> dict[str, str]:
    if dimension == Dimension.DEPARTMENT:
        return {str(k): v for k, v in Department.objects.values_list("id", "name")}
    if dimension == Dimension.CATEGORY:
        return {str(k): v for k, v in ServiceCategory.objects.values_list("id", "name")}
    if dimension == Dimension.REGION:
        return {str(k): v for k, v in Region.objects.values_list("code", "name")}
    if dimension == Dimension.LINK:
        from wulian.chains.models import Link

        return {
            str(pk): f"{chain}·{name}"
            for pk, name, chain in Link.objects.values_list("id", "name", "chain__name")
        }
    return {"": "全市"}


def table(
    dimension: str = Dimension.DEPARTMENT,
    *,
    year: int | None = None,
    month: dt.date | None = None,
    now: dt.datetime | None = None,
    keys: set[str] | None = None,
) -> list[StatRow]:
    """One StatRow per group of `dimension` over a month, a year or all time (by submission),
    most requests first."""
    now = now or timezone.now()
    span = period(year, month)
    rows: dict[str, StatRow] = {}
    qs = ServiceRollup.objects.filter(dimension=dimension, **_month_range(span))
    if keys is not None:
        qs = qs.filter(key__in=keys)
    for rollup_row in qs:
        rows.setdefault(rollup_row.key, StatRow(key=rollup_row.key)).add(rollup_row)
    field = DIMENSION_FIELD.get(dimension)
    for key, n in _open_overdue(field, span, now).items():
        if keys is not None and key not in keys:
            continue
        rows.setdefault(key, StatRow(key=key)).open_overdue = n
    names = labels(dimension)
    for key, row in rows.items():
        row.label = names.get(key, key)
    return sorted(rows.values(), key=lambda r: (-r.total, r.label))


def league(*, year: int | None = None, now: dt.datetime | None = None) -> list[StatRow]:
    """Departments ranked: on-time rate, then satisfaction, then fewest reopens."""
    rows = [r for r in table(Dimension.DEPARTMENT, year=year, now=now) if r.total]
    return sorted(
        rows,
        key=lambda r: (
            -(r.on_time_rate or 0),
            -(r.satisfaction or 0),
            r.reopen_rate or 0,
            r.label,
        ),
    )


def monthly(*, year: int | None = None, now: dt.datetime | None = None) -> list[tuple]:
    """(month, StatRow) for the whole city, month by month (open-overdue by submission month)."""
    now = now or timezone.now()
    by_month: dict[dt.date, StatRow] = {}
    span = period(year)
    for row in ServiceRollup.objects.filter(dimension=Dimension.ALL, **_month_range(span)):
        by_month.setdefault(row.month, StatRow(key=f"{row.month:%Y-%m}")).add(row)
    overdue = _submitted_in(ServiceRequest.objects.overdue(now), span).values_list(
        "submitted_at", flat=True
    )
    counts: dict[dt.date, int] = defaultdict(int)
    for submitted in overdue.iterator():
        counts[timezone.localtime(submitted).date().replace(day=1)] += 1
    for month, n in counts.items():
        by_month.setdefault(month, StatRow(key=f"{month:%Y-%m}")).open_overdue = n
    return sorted(by_month.items())


def overview(*, now: dt.datetime | None = None) -> ServiceOverview:
    """Headline figures for the whole city (the cockpit and the leader's page)."""
    now = now or timezone.now()
    total = StatRow(key="")
    for row in ServiceRollup.objects.filter(dimension=Dimension.ALL):
        total.add(row)
    total.open_overdue = ServiceRequest.objects.overdue(now).count()
    return {
        "total": total.total,
        "open": ServiceRequest.objects.open().count(),
        "overdue": total.open_overdue,
        "closed": total.closed,
        "closed_rate": total.closed_rate,
        "on_time_rate": total.on_time_rate,
        "satisfaction": total.satisfaction,
        "mean_answer_days": total.mean_answer_days,
        "p90_answer_days": total.p90_answer_days,
        "reopen_rate": total.reopen_rate,
        "escalated_to_leader": ServiceRequest.objects.escalated(Escalation.LEADER, now=now).count(),
        "is_synthetic": ServiceRequest.objects.filter(is_synthetic=True).exists(),
    }


def row_overview(rows: list[StatRow]) -> dict:
    """overview()-shaped figures for a set of rows (a department's own view)."""
    total = StatRow(key="")
    for row in rows:
        for name in (
            "total",
            "rejected",
            "closed",
            "closed_on_time",
            "open_overdue",
            "answered",
            "answer_days_sum",
            "rated",
            "rating_sum",
            "reopened",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for bucket, count in (row.hist or {}).items():
            total.hist = total.hist or {}
            total.hist[bucket] = total.hist.get(bucket, 0) + count
    return {
        "total": total.total,
        "overdue": total.open_overdue,
        "closed": total.closed,
        "closed_rate": total.closed_rate,
        "on_time_rate": total.on_time_rate,
        "satisfaction": total.satisfaction,
        "mean_answer_days": total.mean_answer_days,
        "p90_answer_days": total.p90_answer_days,
        "reopen_rate": total.reopen_rate,
    }


def link_service_summary() -> dict[int, LinkServiceSummary]:
    """Per chain Link id with requests: their counts over all time (links without requests are
    absent)."""
    result: dict[int, StatRow] = {}
    for row in ServiceRollup.objects.filter(dimension=Dimension.LINK):
        result.setdefault(int(row.key), StatRow(key=row.key)).add(row)
    return {
        link_id: {
            "total": r.total,
            "closed": r.closed,
            "on_time": r.closed_on_time,
            "satisfaction": r.satisfaction,
        }
        for link_id, r in result.items()
    }


def overdue_requests(
    limit: int = 20, *, user=None, now: dt.datetime | None = None
) -> list[OverdueRequest]:
    """The most overdue open requests (for meeting agendas), with their escalation level
    (0–3). Scoped to `user` when given."""
    now = now or timezone.now()
    qs = ServiceRequest.objects.all()
    if user is not None:
        qs = qs.visible_to(user)
    qs = qs.overdue(now).for_list().order_by("due_at", "id")[:limit]
    cal = ServiceCalendar()
    items: list[OverdueRequest] = []
    for request in qs:
        clock = clock_for(request, cal, now)
        items.append(
            {
                "id": request.pk,
                "title": request.title,
                "enterprise": request.enterprise.name,
                "category": request.category.name,
                "department": request.department.name if request.department else "",
                "due_at": request.due_at,
                "overdue_workdays": clock.overdue_workdays,
                "escalation": int(clock.escalation),
                "escalation_label": str(clock.escalation.label),
                "url": request.get_absolute_url(),
            }
        )
    return items


def parse_year(value: str) -> int | None:
    """A year from a query string; anything that is not a plausible year means "all years"."""
    value = (value or "").strip()
    if value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2100:
        return int(value)
    return None
