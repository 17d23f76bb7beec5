"""Open311 GeoReport v2 read endpoints, so standard civic tools can read the loop.

`services.json` lists the categories; `requests.json` the requests the caller may see (the
same `visible_to` scope as everywhere else). Only the read side of the standard is offered:
requests are filed through the platform's own API, which knows the enterprise.
"""

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.permissions import ALL_ROLES

from .choices import DONE_STATUSES
from .models import ServiceCategory, ServiceRequest

MAX_REQUESTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)


class Open311ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.BooleanField()
    type = serializers.CharField()
    keywords = serializers.CharField()
    group = serializers.CharField()


class Open311RequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    status = serializers.CharField(help_text="open 或 closed")
    status_notes = serializers.CharField()
    service_name = serializers.CharField()
    service_code = serializers.CharField()
    description = serializers.CharField()
    agency_responsible = serializers.CharField()
    service_notice = serializers.CharField()
    requested_datetime = serializers.DateTimeField()
    updated_datetime = serializers.DateTimeField()
    expected_datetime = serializers.DateTimeField(allow_null=True)
    address = serializers.CharField()
    address_id = serializers.CharField()
    zipcode = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)
    media_url = serializers.CharField()


def _service(category: ServiceCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description
        or f"受理 {category.accept_days} 个工作日内，答复 {category.answer_days} 个工作日内",
        "metadata": False,
        "type": "realtime",
        "keywords": category.name,
        "group": "企呼我应",
    }


def _request(obj: ServiceRequest) -> dict:
    closed = obj.status in DONE_STATUSES
    return {
        "service_request_id": str(obj.pk),
        "status": "closed" if closed else "open",
        "status_notes": obj.get_status_display(),
        "service_name": obj.category.name,
        "service_code": obj.category.code,
        "description": obj.title,
        "agency_responsible": obj.department.name if obj.department_id else "",
        "service_notice": "",
        "requested_datetime": obj.submitted_at,
        "updated_datetime": obj.updated_at,
        "expected_datetime": None if closed else obj.due_at,
        "address": obj.region.name if obj.region_id else "",
        "address_id": obj.region_id or "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


class Open311View(APIView):
    allowed_roles = ALL_ROLES
    renderer_classes = [JSONRenderer]


class ServicesView(Open311View):
    """GeoReport v2 service list: the request categories."""

    @extend_schema(responses=Open311ServiceSerializer(many=True), operation_id="open311_services")
    def get(self, request):
        rows = [_service(c) for c in ServiceCategory.objects.filter(is_active=True)]
        return Response(Open311ServiceSerializer(rows, many=True).data)


def _parse_moment(value: str, name: str):
    moment = parse_datetime(value.replace(" ", "+")) if value else None
    if value and moment is None:
        raise ValidationError({name: "应为 W3C 日期时间，如 2026-01-01T00:00:00+08:00"})
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class RequestsView(Open311View):
    """GeoReport v2 request list, scoped to what the caller may see.

    As in the standard: without dates, the last 90 days; at most 1000 requests.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("service_request_id", str, description="逗号分隔的多个编号"),
            OpenApiParameter("service_code", str),
            OpenApiParameter("status", str, enum=["open", "closed"]),
            OpenApiParameter("start_date", str),
            OpenApiParameter("end_date", str),
        ],
        responses=Open311RequestSerializer(many=True),
        operation_id="open311_requests",
    )
    def get(self, request):
        params = request.query_params
        qs = (
            ServiceRequest.objects.visible_to(request.user)
            .select_related("category", "department", "region")
            .order_by("-submitted_at", "-id")
        )
        ids = [p for p in params.get("service_request_id", "").split(",") if p.strip()]
        if ids:
            if not all(p.strip().isdigit() for p in ids):
                raise ValidationError({"service_request_id": "应为数字编号"})
            qs = qs.filter(pk__in=[int(p) for p in ids])
        else:
            start = _parse_moment(params.get("start_date", ""), "start_date")
            end = _parse_moment(params.get("end_date", ""), "end_date")
            if start is None and end is None:
                start = timezone.now() - DEFAULT_WINDOW
            if start is not None:
                qs = qs.filter(submitted_at__gte=start)
            if end is not None:
                qs = qs.filter(submitted_at__lte=end)
        if params.get("service_code"):
            qs = qs.filter(category__code__in=params["service_code"].split(","))
        state = params.get("status", "")
        if state == "open":
            qs = qs.exclude(status__in=DONE_STATUSES)
        elif state == "closed":
            qs = qs.filter(status__in=DONE_STATUSES)
        rows = [_request(obj) for obj in qs[:MAX_REQUESTS]]
        return Response(Open311RequestSerializer(rows, many=True).data)


class RequestView(Open311View):
    """GeoReport v2 single request (as a one-element list, as the standard says)."""

    @extend_schema(responses=Open311RequestSerializer(many=True), operation_id="open311_request")
    def get(self, request, pk: int):
        obj = (
            ServiceRequest.objects.visible_to(request.user)
            .select_related("category", "department", "region")
            .filter(pk=pk)
            .first()
        )
        if obj is None:
            raise NotFound()
        return Response(Open311RequestSerializer([_request(obj)], many=True).data)
