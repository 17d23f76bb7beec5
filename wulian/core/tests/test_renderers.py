"""The API's JSON renderer writes DRF's bytes (core.api.renderers)."""

import dataclasses
import datetime as dt
import json
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from wulian.core.api.renderers import JSONRenderer
from wulian.core.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclasses.dataclass
class Point:
    x: int


SAMPLES = {
    "text": {"名称": "衢州市“五链”融合", "escaped": 'a"b\\c\n\t\x01', "emoji": "🏭"},
    "line separators": {"text": "一\u2028二\u2029三"},
    "numbers": [0, -1, 2**63 - 1, 2**64 - 1, 0.1, 1.5, 1e16, 1e22, -0.0, 123456789.123],
    "constants": [True, False, None, [], {}],
    "serializer containers": ReturnDict(
        {"a": ReturnList([1, 2], serializer=None)}, serializer=None
    ),
    "error details": {"detail": ErrorDetail("不可为空。", code="required")},
    "moments": [
        dt.datetime(2026, 12, 1, 3, 4, 5, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 1, 11, 4, 5, tzinfo=SHANGHAI),
        dt.datetime(2026, 12, 1, 11, 4, 5),
        dt.date(2026, 12, 1),
        dt.time(8, 30),
        dt.timedelta(days=1, seconds=5),
    ],
    "decimals": [Decimal("1234.50"), Decimal("0.10"), Decimal("-3")],
    "lazy translation": {"label": gettext_lazy("已超期")},
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "non-text keys": {1: "一", 2.5: "二", False: "否", None: "空"},
    "tuple and set": {"tuple": (1, "二"), "set": {3}},
    "nested": {"rows": [{"id": i, "tags": [{"kind": "k", "at": None}]} for i in range(3)]},
}


@pytest.mark.parametrize("name", SAMPLES)
def test_the_bytes_are_drfs(name):
    data = SAMPLES[name]
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_a_queryset_is_written_as_drf_writes_it(base_config):
    regions = Region.objects.filter(code__startswith="3308")
    assert regions.exists()
    data = {"regions": regions.values_list("code", flat=True)}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1, 10**30])
def test_what_orjson_cannot_write_is_written_by_drf(value):
    data = {"big": value, "text": "大数"}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)
    assert json.loads(JSONRenderer().render(data))["big"] == value


def test_an_indent_or_the_browsable_api_is_drfs():
    data = {"a": [1, {"b": "二"}]}
    for media_type, context in [("application/json; indent=4", {}), (None, {"indent": 2})]:
        got = JSONRenderer().render(data, media_type, context)
        assert got == renderers.JSONRenderer().render(data, media_type, context)
        assert b"\n" in got


def test_what_drf_refuses_is_refused():
    with pytest.raises(TypeError):
        JSONRenderer().render({"point": Point(1)})
    with pytest.raises(TypeError):
        renderers.JSONRenderer().render({"point": Point(1)})


def test_the_documented_differences_are_the_same_numbers():
    # a float below 1e-4: no exponent, the same number
    assert JSONRenderer().render([0.00001]) == b"[0.00001]"
    assert json.loads(JSONRenderer().render([0.00001])) == [1e-05]
    # NaN: null where DRF's strict JSON refuses the answer
    assert JSONRenderer().render({"x": float("nan")}) == b'{"x":null}'


def test_the_api_answers_with_this_renderer(client, users):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users["leader"])
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, JSONRenderer)
    assert response.content == renderers.JSONRenderer().render(response.data)
