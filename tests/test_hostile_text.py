"""User-supplied text is never rendered as HTML, and a lost connection never half-writes.

Script payloads go into the text fields that users type (enterprise names through the import,
request titles and descriptions, project and investor names) and every page that shows them
must show them as text.
"""

import re
from pathlib import Path

import pytest
from django.db import OperationalError

from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.service import demo as service_demo
from wulian.service.models import ServiceEvent, ServiceRequest

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ROOT = Path(__file__).resolve().parent.parent


def assert_escaped(response):
    body = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert PAYLOAD not in body
    assert "<img src=x onerror" not in body
    assert "&lt;script&gt;alert(" in body


@pytest.fixture
def world(users):
    own = EnterpriseFactory(name=PAYLOAD, region_id="330803")
    own.accounts.add(users["ent_demo"])
    service_demo.load_categories()
    return own


def test_script_payloads_show_as_text_everywhere(client, api_client, users, world):
    # enterprise name
    client.force_login(users["leader"])
    assert_escaped(client.get("/enterprises/"))
    assert_escaped(client.get(f"/enterprises/{world.pk}/"))

    # a service request's title and description, seen by the enterprise and the dispatcher
    api_client.force_authenticate(users["ent_demo"])
    created = api_client.post(
        "/api/v1/service-requests/",
        {"title": PAYLOAD[:90], "description": PAYLOAD, "category": "finance"},
        format="json",
    )
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    client.force_login(users["ent_demo"])
    assert_escaped(client.get(f"/service/requests/{request_id}/"))
    assert_escaped(client.get("/service/mine/"))
    client.force_login(users["dispatcher"])
    assert_escaped(client.get("/service/board/"))

    # a project's name and investor
    api_client.force_authenticate(users["leader"])
    project = api_client.post(
        "/api/v1/projects/",
        {"name": PAYLOAD, "investor_name": PAYLOAD, "region": "330803", "planned_wan": "100"},
        format="json",
    )
    assert project.status_code == 201, project.content
    client.force_login(users["leader"])
    assert_escaped(client.get(f"/investment/projects/{project.json()['id']}/"))
    assert_escaped(client.get("/investment/"))


def test_templates_never_switch_escaping_off():
    offenders = []
    for path in ROOT.glob("wulian/**/templates/**/*.html"):
        text = path.read_text()
        if re.search(r"\|\s*safe\b|autoescape\s+off", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_lost_connection_during_a_transition_writes_nothing(api_client, users, world, monkeypatch):
    api_client.force_authenticate(users["ent_demo"])
    request_id = api_client.post(
        "/api/v1/service-requests/",
        {"title": "用电增容", "description": "申请增容", "category": "finance"},
        format="json",
    ).json()["id"]
    events_before = ServiceEvent.objects.count()

    def lose_connection(*args, **kwargs):
        # The request row is already updated inside the transaction when this write fails.
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ServiceEvent.objects, "create", lose_connection)
    api_client.force_authenticate(users["dispatcher"])
    response = api_client.post(f"/api/v1/service-requests/{request_id}/accept/", {}, format="json")
    assert response.status_code == 503
    assert "未写入任何数据" in response.json()["detail"]
    assert ServiceRequest.objects.get(pk=request_id).status == "submitted"
    assert ServiceEvent.objects.count() == events_before

    monkeypatch.undo()
    response = api_client.post(f"/api/v1/service-requests/{request_id}/accept/", {}, format="json")
    assert response.status_code == 200
    assert ServiceRequest.objects.get(pk=request_id).status == "accepted"
