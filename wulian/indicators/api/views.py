"""Indicator API: catalogue, observations, targets, series, summary, rankings, progress."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.api.datasets import FileDatasetWriteMixin, input_serializer

from .. import services
from ..choices import RankBasis
from ..datasets import observation_dataset
from ..filtersets import IndicatorFilterSet, ObservationFilterSet, TargetFilterSet
from ..models import Indicator, Observation, Target
from ..periods import Period, PeriodError
from ..permissions import READ_ROLES, checked_region
from .serializers import (
    IndicatorSerializer,
    ObservationSerializer,
    ProgressSerializer,
    RankingSerializer,
    SeriesSerializer,
    SummarySerializer,
    TargetSerializer,
)

REGION = OpenApiParameter("region", str, description="GB/T 2260 区划代码，默认 330800（衢州市）")
FROM = OpenApiParameter("from", str, description="起始期间，如 2020")
TO = OpenApiParameter("to", str, description="截止期间，如 2025")


def _period(value: str | None, name: str, required: bool = False) -> str | None:
    if not value:
        if required:
            raise ValidationError({name: _("必须提供期间，如 2024、2024Q3 或 2024-11")})
        return None
    try:
        return Period.parse(value).id
    except PeriodError as exc:
        raise ValidationError({name: str(exc)}) from exc


def _indicator_param(request) -> Indicator:
    """The indicator named by `?indicator=<code>`: a missing or unknown code is bad input."""
    code = request.query_params.get("indicator", "")
    if not code:
        raise ValidationError({"indicator": _("必须提供指标代码。")})
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise ValidationError({"indicator": _("没有代码为 %(c)s 的指标。") % {"c": code[:40]}})
    return indicator


def _span_payload(span):
    if not span:
        return None
    return {
        "from_period": span["from"].period,
        "to_period": span["to"].period,
        "years": span["years"],
        "change": span["change"].as_dict(),
        "cagr_pct": span["cagr_pct"],
        "approximate": span["approximate"],
        "synthetic": span["synthetic"],
    }


def _progress_payload(indicator, region, progress):
    if not progress:
        return None
    point, base = progress["point"], progress["base"]
    return {
        "indicator": indicator.code,
        "region": region,
        "period": point.period if point else progress["target_period"],
        "value": point.value if point else None,
        "base_value": base.value if base else None,
        **{k: progress[k] for k in ("target_value", "target_kind", "target_period")},
        **{k: progress[k] for k in ("progress_pct", "time_pct", "needed_growth_pct", "gap")},
        **{k: progress[k] for k in ("direction", "synthetic")},
    }


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue; series and summary per indicator."""

    allowed_roles = READ_ROLES
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"
    queryset = Indicator.objects.select_related(
        "numerator", "denominator", "part_of", "department"
    ).order_by("sort", "code")

    @extend_schema(parameters=[REGION, FROM, TO], responses=SeriesSerializer)
    @action(detail=True)
    def series(self, request, code=None):
        """Values in period order, with source and flags (synthetic, 预计, revised)."""
        indicator = get_object_or_404(self.get_queryset(), code=code)
        region = checked_region(request.user, request.query_params.get("region"))
        start = _period(request.query_params.get("from"), "from")
        end = _period(request.query_params.get("to"), "to")
        pts = services.series(indicator, region, start, end)
        data = {
            "indicator": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "region": region,
            "points": [p.as_dict() for p in pts],
        }
        return Response(SeriesSerializer(data).data)

    @extend_schema(parameters=[REGION, FROM, TO], responses=SummarySerializer)
    @action(detail=True)
    def summary(self, request, code=None):
        """Latest value, YoY, CAGR over the span, target progress, rank and grade."""
        indicator = get_object_or_404(self.get_queryset(), code=code)
        region = checked_region(request.user, request.query_params.get("region"))
        start = _period(request.query_params.get("from"), "from")
        end = _period(request.query_params.get("to"), "to")
        result = services.summary(indicator, region, start, end)
        data = {
            "indicator": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "kind": indicator.kind,
            "direction": indicator.direction,
            "region": region,
            "latest": result["latest"].as_dict() if result["latest"] else None,
            "change": result["change"].as_dict() if result["change"] else None,
            "yoy_pct": result["yoy_pct"],
            "span": _span_payload(result["span"]),
            "cagr": _span_payload(result["cagr"]),
            "progress": _progress_payload(indicator, region, result["progress"]),
            "rank_level": _row(result["rank_level"]),
            "rank_growth": _row(result["rank_growth"]),
        }
        return Response(SummarySerializer(data).data)


def _row(row):
    return None if row is None else row.as_dict()


_OBSERVATION_INPUT = input_serializer(observation_dataset, "ObservationInput")


class ObservationViewSet(
    FileDatasetWriteMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Stored values; `region` defaults to the city (330800), `region=all` lists every region
    the caller may see. POST (upsert by indicator, region and period) and PATCH write through
    the statistics import, with its checks and audit."""

    allowed_roles = READ_ROLES
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet
    dataset = observation_dataset
    input_serializer_class = _OBSERVATION_INPUT
    key_fields = ("indicator", "region", "period")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def record_for(self, values):
        from django.db.models import Q

        from ..periods import parse_label

        period, cumulative = parse_label(values["period"])
        name = str(values["indicator"]).strip()
        region = str(values["region"]).strip()
        return Observation.objects.select_related("indicator").get(
            Q(indicator__code__iexact=name) | Q(indicator__name=name),
            Q(region_id=region) | Q(region__name=region) | Q(region__short_name=region),
            period=period.id,
            cumulative=cumulative,
        )

    def current_values(self, obj):
        from ..datasets import _value

        return {
            "indicator": obj.indicator.code,
            "region": obj.region_id,
            "period": obj.period_label,
            "value": _value(obj),
        }

    @extend_schema(request=_OBSERVATION_INPUT, responses={201: ObservationSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=_OBSERVATION_INPUT, responses=ObservationSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Observation.objects.visible_to(self.request.user)
            .select_related("indicator")
            .order_by("indicator__sort", "region_id", "period", "cumulative")
        )


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Targets (年度目标, 五年规划目标) by indicator, region and period."""

    allowed_roles = READ_ROLES
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet

    def get_queryset(self):
        return (
            Target.objects.visible_to(self.request.user)
            .select_related("indicator")
            .order_by("indicator__sort", "region_id", "period")
        )


class RankingView(APIView):
    """The province's eleven cities ranked for one indicator and period (保五争三拼第一).

    By level or by change (`basis=growth`), both following the indicator's direction of good:
    for a lower-is-better indicator the fastest fall ranks first. `is_synthetic` on the table
    and `rank_synthetic` on each row say the ranks are illustrative (示意) because a compared
    value is synthetic."""

    allowed_roles = READ_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", str, required=True, description="指标代码"),
            OpenApiParameter("period", str, required=True, description="期间，如 2024"),
            OpenApiParameter("basis", str, enum=RankBasis.values, description="level 或 growth"),
            OpenApiParameter("cumulative", OpenApiTypes.BOOL, description="1–N月累计值"),
        ],
        responses=RankingSerializer,
    )
    def get(self, request):
        indicator = _indicator_param(request)
        period = _period(request.query_params.get("period"), "period", required=True)
        basis = request.query_params.get("basis") or RankBasis.LEVEL
        if basis not in RankBasis.values:
            raise ValidationError({"basis": _("应为 level（总量）或 growth（增速）")})
        cumulative = request.query_params.get("cumulative") in ("1", "true", "True")
        table = services.rank_table(indicator, period, basis, cumulative)
        data = {
            "indicator": indicator.code,
            "kind": indicator.kind,
            "direction": indicator.direction,
            "period": table.period,
            "cumulative": cumulative,
            "basis": basis,
            "basis_label": table.basis_label,
            "is_synthetic": table.is_synthetic,
            "rows": [_row(r) for r in table.rows],
        }
        return Response(RankingSerializer(data).data)


class ProgressView(APIView):
    """Target progress of one indicator for a period and region."""

    allowed_roles = READ_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", str, required=True, description="指标代码"),
            OpenApiParameter("period", str, required=True, description="期间，如 2025-10"),
            REGION,
        ],
        responses=ProgressSerializer,
    )
    def get(self, request):
        indicator = _indicator_param(request)
        period = _period(request.query_params.get("period"), "period", required=True)
        region = checked_region(request.user, request.query_params.get("region"))
        progress = services.progress_for(indicator, period, region)
        if progress is None:
            raise ValidationError({"period": _("该期间没有设定目标。")})
        return Response(ProgressSerializer(_progress_payload(indicator, region, progress)).data)
