"""API tokens: 401 with WWW-Authenticate, expiry, revocation on password change, admin list."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from wulian.core.models import AuditEvent


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Token nope", "Token ", "Bearer x"])
def test_missing_or_bad_token_is_401_with_www_authenticate(api_client, header):
    if header:
        api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_expired_token_is_refused_and_a_new_sign_in_replaces_it(api_client, users, settings):
    settings.API_TOKEN_TTL_HOURS = 1
    token = Token.objects.create(user=users["econ"])
    Token.objects.filter(pk=token.pk).update(created=token.created - dt.timedelta(hours=2))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401 and "过期" in response.json()["detail"]
    fresh = type(api_client)().post(
        "/api/v1/auth/token/", {"username": "econ", "password": "wulian-demo"}, format="json"
    )
    assert fresh.json()["token"] != token.key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {fresh.json()['token']}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_a_valid_token_is_reused_by_the_next_sign_in(api_client, users):
    body = {"username": "econ", "password": "wulian-demo"}
    first = api_client.post("/api/v1/auth/token/", body, format="json").json()["token"]
    assert api_client.post("/api/v1/auth/token/", body, format="json").json()["token"] == first


def test_admins_list_and_revoke_tokens_through_the_api(api_client, users):
    token = Token.objects.create(user=users["econ"])
    api_client.force_authenticate(users["econ"])
    assert api_client.get("/api/v1/tokens/").status_code == 403
    assert api_client.delete(f"/api/v1/tokens/{users['econ'].pk}/").status_code == 403
    api_client.force_authenticate(users["admin"])
    listed = api_client.get("/api/v1/tokens/").json()["results"]
    assert [t["username"] for t in listed] == ["econ"] and token.key not in str(listed)
    assert api_client.delete(f"/api/v1/tokens/{users['econ'].pk}/").status_code == 204
    assert not Token.objects.exists()
    assert AuditEvent.objects.filter(note="管理员撤销令牌").exists()


def test_admins_list_and_revoke_tokens_through_the_page(client, users):
    Token.objects.create(user=users["econ"])
    client.force_login(users["econ"])
    assert client.get("/security/tokens/").status_code == 403
    client.force_login(users["admin"])
    assert "econ" in client.get("/security/tokens/").content.decode()
    assert client.post("/security/tokens/", {"user": users["econ"].pk}).status_code == 302
    assert not Token.objects.exists()


@pytest.mark.parametrize("user", ["null", "abc", "99999999"])
def test_revoking_a_token_of_no_such_user_is_404_not_a_server_error(api_client, users, user):
    api_client.force_authenticate(users["admin"])
    assert api_client.delete(f"/api/v1/tokens/{user}/").status_code == 404
