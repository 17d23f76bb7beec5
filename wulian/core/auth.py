"""Sign-in with lockout: after too many failures a username is locked for a while.

The backend is used by every path that authenticates with a password — the login page, the
API token endpoint and the admin — so the lockout cannot be bypassed through one of them.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str) -> bool:
    """True while the username has had LOGIN_FAILURE_LIMIT failures within the window."""
    if not username:
        return False
    recent = LoginFailure.objects.filter(username=username[:150], at__gte=_window_start())
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend, refusing locked usernames and counting failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username and is_locked(username):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if username:
            if user is None:
                LoginFailure.objects.create(username=username[:150], ip=_client_ip(request))
            else:
                LoginFailure.objects.filter(username=username[:150]).delete()
        return user


class LockoutAuthenticationForm(AuthenticationForm):
    """The login form, saying plainly when an account is locked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_locked(username):
            raise forms.ValidationError(
                _("登录失败次数过多，账号已临时锁定，请 %(m)d 分钟后再试。")
                % {"m": settings.LOGIN_LOCKOUT_MINUTES},
                code="locked",
            )
        return super().clean()
