"""Errors are documented and answered in the format the client asked for."""

import pytest


def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。"}


def test_an_unknown_open311_address_answers_georeport_errors(client):
    response = client.get("/open311/v2/no-such-thing.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "未找到。"}]


def test_an_unknown_page_stays_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_nul_in_an_open311_query_is_a_georeport_error(client):
    response = client.get("/open311/v2/services.json", {"jurisdiction_id": "a\x00b"})
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


@pytest.fixture
def operations(api_client, users):
    api_client.force_authenticate(users["admin"])
    schema = api_client.get("/api/v1/schema/?format=json").json()
    return {
        (path, method): op
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_the_schema_declares_the_errors_of_every_api_operation(operations):
    for (path, method), op in operations.items():
        if not path.startswith("/api/"):
            continue
        codes = set(op["responses"])
        public = {} in op.get("security", [{}])
        assert public or {"401", "403"} <= codes, (method, path)
        assert "{" not in path or "404" in codes, (method, path)
        assert "400" in codes, (method, path)
    detail = operations[("/api/v1/enterprises/{id}/", "get")]["responses"]["404"]
    assert detail["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorDetail"
    }
