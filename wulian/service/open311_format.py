"""How Open311 GeoReport v2 answers look: rows, redaction, XML, and the standard error list.

Shared by the views in `open311.py`. A request is shown either redacted (to anyone) or in
full (to a signed-in user whose scope, `ServiceRequest.objects.visible_to`, includes it).
"""

from __future__ import annotations

import functools

import xmltodict
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, OperationalError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from .choices import DONE_STATUSES, RequestStatus
from .models import ServiceCategory, ServiceRequest

# ---------------------------------------------------------------- serializers (the schema)


class Open311ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.BooleanField(help_text="true：提交时需按服务定义填写补充信息")
    type = serializers.CharField()
    keywords = serializers.CharField()
    group = serializers.CharField()


class Open311ValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class Open311AttributeSerializer(serializers.Serializer):
    variable = serializers.BooleanField()
    code = serializers.CharField()
    datatype = serializers.ChoiceField(
        choices=["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    )
    required = serializers.BooleanField()
    datatype_description = serializers.CharField()
    order = serializers.IntegerField()
    description = serializers.CharField()
    values = Open311ValueSerializer(many=True)


class Open311DefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = Open311AttributeSerializer(many=True)


class Open311RequestSerializer(serializers.Serializer):
    """One request. The last four fields are extensions, present only in full detail."""

    service_request_id = serializers.CharField()
    status = serializers.CharField(help_text="open 或 closed")
    status_notes = serializers.CharField()
    service_name = serializers.CharField()
    service_code = serializers.CharField()
    description = serializers.CharField(
        help_text="公开时：类别标为不公开的诉求为空，其余去掉企业名称"
    )
    agency_responsible = serializers.CharField()
    service_notice = serializers.CharField()
    requested_datetime = serializers.DateTimeField()
    updated_datetime = serializers.DateTimeField()
    expected_datetime = serializers.DateTimeField(allow_null=True)
    address = serializers.CharField(help_text="区县")
    address_id = serializers.CharField(help_text="区县的区划代码")
    zipcode = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)
    media_url = serializers.CharField()
    synthetic = serializers.BooleanField(help_text="演示用合成数据")
    title = serializers.CharField(required=False, help_text="仅完整信息")
    account_id = serializers.CharField(required=False, help_text="企业统一社会信用代码，仅完整信息")
    enterprise_name = serializers.CharField(required=False, help_text="仅完整信息")


class Open311CreateSerializer(serializers.Serializer):
    """The form fields of POST requests.json (application/x-www-form-urlencoded)."""

    api_key = serializers.CharField(help_text="由 python manage.py open311_key NAME 签发")
    service_code = serializers.CharField()
    account_id = serializers.CharField(help_text="企业的统一社会信用代码")
    description = serializers.CharField()
    jurisdiction_id = serializers.CharField(required=False, help_text="330800（衢州市）")
    first_name = serializers.CharField(required=False)
    last_name = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    address_string = serializers.CharField(required=False)
    attribute = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="补充信息：attribute[code]=值；多选 attribute[code][]=值1&attribute[code][]=值2",
    )


class Open311CreatedSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField()
    account_id = serializers.CharField()


# ---------------------------------------------------------------- rows


def service_row(category: ServiceCategory) -> dict:
    deadlines = _("受理 %(a)d 个工作日内，答复 %(b)d 个工作日内") % {
        "a": category.accept_days,
        "b": category.answer_days,
    }
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": (
            f"{category.description}（{deadlines}）" if category.description else deadlines
        ),
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": category.name,
        "group": _("企呼我应"),
    }


COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")
PLACE_PREFIXES = ("浙江省", "浙江", "衢州市", "衢州")
MASK = "某企业"
STATUS_LABELS = {value: str(label) for value, label in RequestStatus.choices}


@functools.lru_cache(maxsize=4096)
def _names_of(name: str, uscc: str) -> tuple[str, ...]:
    """The enterprise's name, the shorter forms people write (without suffix or place) and its
    USCC, longest first."""
    names = {name, uscc}
    core = name
    for suffix in COMPANY_SUFFIXES:
        if core.endswith(suffix):
            core = core[: -len(suffix)]
            break
    names.add(core)
    for prefix in PLACE_PREFIXES:
        if core.startswith(prefix):
            names.add(core[len(prefix) :])
            break
    return tuple(sorted((n for n in names if len(n) >= 2), key=len, reverse=True))


def scrub(text: str, enterprise) -> str:
    """`text` without the enterprise's name (and short forms) or USCC."""
    for name in _names_of(enterprise.name, enterprise.uscc):
        text = text.replace(name, MASK)
    return text


def w3c(moment) -> str | None:
    """A W3C date-time in the city's time zone, as the standard asks."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def request_row(obj: ServiceRequest, *, full: bool, media_url: str = "") -> dict:
    """One request in the GeoReport v2 shape; redacted unless `full`.

    Built directly rather than through a serializer: lists run to 1,000 rows.
    `Open311RequestSerializer` documents the shape in the schema.
    """
    closed = obj.status in DONE_STATUSES
    if full:
        description = obj.description
    elif obj.category.is_private:
        description = ""
    else:
        description = scrub(obj.description, obj.enterprise)
    row = {
        "service_request_id": str(obj.pk),
        "status": "closed" if closed else "open",
        "status_notes": STATUS_LABELS[obj.status],
        "service_name": obj.category.name,
        "service_code": obj.category.code,
        "description": description,
        "agency_responsible": obj.department.name if obj.department_id else _("营商办（待派单）"),
        "service_notice": "",
        "requested_datetime": w3c(obj.submitted_at),
        "updated_datetime": w3c(obj.updated_at),
        "expected_datetime": None if closed else w3c(obj.due_at),
        "address": obj.region.name if obj.region_id else "",
        "address_id": obj.region_id or "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": media_url if full else "",
        "synthetic": obj.is_synthetic,
    }
    if full:
        row.update(
            title=obj.title, account_id=obj.enterprise.uscc, enterprise_name=obj.enterprise.name
        )
    return row


# ---------------------------------------------------------------- XML


class Open311XMLRenderer(BaseRenderer):
    """GeoReport v2 XML: `<services><service>…`, `<service_requests><request>…`, `<errors>`.

    The view names the root and item elements (`xml_tags`); lists nested in a row take the
    singular element names the standard uses (`attributes/attribute`, `values/value`).
    """

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"
    NESTED = {"attributes": "attribute", "values": "value"}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and response.exception:
            root, item = "errors", "error"
        else:
            root, item = getattr(context.get("view"), "xml_tags", ("response", None))
        body = self._nest(data)
        return xmltodict.unparse({root: {item: body} if item else body}, encoding=self.charset)

    def _nest(self, data):
        if isinstance(data, dict):
            return {
                key: {self.NESTED[key]: self._nest(value)}
                if key in self.NESTED and isinstance(value, list)
                else self._nest(value)
                for key, value in data.items()
            }
        if isinstance(data, list):
            return [self._nest(item) for item in data]
        return data


# ---------------------------------------------------------------- errors


def _flatten(detail, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            label = "" if key in ("__all__", "non_field_errors", "detail") else str(key)
            out += _flatten(value, label)
        return out
    if isinstance(detail, (list, tuple)):
        return [line for item in detail for line in _flatten(item, prefix)]
    text = str(detail)
    return [f"{prefix}：{text}" if prefix else text]


def _describe(exc) -> tuple[int, list[str]] | None:
    if isinstance(exc, (OverflowError, DataError)):
        return 400, [_("参数超出允许范围。")]
    if isinstance(exc, OperationalError):
        return 503, [_("数据库暂时不可用，本次操作未写入任何数据，请稍后重试。")]
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return 400, _flatten(detail)
    if isinstance(exc, Http404):
        return 404, [_("未找到。")]
    if isinstance(exc, DjangoPermissionDenied):
        return 403, [str(exc) or _("没有权限。")]
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return 415, [_("请以 application/x-www-form-urlencoded 表单格式提交。")]
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, _flatten(exc.detail)
    return None


def open311_exception_handler(exc, context):
    """Every error as the standard's list: `[{"code": 400, "description": "…"}]`."""
    described = _describe(exc)
    if described is None:
        return None
    status, lines = described
    response = Response(
        [{"code": status, "description": line} for line in lines or [_("请求有误。")]],
        status=status,
    )
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    set_rollback()
    return response
