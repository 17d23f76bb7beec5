"""One FilterSet for target companies, shared by the 招商目标企业 page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import TargetCompany


class TargetCompanyFilterSet(django_filters.FilterSet):
    """Narrows the user's visible target companies; the views give the scoped base."""

    chain = django_filters.CharFilter(
        label=_("产业链代码"), field_name="links__chain__code", distinct=True
    )

    class Meta:
        model = TargetCompany
        fields = ["chain"]
