"""FilterSets for policies, matches and payouts, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Role
from wulian.core.models import CITY_CODE

from .choices import CLOCK_PAYOUT, OPEN_PAYOUT, Mode, PayoutStatus, Stage
from .models import Payout, Policy, PolicyMatch


class PolicyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或文号"), method="filter_q")
    mode = django_filters.ChoiceFilter(label=_("兑现方式"), choices=Mode.choices)
    issuer = django_filters.CharFilter(label=_("发文部门代码"), field_name="issuer__code")
    chain = django_filters.CharFilter(label=_("产业链代码"), field_name="chains__code")
    stage = django_filters.ChoiceFilter(
        label=_("生命周期阶段"), choices=Stage.choices, method="filter_stage"
    )
    active = django_filters.BooleanFilter(label=_("有效"), field_name="is_active")
    matched = django_filters.CharFilter(
        label=_("与我（本企业）匹配（1/true）"),
        method="filter_matched",
        help_text=_("企业账号：本企业符合条件的有效政策；其他账号：有符合条件企业的政策"),
    )

    class Meta:
        model = Policy
        fields = ["q", "mode", "issuer", "chain", "stage", "active", "matched"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(doc_number__icontains=value))

    def filter_stage(self, queryset, name, value):
        if not value:
            return queryset
        # JSON containment is not portable to SQLite; the catalogue is small.
        ids = [pk for pk, stages in queryset.values_list("pk", "stages") if value in (stages or [])]
        return queryset.filter(pk__in=ids)

    def filter_matched(self, queryset, name, value):
        if str(value).strip().lower() not in ("1", "true", "yes"):
            return queryset
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.ENTERPRISE:
            return queryset.matched_for(user)
        return queryset.filter(matched__gt=0)


class PolicyMatchFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(label=_("区县（行政区划代码）"), method="filter_region")
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="filter_q")

    class Meta:
        model = PolicyMatch
        fields = ["region", "q"]

    def filter_region(self, queryset, name, value):
        if not value or value == CITY_CODE:
            return queryset
        return queryset.filter(enterprise__region_id=value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__startswith=value.upper())
        )


class PayoutFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("未办结")), *PayoutStatus.choices],
        method="filter_status",
    )
    policy = django_filters.NumberFilter(label=_("政策ID"), field_name="policy_id")
    mode = django_filters.ChoiceFilter(
        label=_("兑现方式"), choices=Mode.choices, field_name="policy__mode"
    )
    department = django_filters.CharFilter(
        label=_("发文部门代码"), field_name="policy__issuer__code"
    )
    region = django_filters.CharFilter(label=_("区县（行政区划代码）"), method="filter_region")
    chain = django_filters.CharFilter(label=_("主产业链代码"), field_name="enterprise__chain_code")
    overdue = django_filters.BooleanFilter(label=_("已超期"), method="filter_overdue")

    class Meta:
        model = Payout
        fields = ["status", "policy", "mode", "department", "region", "chain", "overdue"]

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_PAYOUT)
        return queryset.filter(status=value)

    def filter_region(self, queryset, name, value):
        if not value or value == CITY_CODE:
            return queryset
        return queryset.filter(enterprise__region_id=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.overdue()
        return queryset.exclude(status__in=CLOCK_PAYOUT, due_at__lt=timezone.now())
