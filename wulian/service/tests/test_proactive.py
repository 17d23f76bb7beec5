"""我呼企应: a chain office files a request for a flagged enterprise; the flag records it."""

import datetime as dt
from decimal import Decimal

import pytest

from wulian.enterprises.early_warning import ensure_default_rules, evaluate_warnings
from wulian.enterprises.models import EnterpriseMonth, WarningFlag
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.service.demo import load_categories
from wulian.service.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(base_config):
    load_categories()
    ensure_default_rules()
    enterprise = EnterpriseFactory(region_id="330825", chain_code="xcl", name="下滑企业")
    values = {dt.date(2024, m, 1): 1000 for m in (8, 9, 10)}
    values |= {dt.date(2025, 8, 1): 600, dt.date(2025, 9, 1): 600, dt.date(2025, 10, 1): 600}
    EnterpriseMonth.objects.bulk_create(
        EnterpriseMonth(enterprise=enterprise, month=m, output_wan=Decimal(v))
        for m, v in values.items()
    )
    evaluate_warnings()
    return WarningFlag.objects.get(enterprise=enterprise, rule__metric="output_wan")


def test_chain_office_files_from_the_page_and_the_flag_remembers(flag, users, client):
    client.force_login(users["chief_xcl"])
    form = client.get(f"/service/proactive/{flag.pk}/")
    assert form.status_code == 200 and "连续3个月同比下降" in form.content.decode()
    response = client.post(
        f"/service/proactive/{flag.pk}/",
        {"category": "policy", "title": "产值下滑，了解困难", "description": "请协调解决。"},
    )
    filed = ServiceRequest.objects.get(enterprise=flag.enterprise)
    assert response.status_code == 302 and response.url == filed.get_absolute_url()
    assert filed.created_by == users["chief_xcl"] and filed.status == "submitted"
    assert "我呼企应" in filed.events.get().reason
    flag.refresh_from_db()
    assert flag.status == "request" and flag.action_url == filed.get_absolute_url()
    assert f"#{filed.pk}" in flag.action_note
    # acted on: a second request from the same flag is refused
    again = client.post(
        f"/service/proactive/{flag.pk}/",
        {"category": "policy", "title": "x", "description": "y"},
    )
    assert again.status_code == 400 and "已处置" in again.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_api_drafts_from_the_evidence_and_is_scoped(flag, users, api_client):
    api_client.force_authenticate(users["ent_demo"])
    url = f"/api/v1/warnings/{flag.pk}/service-request/"
    assert api_client.post(url, {"category": "policy"}).status_code == 403
    users["chief_xcl"].chain_code = "tzz"
    users["chief_xcl"].save()
    api_client.force_authenticate(users["chief_xcl"])
    assert api_client.post(url, {"category": "policy"}).status_code == 404
    api_client.force_authenticate(users["county_ly"])
    assert api_client.post(url, {"category": "nope"}).status_code == 400
    created = api_client.post(url, {"category": "policy"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "submitted" and body["title"].startswith("运行监测预警")
    assert "2025-10：600.00，对比期 2024-10：1,000.00，变化 -40.0%" in body["description"]
    assert WarningFlag.objects.get(pk=flag.pk).status == "request"
