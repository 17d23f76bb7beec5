"""Filters for the audit log, shared by its page and its API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction
from .models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    model = django_filters.CharFilter(label=_("对象类型"), lookup_expr="exact")
    action = django_filters.ChoiceFilter(label=_("操作"), choices=AuditAction.choices)
    actor = django_filters.CharFilter(label=_("操作人"), field_name="actor__username")
    object_id = django_filters.CharFilter(label=_("对象ID"))
    q = django_filters.CharFilter(
        label=_("对象名称"), field_name="object_repr", lookup_expr="icontains"
    )
    since = django_filters.DateFilter(label=_("起始日期"), field_name="at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("截止日期"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["model", "action", "actor", "object_id", "q", "since", "until"]
