"""Serializers of the policies API: the catalogue, matches with reasons, payouts, statistics."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wulian.core.models import Department
from wulian.core.workdays import WorkdayCalendar

from ..choices import Mode, PayoutStatus
from ..conditions import sentence
from ..deadlines import clock_for
from ..matching import explain, rule_text
from ..models import Payout, PayoutBatch, PayoutEvent, Policy, PolicyMatch
from ..workflow import available_actions


class ConditionSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="region, chain, main_chain, tag, mujun_grade, …")
    op = serializers.CharField(help_text="in, not_in, has, not_has, =, !=, >, >=, <, <=")
    value = serializers.JSONField(help_text="a list of codes, a tag, a number or a boolean")


class PolicySerializer(serializers.ModelSerializer):
    issuer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    chains = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    conditions = ConditionSerializer(many=True, read_only=True)
    condition_texts = serializers.SerializerMethodField()
    amount_text = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "doc_number",
            "issued_on",
            "issuer",
            "issuer_name",
            "valid_from",
            "valid_until",
            "chains",
            "stages",
            "summary",
            "clauses",
            "mode",
            "mode_display",
            "materials",
            "conditions",
            "condition_texts",
            "amount_rule",
            "amount_text",
            "payout_workdays",
            "is_active",
            "is_synthetic",
            "matched",
            "near",
            "matched_at",
        ]
        read_only_fields = fields

    def get_condition_texts(self, obj) -> list[str]:
        return [sentence(c) for c in obj.conditions]

    def get_amount_text(self, obj) -> str:
        return rule_text(obj.amount_rule)


class PolicyWriteSerializer(serializers.Serializer):
    """What a department sends to create or change a policy (checked by the service)."""

    title = serializers.CharField(max_length=200)
    doc_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        error_messages={"does_not_exist": _("未知部门代码“{value}”。")},
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    chains = serializers.ListField(child=serializers.CharField(), required=False)
    stages = serializers.ListField(child=serializers.CharField(), required=False)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    clauses = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=Mode.choices)
    materials = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30
    )
    conditions = serializers.JSONField(help_text="[{field, op, value}, …]")
    amount_rule = serializers.JSONField(
        help_text='{"kind": "fixed", "amount_wan": 50} or '
        '{"kind": "ratio", "field": "months.rd_sum", "rate": 0.1, "cap_wan": 200}'
    )
    payout_workdays = serializers.IntegerField(min_value=1, max_value=250, required=False)
    is_active = serializers.BooleanField(required=False)


class ReasonSerializer(serializers.Serializer):
    field = serializers.CharField()
    condition = serializers.CharField()
    actual = serializers.JSONField()
    text = serializers.CharField()
    held = serializers.BooleanField()


class PolicyMatchSerializer(serializers.ModelSerializer):
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    region = serializers.CharField(source="enterprise.region_id", read_only=True)
    reasons = serializers.SerializerMethodField()
    missed_condition = serializers.SerializerMethodField()

    class Meta:
        model = PolicyMatch
        fields = [
            "policy",
            "policy_title",
            "enterprise",
            "enterprise_name",
            "uscc",
            "region",
            "is_near",
            "missed_condition",
            "reasons",
            "amount_wan",
            "first_matched_at",
        ]
        read_only_fields = fields

    def _explained(self, obj) -> list[dict]:
        if not hasattr(obj, "explained"):
            obj.explained = explain(obj.policy, obj.reasons, self.context.setdefault("labels", {}))
        return obj.explained

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, obj) -> list[dict]:
        return self._explained(obj)

    def get_missed_condition(self, obj) -> str | None:
        reasons = self._explained(obj)
        if obj.missed is None or obj.missed >= len(reasons):
            return None
        return reasons[obj.missed]["condition"]


class PayoutEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    action = serializers.CharField(read_only=True)
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = PayoutEvent
        fields = [
            "at",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "reason",
            "actor_name",
        ]
        read_only_fields = fields

    def get_actor_name(self, obj) -> str:
        return str(obj.actor) if obj.actor_id else str(_("系统"))


class PayoutSerializer(serializers.ModelSerializer):
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    mode = serializers.CharField(source="policy.mode", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status = serializers.ChoiceField(choices=PayoutStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    time_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    escalation = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Payout
        fields = [
            "id",
            "policy",
            "policy_title",
            "mode",
            "enterprise",
            "enterprise_name",
            "batch",
            "status",
            "status_display",
            "amount_wan",
            "paid_wan",
            "started_at",
            "due_at",
            "approved_at",
            "paid_at",
            "pay_workdays",
            "payment_ref",
            "materials",
            "application_note",
            "reason",
            "service_request",
            "time_left",
            "overdue",
            "escalation",
            "actions",
            "is_synthetic",
        ]
        read_only_fields = fields

    def _clock(self, obj):
        cal = self.context.setdefault("calendar", WorkdayCalendar())
        return clock_for(obj, cal)

    def get_time_left(self, obj) -> str:
        return self._clock(obj).label

    def get_overdue(self, obj) -> bool:
        return self._clock(obj).overdue

    @extend_schema_field(
        serializers.IntegerField(help_text="0 none, 1 部门负责人督办, 2 市领导关注")
    )
    def get_escalation(self, obj) -> int:
        return int(self._clock(obj).escalation)

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return available_actions(obj, request.user) if request else []


class PayoutDetailSerializer(PayoutSerializer):
    events = PayoutEventSerializer(many=True, read_only=True)

    class Meta(PayoutSerializer.Meta):
        fields = [*PayoutSerializer.Meta.fields, "events"]
        read_only_fields = fields


class PayoutStepSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    amount_wan = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="核定金额（万元）",
    )
    paid_wan = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="拨付金额（万元）",
    )
    payment_ref = serializers.CharField(required=False, allow_blank=True, max_length=100)
    materials = serializers.ListField(child=serializers.CharField(), required=False)


class ApplySerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False, help_text="企业ID（账号只关联一家企业时可省略）"
    )
    materials = serializers.ListField(
        child=serializers.CharField(), help_text="已提交的材料（须覆盖政策的材料清单）"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PayoutBatchSerializer(serializers.ModelSerializer):
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    lines = serializers.IntegerField(read_only=True, default=0)
    amount_wan = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, default=0
    )

    class Meta:
        model = PayoutBatch
        fields = [
            "id",
            "policy",
            "policy_title",
            "status",
            "status_display",
            "created_at",
            "approved_at",
            "note",
            "lines",
            "amount_wan",
            "is_synthetic",
        ]
        read_only_fields = fields


class StatsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    matched = serializers.IntegerField()
    started = serializers.IntegerField()
    paid = serializers.IntegerField()
    paid_wan = serializers.FloatField()
    overdue = serializers.IntegerField()
    mean_workdays = serializers.FloatField(allow_null=True)
    on_time_pct = serializers.FloatField(allow_null=True)
    is_synthetic = serializers.BooleanField()
