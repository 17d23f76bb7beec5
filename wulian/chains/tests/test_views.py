"""Chain pages: list, map, link panel (scoped), report, editing, target import."""

import io

import openpyxl
import pytest

from wulian.chains.models import TargetCompany
from wulian.enterprises.tests.helpers import xlsx_bytes

from .helpers import SMALL, build_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(users):
    chain, links = build_chain(
        "xcl",
        "新材料",
        SMALL["links"],
        SMALL["edges"],
        firms=[
            ("acid", 50000, "main", "330825", {"name": "龙游氟酸有限公司"}),
            ("acid", 30000, "main", "330802", {"name": "柯城氟酸有限公司"}),
        ],
    )
    return chain, links


def login(client, users, username):
    client.force_login(users[username])
    return client


def test_map_page_shows_links_and_figures(client, users, small, django_assert_max_num_queries):
    login(client, users, "chief_xcl")
    with django_assert_max_num_queries(12):
        response = client.get("/chains/xcl/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "树脂" in text and "chain-graph-data" in text
    # the report's figure for this chain, quoted with its qualifier: 超1000亿元, 预计
    assert "新材料产业链产值 2025年超1000亿元" in text and "（预计）" in text
    assert client.get("/chains/xny/").status_code == 404


def test_list_page(client, users, small):
    text = login(client, users, "leader").get("/chains/").content.decode()
    assert "新材料" in text and "68.4" in text and "超2000" in text  # the report's figures
    assert "新材料产业链产值" in text


def test_link_panel_is_scoped_to_the_county(client, users, small):
    _chain, links = small
    url = f"/chains/xcl/links/{links['acid'].pk}/"
    text = login(client, users, "leader").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "龙游氟酸" in text and "柯城氟酸" in text
    text = login(client, users, "county_ly").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "龙游氟酸" in text and "柯城氟酸" not in text


def test_link_panel_tells_an_enterprise_the_list_is_not_for_it(client, users, small):
    from wulian.chains.models import EnterpriseLink
    from wulian.enterprises.tests.factories import EnterpriseFactory

    _chain, links = small
    own = EnterpriseFactory(name="企业用户自己的公司")
    own.accounts.add(users["ent_demo"])
    EnterpriseLink.objects.create(enterprise=own, link=links["resin"], role="main")
    url = f"/chains/xcl/links/{links['acid'].pk}/"
    text = login(client, users, "ent_demo").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "龙游氟酸" not in text and "柯城氟酸" not in text
    assert "本环节共 2 家本地企业" in text and "企业名单仅对政府工作人员可见" in text
    assert "共 0 家" not in text and "本环节暂无本地企业" not in text
    assert "本企业不在该环节" in text
    url = f"/chains/xcl/links/{links['resin'].pk}/"
    text = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "企业用户自己的公司" in text


def test_report_xlsx(client, users, small):
    response = login(client, users, "chief_xcl").get("/chains/xcl/report.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["环节", "供应关系", "环节企业", "数据来源"]
    assert [row[0] for row in book["环节"].iter_rows(min_row=2, values_only=True)][:2] == [
        "矿石",
        "酸",
    ]
    assert book["数据来源"]["F2"].value.startswith("《衢州之进 共富之景》")
    assert login(client, users, "ent_demo").get("/chains/xcl/report.xlsx").status_code == 403


def test_edit_page_refuses_a_cycle_in_chinese(client, users, small):
    _chain, links = small
    login(client, users, "chief_xcl")
    response = client.post(
        "/chains/xcl/edit/",
        {"action": "add_edge", "source": links["film"].pk, "target": links["ore"].pk},
    )
    assert response.status_code == 400
    assert "循环" in response.content.decode()
    response = client.post(
        "/chains/xcl/edit/",
        {"action": "add_link", "code": "foil", "name": "箔材", "segment": "down"},
    )
    assert response.status_code == 302
    assert login(client, users, "econ").get("/chains/xcl/edit/").status_code == 403


def test_target_import_all_or_nothing(client, users, small):
    login(client, users, "chief_xcl")
    header = ["企业名称", "总部所在地", "营业收入（亿元）", "可填补环节", "本地关联企业"]
    bad = [
        ["甲公司", "上海", "3", "树脂", "龙游氟酸有限公司"],
        ["乙公司", "深圳", "1", "火星环节", ""],
    ]
    upload = io.BytesIO(xlsx_bytes(bad, header=header))
    upload.name = "t.xlsx"
    response = client.post("/chains/targets/import/", {"file": upload})
    text = response.content.decode()
    assert "第3行" in text and "未知环节“火星环节”" in text
    assert TargetCompany.objects.count() == 0
    good = [["甲公司", "上海", "3", "新材料·树脂、薄膜", "龙游氟酸有限公司"]]
    upload = io.BytesIO(xlsx_bytes(good, header=header))
    upload.name = "t.xlsx"
    response = client.post("/chains/targets/import/", {"file": upload})
    job = response.context["job"]
    response = client.post(f"/chains/targets/import/{job.pk}/commit/")
    assert response.status_code == 302
    company = TargetCompany.objects.get()
    assert int(company.revenue_wan) == 30000
    assert {link.name for link in company.links.all()} == {"树脂", "薄膜"}
    assert [p.name for p in company.partners.all()] == ["龙游氟酸有限公司"]


def test_chain_office_places_and_removes_enterprises(client, users, small):
    from wulian.chains.models import EnterpriseLink, LinkStat
    from wulian.enterprises.tests.factories import EnterpriseFactory

    _chain, links = small
    firm = EnterpriseFactory(name="新来的树脂有限公司", output_wan=7000)
    url = f"/chains/xcl/links/{links['resin'].pk}/enterprises/"
    client.force_login(users["chief_xcl"])
    text = client.post(
        url, {"enterprise": "新来的树脂有限公司", "role": "main"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "新来的树脂有限公司" in text
    assert LinkStat.objects.get(link=links["resin"]).main_enterprises == 1
    text = client.post(url, {"enterprise": "不存在公司"}, HTTP_HX_REQUEST="true").content.decode()
    assert "企业库中没有“不存在公司”" in text
    placement = EnterpriseLink.objects.get(enterprise=firm)
    client.post(url, {"action": "remove", "placement": placement.pk}, HTTP_HX_REQUEST="true")
    assert not EnterpriseLink.objects.filter(enterprise=firm).exists()
    client.force_login(users["econ"])
    assert client.post(url, {"enterprise": firm.uscc}).status_code == 403


def test_link_panel_lists_by_output_with_the_unknown_last(client, users, small):
    """Largest output first and an enterprise without output after all others, on SQLite
    and PostgreSQL alike (PostgreSQL puts NULL first in a descending sort by default)."""
    from wulian.chains.models import EnterpriseLink
    from wulian.enterprises.tests.factories import EnterpriseFactory

    _chain, links = small
    unknown = EnterpriseFactory(name="产值未报有限公司", output_wan=None)
    EnterpriseLink.objects.create(enterprise=unknown, link=links["acid"], role="main")
    url = f"/chains/xcl/links/{links['acid'].pk}/"
    placed = login(client, users, "leader").get(url).context["placed"]
    names = [p.enterprise.name for p in placed]
    assert names == ["龙游氟酸有限公司", "柯城氟酸有限公司", "产值未报有限公司"]


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"action": "update_link", "link": "abc", "name": "X", "segment": "up"}, "所选环节不存在"),
        ({"action": "update_link", "name": "X", "segment": "up"}, "请选择环节"),
        ({"action": "delete_link", "link": "999999"}, "不属于本链"),
        ({"action": "add_link", "code": "foil", "name": "箔材", "segment": "sideways"}, "有效"),
        ({"action": "add_edge", "source": "x", "target": "1"}, "所选供应环节不存在"),
        ({"action": "delete_edge", "edge": "1e3"}, "所选供应关系不存在"),
    ],
)
def test_edit_page_answers_bad_input_in_chinese(client, users, small, post, message):
    from wulian.chains.models import Link, LinkEdge

    before = (Link.objects.count(), LinkEdge.objects.count())
    response = login(client, users, "chief_xcl").post("/chains/xcl/edit/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Link.objects.count(), LinkEdge.objects.count()) == before


def test_edit_page_names_only_this_chains_links(client, users, small):
    from wulian.chains.models import Link

    other, other_links = build_chain("tzz", "特种纸", [("pulp", "木浆", "up")], [])
    link = other_links["pulp"]
    response = login(client, users, "leader").post(
        "/chains/xcl/edit/", {"action": "delete_link", "link": link.pk}
    )
    assert response.status_code == 400 and "不属于本链" in response.content.decode()
    assert Link.objects.filter(pk=link.pk).exists()
    assert (
        login(client, users, "leader").post("/chains/xcl/edit/", {"action": "x"}).status_code == 404
    )


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"enterprise": "", "role": "main"}, "请填写统一社会信用代码或企业全称"),
        ({"enterprise": "龙游氟酸有限公司", "role": "boss"}, "角色应为主营或配套"),
        ({"action": "remove", "placement": "abc"}, "所选企业不存在"),
        ({"action": "remove"}, "请选择企业"),
    ],
)
def test_placement_answers_bad_input_in_chinese(client, users, small, post, message):
    from wulian.chains.models import EnterpriseLink

    _chain, links = small
    before = EnterpriseLink.objects.count()
    url = f"/chains/xcl/links/{links['resin'].pk}/enterprises/"
    response = login(client, users, "chief_xcl").post(url, post, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert EnterpriseLink.objects.count() == before


def test_placement_cannot_remove_another_links_enterprise(client, users, small):
    from wulian.chains.models import EnterpriseLink

    _chain, links = small
    elsewhere = EnterpriseLink.objects.filter(link=links["acid"]).first()
    url = f"/chains/xcl/links/{links['resin'].pk}/enterprises/"
    response = login(client, users, "chief_xcl").post(
        url, {"action": "remove", "placement": elsewhere.pk}, HTTP_HX_REQUEST="true"
    )
    assert "不属于本链" in response.content.decode()
    assert EnterpriseLink.objects.filter(pk=elsewhere.pk).exists()


def test_target_revenue_too_large_for_its_column_is_a_cell_problem(users, small):
    from wulian.chains.targets import import_target_companies

    header = ["企业名称", "营业收入（亿元）", "可填补环节"]
    data = xlsx_bytes([["甲公司", "1" + "0" * 12, "新材料·树脂"]], header=header)
    report = import_target_companies(actor=users["chief_xcl"], data=data)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "营业收入（万元）", "数值过大：整数部分最多 14 位")
    ]
    assert TargetCompany.objects.count() == 0
