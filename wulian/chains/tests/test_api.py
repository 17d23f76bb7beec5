"""The chain graph API: its contract and who may see which chain."""

import pytest

from wulian.chains.models import EnterpriseLink

from .helpers import SMALL, build_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chains(users):
    xcl, links = build_chain(
        "xcl",
        "新材料",
        SMALL["links"],
        SMALL["edges"],
        firms=[
            ("acid", 50000, "main", "330825"),
            ("acid", 30000, "main", "330802"),
            ("resin", 200000, "main", "330803"),
            ("film", 1000, "support"),
        ],
    )
    xny, _ = build_chain("xny", "新能源", [("cell", "电芯", "mid")])
    return {"xcl": xcl, "xny": xny, "links": links}


def get(api_client, user, url):
    api_client.force_authenticate(user)
    return api_client.get(url)


def test_graph_contract(api_client, users, chains, django_assert_max_num_queries):
    api_client.force_authenticate(users["leader"])
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/chains/xcl/graph/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"links", "edges"}
    links = {row["name"]: row for row in body["links"]}
    assert set(links) == {"矿石", "酸", "树脂", "薄膜", "孤立环节"}
    assert {"id", "name", "segment"} <= set(links["酸"])
    assert links["酸"]["segment"] == "up"
    assert links["酸"]["main_enterprises"] == 2
    assert links["酸"]["output_wan"] == 80000
    assert links["矿石"]["strength"] == "missing"
    ids = {row["name"]: row["id"] for row in body["links"]}
    assert {(e["source"], e["target"]) for e in body["edges"]} == {
        (ids["矿石"], ids["酸"]),
        (ids["酸"], ids["树脂"]),
        (ids["树脂"], ids["薄膜"]),
    }
    for edge in body["edges"]:
        assert set(edge) == {"source", "target"}


@pytest.mark.parametrize(
    ("username", "xcl", "xny"),
    [
        ("leader", 200, 200),
        ("econ", 200, 200),
        ("county_ly", 200, 200),
        ("chief_xcl", 200, 404),
        ("ent_demo", 404, 404),
    ],
)
def test_graph_is_scoped_by_role(api_client, users, chains, username, xcl, xny):
    assert get(api_client, users[username], "/api/v1/chains/xcl/graph/").status_code == xcl
    assert get(api_client, users[username], "/api/v1/chains/xny/graph/").status_code == xny


def test_enterprise_user_sees_the_chain_it_sits_on(api_client, users, chains):
    placed = EnterpriseLink.objects.filter(link=chains["links"]["acid"]).first()
    placed.enterprise.accounts.add(users["ent_demo"])
    assert get(api_client, users["ent_demo"], "/api/v1/chains/xcl/graph/").status_code == 200
    assert get(api_client, users["ent_demo"], "/api/v1/chains/xny/graph/").status_code == 404


def test_anonymous_is_refused(api_client, chains):
    assert api_client.get("/api/v1/chains/xcl/graph/").status_code in (401, 403)


def test_target_companies_are_for_government_users(api_client, users, chains):
    assert get(api_client, users["ent_demo"], "/api/v1/target-companies/").status_code == 403
    body = get(api_client, users["chief_xcl"], "/api/v1/target-companies/").json()
    assert set(body) == {"count", "next", "previous", "results"}
