"""The statistics rollup: what each request contributes, applied as deltas, or rebuilt.

The workflow calls `apply(before, after)` in the same transaction as every change, so the
rollup rows stay exactly equal to a rebuild from the raw requests (a test checks this).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .choices import Dimension, RequestStatus

HIST_CAP = 60  # answer times of 60 working days and more share the last bucket
COUNTERS = (
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
)


@dataclass
class Contribution:
    """One request's share of the rollup rows it belongs to."""

    month: dt.date
    keys: tuple[tuple[str, str], ...]
    counts: dict[str, int]
    answer_days: int | None = None
    extra: dict = field(default_factory=dict)


def month_of(moment: dt.datetime) -> dt.date:
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return moment.date().replace(day=1)


def contribution(
    *,
    submitted_at,
    status,
    department_id,
    category_id,
    region_id,
    link_id,
    answered_at,
    answer_due_at,
    answer_workdays,
    rating,
    closed_by_silence,
    reopen_count,
    **_ignored,
) -> Contribution:
    """What a request with these field values adds to its rollup rows."""
    keys = [(Dimension.ALL.value, "")]
    if department_id:
        keys.append((Dimension.DEPARTMENT.value, str(department_id)))
    keys.append((Dimension.CATEGORY.value, str(category_id)))
    if region_id:
        keys.append((Dimension.REGION.value, str(region_id)))
    if link_id:
        keys.append((Dimension.LINK.value, str(link_id)))
    closed = status == RequestStatus.CLOSED
    on_time = bool(
        closed and answered_at and answer_due_at is not None and answered_at <= answer_due_at
    )
    rated = closed and rating is not None and not closed_by_silence
    answered = answer_workdays is not None
    counts = {
        "total": 1,
        "rejected": int(status == RequestStatus.REJECTED),
        "closed": int(closed),
        "closed_on_time": int(on_time),
        "answered": int(answered),
        "answer_days_sum": answer_workdays or 0,
        "rated": int(rated),
        "rating_sum": rating if rated else 0,
        "silent_closed": int(closed and closed_by_silence),
        "reopened": int(reopen_count > 0),
    }
    return Contribution(
        month=month_of(submitted_at),
        keys=tuple(keys),
        counts=counts,
        answer_days=answer_workdays if answered else None,
    )


def contribution_of(request) -> Contribution:
    return contribution(**{f: getattr(request, f) for f in FIELDS})


FIELDS = (
    "submitted_at",
    "status",
    "department_id",
    "category_id",
    "region_id",
    "link_id",
    "answered_at",
    "answer_due_at",
    "answer_workdays",
    "rating",
    "closed_by_silence",
    "reopen_count",
)


def _bucket(days: int) -> str:
    return str(min(days, HIST_CAP))


def apply(before: Contribution | None, after: Contribution | None) -> None:
    """Move the rollup from `before` to `after` for the rows either touches (locked rows)."""
    from .models import ServiceRollup

    deltas: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    hist: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sign, contrib in ((-1, before), (1, after)):
        if contrib is None:
            continue
        for dim, key in contrib.keys:
            row = (contrib.month, dim, key)
            for name, value in contrib.counts.items():
                deltas[row][name] += sign * value
            if contrib.answer_days is not None:
                hist[row][_bucket(contrib.answer_days)] += sign
    # Rows in one fixed order, so two transactions never wait on each other's locks in turn.
    for row in sorted(deltas):
        delta = deltas[row]
        changes = {k: v for k, v in delta.items() if v}
        hist_changes = {k: v for k, v in hist.get(row, {}).items() if v}
        if not changes and not hist_changes:
            continue
        month, dim, key = row
        ServiceRollup.objects.get_or_create(month=month, dimension=dim, key=key)
        obj = ServiceRollup.objects.select_for_update().get(month=month, dimension=dim, key=key)
        for name, value in changes.items():
            setattr(obj, name, getattr(obj, name) + value)
        if hist_changes:
            merged = dict(obj.answer_hist)
            for bucket, value in hist_changes.items():
                merged[bucket] = merged.get(bucket, 0) + value
                if merged[bucket] == 0:
                    del merged[bucket]
            obj.answer_hist = merged
        obj.save(update_fields=[*changes, *(["answer_hist"] if hist_changes else [])])


def compute_rows(requests_values) -> list:
    """Rollup rows (unsaved) for an iterable of request value dicts."""
    from .models import ServiceRollup

    rows: dict[tuple, ServiceRollup] = {}
    for values in requests_values:
        contrib = contribution(**values)
        for dim, key in contrib.keys:
            ident = (contrib.month, dim, key)
            row = rows.get(ident)
            if row is None:
                row = rows[ident] = ServiceRollup(
                    month=contrib.month, dimension=dim, key=key, answer_hist={}
                )
                for name in COUNTERS:
                    setattr(row, name, 0)
            for name, value in contrib.counts.items():
                setattr(row, name, getattr(row, name) + value)
            if contrib.answer_days is not None:
                bucket = _bucket(contrib.answer_days)
                row.answer_hist[bucket] = row.answer_hist.get(bucket, 0) + 1
    return list(rows.values())


def rebuild() -> int:
    """Recompute every rollup row from the requests (the command and the demo use this)."""
    from .models import ServiceRequest, ServiceRollup

    values = ServiceRequest.objects.values(*FIELDS).iterator(chunk_size=5000)
    rows = compute_rows(values)
    with transaction.atomic():
        ServiceRollup.objects.all().delete()
        ServiceRollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
