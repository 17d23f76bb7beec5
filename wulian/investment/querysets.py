"""Read paths for projects; `visible_to` is the one place that scopes them by role."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, DecimalField, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from wulian.core.choices import Role

from .permissions import sees_every_project


def stalled_days() -> int:
    """Days without a stage change after which a project counts as stalled (the setting
    INVESTMENT_STALLED_DAYS, read from the environment, 90 by default)."""
    return settings.INVESTMENT_STALLED_DAYS


def stalled_cutoff(days: int | None = None, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today - dt.timedelta(days=stalled_days() if days is None else days)


def _final_stages():
    from .choices import FINAL_STAGES

    return FINAL_STAGES


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectQuerySet":
        """Projects the user may see.

        Leaders (and superusers) see all; department staff the projects their department
        leads; chain users the projects touching their chain's links; county staff their
        county's projects; enterprise users and anyone else nothing.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_every_project(user):
            return self
        if user.role == Role.DEPARTMENT:
            if not user.department_id:
                return self.none()
            return self.filter(lead_department_id=user.department_id)
        if user.role == Role.CHAIN:
            if not user.chain_code:
                return self.none()
            # A subquery, not a join, so a project on two links of the chain appears once.
            through = self.model.links.through
            ids = through.objects.filter(link__chain__code=user.chain_code).values("project_id")
            return self.filter(pk__in=Subquery(ids))
        if user.role == Role.COUNTY:
            return self.filter(region_id=user.region_id) if user.region_id else self.none()
        return self.none()

    def active(self) -> "ProjectQuerySet":
        """Not lost."""
        return self.exclude(stage="lost")

    def stalled(self, days: int | None = None, today: dt.date | None = None):
        """Still in the pipeline and not moved since the cutoff (derived, never stored)."""
        return self.exclude(stage__in=_final_stages()).filter(
            stage_entered_on__lt=stalled_cutoff(days, today)
        )

    def with_flags(self, days: int | None = None, today: dt.date | None = None):
        """Annotate `is_stalled` and `completed_wan` (sum of monthly completed investment)."""
        cutoff = stalled_cutoff(days, today)
        from .models import MonthlyInvestment

        completed = (
            MonthlyInvestment.objects.filter(project=models.OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(total=Sum("amount_wan"))
            .values("total")
        )
        return self.annotate(
            is_stalled=Case(
                When(
                    Q(stage_entered_on__lt=cutoff) & ~Q(stage__in=_final_stages()),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            completed_wan=Coalesce(
                Subquery(completed, output_field=DecimalField(max_digits=16, decimal_places=2)),
                Value(0, output_field=DecimalField(max_digits=16, decimal_places=2)),
            ),
        )

    def search(self, text: str) -> "ProjectQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(investor_name__icontains=text)
            | Q(investor__name__icontains=text)
        )
