"""Open311 GeoReport v2 at /open311/v2/, as standard civic clients expect it.

- `services.{json,xml}` and `services/{code}.{json,xml}` (the definition, with the
  category's extra questions as attributes): public.
- `requests.{json,xml}` and `requests/{id}.{json,xml}`: public but redacted (category,
  status, county, dates, department; never the enterprise, the description of a category
  marked private, or attachments); in full for a signed-in user whose scope
  (`ServiceRequest.objects.visible_to`) includes the request.
- `POST requests.{json,xml}`, form-encoded, with an `api_key` issued by
  `manage.py open311_key NAME` and the enterprise's USCC as `account_id`; the request is
  filed by `open311_services.file_open311_request`, i.e. the platform's own filing.
- Errors as the standard's list `[{"code", "description"}]` with Chinese descriptions.
  `jurisdiction_id` is accepted and must be the city's code (330800) when given.
"""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.models import CITY_CODE

from . import attributes as category_attributes
from .choices import DONE_STATUSES
from .models import ServiceAttachment, ServiceCategory, ServiceRequest
from .open311_format import (
    Open311CreatedSerializer,
    Open311CreateSerializer,
    Open311DefinitionSerializer,
    Open311RequestSerializer,
    Open311ServiceSerializer,
    Open311XMLRenderer,
    open311_exception_handler,
    request_row,
    service_row,
)
from .open311_services import Contact, Open311Filing, active_key, file_open311_request

MAX_REQUESTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,40})\](\[\])?$")

FORMAT = OpenApiParameter(
    "fmt", str, OpenApiParameter.PATH, enum=["json", "xml"], description="json 或 xml"
)
JURISDICTION = OpenApiParameter(
    "jurisdiction_id", str, description=f"可省略；给出时应为 {CITY_CODE}（衢州市）"
)
# A raw schema: drf-spectacular describes a many=True serializer as an array on 2xx only.
ERROR_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}
ERRORS = {
    400: OpenApiResponse(ERROR_LIST, description='输入有误，如 [{"code": 400, "description": …}]'),
    404: OpenApiResponse(ERROR_LIST, description="未找到"),
}


class Open311View(APIView):
    """Open to anyone; a token or session, when sent, only widens what requests show."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, Open311XMLRenderer]
    xml_tags: tuple[str, str | None] = ("response", None)

    def get_format_suffix(self, **kwargs):
        return kwargs.get("fmt")

    def get_exception_handler(self):
        return open311_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        given = request.query_params.get("jurisdiction_id", "")
        if request.method == "POST":
            given = request.data.get("jurisdiction_id", "") or given
        if given.strip() and given.strip() != CITY_CODE:
            raise NotFound(
                _("未知的 jurisdiction_id：%(j)s。本平台只服务衢州市（%(c)s）。")
                % {"j": given.strip()[:20], "c": CITY_CODE}
            )


class Open311ServicesView(Open311View):
    """GeoReport v2 service list: the request categories in use."""

    xml_tags = ("services", "service")

    @extend_schema(
        parameters=[FORMAT, JURISDICTION],
        responses={200: Open311ServiceSerializer(many=True), **ERRORS},
        operation_id="open311_services",
        auth=[],
    )
    def get(self, request, fmt: str):
        rows = [service_row(c) for c in ServiceCategory.objects.filter(is_active=True)]
        return Response(Open311ServiceSerializer(rows, many=True).data)


class Open311ServiceView(Open311View):
    """GeoReport v2 service definition: the extra questions a category asks, if any."""

    xml_tags = ("service_definition", None)

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="诉求类别代码"),
            FORMAT,
            JURISDICTION,
        ],
        responses={200: Open311DefinitionSerializer, **ERRORS},
        operation_id="open311_service_definition",
        auth=[],
    )
    def get(self, request, code: str, fmt: str):
        category = ServiceCategory.objects.filter(code=code, is_active=True).first()
        if category is None:
            raise NotFound(_("没有代码为 %(c)s 的诉求类别。") % {"c": code[:30]})
        body = {
            "service_code": category.code,
            "attributes": category_attributes.definition(category.attributes or []),
        }
        return Response(Open311DefinitionSerializer(body).data)


def _parse_moment(value: str, name: str):
    moment = parse_datetime(value.replace(" ", "+")) if value else None
    if value and moment is None:
        raise ValidationError({name: _("应为 W3C 日期时间，如 2026-01-01T00:00:00+08:00")})
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _base_queryset():
    return ServiceRequest.objects.select_related(
        "category", "department", "region", "enterprise"
    ).order_by("-submitted_at", "-id")


def _rows(request, objs) -> list[dict]:
    """Each request in full if the caller's scope includes it, redacted otherwise."""
    ids = [o.pk for o in objs]
    full: set[int] = set()
    if ids and request.user.is_authenticated:
        full = set(
            ServiceRequest.objects.visible_to(request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
    media: dict[int, str] = {}
    if full:
        first = ServiceAttachment.objects.filter(request_id__in=full).order_by(
            "-uploaded_at", "-id"
        )
        for request_id, uuid in first.values_list("request_id", "uuid"):
            url = reverse("service:attachment", args=[uuid])
            media[request_id] = request.build_absolute_uri(url)  # the earliest wins
    return [request_row(o, full=o.pk in full, media_url=media.get(o.pk, "")) for o in objs]


def _filter(qs, params):
    ids = [p.strip() for p in params.get("service_request_id", "").split(",") if p.strip()]
    if ids:
        if not all(p.isdigit() and len(p) < 12 for p in ids):
            raise ValidationError({"service_request_id": _("应为数字编号，多个用逗号分隔")})
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
    states = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if states - {"open", "closed"}:
        raise ValidationError({"status": _("应为 open 或 closed")})
    if states == {"open"}:
        qs = qs.exclude(status__in=DONE_STATUSES)
    elif states == {"closed"}:
        qs = qs.filter(status__in=DONE_STATUSES)
    return qs


class Open311RequestsView(Open311View):
    """GeoReport v2 requests: read (anyone, redacted outside the caller's scope) and file
    (an integration with an api_key)."""

    xml_tags = ("service_requests", "request")
    parser_classes = [FormParser]

    def dispatch(self, request, *args, **kwargs):
        # Filing is authorised by the api_key alone: no session (so no CSRF), no token.
        self._filing = request.method == "POST"
        return super().dispatch(request, *args, **kwargs)

    def get_authenticators(self):
        return [] if getattr(self, "_filing", False) else super().get_authenticators()

    @extend_schema(
        parameters=[
            FORMAT,
            JURISDICTION,
            OpenApiParameter("service_request_id", str, description="逗号分隔的多个编号"),
            OpenApiParameter("service_code", str, description="逗号分隔的多个类别代码"),
            OpenApiParameter("status", str, description="open、closed，或两者以逗号分隔"),
            OpenApiParameter("start_date", str, description="W3C 日期时间"),
            OpenApiParameter("end_date", str, description="W3C 日期时间"),
        ],
        responses={200: Open311RequestSerializer(many=True), **ERRORS},
        operation_id="open311_requests",
        auth=[{}, {"tokenAuth": []}, {"cookieAuth": []}],
    )
    def get(self, request, fmt: str):
        """Without dates, the last 90 days (as the standard says); at most 1000 requests."""
        qs = _filter(_base_queryset(), request.query_params)
        return Response(_rows(request, list(qs[:MAX_REQUESTS])))

    @extend_schema(
        parameters=[FORMAT],
        request={"application/x-www-form-urlencoded": Open311CreateSerializer},
        responses={
            201: Open311CreatedSerializer(many=True),
            **ERRORS,
            403: OpenApiResponse(ERROR_LIST, description="api_key 无效或已停用"),
            415: OpenApiResponse(ERROR_LIST, description="请求体不是表单格式"),
        },
        operation_id="open311_create_request",
        auth=[],
    )
    def post(self, request, fmt: str):
        data = request.data
        key = active_key(data.get("api_key", ""))
        if key is None:
            raise PermissionDenied(_("api_key 无效或已停用，请向平台管理员申请接入密钥。"))
        given: dict[str, list[str]] = {}
        for name in data:
            match = ATTRIBUTE.match(name)
            if match:
                given.setdefault(match.group(1), []).extend(data.getlist(name))
        filing = Open311Filing(
            service_code=data.get("service_code", ""),
            account_id=data.get("account_id", ""),
            description=data.get("description", ""),
            attributes=given,
            contact=Contact(
                first_name=data.get("first_name", "")[:40],
                last_name=data.get("last_name", "")[:40],
                phone=data.get("phone", "")[:40],
                email=data.get("email", "")[:100],
                address=data.get("address_string", "")[:200],
            ),
        )
        obj = file_open311_request(key=key, filing=filing)
        body = [
            {
                "service_request_id": str(obj.pk),
                "service_notice": _notice(obj),
                "account_id": obj.enterprise.uscc,
            }
        ]
        return Response(Open311CreatedSerializer(body, many=True).data, status=201)


def _notice(obj: ServiceRequest) -> str:
    due = timezone.localtime(obj.due_at).strftime("%Y-%m-%d %H:%M")
    return _(
        "已登记。营商办将于 %(due)s 前受理（%(a)d 个工作日内），受理后 %(b)d 个工作日内答复。"
    ) % {"due": due, "a": obj.category.accept_days, "b": obj.category.answer_days}


class Open311RequestView(Open311View):
    """GeoReport v2 single request (a one-element list, as the standard says)."""

    xml_tags = ("service_requests", "request")

    @extend_schema(
        parameters=[
            OpenApiParameter("pk", int, OpenApiParameter.PATH, description="诉求编号"),
            FORMAT,
            JURISDICTION,
        ],
        responses={200: Open311RequestSerializer(many=True), **ERRORS},
        operation_id="open311_request",
        auth=[{}, {"tokenAuth": []}, {"cookieAuth": []}],
    )
    def get(self, request, pk: str, fmt: str):
        obj = _base_queryset().filter(pk=int(pk)).first()
        if obj is None:
            raise NotFound(_("没有编号为 %(id)s 的诉求。") % {"id": pk})
        return Response(_rows(request, [obj]))
