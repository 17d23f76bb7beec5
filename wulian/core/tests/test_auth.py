"""Sign-in lockout: atomic counts per address and per username at that address."""

import datetime as dt
import threading
import time

import pytest
from django.contrib.auth import authenticate
from django.db import OperationalError, connection, connections
from django.test import Client, RequestFactory
from django.utils import timezone

from wulian.core.models import AuditEvent, SignInCounter, User

TOKEN = "/api/v1/auth/token/"


def fail(client, n, username="econ", ip="10.0.0.1"):
    for _ in range(n):
        client.post("/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def test_lockout_after_repeated_failures_even_with_right_password(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    fail(client, 3)
    response = client.post(
        "/accounts/login/", {"username": "econ", "password": "wulian-demo"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 200
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(model="core.signincounter", note__contains="锁定").exists()


def test_a_stranger_elsewhere_cannot_lock_out_the_user(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    fail(client, 10, ip="203.0.113.9")  # the stranger
    response = client.post(
        "/accounts/login/", {"username": "econ", "password": "wulian-demo"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302  # the user, from their usual address


def test_a_spray_of_usernames_from_one_address_is_stopped(api_client, users, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 10
    statuses = [
        api_client.post(
            TOKEN, {"username": f"user{i}", "password": "x"}, format="json", REMOTE_ADDR="1.2.3.4"
        ).status_code
        for i in range(30)
    ]
    assert statuses[:10] == [400] * 10 and set(statuses[10:]) == {429}
    locked = api_client.post(
        TOKEN, {"username": "econ", "password": "wulian-demo"}, format="json", REMOTE_ADDR="1.2.3.4"
    )
    assert locked.status_code == 429 and "锁定" in locked.json()["detail"]
    assert locked["Retry-After"]
    elsewhere = api_client.post(
        TOKEN, {"username": "econ", "password": "wulian-demo"}, format="json", REMOTE_ADDR="5.6.7.8"
    )
    assert elsewhere.status_code == 200


def test_token_endpoint_answers_429_in_chinese_when_locked(api_client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        api_client.post(TOKEN, {"username": "econ", "password": "x"}, format="json")
    response = api_client.post(
        TOKEN, {"username": "econ", "password": "wulian-demo"}, format="json"
    )
    assert response.status_code == 429
    assert "token" not in response.json() and "锁定" in response.json()["detail"]


def test_failures_expire_and_success_gives_back_the_reservation(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    fail(client, 3)
    SignInCounter.objects.update(window_start=timezone.now() - dt.timedelta(minutes=60))
    response = client.post(
        "/accounts/login/", {"username": "econ", "password": "wulian-demo"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
    counters = dict(SignInCounter.objects.values_list("key", "failures"))
    assert counters == {"ip:10.0.0.1": 0, "user:econ|10.0.0.1": 0}


def test_administrator_unlocks_through_the_page(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    fail(client, 2)
    client.force_login(users["leader"])
    assert client.get("/security/sign-in/").status_code == 403
    client.force_login(users["admin"])
    page = client.get("/security/sign-in/").content.decode()
    assert "econ" in page
    response = client.post("/security/sign-in/", {"key": "user:econ|10.0.0.1"})
    assert response.status_code == 302
    assert SignInCounter.objects.get(key="user:econ|10.0.0.1").failures == 0
    assert AuditEvent.objects.filter(note="管理员解除登录锁定").exists()
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "econ", "password": "wulian-demo"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


@pytest.mark.parametrize("username", ["econ", "no-such-user"])
def test_wrong_password_message_is_chinese(client, users, username):
    response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    body = response.content.decode()
    assert "正确" in body and 'data-testid="login-error"' in body


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_guesses_get_no_more_password_checks_than_the_limit(settings, monkeypatch):
    # given an account and a limit of 5
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_IP_FAILURE_LIMIT = 100
    user = User.objects.create_user("target", password="Right-pass-2026")
    checks = []
    original = User.check_password

    def counting(self, raw):
        checks.append(raw)
        return original(self, raw)

    monkeypatch.setattr(User, "check_password", counting)
    barrier = threading.Barrier(45)
    results = []

    def guess(i):
        request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
        try:
            barrier.wait()
            # The test's in-memory SQLite refuses a locked table at once where a database file
            # would wait (its busy timeout): wait here the same way. PostgreSQL never refuses.
            for _attempt in range(200):
                try:
                    result = authenticate(request, username="target", password=f"wrong-{i}")
                    break
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            results.append(result)
        finally:
            connections.close_all()

    # when 45 wrong guesses arrive at once
    threads = [threading.Thread(target=guess, args=(i,)) for i in range(45)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly 5 passwords were checked, and the right password is refused afterwards
    assert len(results) == 45 and not any(results)
    assert len(checks) == 5, (connection.vendor, len(checks))
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
    assert authenticate(request, username="target", password="Right-pass-2026") is None
    assert len(checks) == 5
    assert SignInCounter.objects.get(key="user:target|198.51.100.7").failures == 5
    user.delete()


def test_behind_nginx_the_lockout_counts_the_real_client_not_the_proxy(client, users, settings):
    """NUM_PROXIES=1: every request comes from nginx's address; the lockout counts the address
    nginx appended, so a stranger's failures do not lock out the user at their usual place."""
    settings.NUM_PROXIES = 1
    settings.LOGIN_FAILURE_LIMIT = 5
    nginx = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(6):
        client.post(
            "/accounts/login/",
            {"username": "econ", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            **nginx,
        )
    user_at_home = client.post(
        "/accounts/login/",
        {"username": "econ", "password": "wulian-demo"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **nginx,
    )
    assert user_at_home.status_code == 302
    # a forged first entry does not make the stranger someone else
    stranger = Client().post(
        "/accounts/login/",
        {"username": "econ", "password": "wulian-demo"},
        HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.9",
        **nginx,
    )
    assert stranger.status_code == 200 and "锁定" in stranger.content.decode()


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(settings):
    from wulian.core.auth import client_ip

    settings.NUM_PROXIES = 0
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"
    settings.NUM_PROXIES = 1
    assert client_ip(request) == "1.2.3.4"
