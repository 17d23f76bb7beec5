"""One FilterSet per model, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from wulian.core.models import CITY_CODE

from .choices import Category
from .models import Indicator, Observation, Target


class IndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称或代码"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("类别"))
    is_headline = django_filters.BooleanFilter(label=_("核心指标"))

    class Meta:
        model = Indicator
        fields = ["q", "category", "is_headline"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value) | queryset.filter(code__icontains=value)


class _RegionDefaultCity(django_filters.FilterSet):
    """`region` is a GB/T 2260 code and defaults to the city; `region=all` lifts it."""

    region = django_filters.CharFilter(method="by_region", label=_("区划代码（默认 330800）"))
    indicator = django_filters.CharFilter(field_name="indicator__code", label=_("指标代码"))
    period = django_filters.CharFilter(field_name="period", label=_("期间"))

    @property
    def qs(self):
        qs = super().qs
        if not (self.data or {}).get("region"):
            qs = qs.filter(region_id=CITY_CODE)
        return qs

    def by_region(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(region_id=value)


class ObservationFilterSet(_RegionDefaultCity):
    is_synthetic = django_filters.BooleanFilter(label=_("合成数据"))

    class Meta:
        model = Observation
        fields = ["indicator", "region", "period", "cumulative", "is_synthetic"]


class TargetFilterSet(_RegionDefaultCity):
    class Meta:
        model = Target
        fields = ["indicator", "region", "period", "kind"]
