"""When the working calendar changes, the deadlines of open requests move with it.

A deadline was set at some moment as "n working days later"; the calendar change must not
change n. Each open request's deadlines are moved so that the number of working days between
the last step of its loop (its latest event, or its submission) and the deadline is the same
under the new calendar as it was under the old one, at the same time of day. Closed requests
never change. Every moved request is audited.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.workdays import WorkdayCalendar, local

from .models import ServiceEvent, ServiceRequest

FIELDS = ("due_at", "answer_due_at")


def _moved(
    due: dt.datetime, anchor: dt.date, before: WorkdayCalendar, after: WorkdayCalendar
) -> dt.datetime:
    due_local = local(due)
    if due_local.date() <= anchor:
        return due
    count = before.workdays_between(anchor, due_local.date())
    target = after.nth_workday_after(anchor, count) if count > 0 else due_local.date()
    return due_local + dt.timedelta(days=(target - due_local.date()).days)


def move_open_deadlines(
    *, actor, before: WorkdayCalendar, after: WorkdayCalendar, dates: set[dt.date]
) -> int:
    """Recompute the deadlines of open requests that reach past the earliest changed date."""
    if not dates:
        return 0
    first = min(dates)
    earliest = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC) - dt.timedelta(days=1)
    requests = list(
        ServiceRequest.objects.open()
        .filter(Q(due_at__gte=earliest) | Q(answer_due_at__gte=earliest))
        .only("id", "title", "submitted_at", *FIELDS)
    )
    if not requests:
        return 0
    last_step = dict(
        ServiceEvent.objects.filter(request__in=[r.pk for r in requests])
        .values("request")
        .annotate(at=Max("at"))
        .values_list("request", "at")
    )
    changed = []
    for request in requests:
        anchor = local(last_step.get(request.pk) or request.submitted_at).date()
        old = {f: getattr(request, f) for f in FIELDS}
        new = {f: _moved(v, anchor, before, after) if v else v for f, v in old.items()}
        if new != old:
            for field, value in new.items():
                setattr(request, field, value)
            changed.append((request, old, new))
    if changed:
        ServiceRequest.objects.bulk_update([r for r, _o, _n in changed], list(FIELDS))
        audit.record_many(
            actor=actor,
            changes=[
                (AuditAction.UPDATE, r, audit.plain_values(o), audit.plain_values(n))
                for r, o, n in changed
            ],
            note=_("工作日历调整，期限重算"),
        )
    return len(changed)
