import datetime as dt

import pytest
from django.utils import timezone

from wulian.core.auth import is_locked
from wulian.core.models import LoginFailure


def fail(client, n, username="econ"):
    for _ in range(n):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})


def test_lockout_after_repeated_failures_even_with_right_password(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    fail(client, 3)
    response = client.post("/accounts/login/", {"username": "econ", "password": "wulian-demo"})
    assert response.status_code == 200
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_applies_to_the_api_token_endpoint(api_client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        api_client.post("/api/v1/auth/token/", {"username": "econ", "password": "x"}, format="json")
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "econ", "password": "wulian-demo"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_failures_expire_and_success_clears_them(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    fail(client, 3)
    assert is_locked("econ")
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=60))
    assert not is_locked("econ")
    LoginFailure.objects.all().delete()
    fail(client, 2)
    assert LoginFailure.objects.filter(username="econ").count() == 2
    response = client.post("/accounts/login/", {"username": "econ", "password": "wulian-demo"})
    assert response.status_code == 302
    assert LoginFailure.objects.filter(username="econ").count() == 0


@pytest.mark.parametrize("username", ["econ", "no-such-user"])
def test_wrong_password_message_is_chinese(client, users, username):
    response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    body = response.content.decode()
    assert "正确" in body and 'data-testid="login-error"' in body
