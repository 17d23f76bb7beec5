"""One FilterSet for projects, shared by the table page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from wulian.core.models import CITY_CODE

from .choices import ProjectStage
from .models import Project

# Ids are 64-bit: anything larger is refused as bad input, not sent to the database.
ID_MAX = 2**63 - 1


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("项目或投资方名称"), method="filter_q")
    stage = django_filters.ChoiceFilter(label=_("阶段"), choices=ProjectStage.choices)
    region = django_filters.CharFilter(
        label=_("区县（行政区划代码，默认全市）"), method="filter_region"
    )
    chain = django_filters.CharFilter(label=_("产业链代码"), method="filter_chain")
    link = django_filters.NumberFilter(
        label=_("环节ID"), min_value=1, max_value=ID_MAX, method="filter_link"
    )
    lead_department = django_filters.CharFilter(
        label=_("牵头部门代码"), field_name="lead_department__code"
    )
    is_major = django_filters.BooleanFilter(label=_("百亿级项目"))
    stalled = django_filters.BooleanFilter(label=_("停滞"), method="filter_stalled")
    is_synthetic = django_filters.BooleanFilter(label=_("合成数据"))

    class Meta:
        model = Project
        fields = ["q", "stage", "region", "chain", "link", "lead_department", "is_major"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        if not value or value == CITY_CODE:
            return queryset
        return queryset.filter(region_id=value)

    def filter_chain(self, queryset, name, value):
        through = Project.links.through
        ids = through.objects.filter(link__chain__code=value).values("project_id")
        return queryset.filter(pk__in=ids)

    def filter_link(self, queryset, name, value):
        through = Project.links.through
        return queryset.filter(pk__in=through.objects.filter(link_id=value).values("project_id"))

    def filter_stalled(self, queryset, name, value):
        stalled = queryset.stalled().values("pk")
        return queryset.filter(pk__in=stalled) if value else queryset.exclude(pk__in=stalled)
