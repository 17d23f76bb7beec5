"""Every page and endpoint × every role, generated from the URL resolver.

A new URL is covered the moment it exists: its view's `allowed_roles` is the expected table,
and PUBLIC below lists the few views open to anyone. Path parameters are filled with ids that
do not exist, so the check is about the door, not about any record: a role that may pass gets
past it (404 for the missing record, 200, 302 or 405), a role that may not gets 403, and
nobody gets a server error.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from wulian.core.permissions import role_allowed

# Views anyone may open (login, health check, API schema and docs, language switch, token,
# the enterprise account claim and its status page; Open311 GeoReport v2: public by the
# standard, redacted outside the caller's scope).
PUBLIC = {
    "healthz",
    "LoginView",
    "LogoutView",
    "TokenView",
    "SpectacularAPIView",
    "SpectacularSwaggerSplitView",
    "set_language",
    "PingView",
    "ClaimRegisterView",
    "ClaimStatusView",
    "Open311ServicesView",
    "Open311ServiceView",
    "Open311RequestsView",
    "Open311RequestView",
}
ROLES = ["leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"]
FILL = {
    "int": "999999",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "slug": "no-such",
    "str": "no-such",
    "path": "no-such",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _concrete(route: str) -> str | None:
    if "(?P<format>" in route:  # DRF's format-suffix twins of routes already covered
        return None
    # DRF routers give regex patterns: ^things/(?P<pk>[^/.]+)/$
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "999999", route).replace("^", "").replace("$", "")
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: FILL.get(m.group(1) or "str", "x"), url)
    return "/" + url


def collect():
    seen = set()
    for route, callback in _walk(get_resolver().url_patterns):
        module = getattr(callback, "__module__", "")
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        name = view.__name__ if view else callback.__name__
        url = _concrete(route)
        if url is None or url in seen:
            continue
        if not (module.startswith("wulian") or name in PUBLIC):
            continue
        seen.add(url)
        yield pytest.param(url, name, getattr(view, "allowed_roles", None), id=url)


ENDPOINTS = list(collect())


def test_matrix_is_not_empty():
    assert len(ENDPOINTS) > 10


@pytest.mark.parametrize(("url", "name", "allowed"), ENDPOINTS)
def test_every_role_on_every_url(client, users, url, name, allowed):
    if name in PUBLIC:
        assert client.get(url).status_code < 500
        return
    assert allowed is not None, f"{name} declares no allowed_roles"
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 401, 403), (url, anonymous.status_code)
    if anonymous.status_code == 302:
        assert "/accounts/login/" in anonymous["Location"]
    for username in ROLES:
        user = users[username]
        client.force_login(user)
        status = client.get(url).status_code
        if role_allowed(user, allowed):
            assert status not in (401, 403) and status < 500, (url, username, status)
        else:
            assert status == 403, (url, username, status)
        client.logout()
