"""一企一档: the profile shows identity, chains, monthly series, tags, 亩均, requests, projects
and visits; the higher modules add their sections without the registry importing them."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from wulian.chains.models import Chain, EnterpriseLink, Link
from wulian.enterprises.models import EnterpriseMonth, EnterpriseTag, Visit
from wulian.enterprises.mujun import evaluate_mujun
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.investment.services import create_project
from wulian.service.tests.factories import file_request, setup_loop

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(users):
    _categories, enterprise = setup_loop(users)
    enterprise.land_area_mu = 50
    enterprise.industry_code = "C2614"
    enterprise.save()
    chain = Chain.objects.create(code="xcl", name="新材料", sort=1)
    link = Link.objects.create(chain=chain, code="ptfe", name="含氟聚合物", segment="mid")
    EnterpriseLink.objects.create(enterprise=enterprise, link=link, role="main")
    EnterpriseTag.objects.create(
        enterprise=enterprise,
        kind="specialized",
        level="省级",
        source="浙江省经信厅第三批",
        valid_until=dt.date(2030, 1, 1),
    )
    EnterpriseTag.objects.create(
        enterprise=enterprise, kind="high_tech", source="省科技厅", valid_until=dt.date(2020, 1, 1)
    )
    for year, output in ((2024, 1000), (2025, 1200)):
        EnterpriseMonth.objects.bulk_create(
            EnterpriseMonth(
                enterprise=enterprise,
                month=dt.date(year, m, 1),
                output_wan=Decimal(output),
                tax_wan=Decimal(40),
                revenue_wan=Decimal(output),
                electricity_wkwh=Decimal(100),
                employees=80,
                rd_wan=Decimal(20),
            )
            for m in range(1, 11 if year == 2025 else 13)
        )
    other = EnterpriseFactory(region_id="330825", industry_code="C2614", land_area_mu=100)
    EnterpriseMonth.objects.bulk_create(
        EnterpriseMonth(
            enterprise=other,
            month=dt.date(2024, m, 1),
            output_wan=Decimal(300),
            tax_wan=Decimal(5),
            revenue_wan=Decimal(300),
            electricity_wkwh=Decimal(90),
            employees=80,
            rd_wan=Decimal(1),
        )
        for m in range(1, 13)
    )
    evaluate_mujun(actor=None, year=2024)
    file_request(users, title="用地指标咨询")
    create_project(
        actor=users["econ"],
        name="含氟新材料扩产项目",
        region="330825",
        investor_name="本企业",
        links=[link],
        planned_wan=50000,
        uscc=enterprise.uscc,
    ).__class__.objects.filter(name="含氟新材料扩产项目").update(enterprise=enterprise)
    Visit.objects.create(
        enterprise=enterprise,
        visited_on=dt.date(2025, 9, 1),
        visitor_name="张三",
        notes="了解扩产用地需求",
    )
    return enterprise


def test_profile_shows_every_part(profile, users, client):
    client.force_login(users["chief_xcl"])
    html = client.get(f"/enterprises/{profile.pk}/").content.decode()
    for text in (
        "基本信息",
        "专精特新",
        "浙江省经信厅第三批",
        "已失效",
        "含氟聚合物（主营）",
        "用地指标咨询",
        "含氟新材料扩产项目",
        "了解扩产用地需求",
        "亩均评价",
        "为本县基准",
    ):
        assert text in html, text
    start = html.index('id="profile-data"')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    output = next(m for m in data["metrics"] if m["key"] == "output_wan")
    assert data["months"][-1] == "2025-10" and output["yoy"][-1] == 20.0
    assert data["chains"] == [
        {
            "code": "xcl",
            "name": "新材料",
            "links": {str(EnterpriseLink.objects.get(enterprise=profile).link_id): "main"},
        }
    ]


def test_enterprise_sees_its_own_profile_without_visits(profile, users, client):
    client.force_login(users["ent_demo"])
    html = client.get(f"/enterprises/{profile.pk}/").content.decode()
    assert "用地指标咨询" in html and "了解扩产用地需求" not in html and "登记走访" not in html
    other = EnterpriseFactory()
    assert client.get(f"/enterprises/{other.pk}/").status_code == 404


def test_visit_form_records_and_refuses_a_future_date(profile, users, client):
    client.force_login(users["county_ly"])
    ok = client.post(
        f"/enterprises/{profile.pk}/",
        {"visited_on": "2025-10-20", "purpose": "回访", "notes": "生产正常"},
    )
    assert ok.status_code == 302
    visit = Visit.objects.get(notes="生产正常")
    assert visit.visitor == users["county_ly"] and visit.visitor_name
    future = client.post(f"/enterprises/{profile.pk}/", {"visited_on": "2099-01-01", "notes": "x"})
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()
    client.force_login(users["ent_demo"])
    assert (
        client.post(f"/enterprises/{profile.pk}/", {"visited_on": "2025-10-20"}).status_code == 403
    )


def test_api_detail_has_chains_with_links(profile, users, api_client):
    api_client.force_authenticate(users["leader"])
    data = api_client.get(f"/api/v1/enterprises/{profile.pk}/").json()
    assert data["chains"][0]["code"] == "xcl"
    assert data["chains"][0]["links"][0]["name"] == "含氟聚合物"
    assert data["chains"][0]["links"][0]["role"] == "main"
    assert {t["kind"]: t["current"] for t in data["tags"]} == {
        "specialized": True,
        "high_tech": False,
    }
