from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wulian.core.api.reading import ChoiceLabelField, ReadModelSerializer
from wulian.core.models import Department

from ..deadlines import ServiceCalendar, clock_for
from ..models import RoutingRule, ServiceAttachment, ServiceCategory, ServiceEvent, ServiceRequest
from ..workflow import available_actions


class ServiceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCategory
        fields = ["code", "name", "description", "accept_days", "answer_days", "is_active"]
        read_only_fields = fields


class ServiceCategoryWriteSerializer(serializers.Serializer):
    """A new category (code required) or a change to one (the code never changes)."""

    code = serializers.SlugField(max_length=30, required=False)
    name = serializers.CharField(max_length=30, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    accept_days = serializers.IntegerField(required=False, min_value=0, max_value=60)
    answer_days = serializers.IntegerField(required=False, min_value=1, max_value=120)
    sort = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    is_active = serializers.BooleanField(required=False)


class ServiceEventSerializer(ReadModelSerializer):
    actor_name = serializers.SerializerMethodField()
    action_display = ChoiceLabelField(ServiceEvent, "action")
    action = serializers.CharField(read_only=True)
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = ServiceEvent
        fields = [
            "at",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "reason",
            "actor_name",
            "rating",
        ]
        read_only_fields = fields

    def get_actor_name(self, obj) -> str:
        return str(obj.actor) if obj.actor_id else str(_("系统"))


class ServiceAttachmentSerializer(ReadModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ServiceAttachment
        fields = ["id", "original_name", "extension", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("service:attachment", args=[obj.uuid])


class ServiceRequestSerializer(ReadModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default="")
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    status = serializers.CharField(read_only=True, help_text="submitted, accepted, routed, …")
    status_display = ChoiceLabelField(ServiceRequest, "status")
    time_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    escalation = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "title",
            "description",
            "category",
            "category_name",
            "enterprise",
            "enterprise_name",
            "region",
            "region_name",
            "link",
            "department",
            "department_name",
            "status",
            "status_display",
            "submitted_at",
            "accepted_at",
            "routed_at",
            "answered_at",
            "closed_at",
            "due_at",
            "answer_due_at",
            "time_left",
            "overdue",
            "escalation",
            "answer",
            "rating",
            "rating_comment",
            "closed_by_silence",
            "reopen_count",
            "paused_workdays",
            "is_synthetic",
            "actions",
        ]
        read_only_fields = fields

    def _clock(self, obj):
        cache = self.context.setdefault("_clocks", {})
        if obj.pk not in cache:
            cal = self.context.get("calendar")
            if cal is None:
                cal = self.context["calendar"] = ServiceCalendar()
            cache[obj.pk] = clock_for(obj, cal)
        return cache[obj.pk]

    def get_time_left(self, obj) -> str:
        return self._clock(obj).label

    def get_overdue(self, obj) -> bool:
        return self._clock(obj).overdue

    def get_escalation(self, obj) -> int:
        return int(self._clock(obj).escalation)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, obj):
        request = self.context.get("request")
        if request is None:
            return []
        return [a.replace("_", "-") for a in available_actions(obj, request.user)]


class ServiceRequestDetailSerializer(ServiceRequestSerializer):
    events = ServiceEventSerializer(many=True, read_only=True)
    attachments = ServiceAttachmentSerializer(many=True, read_only=True)

    class Meta(ServiceRequestSerializer.Meta):
        fields = [*ServiceRequestSerializer.Meta.fields, "events", "attachments"]
        read_only_fields = fields


class ServiceRequestCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceCategory.objects.filter(is_active=True)
    )
    enterprise = serializers.IntegerField(required=False, help_text=_("默认为本账号的第一家企业"))


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    answer = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class SupplyMaterialSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    files = serializers.ListField(child=serializers.FileField(), required=False)


class DispatchSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=500, help_text="诉求 id"
    )
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        help_text="承办部门代码；不填则各按派单规则",
    )


class RoutingRuleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceCategory.objects.all(), required=False, allow_null=True
    )
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())

    class Meta:
        model = RoutingRule
        fields = ["id", "category", "link", "region", "department", "priority", "is_active", "note"]


class StatRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_on_time = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    closed_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    mean_answer_days = serializers.FloatField(allow_null=True)
    p90_answer_days = serializers.IntegerField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True)
    reopen_rate = serializers.FloatField(allow_null=True)


class ServiceStatsSerializer(serializers.Serializer):
    overview = serializers.DictField()
    dimension = serializers.CharField()
    rows = StatRowSerializer(many=True)
