"""Fusion datasets and target companies: round trip, refusal without writing, API writes."""

import datetime as dt

import pytest

from wulian.chains.models import Chain, Link, TargetCompany
from wulian.core.datasets import registry
from wulian.core.tests.roundtrip import fill_template, round_trip
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.fusion.models import (
    ChainScore,
    FinancingEvent,
    Fund,
    PeerLinkOutput,
    Platform,
    TalentDemand,
    TalentSupply,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chains(base_config):
    xcl = Chain.objects.create(code="xcl", name="新材料", sort=1)
    tzz = Chain.objects.create(code="tzz", name="特种纸", sort=2)
    Link.objects.create(chain=xcl, code="ptfe", name="含氟聚合物", segment="mid")
    Link.objects.create(chain=xcl, code="hf", name="氢氟酸", segment="up")
    Link.objects.create(chain=tzz, code="pulp", name="木浆", segment="up")
    return EnterpriseFactory(region_id="330825"), EnterpriseFactory(region_id="330803")


CASES = {
    "platforms": lambda a, b: [
        [
            "氟硅研究院",
            "研究院",
            "省级",
            "新材料·含氟聚合物、新材料·氢氟酸",
            "浙大衢州研究院",
            a.uscc,
            1200.5,
            "《衢州之进》",
        ],
        ["特种纸中试平台", "中试平台", None, "特种纸·木浆", None, None, None, None],
    ],
    "talent-demand": lambda a, b: [
        ["新材料·含氟聚合物", a.uscc, "高分子工程师", 6, "硕士", 2025],
        ["特种纸·木浆", None, "制浆技工", 20, "技能人才", 2025],
    ],
    "talent-supply": lambda a, b: [
        ["新材料·氢氟酸", "高校专业毕业生", "衢州学院·化工", 40, "本科", 2025],
    ],
    "funds": lambda a, b: [
        ["新材料产业基金", 200000, "衢州金控", "新材料·含氟聚合物", 2021],
        ["特种纸基金", 50000.5, None, None, None],
    ],
    "financing": lambda a, b: [
        [a.uscc, "新材料·含氟聚合物", "股权融资", 3000, dt.date(2025, 3, 1), None],
        [b.uscc, None, "贷款", 800.25, dt.date(2025, 6, 18), None],
    ],
    "peer-outputs": lambda a, b: [
        ["宁波市", "新材料·含氟聚合物", 2024, 1250000],
        ["杭州市", "特种纸·木浆", 2024, 90000],
    ],
    "target-companies": lambda a, b: [
        ["示例氟材料股份有限公司", None, "上海", 560000, "新材料·含氟聚合物", a.uscc, "龙头"],
        ["示例纸业集团", None, "杭州", None, "新材料·氢氟酸、特种纸·木浆", None, None],
    ],
}


@pytest.mark.parametrize("name", list(CASES))
def test_round_trip(chains, users, name):
    a, b = chains
    wanted, exported = round_trip(registry.get(name), CASES[name](a, b), users["leader"])
    assert exported == wanted


@pytest.mark.parametrize(
    ("name", "row", "column", "message"),
    [
        ("platforms", ["X", "研究所", None, None, None, None, None, None], "类型", "不在允许值中"),
        (
            "platforms",
            ["X", "研究院", None, "新材料·石墨烯", None, None, None, None],
            "服务环节",
            "未知环节",
        ),
        ("talent-demand", ["新材料·含氟聚合物", None, "岗", -1, "本科", 2025], "人数", "负数"),
        ("funds", ["F", None, None, None, None], "规模（万元）", "不能为空"),
        (
            "financing",
            ["91330825MA2B4QXC5D", None, "贷款", 1, "2025-13-01", None],
            "日期",
            "不是有效的日期",
        ),
        ("peer-outputs", ["上海市", "新材料·含氟聚合物", 2024, 1], "城市", "不是省内对标城市"),
    ],
)
def test_bad_rows_write_nothing(chains, users, name, row, column, message):
    dataset = registry.get(name)
    good = CASES[name](*chains)[0]
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, [good, row]))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message
    for model in (Platform, TalentDemand, TalentSupply, Fund, FinancingEvent, PeerLinkOutput):
        assert not model.objects.exists()


def test_reimport_updates_by_key_and_scores_follow(chains, users):
    dataset = registry.get("funds")
    assert dataset.run(actor=users["leader"], data=fill_template(dataset, CASES["funds"](*chains)))
    assert ChainScore.objects.count() == 2
    report = dataset.run(
        actor=users["leader"],
        data=fill_template(dataset, [["新材料产业基金", 300000, "衢州金控", "xcl/hf", 2021]]),
    )
    assert (report.created, report.updated) == (0, 1)
    fund = Fund.objects.get(name="新材料产业基金")
    assert fund.size_wan == 300000 and [link.code for link in fund.links.all()] == ["hf"]


def test_api_writes_validate_like_the_import(chains, users, api_client):
    a, _b = chains
    api_client.force_authenticate(users["chief_xcl"])
    body = {"name": "氟硅研究院", "kind": "institute", "links": "新材料·含氟聚合物", "uscc": a.uscc}
    created = api_client.post("/api/v1/platforms/", body, format="json")
    assert created.status_code == 201, created.content
    bad = api_client.post("/api/v1/platforms/", {**body, "links": "新材料·石墨烯"}, format="json")
    assert bad.status_code == 400 and "未知环节" in str(bad.json())
    pk = created.json()["id"]
    patched = api_client.patch(f"/api/v1/platforms/{pk}/", {"level": "national"}, format="json")
    assert patched.status_code == 200 and Platform.objects.get().level == "national"
    demand = api_client.post(
        "/api/v1/talent-demands/",
        {"link": "xcl/ptfe", "position": "工程师", "count": 3, "level": "master", "year": 2025},
        format="json",
    )
    assert demand.status_code == 201, demand.content
    api_client.force_authenticate(users["county_ly"])
    assert api_client.post("/api/v1/funds/", {"name": "F", "size_wan": 1}).status_code == 403
    assert TargetCompany.objects.count() == 0


def test_api_target_company_write_goes_through_the_import(chains, users, api_client):
    api_client.force_authenticate(users["chief_xcl"])
    body = {"name": "示例氟材料", "links": "新材料·含氟聚合物", "revenue_wan": "5600"}
    created = api_client.post("/api/v1/target-companies/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = api_client.patch(
        f"/api/v1/target-companies/{pk}/", {"headquarters": "上海"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    company = TargetCompany.objects.get(pk=pk)
    assert company.headquarters == "上海" and company.links.count() == 1
    bad = api_client.post("/api/v1/target-companies/", {**body, "links": "无此环节"}, format="json")
    assert bad.status_code == 400 and "links" in bad.json()
