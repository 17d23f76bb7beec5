"""亩均论英雄 API: results by year (filters: region, chain, grade), settings, evaluation."""

from django.forms.models import model_to_dict
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.permissions import GOVERNMENT_ROLES

from ..forms import MujunSettingsForm
from ..models import MujunResult, MujunSettings
from ..mujun import evaluate_mujun, latest_year, save_mujun_settings
from ..permissions import MUJUN_EDIT_ROLES, can_edit_mujun
from .serializers import MujunEvaluateSerializer, MujunResultSerializer, MujunSettingsSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("year", int, description="评价年度，默认最近一次评价的年度"),
        OpenApiParameter("region", str, description="区县行政区划代码，默认全市"),
        OpenApiParameter("chain", str, description="主产业链代码，如 xcl"),
        OpenApiParameter("grade", str, enum=["A", "B", "C", "D"]),
    ]
)
class MujunListView(generics.ListAPIView):
    """亩均论英雄 results: {enterprise, uscc, region, score, grade, metrics, reasons …}."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = MujunResultSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MujunResult.objects.none()
        params = self.request.query_params
        year = params.get("year") or latest_year()
        try:
            year = int(year) if year else None
        except ValueError as exc:
            raise ValidationError({"year": ["年度应为四位数字。"]}) from exc
        grade = params.get("grade")
        if grade and grade not in ("A", "B", "C", "D"):
            raise ValidationError({"grade": ["类别应为 A、B、C 或 D。"]})
        return (
            MujunResult.objects.visible_to(self.request.user)
            .for_filters(
                year=year or -1,
                region=params.get("region"),
                chain=params.get("chain"),
                grade=grade,
            )
            .select_related("enterprise", "region")
            .order_by("region_id", "rank")
        )


class MujunSettingsView(APIView):
    """GET the city's 亩均 settings; PATCH them (leaders and departments), validated and audited."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = MujunSettingsSerializer

    @extend_schema(responses=MujunSettingsSerializer)
    def get(self, request):
        return Response(MujunSettingsSerializer(MujunSettings.current()).data)

    @extend_schema(request=MujunSettingsSerializer, responses=MujunSettingsSerializer)
    def patch(self, request):
        if not can_edit_mujun(request.user):
            raise PermissionDenied("您没有修改亩均评价设置的权限。")
        current = MujunSettings.current()
        incoming = MujunSettingsSerializer(current, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = {
            **model_to_dict(current, fields=MujunSettingsForm.Meta.fields),
            **incoming.validated_data,
        }
        form = MujunSettingsForm(data=data, instance=current)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        saved = save_mujun_settings(
            actor=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields}
        )
        return Response(MujunSettingsSerializer(saved).data)


class MujunEvaluateView(APIView):
    """Evaluate a year now (replaces that year's results); answers the count per grade."""

    allowed_roles = MUJUN_EDIT_ROLES
    serializer_class = MujunEvaluateSerializer

    @extend_schema(
        request=MujunEvaluateSerializer,
        responses={
            200: inline_serializer(
                name="MujunEvaluation",
                fields={g: serializers.IntegerField() for g in ("A", "B", "C", "D")},
            )
        },
    )
    def post(self, request):
        body = MujunEvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        counts = evaluate_mujun(actor=request.user, year=body.validated_data["year"])
        return Response(counts, status=status.HTTP_200_OK)
