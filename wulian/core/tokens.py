"""API tokens: they expire, they die with a password change or deactivation, admins revoke them.

DRF's authtoken keeps one token per user with its creation time; a token older than
`API_TOKEN_TTL_HOURS` is refused and replaced at the next sign-in. Token authentication comes
first among the API's authentication classes, so a request without valid credentials is
answered 401 with `WWW-Authenticate: Token` (DRF takes the header from the first class).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from . import audit
from .choices import AuditAction
from .sqlread import Columns, select


class _TokenRead:
    """The token, its user and the user's department in one plain statement
    (core.sqlread): every API request authenticates, and the ORM's statement for it cost
    0.4–0.65 ms of Python to build. The department comes loaded on the user (as
    `select_related` would), so what a department's staff may see needs no statement of its
    own for it (a dispatching department sees every request)."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from .models import Department

        self.user_model = get_user_model()
        self.token = Columns(Token, ["key", "user_id", "created"], alias="t")
        names = [f.attname for f in self.user_model._meta.concrete_fields]
        self.user = Columns(self.user_model, names, alias="u")
        names = [f.attname for f in Department._meta.concrete_fields]
        self.department = Columns(Department, names, alias="d")
        self.department_at = self.user.names.index("department_id")

    def __call__(self, key: str) -> Token | None:
        token, user, department = self.token, self.user, self.department
        rows = select(
            f"SELECT {token.sql}, {user.sql}, {department.sql} FROM {token.table}"
            f" INNER JOIN {user.table} ON {user.ref('id')} = {token.ref('user_id')}"
            f" LEFT OUTER JOIN {department.table}"
            f" ON {department.ref('id')} = {user.ref('department_id')}"
            f" WHERE {token.ref('key')} = %s",
            [key],
            binary=True,
        )
        if not rows:
            return None
        row = rows[0]
        width, end = len(token.names), len(token.names) + len(user.names)
        found = Token.from_db("default", token.names, token.convert(row[:width]))
        values = user.convert(row[width:end])
        found.user = self.user_model.from_db("default", user.names, values)
        if values[self.department_at] is not None:
            found.user.department = department.model.from_db(
                "default", department.names, department.convert(row[end:])
            )
        return found


_token_read: _TokenRead | None = None


def token_with_user(key: str) -> Token | None:
    """The token whose key is `key`, with its user, or None."""
    global _token_read
    if _token_read is None:
        _token_read = _TokenRead()
    return _token_read(key)


def token_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def expires_at(token: Token) -> dt.datetime:
    return token.created + token_ttl()


def is_expired(token: Token, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token check, refusing expired tokens and deactivated accounts (in Chinese)."""

    def authenticate_credentials(self, key):
        token = token_with_user(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        if is_expired(token):
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        return token.user, token


@transaction.atomic
def issue_token(user) -> Token:
    """The user's current token, or a new one when there is none or it has expired."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not is_expired(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)


def revoke_tokens(*, actor, user, note: str) -> int:
    """Delete the user's API tokens, audited on the user when there was one."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=user,
            before={"api_token": _("有效")},
            after={"api_token": _("已撤销")},
            note=note,
        )
    return deleted
