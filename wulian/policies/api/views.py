"""API of the 政策体系: catalogue (CRUD for the issuing department), condition fields, matches
with reasons, 兑现清单, payouts with their steps as actions, statistics."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.permissions import is_enterprise_user, role_allowed
from wulian.enterprises.models import Enterprise

from .. import services, stats, workflow
from ..choices import PayoutAction
from ..conditions import field_catalogue
from ..filtersets import PayoutFilterSet, PolicyFilterSet, PolicyMatchFilterSet
from ..models import Payout, PayoutBatch, Policy, PolicyMatch
from ..permissions import CATALOGUE_ROLES, EDIT_ROLES, PAYOUT_ROLES, STATS_ROLES, enterprise_ids_of
from .serializers import (
    ApplySerializer,
    PayoutBatchSerializer,
    PayoutDetailSerializer,
    PayoutSerializer,
    PayoutStepSerializer,
    PolicyMatchSerializer,
    PolicySerializer,
    PolicyWriteSerializer,
    StatsRowSerializer,
)


def _values(data: dict) -> tuple[dict, list | None]:
    values = dict(data)
    chains = values.pop("chains", None)
    return values, chains


class PolicyViewSet(viewsets.ModelViewSet):
    """惠企政策: read by everyone (enterprises: policies in force); written by the issuing
    department's staff and administrators. `?matched=1` as an enterprise user lists the
    policies its enterprise qualifies for."""

    allowed_roles = CATALOGUE_ROLES
    filterset_class = PolicyFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        qs = Policy.objects.visible_to(self.request.user).select_related("issuer")
        return qs.prefetch_related("chains").order_by("-issued_on", "-id")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        writes = ("create", "partial_update", "destroy", "rematch", "batches")
        if self.action in writes and not role_allowed(request.user, EDIT_ROLES):
            raise PermissionDenied(_("只有政策发文部门和管理员可以操作。"))

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return PolicyWriteSerializer
        return PolicySerializer

    @extend_schema(request=PolicyWriteSerializer, responses={201: PolicySerializer})
    def create(self, request, *args, **kwargs):
        data = PolicyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values, chains = _values(data.validated_data)
        policy = services.create_policy(actor=request.user, values=values, chains=chains)
        return Response(PolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PolicyWriteSerializer, responses={200: PolicySerializer})
    def partial_update(self, request, *args, **kwargs):
        policy = self.get_object()
        data = PolicyWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values, chains = _values(data.validated_data)
        policy = services.update_policy(
            actor=request.user, policy=policy, values=values, chains=chains
        )
        return Response(PolicySerializer(policy).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_policy(actor=request.user, policy=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="符合条件的企业（含匹配理由）；near=1 为差一项的潜在对象",
        parameters=[
            OpenApiParameter("near", bool, description="潜在对象（差一个条件）"),
            OpenApiParameter("region", str, description="区县（行政区划代码）"),
            OpenApiParameter("q", str, description="企业名称或信用代码"),
        ],
        responses={200: PolicyMatchSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def matches(self, request, pk=None):
        policy = self.get_object()
        qs = PolicyMatch.objects.visible_to(request.user).filter(policy=policy)
        if is_enterprise_user(request.user):
            qs = qs.filter(is_near=False)
        near = str(request.query_params.get("near", "")).lower() in ("1", "true", "yes")
        qs = qs.filter(is_near=near)
        qs = PolicyMatchFilterSet(request.query_params, queryset=qs, request=request).qs
        qs = qs.select_related("enterprise", "policy").order_by("-amount_wan", "enterprise_id")
        page = self.paginate_queryset(qs)
        data = PolicyMatchSerializer(page, many=True, context={"labels": {}}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="按最新企业数据重新匹配", request=None, responses={200: PolicySerializer}
    )
    @action(detail=True, methods=["post"])
    def rematch(self, request, pk=None):
        policy = self.get_object()
        if not Policy.objects.editable_by(request.user).filter(pk=policy.pk).exists():
            raise PermissionDenied(_("只有发文部门可以重新匹配。"))
        services.refresh_matches(policy=policy)
        policy.refresh_from_db()
        return Response(PolicySerializer(policy).data)

    @extend_schema(
        summary="免申即享：从匹配结果生成兑现清单",
        request=None,
        responses={201: PayoutBatchSerializer},
    )
    @action(detail=True, methods=["post"])
    def batches(self, request, pk=None):
        batch = workflow.generate_batch(actor=request.user, policy=self.get_object())
        return Response(PayoutBatchSerializer(_batch_totals(batch)).data, status=201)

    @extend_schema(
        summary="快申快享：企业提交申请", request=ApplySerializer, responses={201: PayoutSerializer}
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        policy = self.get_object()
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mine = enterprise_ids_of(request.user)
        pk_ent = data.validated_data.get("enterprise") or (min(mine) if len(mine) == 1 else None)
        if pk_ent is None or pk_ent not in mine:
            raise PermissionDenied(_("只能为本企业申请。"))
        payout = workflow.apply_for_policy(
            actor=request.user,
            policy=policy,
            enterprise=Enterprise.objects.get(pk=pk_ent),
            materials=data.validated_data["materials"],
            note=data.validated_data.get("note", ""),
        )
        return Response(PayoutSerializer(payout, context={"request": request}).data, status=201)


class PolicyFieldsView(APIView):
    """The fields a condition may test, their operators and allowed values."""

    allowed_roles = CATALOGUE_ROLES

    @extend_schema(
        responses={
            200: inline_serializer(
                "PolicyField",
                {
                    "field": serializers.CharField(),
                    "label": serializers.CharField(),
                    "group": serializers.CharField(),
                    "kind": serializers.CharField(),
                    "unit": serializers.CharField(),
                    "help": serializers.CharField(),
                    "ops": serializers.ListField(child=serializers.DictField()),
                    "choices": serializers.ListField(child=serializers.DictField()),
                },
                many=True,
            )
        }
    )
    def get(self, request):
        return Response(field_catalogue())


class LinkRequestSerializer(serializers.Serializer):
    service_request = serializers.IntegerField(help_text="企呼我应诉求编号")


def _batch_totals(batch: PayoutBatch) -> PayoutBatch:
    agg = batch.payouts.exclude(status="removed").aggregate(n=Count("id"), s=Sum("amount_wan"))
    batch.lines, batch.amount_wan = agg["n"], agg["s"] or 0
    return batch


def _step(name: str, summary: str):
    @extend_schema(summary=summary, request=PayoutStepSerializer, responses={200: PayoutSerializer})
    def view(self, request, pk=None):
        obj = self.get_object()
        data = PayoutStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            obj = workflow.transition(
                payout=obj, action=name, actor=request.user, **data.validated_data
            )
        except workflow.IllegalTransition as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(PayoutSerializer(obj, context={"request": request}).data)

    view.__name__ = name
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(view)


class PayoutViewSet(viewsets.ReadOnlyModelViewSet):
    """政策兑现, scoped to the caller (an enterprise sees only its own); each step is a POST."""

    allowed_roles = PAYOUT_ROLES
    filterset_class = PayoutFilterSet

    def get_queryset(self):
        qs = Payout.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            qs = qs.prefetch_related("events__actor")
        return qs.order_by("-started_at", "-id")

    def get_serializer_class(self):
        return PayoutDetailSerializer if self.action == "retrieve" else PayoutSerializer

    approve = _step(PayoutAction.APPROVE, "审核通过（可调整核定金额）")
    request_material = _step(
        PayoutAction.REQUEST_MATERIAL, "要求企业补充材料（暂停计时，需填写理由）"
    )
    supply_material = _step(PayoutAction.SUPPLY_MATERIAL, "企业补充材料（恢复计时）")
    reject = _step(PayoutAction.REJECT, "不予兑现（需填写理由）")
    remove = _step(PayoutAction.REMOVE, "从兑现清单剔除（需填写理由）")
    pay = _step(PayoutAction.PAY, "登记拨付（金额默认为核定金额）")

    @extend_schema(
        summary="关联企呼我应诉求（如“政策兑现”类诉求）",
        request=LinkRequestSerializer,
        responses={200: PayoutSerializer},
    )
    @action(detail=True, methods=["post"], url_path="link-request")
    def link_request(self, request, pk=None):
        body = LinkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obj = workflow.link_service_request(
            actor=request.user,
            payout=self.get_object(),
            request_id=body.validated_data["service_request"],
        )
        return Response(PayoutSerializer(obj, context={"request": request}).data)


class PayoutBatchViewSet(viewsets.ReadOnlyModelViewSet):
    """兑现清单 of 免申即享 policies (government users; by the payouts they may see)."""

    allowed_roles = STATS_ROLES
    serializer_class = PayoutBatchSerializer

    def get_queryset(self):
        visible = Payout.objects.visible_to(self.request.user).values("batch_id")
        return (
            PayoutBatch.objects.filter(pk__in=visible)
            .select_related("policy")
            .annotate(lines=Count("payouts"), amount_wan=Sum("payouts__amount_wan"))
            .order_by("-created_at", "-id")
        )

    @extend_schema(summary="审核通过兑现清单", request=None, responses={200: PayoutBatchSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        try:
            batch = workflow.approve_batch(actor=request.user, batch=self.get_object())
        except workflow.IllegalTransition as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(PayoutBatchSerializer(_batch_totals(batch)).data)


class PolicyStatsView(APIView):
    """Statistics per policy, department, chain or county, over the payouts the user may see."""

    allowed_roles = STATS_ROLES

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=list(stats.DIMENSIONS), default="policy")],
        responses={200: StatsRowSerializer(many=True)},
    )
    def get(self, request):
        by = request.query_params.get("by", "policy")
        if by not in stats.DIMENSIONS:
            return Response({"by": [_("应为 policy、department、chain 或 county。")]}, status=400)
        rows = stats.stats(
            by,
            payouts=Payout.objects.visible_to(request.user),
            matches=PolicyMatch.objects.visible_to(request.user),
        )
        return Response(StatsRowSerializer(rows, many=True).data)
