from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from wulian.core.api.datasets import (
    DatasetWriteMixin,
    FileDatasetWriteMixin,
    input_serializer,
)
from wulian.core.permissions import ALL_ROLES
from wulian.core.sqlread import PageIds, row_id, scope_test

from ..datasets import enterprise_dataset, month_dataset, tag_dataset
from ..filtersets import EnterpriseFilterSet, EnterpriseMonthFilterSet
from ..models import Enterprise, EnterpriseMonth, EnterpriseTag
from ..months import month_series
from . import reads
from .serializers import (
    EnterpriseDetailSerializer,
    EnterpriseMonthSerializer,
    EnterpriseSerializer,
    EnterpriseTagSerializer,
    MonthPointSerializer,
    MonthRevisionSerializer,
)

_ENTERPRISE_INPUT = input_serializer(enterprise_dataset, "EnterpriseInput")


class EnterpriseViewSet(
    FileDatasetWriteMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The enterprise registry, scoped to what the caller may see (see EnterpriseQuerySet).

    The detail includes `tags` (with source and validity) and `chains` (links, 主营/配套);
    `months/` is the enterprise's monthly series with year-on-year change. POST (upsert by
    USCC) and PATCH write through the enterprise import, with its validation and audit.
    """

    allowed_roles = ALL_ROLES
    filterset_class = EnterpriseFilterSet
    dataset = enterprise_dataset
    input_serializer_class = _ENTERPRISE_INPUT
    http_method_names = ["get", "post", "patch", "head", "options"]
    key_fields = ("uscc",)

    def record_for(self, values):
        return self.get_queryset().get(uscc=str(values["uscc"]).strip().upper())

    def current_values(self, obj):
        # The import's required columns; the others change only when sent.
        return {"uscc": obj.uscc, "name": obj.name, "region": obj.region_id}

    @extend_schema(request=_ENTERPRISE_INPUT, responses={201: EnterpriseDetailSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=_ENTERPRISE_INPUT, responses=EnterpriseDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action in ("retrieve", "create", "partial_update", "update"):
            return EnterpriseDetailSerializer
        return EnterpriseSerializer

    def get_queryset(self):
        qs = (
            Enterprise.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("-output_wan", "id")
        )
        if self.action != "list":
            qs = qs.prefetch_related(Prefetch("tags", EnterpriseTag.objects.order_by("kind")))
        return qs

    def list(self, request, *args, **kwargs):
        # The page's ids from the filtered, scoped queryset; the rows in plain SQL (reads.py).
        queryset = self.filter_queryset(self.get_queryset())
        ids = self.paginate_queryset(PageIds(queryset))
        if ids is None:
            return Response(reads.list_data(list(queryset.values_list("pk", flat=True))))
        return self.get_paginated_response(reads.list_data(list(ids)))

    def retrieve(self, request, *args, **kwargs):
        pk = row_id(self.kwargs["pk"])
        data = None
        if pk is not None:
            test = scope_test(Enterprise.objects.visible_to(request.user), pk)
            data = reads.detail_data(pk, test)
        if data is None:
            raise Http404
        return Response(data)

    @extend_schema(responses=MonthPointSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=MonthPointSerializer)
    def months(self, request, pk=None):
        """The monthly series, oldest first, each month with its year-on-year change."""
        enterprise = get_object_or_404(self.get_queryset(), pk=pk)
        points = [
            {"month": p["month"], **p["values"], "yoy": p["yoy"], "is_synthetic": p["is_synthetic"]}
            for p in month_series(enterprise)
        ]
        page = self.paginate_queryset(points)
        return self.get_paginated_response(MonthPointSerializer(page, many=True).data)

    @extend_schema(responses=MonthRevisionSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="month-revisions",
        serializer_class=MonthRevisionSerializer,
    )
    def month_revisions(self, request, pk=None):
        """Replaced monthly figures of this enterprise: before → after, who, when."""
        enterprise = get_object_or_404(self.get_queryset(), pk=pk)
        rows = enterprise.month_revisions.select_related("changed_by").order_by("-changed_at")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MonthRevisionSerializer(page, many=True).data)


class EnterpriseMonthViewSet(
    DatasetWriteMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Monthly figures, one row per enterprise and month; POST with an existing month
    replaces it (the previous values are kept as a revision), exactly as an import does."""

    allowed_roles = ALL_ROLES
    serializer_class = EnterpriseMonthSerializer
    filterset_class = EnterpriseMonthFilterSet
    dataset = month_dataset
    input_serializer_class = input_serializer(month_dataset, "EnterpriseMonthInput")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            EnterpriseMonth.objects.visible_to(self.request.user)
            .select_related("enterprise")
            .order_by("enterprise_id", "month")
        )

    @extend_schema(request=input_serializer_class, responses={201: EnterpriseMonthSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=input_serializer_class, responses=EnterpriseMonthSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


class EnterpriseTagViewSet(
    DatasetWriteMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Tags (链主, 专精特新 …) with source and validity; one per enterprise and kind."""

    allowed_roles = ALL_ROLES
    dataset = tag_dataset
    input_serializer_class = input_serializer(tag_dataset, "EnterpriseTagInput")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return EnterpriseTagSerializer

    def get_queryset(self):
        return (
            EnterpriseTag.objects.visible_to(self.request.user)
            .select_related("enterprise")
            .order_by("enterprise_id", "kind")
        )

    @extend_schema(request=input_serializer_class, responses={201: EnterpriseTagSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=input_serializer_class, responses=EnterpriseTagSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)
