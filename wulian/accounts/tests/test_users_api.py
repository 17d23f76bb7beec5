"""The accounts API contract: administrators create, change and deactivate accounts."""

import pytest
from rest_framework.authtoken.models import Token

from wulian.chains.models import Chain
from wulian.core.models import AuditEvent, User
from wulian.enterprises.tests.factories import EnterpriseFactory

STRONG = "Qz-2026-dept!"
URL = "/api/v1/users/"


def new_department_user(**extra):
    return {
        "username": "zhang_san",
        "name": "张三",
        "password": STRONG,
        "role": "department",
        "department": "jxj",
        **extra,
    }


@pytest.mark.django_db
def test_anonymous_is_refused_with_401(api_client, users):
    response = api_client.post(URL, new_department_user(), format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not User.objects.filter(username="zhang_san").exists()


@pytest.mark.parametrize("username", ["leader", "econ", "county_ly", "ent_demo"])
def test_users_without_the_right_are_refused(api_client, users, username):
    api_client.force_authenticate(users[username])
    assert api_client.get(URL).status_code == 403
    assert api_client.post(URL, new_department_user(), format="json").status_code == 403
    patch = api_client.patch(f"{URL}{users['econ'].pk}/", {"is_active": False}, format="json")
    assert patch.status_code == 403
    assert User.objects.get(username="econ").is_active


def test_admin_creates_a_department_user_who_signs_in_and_works(api_client, users):
    # given an administrator
    api_client.force_authenticate(users["admin"])
    # when they create a department user through the API
    response = api_client.post(URL, new_department_user(title="科员"), format="json")
    # then the account exists with its department, and the creation is audited
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["department"] == "jxj" and body["role"] == "department"
    assert body["name"] == "张三" and body["must_change_password"] is True
    assert "password" not in body
    user = User.objects.get(username="zhang_san")
    assert user.check_password(STRONG)
    event = AuditEvent.objects.get(model="core.user", object_id=str(user.pk), action="create")
    assert event.actor == users["admin"]
    assert "password" not in event.after and event.after["department"] == user.department_id
    # and the new user signs in through the token endpoint and reads their work
    client = type(api_client)()
    token = client.post(
        "/api/v1/auth/token/", {"username": "zhang_san", "password": STRONG}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["department"] == "jxj"
    assert client.get("/api/v1/service-requests/").status_code == 200


def test_deactivated_user_is_refused_at_once_by_token_and_session(api_client, client, users):
    econ = users["econ"]
    token = Token.objects.create(user=econ)
    client.force_login(econ)
    assert client.get("/").status_code == 200
    api_client.force_authenticate(users["admin"])
    response = api_client.patch(f"{URL}{econ.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    # the token is gone and the session no longer signs anyone in
    assert not Token.objects.filter(key=token.key).exists()
    other = type(api_client)()
    other.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert other.get("/api/v1/me/").status_code == 401
    page = client.get("/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert AuditEvent.objects.filter(
        model="core.user", object_id=str(econ.pk), after__is_active=False
    ).exists()


def test_enterprise_user_is_linked_to_its_enterprises_by_uscc(api_client, users):
    first, second = EnterpriseFactory(), EnterpriseFactory()
    api_client.force_authenticate(users["admin"])
    body = {
        "username": "ent_li",
        "name": "李四",
        "password": STRONG,
        "role": "enterprise",
        "enterprises": [first.uscc, second.uscc.lower()],
    }
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["enterprises"] == sorted([first.uscc, second.uscc])
    user = User.objects.get(username="ent_li")
    assert set(user.enterprises.all()) == {first, second}


def test_county_and_chain_users_take_codes(api_client, users):
    Chain.objects.create(code="xcl", name="新材料")
    api_client.force_authenticate(users["admin"])
    county = {"username": "c1", "name": "王五", "password": STRONG, "role": "county"}
    assert api_client.post(URL, {**county, "region": "330825"}, format="json").status_code == 201
    chain = {"username": "c2", "name": "赵六", "password": STRONG, "role": "chain"}
    response = api_client.post(URL, {**chain, "chain_code": "xcl"}, format="json")
    assert response.status_code == 201
    assert User.objects.get(username="c1").region_id == "330825"
    assert User.objects.get(username="c2").chain_code == "xcl"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "alllowercaseletters"}, "password"),
        ({"department": ""}, "department"),
        ({"department": "no-such"}, "department"),
        ({"role": "county", "region": "330100"}, "region"),
        ({"role": "chain", "chain_code": "nope"}, "chain_code"),
        ({"role": "enterprise", "enterprises": ["91330802MA2XXXXXXX"]}, "enterprises"),
        ({"enterprises": []}, None),
        ({"username": "econ"}, "username"),
        ({"username": "ECON"}, "username"),
        ({"role": "king"}, "role"),
    ],
)
def test_bad_input_is_a_chinese_400_and_writes_nothing(api_client, users, change, field):
    api_client.force_authenticate(users["admin"])
    before = User.objects.count()
    response = api_client.post(URL, new_department_user(**change), format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400
    assert field in response.json()
    message = " ".join(str(m) for m in response.json()[field])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(model="core.user", action="create").exists()


def test_patch_changes_role_and_scope_and_is_audited(api_client, users):
    api_client.force_authenticate(users["admin"])
    econ = users["econ"]
    response = api_client.patch(
        f"{URL}{econ.pk}/", {"role": "county", "region": "330825", "name": "新名"}, format="json"
    )
    assert response.status_code == 200, response.json()
    econ.refresh_from_db()
    assert (econ.role, econ.region_id, econ.display_name) == ("county", "330825", "新名")
    event = AuditEvent.objects.filter(model="core.user", object_id=str(econ.pk)).latest("id")
    assert event.before["role"] == "department" and event.after["role"] == "county"


def test_password_reset_by_admin_revokes_tokens_and_forces_a_change(api_client, users):
    econ = users["econ"]
    Token.objects.create(user=econ)
    api_client.force_authenticate(users["admin"])
    response = api_client.patch(f"{URL}{econ.pk}/", {"password": STRONG}, format="json")
    assert response.status_code == 200
    econ.refresh_from_db()
    assert econ.check_password(STRONG) and econ.must_change_password
    assert not Token.objects.filter(user=econ).exists()
    event = AuditEvent.objects.filter(model="core.user", object_id=str(econ.pk)).latest("id")
    assert STRONG not in str(event.before) + str(event.after)


def test_admin_cannot_deactivate_themselves(api_client, users):
    admin = users["admin"]
    api_client.force_authenticate(admin)
    response = api_client.patch(f"{URL}{admin.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400 and "is_active" in response.json()
    admin.refresh_from_db()
    assert admin.is_active


def test_list_filters_and_needs_few_queries(api_client, users, django_assert_max_num_queries):
    api_client.force_authenticate(users["admin"])
    with django_assert_max_num_queries(8):
        response = api_client.get(URL, {"role": "department"})
    assert response.status_code == 200
    names = {u["username"] for u in response.json()["results"]}
    assert names == {"econ", "dispatcher"}
