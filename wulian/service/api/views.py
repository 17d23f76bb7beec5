"""API for 企呼我应: categories, requests with their transitions as actions, rules, stats."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.permissions import ALL_ROLES
from wulian.core.sqlread import PageIds, scope_test
from wulian.enterprises.models import Enterprise

from .. import services, stats
from ..categories import save_category
from ..choices import Action, Dimension
from ..deadlines import ServiceCalendar
from ..filtersets import ServiceRequestFilterSet
from ..models import RoutingRule, ServiceCategory, ServiceEvent, ServiceRequest
from ..permissions import BOARD_ROLES, STATS_ROLES, stats_scope
from ..workflow import IllegalTransition, dispatch, transition
from . import reads
from .reads import in_id_range
from .serializers import (
    DispatchSerializer,
    RoutingRuleSerializer,
    ServiceCategorySerializer,
    ServiceCategoryWriteSerializer,
    ServiceRequestCreateSerializer,
    ServiceRequestDetailSerializer,
    ServiceRequestSerializer,
    ServiceStatsSerializer,
    SupplyMaterialSerializer,
    TransitionSerializer,
)


@extend_schema_view(
    create=extend_schema(
        request=ServiceCategoryWriteSerializer, responses={201: ServiceCategorySerializer}
    ),
    partial_update=extend_schema(
        request=ServiceCategoryWriteSerializer, responses=ServiceCategorySerializer
    ),
)
class ServiceCategoryViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Request categories with their deadlines in working days. 营商办 and administrators add
    one (POST) and change its name, deadlines or active flag (PATCH), audited; the list shows
    the active ones."""

    allowed_roles = ALL_ROLES
    write_roles = BOARD_ROLES  # and the service checks 营商办
    serializer_class = ServiceCategorySerializer
    lookup_field = "code"
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return ServiceCategory.objects.filter(is_active=True)
        return ServiceCategory.objects.all()

    def create(self, request, *args, **kwargs):
        data = ServiceCategoryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        category = save_category(actor=request.user, **data.validated_data)
        return Response(ServiceCategorySerializer(category).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        category = self.get_object()
        data = ServiceCategoryWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        category = save_category(actor=request.user, category=category, **data.validated_data)
        return Response(ServiceCategorySerializer(category).data)


def _step(action_name: str, summary: str):
    @extend_schema(
        summary=summary,
        request=TransitionSerializer,
        responses={200: ServiceRequestSerializer, 409: None},
    )
    def view(self, request, pk=None):
        obj = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            obj = transition(
                request=obj, action=action_name, actor=request.user, **data.validated_data
            )
        except IllegalTransition as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(obj, context=self.get_serializer_context()).data)

    view.__name__ = action_name
    return action(detail=True, methods=["post"], url_path=action_name.replace("_", "-"))(view)


class ServiceRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprise requests, scoped to the caller; each step is a POST action.

    Two people acting on one request at once: one wins, the other gets 409.
    """

    allowed_roles = ALL_ROLES
    filterset_class = ServiceRequestFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        qs = ServiceRequest.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            # The serializers' own path for one request (the reference the tests compare
            # the plain reads with): the events with their actors in one query, not two.
            events = ServiceEvent.objects.select_related("actor")
            qs = qs.prefetch_related(Prefetch("events", events), "attachments")
        return qs.order_by("-submitted_at", "-id")

    def list(self, request, *args, **kwargs):
        # The page's ids from the filtered, scoped, ordered queryset (one COUNT, one page of
        # ids); the rows in plain SQL, as the serializer answers them (reads.py).
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(PageIds(queryset))
        if page is None:
            ids = list(queryset.values_list("pk", flat=True))
            return Response(reads.list_data(ids, request.user))
        return self.get_paginated_response(reads.list_data(list(page), request.user))

    def retrieve(self, request, *args, **kwargs):
        # Whether the user may see it is decided by visible_to alone (scope_test, tested in
        # the statement that reads the row); the row, its events and attachments in plain
        # SQL (reads.py).
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise Http404 from None  # as DRF's get_object_or_404 answers a malformed id
        data = None
        if in_id_range(ServiceRequest, pk):
            test = scope_test(ServiceRequest.objects.visible_to(request.user), pk)
            data = reads.detail_data(pk, request.user, test)
        if data is None:
            raise Http404("No ServiceRequest matches the given query.")  # as Django's
        return Response(data)

    def get_serializer_class(self):
        if self.action == "create":
            return ServiceRequestCreateSerializer
        if self.action == "retrieve":
            return ServiceRequestDetailSerializer
        return ServiceRequestSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["calendar"] = ServiceCalendar()
        return context

    @extend_schema(
        request=ServiceRequestCreateSerializer, responses={201: ServiceRequestSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = ServiceRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = None
        if "enterprise" in values:
            enterprise = Enterprise.objects.filter(pk=values.pop("enterprise")).first()
            if enterprise is None:
                raise PermissionDenied(_("只能为本企业提交诉求。"))
        obj = services.submit_request(actor=request.user, enterprise=enterprise, **values)
        body = ServiceRequestSerializer(obj, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    accept = _step(Action.ACCEPT, "受理")
    reject = _step(Action.REJECT, "不予受理（需填写理由）")
    route = _step(Action.ROUTE, "派单（可指定部门，否则按派单规则）")
    start = _step(Action.START, "开始办理")
    answer = _step(Action.ANSWER, "答复")
    transfer = _step(Action.TRANSFER, "转派（需填写理由和部门）")
    request_material = _step(Action.REQUEST_MATERIAL, "要求企业补充材料（暂停计时）")
    confirm = _step(Action.CONFIRM, "企业确认并评价（1–2 分自动退回重办）")
    send_back = _step(Action.SEND_BACK, "企业退回答复（需填写理由）")

    @extend_schema(
        summary="营商办受理并派单（一件或一批，一步完成；全部成功或全部不做）",
        request=DispatchSerializer,
        responses={200: ServiceRequestSerializer(many=True), 400: None},
    )
    @action(detail=False, methods=["post"], url_path="dispatch")
    def dispatch_requests(self, request):
        data = DispatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        selected = list(
            self.get_queryset().filter(pk__in=data.validated_data["ids"]).order_by("id")
        )
        missing = set(data.validated_data["ids"]) - {r.pk for r in selected}
        if missing:
            ids = "、".join(map(str, sorted(missing)))
            return Response(
                {"detail": _("找不到诉求：%(ids)s。") % {"ids": ids}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            done = dispatch(
                actor=request.user,
                requests=selected,
                department=data.validated_data.get("department"),
            )
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        context = self.get_serializer_context()
        return Response(ServiceRequestSerializer(done, many=True, context=context).data)

    @extend_schema(
        summary="企业补充材料（可附文件，恢复计时）",
        request={"multipart/form-data": SupplyMaterialSerializer},
        responses={200: ServiceRequestSerializer, 409: None},
    )
    @action(detail=True, methods=["post"], url_path="supply-material")
    def supply_material(self, request, pk=None):
        obj = self.get_object()
        data = SupplyMaterialSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = request.FILES.getlist("files")
        try:
            obj = services.supply_material(
                actor=request.user,
                request=obj,
                note=data.validated_data.get("reason", ""),
                files=files,
            )
        except IllegalTransition as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(ServiceRequestSerializer(obj, context=self.get_serializer_context()).data)


class RoutingRuleViewSet(viewsets.ModelViewSet):
    """Routing rules by category, chain link and county; 营商办 edits, government reads."""

    allowed_roles = frozenset({"leader", "department"})
    serializer_class = RoutingRuleSerializer
    queryset = RoutingRule.objects.select_related("category", "department").order_by(
        "priority", "id"
    )

    def perform_create(self, serializer):
        serializer.instance = services.save_routing_rule(
            actor=self.request.user, rule=RoutingRule(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.save_routing_rule(
            actor=self.request.user, rule=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        # DELETE retires the rule (is_active false); the row stays, nothing cascades.
        services.retire_routing_rule(actor=self.request.user, rule=instance)


class ServiceStatsView(APIView):
    """Statistics by department, category, county or chain link: the whole city for leaders
    and 营商办, their own department's row for other departments."""

    allowed_roles = STATS_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("dimension", str, enum=[d for d in Dimension.values if d != "all"]),
            OpenApiParameter("year", int),
            OpenApiParameter("month", str, description="YYYY-MM，按提交月份"),
        ],
        responses=ServiceStatsSerializer,
    )
    def get(self, request):
        scope = stats_scope(request.user)
        dimension = request.query_params.get("dimension", Dimension.DEPARTMENT)
        if dimension not in Dimension.values or dimension == Dimension.ALL or scope is not None:
            # departments other than 营商办 see only their own row
            dimension = Dimension.DEPARTMENT
        year = stats.parse_year(request.query_params.get("year", ""))
        month = request.query_params.get("month", "")
        try:
            month = dt.date.fromisoformat(f"{month}-01") if month else None
        except ValueError:
            month = None
        rows = stats.table(dimension, year=year, month=month, keys=scope)
        overview = stats.overview() if scope is None else stats.row_overview(rows)
        body = {"overview": overview, "dimension": dimension, "rows": rows}
        return Response(ServiceStatsSerializer(body).data)
