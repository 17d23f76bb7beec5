"""Core pages: home, health check."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from .choices import AuditAction
from .filtersets import AuditEventFilterSet
from .models import AuditEvent
from .permissions import RoleRequiredMixin


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


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_label(label: str) -> str:
    """'service.servicerequest' → '企业诉求' (the model's own name), or the label itself."""
    model = _model(label)
    return str(model._meta.verbose_name) if model else label


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, str) and "T" in value:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is not None and timezone.is_aware(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def readable_changes(event) -> list[tuple[str, str | None, str]]:
    """(field name as users know it, before or None for a new record, after) per recorded field."""
    model = _model(event.model)
    before, after = event.before, event.after
    if not isinstance(before or {}, dict) or not isinstance(after or {}, dict):
        return [("", _shown(before), _shown(after))]
    before, after = before or {}, after or {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        try:
            name = str(model._meta.get_field(key).verbose_name) if model else key
        except FieldDoesNotExist:
            name = key
        old = _shown(before.get(key)) if event.before is not None else None
        rows.append((name, old, _shown(after.get(key)) if event.after is not None else "—"))
    return rows


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
        for event in page:
            event.model_label = model_label(event.model)
            event.changes = readable_changes(event)
        query = request.GET.copy()
        query.pop("page", None)
        models = AuditEvent.objects.order_by().values_list("model", flat=True).distinct()
        context = {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "models": sorted((m, model_label(m)) for m in models),
            "actions": AuditAction.choices,
        }
        return render(request, "core/audit_log.html", context)
