"""Core pages: home, health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

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


class HomeView(LoginRequiredMixin, RoleRequiredMixin, TemplateView):
    """The landing page after login: the modules this user may open."""

    allowed_roles = ALL_ROLES
    template_name = "core/home.html"
