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


def token_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def expires_at(token: Token) -> dt.datetime:
    return token.created + token_ttl()


def is_expired(token: Token, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token check, refusing expired tokens and deactivated accounts (in Chinese)."""

    def authenticate_credentials(self, key):
        # get(), not filter().first(): the key is unique, and first() adds an ORDER BY that
        # costs about 0.2 ms to compile on every API request.
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
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
