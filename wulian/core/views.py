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


class _Values:
    """Stored values as users know them: a choice by its label, a foreign key by the related
    record's name (looked up once per page and record), anything else as written."""

    def __init__(self):
        self._names: dict[tuple[type, object], str] = {}

    def shown(self, field, value) -> str:
        if value is None or value == "" or field is None:
            return _shown(value)
        if field.choices:
            labels = dict(field.flatchoices)
            if value in labels:
                return str(labels[value])
        if field.many_to_one or field.one_to_one:
            return self._name(field.related_model, value)
        return _shown(value)

    def _name(self, model, pk) -> str:
        key = (model, pk)
        if key not in self._names:
            try:
                record = model._default_manager.filter(pk=pk).first()
            except (ValueError, TypeError):  # a stored value that is not this key's type
                record = None
            # a record since deleted keeps its stored key
            self._names[key] = str(record) if record is not None else f"#{pk}"
        return self._names[key]


def readable_changes(event, values: _Values | None = None) -> list[tuple[str, str | None, str]]:
    """(field name as users know it, before or None for a new record, after) per recorded field."""
    values = values or _Values()
    model = _model(event.model)
    before, after = event.before, event.after
    if not isinstance(before or {}, dict) or not isinstance(after or {}, dict):
        return [("", _shown(before), _shown(after))]
    before, after = before or {}, after or {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        try:
            field = model._meta.get_field(key) if model else None
        except FieldDoesNotExist:
            field = None
        name = str(field.verbose_name) if field is not None else key
        old = values.shown(field, before.get(key)) if event.before is not None else None
        new = values.shown(field, after.get(key)) if event.after is not None else "—"
        rows.append((name, old, new))
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
        values = _Values()
        for event in page:
            event.model_label = model_label(event.model)
            event.changes = readable_changes(event, values)
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
