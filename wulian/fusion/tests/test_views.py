"""Fusion pages: scorecard, evidence behind a score, gaps, platforms, link panel sections."""

import pytest

pytestmark = pytest.mark.django_db


def test_scorecard_and_evidence(client, users, known, django_assert_max_num_queries):
    _chain, links = known
    client.force_login(users["leader"])
    client.get("/fusion/")
    with django_assert_max_num_queries(15):
        response = client.get("/fusion/")
    assert response.status_code == 200
    assert "新材料" in response.content.decode()
    text = client.get(f"/fusion/xcl/evidence/industry/{links['acid'].pk}/").content.decode()
    assert "主营产值" in text and "420000" in text and "s(产值, 200000)" in text
    text = client.get("/fusion/xcl/evidence/talent/").content.decode()
    assert "氢氟酸" in text and "算术平均" in text
    assert client.get("/fusion/xcl/evidence/nonsense/").status_code == 404


def test_gaps_page_in_chinese(client, users, known):
    client.force_login(users["chief_xcl"])
    text = client.get("/fusion/xcl/gaps/").content.decode()
    assert "补链" in text and "「中间体」本地主营企业 1 家" in text
    assert "大目标" in text


def test_weights_form(client, users, known):
    client.force_login(users["leader"])
    response = client.post(
        "/fusion/",
        {"industry": "0.5", "innovation": "0.5", "talent": "0.5", "capital": "0", "service": "0"},
        follow=True,
    )
    assert "之和应为 1" in response.content.decode()
    client.force_login(users["econ"])
    assert client.post("/fusion/", {"industry": "1"}).status_code == 403


def test_enterprise_users_have_no_fusion_pages(client, users, known):
    client.force_login(users["ent_demo"])
    assert client.get("/fusion/").status_code == 403
    assert client.get("/fusion/xcl/gaps/").status_code == 403


def test_link_panel_shows_fusion_sections(client, users, known):
    _chain, links = known
    client.force_login(users["chief_xcl"])
    text = client.get(
        f"/chains/xcl/links/{links['acid'].pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "测试国家级中试平台" in text
    assert "人才链" in text and "测试基金" in text
    assert "本环节暂无企业诉求" in text  # none was filed in this test


def test_pages_of_an_empty_chain(client, users, known):
    from wulian.chains.models import Chain

    Chain.objects.create(code="empty", name="空链")
    client.force_login(users["leader"])
    assert client.get("/chains/empty/").status_code == 200
    text = client.get("/fusion/empty/").content.decode()
    assert "本链尚无环节" in text
    assert client.get("/fusion/empty/gaps/").status_code == 200
    assert client.get("/api/v1/chains/empty/graph/").json() == {"links": [], "edges": []}


def test_chain_service_evidence_is_readable(client, users, monkeypatch):
    from wulian.fusion.services import refresh_scores

    from .helpers import build_known_chain, link_summaries

    _chain, links = build_known_chain()
    service = {links["acid"].pk: {"total": 4, "closed": 3, "on_time": 2, "satisfaction": 4.0}}
    link_summaries(monkeypatch, service=service)
    refresh_scores()
    client.force_login(users["leader"])
    text = client.get("/fusion/xcl/evidence/service/").content.decode()
    assert "受理 4 件，办结 3 件，按期办结 2 件" in text


def test_analysis_xlsx(client, users, known):
    import io

    import openpyxl

    client.force_login(users["chief_xcl"])
    response = client.get("/fusion/xcl/report.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["五链评分", "延链补链强链", "招商目标"]
    kinds = {row[1]: row[0] for row in book["延链补链强链"].iter_rows(min_row=2, values_only=True)}
    assert kinds["中间体"] == "补链" and kinds["薄膜"] == "延链"
    assert book["招商目标"]["B2"].value == "大目标"
    client.force_login(users["ent_demo"])
    assert client.get("/fusion/xcl/report.xlsx").status_code == 403
