from django.urls import URLPattern, URLResolver, get_resolver

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.models import AuditEvent, Department


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_schema_is_openapi3(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/enterprises/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]


def test_docs_page_serves_without_cdn(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"cdn.jsdelivr" not in response.content


def test_token_then_me(api_client, users):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "econ", "password": "wulian-demo"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["username"] == "econ" and me["role"] == "department"
    assert me["department"] == "jxj"


def test_bad_password_gets_400(api_client, users):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "econ", "password": "nope"}, format="json"
    )
    assert response.status_code == 400


def test_ping_is_constant_and_open(api_client):
    assert api_client.get("/api/v1/ping/").json() == {"status": "ok"}


def test_anonymous_api_is_refused(api_client, db):
    assert api_client.get("/api/v1/me/").status_code in (401, 403)
    assert api_client.get("/api/v1/enterprises/").status_code in (401, 403)


def test_login_page_and_home_requires_login(client, users):
    assert client.get("/").status_code == 302
    assert client.get("/accounts/login/").status_code == 200
    assert client.login(username="leader", password="wulian-demo")
    page = client.get("/")
    assert page.status_code == 200
    assert "企业库" in page.content.decode()


PUBLIC_VIEWS = {
    "healthz",
    "LoginView",
    "LogoutView",
    "TokenView",
    "SpectacularAPIView",
    "SpectacularSwaggerView",
    "set_language",
    "PingView",
    "ClaimRegisterView",  # 企业账号认领: anyone, rate-limited
    "ClaimStatusView",  # a claim's decision, by its unguessable 查询码
    # Open311 GeoReport v2: public by the standard (requests redacted outside one's scope)
    "Open311ServicesView",
    "Open311ServiceView",
    "Open311RequestsView",
    "Open311RequestView",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_every_wulian_view_declares_who_may_use_it():
    missing = []
    for route, callback in _walk(get_resolver().url_patterns):
        module = getattr(callback, "__module__", "")
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        name = view_class.__name__ if view_class else callback.__name__
        if not module.startswith("wulian") or name in PUBLIC_VIEWS:
            continue
        if view_class is None or getattr(view_class, "allowed_roles", None) is None:
            missing.append(f"{route} -> {name}")
    assert missing == []


def test_audit_records_only_changed_fields(base_config):
    dept = Department.objects.create(code="x", name="甲")
    before = audit.snapshot(dept)
    dept.name = "乙"
    event = audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        instance=dept,
        before=before,
        after=audit.snapshot(dept),
    )
    event.refresh_from_db()
    assert event.before == {"name": "甲"} and event.after == {"name": "乙"}
    assert AuditEvent.objects.filter(model="core.department", object_id=str(dept.pk)).count() == 1


def test_content_security_policy_forbids_foreign_and_inline_script(client, users):
    client.force_login(users["econ"])
    response = client.get("/enterprises/import/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    body = response.content.decode()
    nonce = policy.split("'nonce-")[1].split("'")[0]
    # every inline script carries this response's nonce
    import re

    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", body)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert "onchange=" not in body and "onclick=" not in body


def test_forbidden_and_missing_pages_are_chinese(client, users, settings):
    settings.DEBUG = False
    client.force_login(users["ent_demo"])
    forbidden = client.get("/audit/")
    assert forbidden.status_code == 403 and "没有访问此页面的权限" in forbidden.content.decode()
    missing = client.get("/enterprises/999999/")
    assert missing.status_code == 404 and "不存在" in missing.content.decode()
