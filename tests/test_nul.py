"""A NUL character is refused on every form and API field, the same on SQLite and PostgreSQL.

SQLite would store it and PostgreSQL refuses it with an error (a 500 where it reaches a
query); the one middleware answers 400 with a Chinese message before anything is read or
written.
"""

import pytest

from wulian.chains.models import Link
from wulian.chains.tests.helpers import build_chain
from wulian.service.demo import load_categories
from wulian.service.models import ServiceRequest

MESSAGE = "空字符"


@pytest.fixture
def chain(users):
    return build_chain("xcl", "新材料", [("acid", "酸", "up")])[0]


def test_a_chain_link_named_with_nul_is_refused_and_nothing_is_stored(client, users, chain):
    client.force_login(users["chief_xcl"])
    response = client.post(
        "/chains/xcl/edit/",
        {"action": "add_link", "code": "resin", "name": "树脂\x00", "segment": "mid"},
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Link.objects.filter(code="resin").exists()
    link = chain.links.get(code="acid")
    response = client.post(
        "/chains/xcl/edit/",
        {
            "action": "update_link",
            "link": link.pk,
            "name": "酸",
            "segment": "up",
            "description": "a\x00",
        },
    )
    assert response.status_code == 400
    link.refresh_from_db()
    assert "\x00" not in link.description


def test_api_fields_with_nul_anywhere_are_refused(api_client, users):
    load_categories()
    api_client.force_authenticate(users["ent_demo"])
    for body in (
        {"title": "用电", "description": "增容", "category": "finance\x00"},
        {"title": "用电", "description": "增容", "category": "finance", "extra": ["a\x00"]},
        {"title": "用电", "description": "增容", "category": "finance", "k\x00": 1},
    ):
        response = api_client.post("/api/v1/service-requests/", body, format="json")
        assert response.status_code == 400, (body, response.status_code)
        assert MESSAGE in response.json()["detail"]
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/enterprises/?q=%00",
        "/api/v1/service-requests/?status=open%00",
        "/api/v1/chains/x%00y/graph/",
        "/api/v1/indicators/gdp%00/",
        "/enterprises/?q=a%00",
        "/chains/x%00y/",
    ],
)
def test_query_parameters_and_paths_with_nul_are_refused(client, users, url):
    client.force_login(users["leader"])
    response = client.get(url)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_a_token_or_cookie_with_nul_is_refused_before_the_database(client, api_client):
    response = api_client.get("/api/v1/enterprises/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400


def test_text_without_nul_passes(api_client, users):
    load_categories()
    api_client.force_authenticate(users["ent_demo"])
    # A backslash followed by u0000 typed as text is not a NUL.
    body = {"title": "用电\\u0000", "description": "增容", "category": "finance"}
    from wulian.enterprises.tests.factories import EnterpriseFactory

    EnterpriseFactory(region_id="330825").accounts.add(users["ent_demo"])
    response = api_client.post("/api/v1/service-requests/", body, format="json")
    assert response.status_code == 201, response.content
    assert ServiceRequest.objects.get().title == "用电\\u0000"
