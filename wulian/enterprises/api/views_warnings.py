"""运行监测预警 API: flags (scoped like the page) and acting on them; the rules."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from ..early_warning import dismiss_flag, plan_visit_for_flag, save_warning_rule
from ..models import WarningFlag, WarningRule
from ..permissions import VISIT_ROLES, can_edit_mujun
from ..views_warnings import filtered_flags


class WarningFlagSerializer(serializers.ModelSerializer):
    """A flag: the enterprise, the rule, the months that raised it, what was done."""

    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    chain_code = serializers.CharField(read_only=True)
    rule_text = serializers.CharField(source="rule.__str__", read_only=True)
    metric = serializers.CharField(source="rule.metric", read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)
    change_pct = serializers.FloatField(read_only=True)
    evidence = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = WarningFlag
        fields = [
            "id",
            "enterprise",
            "uscc",
            "name",
            "region",
            "chain_code",
            "rule",
            "rule_text",
            "metric",
            "month",
            "change_pct",
            "evidence",
            "status",
            "action_note",
            "action_url",
            "acted_by",
            "acted_at",
            "is_synthetic",
        ]
        read_only_fields = fields


class PlanVisitSerializer(serializers.Serializer):
    planned_for = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


def _act(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        ) from exc


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, description="区县行政区划代码"),
        OpenApiParameter("chain", str, description="主产业链代码"),
        OpenApiParameter("metric", str),
        OpenApiParameter(
            "status",
            str,
            description="live（默认，未消除）、open、visit、request、dismissed、cleared、all",
        ),
    ]
)
class WarningFlagViewSet(viewsets.ReadOnlyModelViewSet):
    """Early-warning flags: 链办 see their chain's, county staff their county's."""

    allowed_roles = VISIT_ROLES
    serializer_class = WarningFlagSerializer

    def get_queryset(self):
        if self.action != "list":
            return WarningFlag.objects.visible_to(self.request.user).select_related(
                "enterprise", "rule"
            )
        return filtered_flags(self.request).order_by("-month", "change_pct", "id")

    @extend_schema(request=PlanVisitSerializer, responses=WarningFlagSerializer)
    @action(detail=True, methods=["post"], serializer_class=PlanVisitSerializer)
    def visit(self, request, pk=None):
        """Turn the flag into a visit task (it shows in the enterprise's 走访记录)."""
        body = PlanVisitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flag = _act(
            plan_visit_for_flag, actor=request.user, flag=self.get_object(), **body.validated_data
        )
        return Response(WarningFlagSerializer(flag).data)

    @extend_schema(request=DismissSerializer, responses=WarningFlagSerializer)
    @action(detail=True, methods=["post"], serializer_class=DismissSerializer)
    def dismiss(self, request, pk=None):
        """Checked and harmless; the reason is kept on the flag."""
        body = DismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flag = _act(dismiss_flag, actor=request.user, flag=self.get_object(), **body.validated_data)
        return Response(WarningFlagSerializer(flag).data)


class WarningRuleSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = WarningRule
        fields = ["id", "metric", "kind", "threshold_pct", "months", "is_active", "text"]


class WarningRuleViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The city's warning rules; leaders and departments change them (all flags re-checked)."""

    allowed_roles = VISIT_ROLES
    serializer_class = WarningRuleSerializer
    queryset = WarningRule.objects.order_by("metric", "id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _save(self, serializer, rule=None):
        if not can_edit_mujun(self.request.user):
            raise PermissionDenied("您没有修改预警规则的权限。")
        values = {**serializer.validated_data}
        serializer.instance = _act(save_warning_rule, actor=self.request.user, rule=rule, **values)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, rule=serializer.instance)
