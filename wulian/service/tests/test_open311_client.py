"""Open311 as outside clients see it, over HTTP against a live server.

Reads go through `georeport` (PyPI), a GeoReport v2 client written for US city endpoints, in
both of its formats. It has no method for filing, so the POST is sent with `requests` exactly
as the standard describes it (form-encoded, `api_key`, `account_id`). The older PyPI clients,
`open311` (2011) and `three` (2013), do not import on Python 3.
"""

import pytest
import requests
from georeport import GeoReport

from wulian.service.models import ServiceRequest
from wulian.service.open311_services import issue_open311_key

from .test_open311 import world  # noqa: F401  (fixture)


@pytest.fixture
def endpoint(live_server):
    return f"{live_server.url}/open311/v2"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definition_and_requests_anonymously(endpoint, world, fmt):  # noqa: F811
    client = GeoReport(endpoint, jurisdiction="330800", output_format=fmt)
    services = client.get_service_list()
    assert {s["service_code"] for s in services} >= {"land", "labor", "finance", "policy"}
    land = client.get_service_definition("land")
    attributes = land["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["area_mu", "land_use"]
    rows = client.get_service_requests(status="open")
    rows = rows if isinstance(rows, list) else [rows]
    assert {r["service_request_id"] for r in rows} == {
        str(world["own"].pk),
        str(world["other"].pk),
    }
    assert "演示企业" not in str(rows) and all("account_id" not in r for r in rows)
    one = client.get_service_request(str(world["own"].pk))
    assert one["service_code"] == "policy" and one["address"] == "龙游县"


def test_georeport_sees_the_standard_errors(endpoint, world):  # noqa: F811
    client = GeoReport(endpoint, jurisdiction="330100")
    with pytest.raises(requests.HTTPError) as caught:
        client.get_service_list()
    assert caught.value.response.status_code == 404
    assert caught.value.response.json()[0]["code"] == 404


def test_a_hotline_files_over_http_and_the_dispatcher_sees_it(
    endpoint,
    live_server,
    users,
    world,  # noqa: F811
):
    _key, raw = issue_open311_key(actor=users["admin"], name="12345热线")
    response = requests.post(
        f"{endpoint}/requests.json",
        data={
            "api_key": raw,
            "jurisdiction_id": "330800",
            "service_code": "labor",
            "account_id": world["enterprise"].uscc,
            "description": "春节后一线操作工缺口较大",
            "attribute[headcount]": "35",
            "phone": "12345",
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    (body,) = response.json()
    obj = ServiceRequest.objects.get(pk=body["service_request_id"])
    assert obj.status == "submitted" and "缺工人数：35" in obj.description
    # the request is readable at once through the client, redacted
    seen = GeoReport(endpoint).get_service_request(body["service_request_id"])
    assert seen["status"] == "open" and seen["service_code"] == "labor"
    # and waits on the dispatcher's board
    session = requests.Session()
    token = session.post(
        f"{live_server.url}/api/v1/auth/token/",
        json={"username": "dispatcher", "password": "wulian-demo"},
        timeout=30,
    )
    assert token.status_code == 200, token.text
    listed = session.get(
        f"{live_server.url}/api/v1/service-requests/?status=submitted",
        headers={"Authorization": f"Token {token.json()['token']}"},
        timeout=30,
    ).json()
    assert body["service_request_id"] in {str(r["id"]) for r in listed["results"]}
