"""Core pages: home, health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .choices import AuditAction
from .filtersets import AuditEventFilterSet
from .models import AuditEvent
from .permissions import ALL_ROLES, RoleRequiredMixin


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise. Open to anyone (load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class AuditLogView(RoleRequiredMixin, View):
    """Who changed what, when, before and after — for system administrators only."""

    allowed_roles = frozenset()  # superusers only (role_allowed always admits them)

    def get(self, request):
        filterset = AuditEventFilterSet(
            request.GET or None, queryset=AuditEvent.objects.select_related("actor")
        )
        queryset = (
            filterset.qs if filterset.is_bound and filterset.is_valid() else (filterset.queryset)
        )
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        models = AuditEvent.objects.order_by().values_list("model", flat=True).distinct()
        context = {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "models": sorted(models),
            "actions": AuditAction.choices,
        }
        return render(request, "core/audit_log.html", context)


class HomeView(LoginRequiredMixin, RoleRequiredMixin, TemplateView):
    """The landing page after login: the modules this user may open."""

    allowed_roles = ALL_ROLES
    template_name = "core/home.html"
