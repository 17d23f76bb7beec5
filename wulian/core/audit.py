"""The audit trail. Services call these inside their own transaction."""

import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from .choices import AuditAction
from .models import AuditEvent

_PLAIN_TYPES = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if isinstance(value, _PLAIN_TYPES):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


@functools.cache
def _concrete_fields(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, f.attname) for f in model._meta.concrete_fields)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of the instance's concrete field values (foreign keys as ids)."""
    if fields is None:
        pairs = _concrete_fields(type(instance))
    else:
        pairs = tuple(
            (instance._meta.get_field(n).name, instance._meta.get_field(n).attname) for n in fields
        )
    return {name: _plain(getattr(instance, attname)) for name, attname in pairs}


def plain_values(values: dict[str, Any]) -> dict[str, Any]:
    """A JSON-safe copy of a dict of field values (for audit `after` of bulk creates)."""
    return {key: _plain(value) for key, value in values.items()}


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Only the keys that changed, on both sides (None stays None for create/delete)."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _event(actor, action, instance, before, after, note) -> AuditEvent:
    before, after = diff(before, after)
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        note=note[:200],
    )


def record(
    *,
    actor,
    action: str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit event for a change to `instance`."""
    event = _event(actor, action, instance, before, after, note)
    event.save()
    return event


def record_many(
    *,
    actor,
    changes: Iterable[tuple[str, models.Model, dict | None, dict | None]],
    note: str = "",
    batch_size: int = 2000,
) -> int:
    """Audit a bulk change: one event per (action, instance, before, after), bulk-inserted."""
    events = [_event(actor, action, inst, b, a, note) for action, inst, b, a in changes]
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)


__all__ = ["AuditAction", "record", "record_many", "snapshot"]
