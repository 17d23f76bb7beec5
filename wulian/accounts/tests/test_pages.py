"""Account pages: admins create, edit, deactivate and reset; owners change their password."""

import pytest

from wulian.core.models import AuditEvent, User

STRONG = "Qz-2026-page!"


@pytest.mark.parametrize("url", ["/accounts/users/", "/accounts/users/new/"])
def test_pages_are_for_administrators_only(client, users, url):
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(users["leader"])
    assert client.get(url).status_code == 403
    client.force_login(users["admin"])
    assert client.get(url).status_code == 200


def test_edit_page_is_refused_to_other_roles(client, users):
    client.force_login(users["econ"])
    url = f"/accounts/users/{users['econ'].pk}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "deactivate"}).status_code == 403
    assert User.objects.get(username="econ").is_active


def test_admin_creates_a_department_user_through_the_page(client, users):
    client.force_login(users["admin"])
    form = {
        "username": "wang",
        "name": "王科长",
        "password": STRONG,
        "role": "department",
        "department": "jxj",
    }
    response = client.post("/accounts/users/new/", form)
    assert response.status_code == 302
    user = User.objects.get(username="wang")
    assert user.department.code == "jxj" and user.must_change_password
    assert AuditEvent.objects.filter(model="core.user", object_id=str(user.pk)).exists()


def test_page_shows_service_errors_in_chinese_and_writes_nothing(client, users):
    client.force_login(users["admin"])
    form = {"username": "wang", "name": "王", "password": "weak", "role": "department"}
    response = client.post("/accounts/users/new/", form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "部门人员须指定所属部门" in body and "密码" in body
    assert not User.objects.filter(username="wang").exists()


def test_deactivate_and_reset_through_the_edit_page(client, users):
    client.force_login(users["admin"])
    url = f"/accounts/users/{users['econ'].pk}/"
    assert client.post(url, {"action": "deactivate"}).status_code == 302
    assert not User.objects.get(username="econ").is_active
    assert client.post(url, {"action": "activate"}).status_code == 302
    assert client.post(url, {"action": "reset", "password": STRONG}).status_code == 302
    econ = User.objects.get(username="econ")
    assert econ.is_active and econ.check_password(STRONG) and econ.must_change_password
    response = client.post(url, {"action": "reset", "password": "123"})
    assert response.status_code == 400


def test_initial_password_must_be_changed_at_first_sign_in(client, users):
    econ = users["econ"]
    econ.set_password(STRONG)
    econ.must_change_password = True
    econ.save()
    assert (
        client.post("/accounts/login/", {"username": "econ", "password": STRONG}).status_code == 302
    )
    # every page leads to the password page until the password is changed
    response = client.get("/service/inbox/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert "请先修改密码" in page.content.decode()
    bad = client.post(
        "/accounts/password/",
        {"old_password": STRONG, "new_password": STRONG, "new_password2": STRONG},
    )
    assert bad.status_code == 400 and "不能与原密码相同" in bad.content.decode()
    new = "Another-2026-pass"
    ok = client.post(
        "/accounts/password/",
        {"old_password": STRONG, "new_password": new, "new_password2": new},
    )
    assert ok.status_code == 302
    econ.refresh_from_db()
    assert not econ.must_change_password and econ.check_password(new)
    # the session survives its own password change; the work pages open again
    assert client.get("/service/inbox/").status_code == 200


def test_password_change_ends_other_sessions(client, users):
    from django.test import Client

    other = Client()
    other.force_login(users["econ"])
    client.force_login(users["econ"])
    new = "Another-2026-pass"
    client.post(
        "/accounts/password/",
        {"old_password": "wulian-demo", "new_password": new, "new_password2": new},
    )
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_password_change_through_the_api_revokes_tokens(api_client, users):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users["econ"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    new = "Another-2026-pass"
    response = api_client.post(
        "/api/v1/me/password/",
        {"old_password": "wulian-demo", "new_password": new},
        format="json",
    )
    assert response.status_code == 204
    assert api_client.get("/api/v1/me/").status_code == 401
    wrong = type(api_client)()
    wrong.force_authenticate(users["dispatcher"])
    response = wrong.post(
        "/api/v1/me/password/", {"old_password": "nope", "new_password": new}, format="json"
    )
    assert response.status_code == 400 and "原密码不正确" in str(response.json())
