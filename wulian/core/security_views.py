"""Sign-in security pages (administrators): unlock sign-in counters, list and revoke tokens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.authtoken.models import Token

from .auth import locked_counters, unlock
from .models import User
from .permissions import RoleRequiredMixin
from .tokens import expires_at, is_expired, revoke_tokens


class SignInLocksView(RoleRequiredMixin, View):
    """Addresses and usernames locked after failed sign-ins; unlock one."""

    allowed_roles = frozenset()

    def get(self, request):
        rows = []
        for counter in locked_counters()[:500]:
            kind, _sep, rest = counter.key.partition(":")
            username, _bar, ip = rest.rpartition("|") if kind == "user" else ("", "", rest)
            rows.append({"counter": counter, "kind": kind, "username": username, "ip": ip})
        return render(request, "core/security_signin.html", {"rows": rows})

    def post(self, request):
        if unlock(actor=request.user, key=request.POST.get("key", "")):
            messages.success(request, _("已解除锁定。"))
        else:
            messages.info(request, _("该记录已不在锁定状态。"))
        return redirect("security-signin")


class TokenListView(RoleRequiredMixin, View):
    """Every API token with its owner and expiry; revoke one."""

    allowed_roles = frozenset()

    def get(self, request):
        tokens = Token.objects.select_related("user").order_by("-created")[:1000]
        rows = [{"token": t, "expires": expires_at(t), "expired": is_expired(t)} for t in tokens]
        return render(request, "core/security_tokens.html", {"rows": rows})

    def post(self, request):
        user = get_object_or_404(User, pk=request.POST.get("user") or 0)
        revoke_tokens(actor=request.user, user=user, note=_("管理员撤销令牌"))
        messages.success(request, _("已撤销 %(u)s 的接口令牌。") % {"u": user.username})
        return redirect("security-tokens")
