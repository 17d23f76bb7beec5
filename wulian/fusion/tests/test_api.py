"""Fusion API: chain list with scores, scorecard, gaps and targets, scoped by role."""

import pytest

from wulian.chains.models import EnterpriseLink
from wulian.chains.tests.helpers import build_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(known):
    build_chain("xny", "新能源", [("cell", "电芯", "mid")], firms=[("cell", 5000, "main")])
    return known


def get(api_client, user, url):
    api_client.force_authenticate(user)
    return api_client.get(url)


def test_chain_list_contract(api_client, users, world, django_assert_max_num_queries):
    api_client.force_authenticate(users["leader"])
    api_client.get("/api/v1/chains/")  # computes the rollup once
    with django_assert_max_num_queries(10):
        body = api_client.get("/api/v1/chains/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = {row["code"]: row for row in body["results"]}
    assert set(rows) == {"xcl", "xny"}
    xcl = rows["xcl"]
    assert xcl["links"] == 6 and xcl["enterprises"] == 14
    assert xcl["output_wan"] == 848000.0
    assert xcl["fusion_score"] is not None and xcl["service"] is None


@pytest.mark.parametrize(
    ("username", "codes"),
    [("leader", {"xcl", "xny"}), ("county_ly", {"xcl", "xny"}), ("chief_xcl", {"xcl"})],
)
def test_chain_list_is_scoped(api_client, users, world, username, codes):
    body = get(api_client, users[username], "/api/v1/chains/").json()
    assert {row["code"] for row in body["results"]} == codes


def test_enterprise_user_sees_own_chain_without_scores_and_no_analysis(api_client, users, world):
    ent = users["ent_demo"]
    assert get(api_client, ent, "/api/v1/chains/").json()["count"] == 0
    EnterpriseLink.objects.filter(link__chain__code="xny").first().enterprise.accounts.add(ent)
    rows = get(api_client, ent, "/api/v1/chains/").json()["results"]
    assert [(r["code"], r["fusion_score"]) for r in rows] == [("xny", None)]
    assert get(api_client, ent, "/api/v1/chains/xny/fusion/").status_code == 403
    assert get(api_client, ent, "/api/v1/chains/xny/gaps/").status_code == 403


def test_fusion_and_gaps(api_client, users, world):
    chief = users["chief_xcl"]
    fusion = get(api_client, chief, "/api/v1/chains/xcl/fusion/").json()
    assert len(fusion["link_scores"]) == 6
    acid = next(r for r in fusion["link_scores"] if r["name"] == "氢氟酸")
    components = acid["scores"]["industry"]["components"]
    assert {c["key"] for c in components} == {"output", "main", "leader"}
    gaps = get(api_client, chief, "/api/v1/chains/xcl/gaps/").json()
    assert {f["link"]: f["kind_label"] for f in gaps["findings"]}["中间体"] == "补链"
    assert "示意" in gaps["illustrative_note"] or "无对标" in gaps["illustrative_note"]
    targets = get(api_client, chief, "/api/v1/chains/xcl/targets/").json()["results"]
    assert [t["name"] for t in targets][:1] == ["大目标"]
    assert get(api_client, chief, "/api/v1/chains/xny/fusion/").status_code == 404
    assert api_client.logout() is None
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/chains/xcl/gaps/").status_code in (401, 403)
