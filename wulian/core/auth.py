"""Sign-in with lockout, counted atomically per address and per username at that address.

Every path that checks a password (the login page, the API token endpoint, the admin) goes
through `LockoutModelBackend`, so no path bypasses the count. Before a password is checked,
the sign-in reserves one failure on two counters in one transaction that locks their rows:

- `ip:<address>` — failed sign-ins from one address, whichever usernames (a spray of many
  usernames stops at `LOGIN_IP_FAILURE_LIMIT`);
- `user:<username>|<address>` — failed sign-ins for one username from one address (a guess at
  one account stops at `LOGIN_FAILURE_LIMIT`).

If either counter is at its limit the password is not checked at all; a success gives the
reservation back (and clears the username's counter at that address). Because the count is
taken before the check, 45 concurrent wrong guesses get at most the limit of password checks.
A stranger guessing from elsewhere locks only their own address: the user keeps signing in
from theirs. Administrators unlock counters on the sign-in security page; lockouts and unlocks
are audited. django-axes was the first choice but counts after the check (its known race).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .choices import AuditAction
from .models import SignInCounter


def window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind NUM_PROXIES trusted reverse proxies (nginx)
    the entry of X-Forwarded-For that the outermost of them wrote. Entries a client put there
    itself are never used, so the address cannot be forged; DRF's throttles read the same
    setting (REST_FRAMEWORK["NUM_PROXIES"])."""
    meta = getattr(request, "META", None) or {}
    proxies = settings.NUM_PROXIES
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))][:45]
    return (meta.get("REMOTE_ADDR") or "unknown")[:45]


def keys_for(username: str, ip: str) -> list[tuple[str, int]]:
    name = (username or "").strip().lower()[:150]
    return [
        (f"ip:{ip}", settings.LOGIN_IP_FAILURE_LIMIT),
        (f"user:{name}|{ip}", settings.LOGIN_FAILURE_LIMIT),
    ]


def reserve(username: str, ip: str) -> str | None:
    """Reserve one failure on each counter; the key at its limit (refused) or None."""
    now = timezone.now()
    limits = dict(keys_for(username, ip))
    with transaction.atomic():
        SignInCounter.objects.bulk_create(
            [SignInCounter(key=k, window_start=now) for k in limits], ignore_conflicts=True
        )
        rows = list(
            SignInCounter.objects.select_for_update().filter(key__in=list(limits)).order_by("key")
        )
        for row in rows:
            if row.window_start <= now - window():
                row.failures, row.window_start, row.locked_at = 0, now, None
        full = [row for row in rows if row.failures >= limits[row.key]]
        if not full:
            for row in rows:
                row.failures += 1
        for row in rows:
            row.save(update_fields=["failures", "window_start", "locked_at"])
    return full[0].key if full else None


def settle(username: str, ip: str, succeeded: bool) -> None:
    """After the password check: give a success's reservation back, or note a new lockout."""
    limits = dict(keys_for(username, ip))
    ip_key, user_key = list(limits)
    if succeeded:
        SignInCounter.objects.filter(key=user_key).update(failures=0, locked_at=None)
        SignInCounter.objects.filter(key=ip_key).update(failures=Greatest(F("failures") - 1, 0))
        return
    with transaction.atomic():
        for row in SignInCounter.objects.select_for_update().filter(
            key__in=list(limits), locked_at__isnull=True
        ):
            if row.failures >= limits[row.key]:
                row.locked_at = timezone.now()
                row.save(update_fields=["locked_at"])
                audit.record(
                    actor=None,
                    action=AuditAction.UPDATE,
                    instance=row,
                    before={"failures": row.failures - 1},
                    after=audit.plain_values(
                        {"failures": row.failures, "locked_at": row.locked_at}
                    ),
                    note=_("登录失败次数达到上限，已锁定"),
                )


def locked_counters():
    """Counters at their limit within the window (what the unlock page lists)."""
    since = timezone.now() - window()
    return SignInCounter.objects.filter(locked_at__isnull=False, window_start__gt=since).order_by(
        "-locked_at"
    )


@transaction.atomic
def unlock(*, actor, key: str) -> bool:
    """An administrator clears a counter; audited. False when there was nothing to clear."""
    row = SignInCounter.objects.select_for_update().filter(key=key).first()
    if row is None or (row.failures == 0 and row.locked_at is None):
        return False
    before = {"failures": row.failures, "locked_at": row.locked_at}
    row.failures, row.locked_at = 0, None
    row.save(update_fields=["failures", "locked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=row,
        before=audit.plain_values(before),
        after={"failures": 0, "locked_at": None},
        note=_("管理员解除登录锁定"),
    )
    return True


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend behind the atomic sign-in counters (see the module docstring)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if not username or password is None:
            return None
        ip = client_ip(request)
        full = reserve(username, ip)
        if full is not None:
            if request is not None:
                request.signin_locked = full
            # Stop here: no other backend may check the password either.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        settle(username, ip, succeeded=user is not None)
        return user


def locked_message() -> str:
    return _("登录失败次数过多，账号已临时锁定，请 %(m)d 分钟后再试。") % {
        "m": settings.LOGIN_LOCKOUT_MINUTES
    }


class LockoutAuthenticationForm(AuthenticationForm):
    """The login form, saying plainly when sign-in is locked."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "signin_locked", None):
                raise forms.ValidationError(locked_message(), code="locked") from None
            raise
