"""Filters for the account list, shared by its page and its API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Role
from wulian.core.models import User


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("用户名或姓名"), method="search")
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices)
    department = django_filters.CharFilter(label=_("部门代码"), field_name="department__code")
    region = django_filters.CharFilter(label=_("区县代码"), field_name="region_id")
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = User
        fields = ["q", "role", "department", "region", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))
