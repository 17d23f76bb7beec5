"""Read paths for tasks and meetings; `visible_to` is the one place that scopes them."""

import datetime as dt

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from wulian.core.choices import Role

from .permissions import is_leader, sees_every_meeting


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TaskQuerySet":
        """Leaders see every task; department staff their department's (lead or co-department);
        chain users the tasks decided at their chain's meetings; others none."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_leader(user):
            return self
        if user.role == Role.DEPARTMENT and user.department_id:
            co = self.model.co_departments.through.objects.filter(
                department_id=user.department_id
            ).values("task_id")
            return self.filter(Q(lead_department_id=user.department_id) | Q(pk__in=co))
        if user.role == Role.CHAIN and user.chain_code:
            return self.filter(source_meeting__series__chain_code=user.chain_code)
        return self.none()

    def open(self) -> "TaskQuerySet":
        return self.filter(status="open")

    def with_progress(self, today: dt.date | None = None) -> "TaskQuerySet":
        """Annotate what RAG needs: last report date and progress, milestone counts."""
        from .models import Milestone, ProgressReport
        from .rag import SOON_DAYS

        today = today or timezone.localdate()
        latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-reported_on", "-id")
        pending = Milestone.objects.filter(task=OuterRef("pk"), done_on__isnull=True)
        overdue = (
            pending.filter(due_on__lt=today)
            .order_by()
            .values("task")
            .annotate(n=Count("id"))
            .values("n")
        )
        soon = (
            pending.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=SOON_DAYS))
            .order_by()
            .values("task")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.annotate(
            last_report_on=Subquery(latest.values("reported_on")[:1]),
            last_progress=Subquery(latest.values("progress_pct")[:1]),
            last_escalated=Subquery(latest.values("escalate")[:1]),
            overdue_milestones=models.functions.Coalesce(Subquery(overdue), 0),
            milestones_due_soon=models.functions.Coalesce(Subquery(soon), 0),
        )


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Leaders and departments see every meeting; chain users the city meetings and their
        own chain's; county staff the city meetings; enterprises none."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_every_meeting(user):
            return self
        if user.role == Role.CHAIN:
            return self.filter(Q(series__chain_code="") | Q(series__chain_code=user.chain_code))
        if user.role == Role.COUNTY:
            return self.filter(series__chain_code="")
        return self.none()


def _refs(prefix: str, queryset) -> models.QuerySet:
    """`prefix` + id of each row, as stored in AgendaItem.ref ("task:12")."""
    return queryset.annotate(
        agenda_ref=Concat(Value(prefix), Cast("pk", models.CharField()))
    ).values("agenda_ref")


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgendaItemQuerySet":
        """Agenda lines whose subject the user may see where it lives: a task, its progress
        report or the decision that became it through `Task.visible_to`, a 企呼我应 request
        and a project through their own scopes; topics added by hand (no subject) by everyone
        who sees the meeting. A line about anything else is hidden."""
        from wulian.investment.models import Project
        from wulian.service.models import ServiceRequest

        from .models import Decision, ProgressReport, Task

        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_leader(user):
            return self
        tasks = Task.objects.visible_to(user).values("pk")
        return self.filter(
            Q(ref="")
            | Q(ref__in=_refs("task:", Task.objects.filter(pk__in=tasks)))
            | Q(ref__in=_refs("report:", ProgressReport.objects.filter(task__in=tasks)))
            | Q(
                ref__in=_refs(
                    "decision:",
                    Decision.objects.filter(Q(task__isnull=True) | Q(task__in=tasks)),
                )
            )
            | Q(ref__in=_refs("request:", ServiceRequest.objects.visible_to(user)))
            | Q(ref__in=_refs("project:", Project.objects.visible_to(user)))
        )
