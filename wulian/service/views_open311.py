"""Open311 接入 (administrators): the keys issued to integrations; issue one, revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.permissions import RoleRequiredMixin

from .models import Open311Key
from .open311_services import issue_open311_key, revoke_open311_key


class Open311KeysView(RoleRequiredMixin, View):
    """List the keys; POST `name` issues a key (shown on this answer only), `revoke` stops one."""

    allowed_roles = frozenset()  # superusers only

    def _render(self, request, **extra):
        keys = Open311Key.objects.select_related("created_by", "revoked_by").order_by(
            "-created_at", "-id"
        )[:500]
        context = {"keys": keys, "issued": None, "raw": "", "error": "", "name": "", **extra}
        return render(request, "service/open311_keys.html", context)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if "revoke" in request.POST:
            key = get_object_or_404(Open311Key, pk=request.POST["revoke"] or 0)
            revoke_open311_key(actor=request.user, key=key)
            messages.success(request, _("已停用「%(n)s」的密钥。") % {"n": key.name})
            return redirect("service:open311-keys")
        name = request.POST.get("name", "")
        try:
            key, raw = issue_open311_key(actor=request.user, name=name)
        except ValidationError as exc:
            return self._render(request, error="；".join(exc.messages), name=name[:60])
        # The key is shown in this answer only: it is not stored, so it cannot be shown again.
        response = self._render(request, issued=key, raw=raw)
        response["Cache-Control"] = "no-store"
        return response
