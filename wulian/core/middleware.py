"""Request middleware: NUL characters refused everywhere; a password set by an administrator
is changed before anything else."""

import json
import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Send a signed-in user whose password must be changed to the password page.

    Pages only: the API answers as usual (its clients change the password through
    `POST /api/v1/me/password/`). Signing out, the language switch and static files stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            target = reverse(settings.PASSWORD_CHANGE_URL)
            exempt = (target, reverse("logout"), "/api/", "/i18n/", "/" + settings.STATIC_URL)
            if not request.path.startswith(exempt):
                return redirect(target)
        return self.get_response(request)


NUL = "\x00"
NUL_MESSAGE = "请求中含有不允许的空字符（\\0），未作任何处理。"
_JSON_NUL = re.compile(rb"\x00|\\u0000", re.IGNORECASE)


def _has_nul(value) -> bool:
    """Whether a parsed JSON value (or a string) holds NUL anywhere, keys included."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _querydict_has_nul(data) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware:
    """Refuse any request that carries a NUL character, in one place for every form, API field,
    query parameter, path, cookie and token.

    NUL is never meaningful text; SQLite would store it and PostgreSQL refuses it (a server
    error where it reaches a query). Django's and DRF's CharFields already refuse it, but many
    values reach services and lookups without one (links, slugs, filters, plain POST fields).
    Placed before the session and user are loaded, so a NUL cookie never reaches the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": NUL_MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            if request.path_info.startswith("/open311/"):
                # GeoReport's error list, as every other Open311 error.
                return JsonResponse(
                    [{"code": 400, "description": NUL_MESSAGE}], status=400, safe=False
                )
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def _carries_nul(self, request) -> bool:
        if NUL in request.path_info or _querydict_has_nul(request.GET):
            return True
        if any(NUL in k or NUL in v for k, v in request.COOKIES.items()):
            return True
        if NUL in request.META.get("HTTP_AUTHORIZATION", ""):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if request.method != "POST":
                return False
            files = request.FILES
            return _querydict_has_nul(request.POST) or any(
                NUL in (f.name or "") for f in files.values()
            )
        if content_type.endswith("json"):
            body = request.body
            if not _JSON_NUL.search(body):
                return False
            try:
                return _has_nul(json.loads(body))
            except ValueError:
                return False  # not JSON: the API's parser says so
        return False
