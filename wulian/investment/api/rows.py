"""The project API's reads in plain SQL (core.sqlread): one project, or a page of them.

Building the ORM's statements for a project (its flags annotation, three joins, the links and
the events prefetched) cost about 3 ms of Python per request, more than the rest of the
request together. Here the statements are written once per process (and connection) and the
rows are handed to the API's own serializers as light row objects:

- what a user may see is decided by `Project.objects.visible_to(user)` alone: a detail tests
  its id with `core.sqlread.scope_test` in the statement that reads it, a list's page of ids
  comes from the view's filtered, scoped and ordered ORM queryset;
- `is_stalled` and `completed_wan` are the SQL of `ProjectQuerySet.with_flags` itself,
  compiled by the ORM once per day and connection, with the ORM's converters;
- links come in the order the ORM gives `Link` (its Meta ordering, compiled by the ORM),
  events in `ProjectEvent`'s Meta ordering;
- the JSON is what `ProjectSerializer` / `ProjectDetailSerializer` answer: one bound instance
  of each formats the rows with its own fields (core.api.reading.RowPlan), and
  `investor_display`, `next_stage` and an event's `is_revert` are the models' own properties.
"""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from wulian.chains.models import Link, TargetCompany
from wulian.core.api.reading import RowPlan
from wulian.core.models import Department, Region
from wulian.core.sqlread import (
    Columns,
    placeholders,
    quote,
    row_id,
    scope_column,
    scope_test,
    select,
)

from ..models import Project, ProjectEvent
from ..querysets import stalled_days
from .serializers import ProjectDetailSerializer, ProjectSerializer

_PROJECT_COLUMNS = [
    "id",
    "name",
    "investor_id",
    "investor_name",
    "company_name",
    "uscc",
    "region_id",
    "planned_wan",
    "is_major",
    "stage",
    "stage_entered_on",
    "lost_reason",
    "lead_department_id",
    "responsible_leader",
    "enterprise_id",
    "is_synthetic",
    "updated_at",
]
_EVENT_COLUMNS = ["project_id", "from_stage", "to_stage", "on", "note", "at", "id"]
_FLAGS = ["is_stalled", "completed_wan"]


class ProjectRow(SimpleNamespace):
    """A project as the serializers read it: columns by attname, the joined names, the flags,
    and the model's own derived properties."""

    investor_display = Project.investor_display
    next_stage = Project.next_stage


class EventRow(SimpleNamespace):
    is_revert = ProjectEvent.is_revert


class _Statements:
    """The statements of one connection (each thread has its own)."""

    def __init__(self):
        self.owner = connections[DEFAULT_DB_ALIAS]
        self.project = Columns(Project, _PROJECT_COLUMNS)
        self.investor = Columns(TargetCompany, ["name"], alias="inv")
        self.region = Columns(Region, ["name"], alias="reg")
        self.department = Columns(Department, ["code"], alias="dep")
        self.event = Columns(ProjectEvent, _EVENT_COLUMNS, alias="ev")
        self.flags: dict[tuple, tuple] = {}
        links_join, links_order = self._links_join()
        p = self.project
        # One statement for the projects and their links (a project without links comes
        # once, with no link): a row per link, the project's columns read from its first.
        # A detail tests the user's scope in it too ({visible} is then that test's column)
        # and reads the events with it ({events}: a row per link and event, each link's rows
        # together, the events in their order within each link).
        rows_sql = (
            f"SELECT {{visible}}{p.sql}, {self.investor.sql}, {self.region.sql},"
            f" {self.department.sql}"
            "{flags}"
            f", {links_join[0]}{{event_columns}}"
            f" FROM {p.table}"
            f" LEFT OUTER JOIN {self.investor.table}"
            f" ON {self.investor.ref('id')} = {p.ref('investor_id')}"
            f" INNER JOIN {self.region.table} ON {self.region.ref('code')} = {p.ref('region_id')}"
            f" LEFT OUTER JOIN {self.department.table}"
            f" ON {self.department.ref('id')} = {p.ref('lead_department_id')}"
            f" LEFT OUTER JOIN {links_join[1]} ON {links_join[2]} = {p.ref('id')}"
            "{event_join}"
            f" WHERE {p.ref('id')} IN ({{ids}}) ORDER BY {p.ref('id')}, {links_order}"
            "{event_order}"
        )
        e = self.event
        order = ", ".join(_order_term(e, term) for term in ProjectEvent._meta.ordering)
        events = {
            "event_columns": f", {e.sql}",
            "event_join": f" LEFT OUTER JOIN {e.table} ON {e.ref('project_id')} = {p.ref('id')}",
            "event_order": f", {links_join[0]}, {order}",
        }
        self.rows_sql = _partial(rows_sql, event_columns="", event_join="", event_order="")
        self.detail_sql = _partial(rows_sql, **events)

    @staticmethod
    def _links_join() -> tuple[tuple[str, str, str], str]:
        """The links of a project as the ORM reads them: the tables and the order of its own
        statement for `Link` (its Meta ordering: the chain's ordering, then the link's), with
        the through table joined. Gives (link id column, join group, project id column) and
        the ORDER BY terms."""
        # A column the order does not use is selected: the ORM writes an order term that is
        # also selected as its position ("1 ASC"), which would name another column here.
        sql, params = Link.objects.values_list("name").query.sql_with_params()
        if params or sql.count(" FROM ") != 1 or sql.count(" ORDER BY ") != 1 or " WHERE " in sql:
            raise RuntimeError(f"unexpected statement for links: {sql}")
        tables, order = sql.split(" FROM ", 1)[1].split(" ORDER BY ", 1)
        if re.search(r"(^|, )\d+ (ASC|DESC)", order):
            raise RuntimeError(f"links ordered by position: {sql}")
        t = quote(Project.links.through._meta.db_table)
        link = f"{quote(Link._meta.db_table)}.{quote('id')}"
        group = f"({tables} INNER JOIN {t} ON {t}.{quote('link_id')} = {link})"
        return (f"{t}.{quote('link_id')}", group, f"{t}.{quote('project_id')}"), order

    def flag_columns(self) -> tuple[str, list, list]:
        """The SQL, parameters and converters of `with_flags`' annotations for today."""
        today, days = timezone.localdate(), stalled_days()
        found = self.flags.get((today, days))
        if found is None:
            query = Project.objects.with_flags(days=days, today=today).query
            compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
            parts, params, converters = [], [], []
            for name in _FLAGS:
                expression = query.annotations[name]
                sql, more = compiler.compile(expression)
                parts.append(sql)
                params.extend(more)
                found_converters = connection.ops.get_db_converters(expression)
                found_converters += expression.get_db_converters(connection)
                converters.append((found_converters, expression))
            found = ("".join(f", {part}" for part in parts), params, converters)
            self.flags = {(today, days): found}
        return found


_local = threading.local()


def _statements() -> _Statements:
    found = getattr(_local, "statements", None)
    if found is None or found.owner is not connections[DEFAULT_DB_ALIAS]:
        found = _local.statements = _Statements()
    return found


def _partial(template: str, **values: str) -> str:
    """`template` with these placeholders filled in, the others kept for `str.format`."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value.replace("{", "{{").replace("}", "}}"))
    return template


def _order_term(columns: Columns, term: str) -> str:
    if term.startswith("-"):
        return f"{columns.ref(term[1:])} DESC"
    return f"{columns.ref(term)} ASC"


def _convert_flags(values, converters) -> list:
    out = []
    for value, (found, expression) in zip(values, converters, strict=True):
        for converter in found:
            value = converter(value, expression, connection)
        out.append(value)
    return out


def _project_row(record, width: int, columns: Columns, converters) -> ProjectRow:
    row = ProjectRow()
    row.__dict__.update(zip(_PROJECT_COLUMNS, columns.convert(record[:width]), strict=False))
    investor, region, department = record[width : width + 3]
    row.pk = row.id
    row.investor = SimpleNamespace(name=investor) if row.investor_id is not None else None
    row.region = SimpleNamespace(name=region)
    row.lead_department = (
        SimpleNamespace(code=department) if row.lead_department_id is not None else None
    )
    row.is_stalled, row.completed_wan = _convert_flags(record[width + 3 : width + 5], converters)
    row.links = []
    row.events = []
    return row


def project_rows(
    ids: list[int], *, events: bool = False, test: bool | tuple[str, list] = True
) -> list[ProjectRow]:
    """The projects `ids` as row objects, in the order of `ids` (missing ids left out). With
    `test` (core.sqlread.scope_test for one id), none unless the row passes it."""
    if not ids or test is False:
        return []
    s = _statements()
    flags_sql, flags_params, converters = s.flag_columns()
    marks = placeholders(len(ids))
    visible, test_params = ("", []) if test is True else scope_column(test)
    template = s.detail_sql if events else s.rows_sql
    statement = template.format(visible=visible and f"{visible}, ", flags=flags_sql, ids=marks)
    raw = select(statement, [*test_params, *flags_params, *ids], binary=True)
    if visible:
        if raw and not raw[0][0]:
            return []
        raw = [record[1:] for record in raw]
    width = len(_PROJECT_COLUMNS)
    link_at = width + 5  # after the project, its three names and two flags
    rows: dict[int, ProjectRow] = {}
    first_link: dict[int, Any] = {}  # each project's first link: its rows hold the events
    for record in raw:
        pk, link = record[0], record[link_at]
        row = rows.get(pk)
        if row is None:
            row = rows[pk] = _project_row(record, width, s.project, converters)
            first_link[pk] = link
        if link is not None and (not row.links or row.links[-1].pk != link):
            row.links.append(SimpleNamespace(pk=link))
        if events and link == first_link[pk] and record[link_at + 1] is not None:
            event = EventRow()
            values = s.event.convert(record[link_at + 1 :])
            event.__dict__.update(zip(_EVENT_COLUMNS, values, strict=True))
            row.events.append(event)
    return [rows[pk] for pk in ids if pk in rows]


class _Formats(threading.local):
    """One bound serializer of each kind per thread, and its plan (core.api.reading)."""

    def __init__(self):
        self.list = RowPlan(ProjectSerializer())
        self.detail = RowPlan(ProjectDetailSerializer())


_formats = _Formats()


def project_detail(scope, pk) -> dict | None:
    """What `ProjectDetailSerializer` answers for project `pk` within `scope` (a
    `visible_to(user)` queryset), or None when it is missing or out of scope."""
    pk = row_id(pk)
    if pk is None:
        return None
    rows = project_rows([pk], events=True, test=scope_test(scope, pk))
    return _formats.detail(rows[0], {}) if rows else None


def project_page(ids: list[int]) -> list[dict]:
    """What `ProjectSerializer` answers for each project of a page, in the page's order."""
    plan, labels = _formats.list, {}
    return [plan(row, labels) for row in project_rows(ids)]
