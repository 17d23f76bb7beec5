"""One FilterSet for tasks and one for meetings, shared by pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Meeting, Task

# Ids are 64-bit: anything larger is refused as bad input, not sent to the database.
ID_MAX = 2**63 - 1


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("任务名称"), field_name="title", lookup_expr="icontains")
    work_item = django_filters.CharFilter(label=_("重点工作代码"), field_name="work_item__code")
    lead_department = django_filters.CharFilter(
        label=_("牵头部门代码"), field_name="lead_department__code"
    )
    status = django_filters.CharFilter(label=_("状态（open 推进中 / done 已办结）"))
    meeting = django_filters.NumberFilter(
        label=_("来源会议ID"), min_value=1, max_value=ID_MAX, field_name="source_meeting"
    )

    class Meta:
        model = Task
        fields = ["q", "work_item", "lead_department", "status", "meeting"]


class MeetingFilterSet(django_filters.FilterSet):
    series = django_filters.NumberFilter(
        label=_("例会ID"), min_value=1, max_value=ID_MAX, field_name="series"
    )
    status = django_filters.CharFilter(label=_("状态（draft 筹备中 / held 已召开）"))

    class Meta:
        model = Meeting
        fields = ["series", "status"]
