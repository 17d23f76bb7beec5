"""One FilterSet for enterprises, shared by the list page, the export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from wulian.core.models import CITY_CODE, Region

from .models import Enterprise


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    region = django_filters.CharFilter(
        label=_("区县（行政区划代码，默认全市）"), method="filter_region"
    )
    is_above_scale = django_filters.BooleanFilter(label=_("规上企业"))
    is_listed = django_filters.BooleanFilter(label=_("上市企业"))
    industry_code = django_filters.CharFilter(label=_("行业代码前缀"), lookup_expr="startswith")
    is_synthetic = django_filters.BooleanFilter(label=_("合成数据"))

    class Meta:
        model = Enterprise
        fields = ["q", "region", "is_above_scale", "is_listed", "industry_code", "is_synthetic"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    @staticmethod
    def county_choices():
        return list(Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name"))
