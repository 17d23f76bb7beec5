"""Open311 api_keys: issued, listed and revoked by administrators (page and API), audited."""

import pytest

from wulian.core.models import AuditEvent
from wulian.service.models import Open311Key
from wulian.service.open311_services import active_key, hash_key, issue_open311_key


def test_api_issues_a_key_once_lists_and_revokes_it(api_client, users):
    api_client.force_authenticate(users["admin"])
    response = api_client.post("/api/v1/open311-keys/", {"name": "12345热线"}, format="json")
    assert response.status_code == 201
    body = response.json()
    raw = body["api_key"]
    assert (
        body["name"] == "12345热线" and body["is_active"] is True and raw.startswith(body["prefix"])
    )
    key = Open311Key.objects.get(pk=body["id"])
    assert key.key_hash == hash_key(raw) and raw not in str(Open311Key.objects.values().first())
    listed = api_client.get("/api/v1/open311-keys/").json()
    assert [k["name"] for k in listed["results"]] == ["12345热线"]
    assert "api_key" not in listed["results"][0] and "key_hash" not in listed["results"][0]
    assert active_key(raw) == key
    revoked = api_client.post(f"/api/v1/open311-keys/{key.pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["is_active"] is False
    assert revoked.json()["revoked_by"] == "admin"
    assert active_key(raw) is None
    notes = list(
        AuditEvent.objects.filter(model="service.open311key").values_list("note", flat=True)
    )
    assert sorted(notes) == ["停用 Open311 接入密钥", "签发 Open311 接入密钥"]


def test_api_refuses_a_blank_name_in_chinese(api_client, users):
    api_client.force_authenticate(users["admin"])
    response = api_client.post("/api/v1/open311-keys/", {"name": " "}, format="json")
    assert response.status_code == 400
    assert Open311Key.objects.count() == 0


@pytest.mark.parametrize("username", ["leader", "dispatcher", "econ", "ent_demo"])
def test_only_administrators_manage_keys(api_client, client, users, username):
    key, _raw = issue_open311_key(actor=users["admin"], name="浙里办")
    api_client.force_authenticate(users[username])
    assert api_client.get("/api/v1/open311-keys/").status_code == 403
    assert api_client.post(f"/api/v1/open311-keys/{key.pk}/revoke/").status_code == 403
    client.force_login(users[username])
    assert client.get("/service/open311-keys/").status_code == 403
    assert client.post("/service/open311-keys/", {"revoke": key.pk}).status_code == 403
    key.refresh_from_db()
    assert key.is_active


def test_page_issues_shows_the_key_once_and_revokes(client, users):
    client.force_login(users["dispatcher"])
    assert "open311-keys-link" not in client.get("/service/rules/").content.decode()
    client.force_login(users["admin"])
    assert "open311-keys-link" in client.get("/service/rules/").content.decode()
    page = client.get("/service/open311-keys/").content.decode()
    assert "还没有签发密钥" in page and "Open311 接入" in page
    response = client.post("/service/open311-keys/", {"name": "12345热线"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = Open311Key.objects.get()
    html = response.content.decode()
    raw = html.split('data-testid="raw-key">')[1].split("<")[0]
    assert active_key(raw) == key
    again = client.get("/service/open311-keys/").content.decode()
    assert "12345热线" in again and raw not in again and key.prefix in again
    response = client.post("/service/open311-keys/", {"revoke": key.pk}, follow=True)
    assert "已停用「12345热线」的密钥" in response.content.decode()
    assert active_key(raw) is None


def test_page_says_what_is_wrong_with_a_blank_name(client, users):
    client.force_login(users["admin"])
    response = client.post("/service/open311-keys/", {"name": ""})
    assert response.status_code == 200
    assert "请填写接入方名称" in response.content.decode()
    assert Open311Key.objects.count() == 0
