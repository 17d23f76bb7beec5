"""One FilterSet for service requests, shared by the pages, the export and the API."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from wulian.core.models import CITY_CODE
from wulian.enterprises.models import Enterprise

from .choices import OPEN_STATUSES, Escalation, RequestStatus
from .deadlines import CLOCK_STATUSES
from .models import ServiceRequest


class ServiceRequestFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("标题、企业或编号"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("未办结")), *RequestStatus.choices],
        method="filter_status",
    )
    category = django_filters.CharFilter(label=_("类别代码"), field_name="category__code")
    department = django_filters.CharFilter(label=_("承办部门代码"), field_name="department__code")
    region = django_filters.CharFilter(label=_("区县（行政区划代码）"), method="filter_region")
    chain = django_filters.CharFilter(label=_("产业链代码"), field_name="link__chain__code")
    overdue = django_filters.BooleanFilter(label=_("已超期"), method="filter_overdue")
    due = django_filters.ChoiceFilter(
        label=_("期限"),
        choices=[("today", _("今日到期")), ("3d", _("3 天内到期")), ("7d", _("7 天内到期"))],
        method="filter_due",
    )
    escalation = django_filters.TypedChoiceFilter(
        label=_("升级层级（至少）"),
        choices=Escalation.choices,
        coerce=int,
        method="filter_escalation",
    )

    class Meta:
        model = ServiceRequest
        fields = ["q", "status", "category", "department", "region", "chain", "overdue"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.lstrip("#").isdigit():
            return queryset.filter(pk=int(value.lstrip("#")))
        # Title and enterprise name only: a scan of the long description text on every
        # keystroke is what made search slow at 100,000 requests (bench/service.py).
        # The enterprise side as a subquery: the join per request row cost twice as much.
        enterprises = Enterprise.objects.filter(name__icontains=value).values("id")
        return queryset.filter(Q(title__icontains=value) | Q(enterprise_id__in=enterprises))

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_region(self, queryset, name, value):
        if not value or value == CITY_CODE:
            return queryset
        return queryset.filter(region_id=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.overdue()
        return queryset.exclude(status__in=CLOCK_STATUSES, due_at__lt=timezone.now())

    def filter_due(self, queryset, name, value):
        """On the clock and not yet overdue, due by the end of today or within 3 or 7 days."""
        now = timezone.now()
        days = {"today": 0, "3d": 3, "7d": 7}.get(value)
        if days is None:
            return queryset
        end_day = timezone.localdate() + dt.timedelta(days=days)
        end = timezone.make_aware(dt.datetime.combine(end_day, dt.time.max))
        return queryset.filter(status__in=CLOCK_STATUSES, due_at__gte=now, due_at__lte=end)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_escalation(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.escalated(int(value))
