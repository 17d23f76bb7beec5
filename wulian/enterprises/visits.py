"""Visits to enterprises (走访记录): recording a visit, planning one as a task."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction

from .models import Enterprise, Visit
from .permissions import may_visit


def can_visit(user, enterprise: Enterprise) -> bool:
    """Government users who may see the enterprise may log visits to it."""
    if not may_visit(user):
        return False
    return Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()


@transaction.atomic
def record_visit(
    *,
    actor,
    enterprise: Enterprise,
    visited_on: dt.date,
    purpose: str = "",
    notes: str = "",
    follow_up: str = "",
    visitor_name: str = "",
    visit: Visit | None = None,
) -> Visit:
    """Log a visit (or complete a planned one); the actor is the visitor unless named."""
    if not can_visit(actor, enterprise):
        raise PermissionDenied(_("您不能为该企业登记走访。"))
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("走访日期不能晚于今天。")})
    if visit is not None and visit.enterprise_id != enterprise.pk:
        raise ValidationError(_("走访任务不属于该企业。"))
    before = audit.snapshot(visit) if visit is not None else None
    visit = visit or Visit(enterprise=enterprise, created_by=actor)
    visit.visited_on = visited_on
    visit.visitor = visit.visitor or actor
    visit.visitor_name = (visitor_name or visit.visitor_name or str(actor))[:60]
    visit.department = visit.department or actor.department
    visit.purpose = (purpose or visit.purpose)[:200]
    visit.notes = notes
    visit.follow_up = follow_up
    visit.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=visit,
        before=before,
        after=audit.snapshot(visit),
        note=_("走访记录"),
    )
    return visit


@transaction.atomic
def plan_visit(
    *, actor, enterprise: Enterprise, planned_for: dt.date, purpose: str, visitor=None
) -> Visit:
    """A visit task: who should go, by when, why (e.g. from an early-warning flag)."""
    if not can_visit(actor, enterprise):
        raise PermissionDenied(_("您不能为该企业安排走访。"))
    visitor = visitor or actor
    visit = Visit.objects.create(
        enterprise=enterprise,
        planned_for=planned_for,
        visitor=visitor,
        visitor_name=str(visitor)[:60],
        department=visitor.department,
        purpose=purpose[:200],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=visit,
        after=audit.snapshot(visit),
        note=_("安排走访"),
    )
    return visit
