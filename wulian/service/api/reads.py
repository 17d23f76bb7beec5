"""The service-request API's reads in plain SQL (core.sqlread): its list and its detail.

The rows are read by id, after `ServiceRequest.objects.visible_to(user)` has decided which ids
the user may see (the list's page of ids from the filtered, scoped ORM queryset; the detail's
id through `scope_test`, tested in the statement that reads it). They are written out as
`ServiceRequestSerializer` and `ServiceRequestDetailSerializer` answer them, key for key:
the serializers stay the schema, the write path's answer and the reference the tests compare
with. What is derived — the deadline clock, the available actions, the choice labels, an
actor's name — comes from the same functions the serializers call (deadlines.clock_for,
workflow.actions_allowed, the models' choices, User.__str__).

Why not the serializers on plain rows: a 50-row page spent most of its time in DRF's generic
field machinery and in a model instance per related row (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.api.reading import _iso
from wulian.core.choices import labels_in_language
from wulian.core.models import Department, Region
from wulian.core.sqlread import Columns, placeholders, scope_column, select
from wulian.enterprises.models import Enterprise

from ..deadlines import ServiceCalendar, clock_for
from ..models import ServiceAttachment, ServiceCategory, ServiceEvent, ServiceRequest
from ..workflow import actions_allowed, actors_for

# The request's own columns, in the order the serializer answers them (the moments apart).
_MOMENTS = (
    "submitted_at",
    "accepted_at",
    "routed_at",
    "answered_at",
    "closed_at",
    "due_at",
    "answer_due_at",
)
_REQUEST = Columns(
    ServiceRequest,
    [
        "id",
        "title",
        "description",
        "enterprise_id",
        "region_id",
        "link_id",
        "department_id",
        "status",
        *_MOMENTS,
        "answer",
        "rating",
        "rating_comment",
        "closed_by_silence",
        "reopen_count",
        "paused_workdays",
        "is_synthetic",
    ],
    alias="r",
    # written out as text only (the deadline is also read by the clock: converted)
    moments=[name for name in _MOMENTS if name != "due_at"],
)
_CATEGORY = Columns(ServiceCategory, ["code", "name"], alias="c")
_ENTERPRISE = Columns(Enterprise, ["name"], alias="e")
_REGION = Columns(Region, ["name"], alias="g")
_DEPARTMENT = Columns(Department, ["code", "name"], alias="d")
_EVENT = Columns(
    ServiceEvent,
    ["at", "action", "from_status", "to_status", "reason", "actor_id", "rating"],
    alias="v",
    moments=["at"],
)
_ACTOR = Columns(get_user_model(), ["username", "display_name"], alias="u")
_ATTACHMENT = Columns(
    ServiceAttachment, ["id", "uuid", "original_name", "extension", "size", "uploaded_at"], "a"
)


def _labels(model, field_name: str) -> dict:
    """A choice field's labels in the active language (ChoiceLabelField's mapping)."""
    return labels_in_language(model._meta.get_field(field_name))


class _LazyCalendar:
    """The working-day calendar, read when a row first asks it something: a page of closed
    requests (no deadline) never needs it."""

    def __init__(self):
        self._calendar = None

    def __getattr__(self, name):
        if self._calendar is None:
            self._calendar = ServiceCalendar()
        found = getattr(self._calendar, name)
        if callable(found):
            setattr(self, name, found)  # the next rows call the calendar's method directly
        return found


class RequestRow:
    """What the clock and the workflow read of a request (deadlines.clock_for,
    workflow.available_actions), without a model instance."""

    __slots__ = ("pk", "status", "due_at", "department_id", "enterprise_id")

    def __init__(self, pk, status, due_at, department_id, enterprise_id):
        self.pk = pk
        self.status = status
        self.due_at = due_at
        self.department_id = department_id
        self.enterprise_id = enterprise_id


def _build_statements() -> dict[str, str]:
    r, c, e, g, d, v, a = (
        _REQUEST,
        _CATEGORY,
        _ENTERPRISE,
        _REGION,
        _DEPARTMENT,
        _EVENT,
        _ATTACHMENT,
    )
    u = _ACTOR
    return {
        "requests": (
            f"SELECT {r.sql}, {c.sql}, {e.sql}, {g.sql}, {d.sql} FROM {r.table}"
            f" INNER JOIN {c.table} ON {c.ref('id')} = {r.ref('category_id')}"
            f" INNER JOIN {e.table} ON {e.ref('id')} = {r.ref('enterprise_id')}"
            f" LEFT OUTER JOIN {g.table} ON {g.ref('code')} = {r.ref('region_id')}"
            f" LEFT OUTER JOIN {d.table} ON {d.ref('id')} = {r.ref('department_id')}"
            f" WHERE {r.ref('id')} IN "
        ),
        # One request with its events (a row per event, the request's columns read from
        # the first), whether it has attachments, and first the scope's test ({visible}).
        "detail": (
            f"SELECT {{visible}}, EXISTS (SELECT 1 FROM {a.table}"
            f" WHERE {a.ref('request_id')} = {r.ref('id')}),"
            f" {r.sql}, {c.sql}, {e.sql}, {g.sql}, {d.sql}, {v.sql}, {u.sql} FROM {r.table}"
            f" INNER JOIN {c.table} ON {c.ref('id')} = {r.ref('category_id')}"
            f" INNER JOIN {e.table} ON {e.ref('id')} = {r.ref('enterprise_id')}"
            f" LEFT OUTER JOIN {g.table} ON {g.ref('code')} = {r.ref('region_id')}"
            f" LEFT OUTER JOIN {d.table} ON {d.ref('id')} = {r.ref('department_id')}"
            f" LEFT OUTER JOIN {v.table} ON {v.ref('request_id')} = {r.ref('id')}"
            f" LEFT OUTER JOIN {u.table} ON {u.ref('id')} = {v.ref('actor_id')}"
            f" WHERE {r.ref('id')} = %s ORDER BY {v.ref('at')}, {v.ref('id')}"
        ),
        "attachments": (
            f"SELECT {a.sql} FROM {a.table} WHERE {a.ref('request_id')} = %s"
            f" ORDER BY {a.ref('uploaded_at')}, {a.ref('id')}"
        ),
    }


_statements: dict[str, dict[str, str]] = {}


def _sql(name: str) -> str:
    """Statement `name`, written once per process for the database's dialect."""
    found = _statements.get(connection.vendor)
    if found is None:
        found = _statements[connection.vendor] = _build_statements()
    return found[name]


def _request_rows(ids: Sequence[int]) -> dict[int, tuple]:
    """The requests with these ids with the names of their category, enterprise, county and
    department, by id: (converted request columns, category code, category name, enterprise
    name, region name, department code, department name)."""
    rows = select(f"{_sql('requests')}({placeholders(len(ids))})", list(ids), binary=True)
    width = len(_REQUEST.names)
    return {row[0]: (row[:width], *row[width:]) for row in _REQUEST.convert_rows(rows)}


class _Writer:
    """Writes request rows as ServiceRequestSerializer does, for one user in one language."""

    def __init__(self, user):
        self.user = user
        self.calendar = _LazyCalendar()
        self.zone = timezone.get_current_timezone()
        self.now = timezone.localtime(timezone.now(), self.zone)
        self.status_labels = _labels(ServiceRequest, "status")
        # Rows of a page share few labels and action lists: each is worked out once.
        self.clock_labels: dict[tuple, str] = {}
        self.actions: dict[tuple, list[str]] = {}
        self.moment_text = None  # the request's moments as text (Columns.moment_text)

    def moment(self, value):
        return None if value is None else _iso(value, self.zone)

    def request(self, found: tuple) -> dict:
        values, category_code, category_name, enterprise_name, region_name = found[:5]
        department_code, department_name = found[5:]
        (pk, title, description, enterprise_id, region_id, link_id, department_id, status) = values[
            :8
        ]
        zone = self.zone
        text = self.moment_text
        if text is None:
            text = self.moment_text = _REQUEST.moment_text(zone)
        submitted, accepted, routed, answered, closed, due_at, answer_due = values[8:15]
        (answer, rating, rating_comment, silence, reopen_count, paused, synthetic) = values[15:]
        row = RequestRow(pk, status, due_at, department_id, enterprise_id)
        clock = clock_for(row, self.calendar, self.now, zone=zone)
        label = self.clock_labels.get(clock.label_key)
        if label is None:
            label = self.clock_labels[clock.label_key] = clock.label
        key = (status, actors_for(row, self.user))
        actions = self.actions.get(key)
        if actions is None:
            actions = self.actions[key] = [a.replace("_", "-") for a in actions_allowed(*key)]
        return {
            "id": pk,
            "title": title,
            "description": description,
            "category": category_code,
            "category_name": category_name,
            "enterprise": enterprise_id,
            "enterprise_name": enterprise_name,
            "region": region_id,
            "region_name": "" if region_name is None else region_name,
            "link": link_id,
            "department": department_code,
            "department_name": "" if department_name is None else department_name,
            "status": status,
            "status_display": self.status_labels.get(status, status),
            "submitted_at": text("submitted_at", submitted),
            "accepted_at": text("accepted_at", accepted),
            "routed_at": text("routed_at", routed),
            "answered_at": text("answered_at", answered),
            "closed_at": text("closed_at", closed),
            "due_at": None if due_at is None else _iso(due_at, zone),
            "answer_due_at": text("answer_due_at", answer_due),
            "time_left": label,
            "overdue": clock.overdue,
            "escalation": int(clock.escalation),
            "answer": answer,
            "rating": rating,
            "rating_comment": rating_comment,
            "closed_by_silence": silence,
            "reopen_count": reopen_count,
            "paused_workdays": paused,
            "is_synthetic": synthetic,
            "actions": list(actions),
        }

    def events(self, rows: Sequence[Sequence]) -> list[dict]:
        """The events of the detail statement's rows (each row's values from the event's
        columns on; a request without events has one row, without an event)."""
        v = _EVENT
        user_model = _ACTOR.model
        labels = _labels(ServiceEvent, "action")
        width = len(v.names)
        text = v.moment_text(self.zone)
        out = []
        for row in v.convert_rows(row for row in rows if row[0] is not None):
            at, action, from_status, to_status, reason, actor_id, rating = row[:width]
            if actor_id:
                # the user's own __str__ (display name, else username) on the two columns
                names = SimpleNamespace(username=row[width], display_name=row[width + 1])
                actor_name = user_model.__str__(names)
            else:
                actor_name = str(_("系统"))
            out.append(
                {
                    "at": text("at", at),
                    "action": action,
                    "action_display": labels.get(action, action),
                    "from_status": from_status,
                    "to_status": to_status,
                    "reason": reason,
                    "actor_name": actor_name,
                    "rating": rating,
                }
            )
        return out

    def attachments(self, request_id: int) -> list[dict]:
        a = _ATTACHMENT
        rows = select(_sql("attachments"), [request_id], binary=True)
        return [
            {
                "id": pk,
                "original_name": name,
                "extension": extension,
                "size": size,
                "uploaded_at": self.moment(uploaded_at),
                "url": reverse("service:attachment", args=[uuid]),
            }
            for pk, uuid, name, extension, size, uploaded_at in map(a.convert, rows)
        ]


def in_id_range(model, pk: int) -> bool:
    """Whether `pk` fits the model's id column: the ORM answers an id outside it as no row
    (a lookup with an out-of-range integer matches nothing), the database would refuse it."""
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    return (low is None or pk >= low) and (high is None or pk <= high)


def list_data(ids: Sequence[int], user) -> list[dict]:
    """The list's rows for this page of ids, in its order, as ServiceRequestSerializer
    answers them."""
    if not ids:
        return []
    found = _request_rows(ids)
    writer = _Writer(user)
    return [writer.request(found[pk]) for pk in ids if pk in found]


def detail_data(request_id: int, user, test: bool | tuple[str, list] = True) -> dict | None:
    """One request as ServiceRequestDetailSerializer answers it, or None when there is none
    or it fails `test` (core.sqlread.scope_test: the user's scope, tested in the statement
    that reads the request)."""
    if test is False:
        return None
    visible, params = scope_column(test)
    rows = select(_sql("detail").format(visible=visible), [*params, request_id], binary=True)
    if not rows or not rows[0][0]:
        return None
    start = 2
    width = len(_REQUEST.names)
    end = start + width + 6  # the request, then its six names
    first = rows[0]
    found = (_REQUEST.convert(first[start : start + width]), *first[start + width : end])
    writer = _Writer(user)
    data = writer.request(found)
    data["events"] = writer.events([row[end:] for row in rows])
    data["attachments"] = writer.attachments(request_id) if first[1] else []
    return data
