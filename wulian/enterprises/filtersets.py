"""One FilterSet for enterprises, shared by the list page, the export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from wulian.core.models import CITY_CODE, Region

from .choices import MujunGrade, TagKind
from .models import Enterprise, EnterpriseMonth, EnterpriseTag, MujunResult


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    region = django_filters.CharFilter(
        label=_("区县（行政区划代码，默认全市）"), method="filter_region"
    )
    is_above_scale = django_filters.BooleanFilter(label=_("规上企业"))
    is_listed = django_filters.BooleanFilter(label=_("上市企业"))
    industry_code = django_filters.CharFilter(label=_("行业代码前缀"), lookup_expr="startswith")
    is_synthetic = django_filters.BooleanFilter(label=_("合成数据"))
    chain = django_filters.CharFilter(label=_("主产业链代码，如 xcl"), field_name="chain_code")
    tag = django_filters.ChoiceFilter(
        label=_("标签（当前有效）"), choices=TagKind.choices, method="filter_tag"
    )
    mujun = django_filters.ChoiceFilter(
        label=_("亩均评价类别（最近一次评价年度）"),
        choices=MujunGrade.choices,
        method="filter_mujun",
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "region",
            "is_above_scale",
            "is_listed",
            "industry_code",
            "is_synthetic",
            "chain",
            "tag",
            "mujun",
        ]

    def filter_mujun(self, queryset, name, value):
        year = MujunResult.objects.order_by("-year").values_list("year", flat=True).first()
        graded = MujunResult.objects.filter(year=year, grade=value).values("enterprise_id")
        return queryset.filter(pk__in=graded)

    def filter_tag(self, queryset, name, value):
        tagged = EnterpriseTag.objects.current().filter(kind=value).values("enterprise_id")
        return queryset.filter(pk__in=tagged)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    @staticmethod
    def county_choices():
        return list(Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name"))


class EnterpriseMonthFilterSet(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(label=_("企业 ID"))
    uscc = django_filters.CharFilter(label=_("统一社会信用代码"), field_name="enterprise__uscc")
    month = django_filters.DateFilter(label=_("月份（当月第一天，如 2025-03-01）"))
    since = django_filters.DateFilter(label=_("起始月份"), field_name="month", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("截止月份"), field_name="month", lookup_expr="lte")

    class Meta:
        model = EnterpriseMonth
        fields = ["enterprise", "uscc", "month", "since", "until"]
