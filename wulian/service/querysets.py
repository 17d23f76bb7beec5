"""Read paths for service requests; `visible_to` is the one place that scopes them by role."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from wulian.core.choices import Role

from .permissions import is_dispatcher, sees_every_request


class ServiceRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ServiceRequestQuerySet:
        """Requests the user may see.

        Leaders (and superusers) and the dispatching department (营商办) see all; other
        department staff see what is routed to their department; county staff their county;
        chain offices the requests on their chain's links; an enterprise user only the
        requests of the enterprises their account belongs to. Anyone else sees nothing.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_every_request(user):
            return self
        if user.role == Role.DEPARTMENT:
            if not user.department_id:
                return self.none()
            if is_dispatcher(user):
                return self
            return self.filter(department_id=user.department_id)
        if user.role == Role.COUNTY:
            return self.filter(region_id=user.region_id) if user.region_id else self.none()
        if user.role == Role.CHAIN:
            if not user.chain_code:
                return self.none()
            return self.filter(link__chain__code=user.chain_code)
        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise__accounts=user)
        return self.none()

    def open(self) -> ServiceRequestQuerySet:
        from .choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def on_the_clock(self) -> ServiceRequestQuerySet:
        """Open requests whose deadline belongs to the government side (not paused/answered)."""
        from .deadlines import CLOCK_STATUSES

        return self.filter(status__in=CLOCK_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> ServiceRequestQuerySet:
        return self.on_the_clock().filter(due_at__lt=now or timezone.now())

    def escalated(self, level: int, *, calendar=None, now=None) -> ServiceRequestQuerySet:
        """Overdue requests that have escalated to at least `level` (choices.Escalation)."""
        from .deadlines import ServiceCalendar, escalation_steps, overdue_cutoff

        now = now or timezone.now()
        days = dict((int(step), d) for d, step in escalation_steps()).get(int(level), 0)
        cutoff = overdue_cutoff(calendar or ServiceCalendar(), now, days)
        return self.on_the_clock().filter(due_at__lt=min(cutoff, now))

    def for_list(self) -> ServiceRequestQuerySet:
        return self.select_related("category", "enterprise", "department", "region")
