"""Reads in plain SQL for the hottest API paths, with the ORM's own value conversion.

Building and compiling an ORM statement costs 0.3–0.8 ms of Python (docs/performance.md);
sending a fixed statement through Django's cursor costs about 0.05 ms. The API's most read
endpoints (an enterprise, a service request, a project, and the rows of their lists) read
their rows here: the statement is written once per process from the models' metadata, the
values are converted by the same converters the ORM applies (so a SQLite decimal, date or
datetime, or a PostgreSQL one, comes out exactly as a model instance would hold it), and
every statement is a SELECT through Django's connection, inside its transaction.

What a user may see is still decided by the models' `visible_to` querysets: the plain reads
fetch rows whose ids a scoped ORM statement chose (or check one row against it), never the
other way round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections


def select(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Rows of one SELECT through Django's connection.

    A read, so cachalot's scan of plain SQL for writes (a regular expression over the whole
    statement) is skipped, as it is for the ORM's own reads (core.cache)."""
    outer = getattr(connection, "raw", True)
    connection.raw = False
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.raw = outer


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


class Columns:
    """Some columns of one model's table, as SQL and as the ORM's Python values.

    `Columns(Enterprise, ["id", "name", "region_id"], alias="e")` gives `sql` for a SELECT
    list (`"e"."id", "e"."name", "e"."region_id"`) and `convert(row)` applies each column's
    converters (the backend's and the field's, as the ORM does) to a tuple of raw values."""

    def __init__(self, model, names: Iterable[str], alias: str | None = None):
        self.model = model
        self.names = list(names)
        self.alias = alias or model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [n for n in self.names if n not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        self.fields = [fields[n] for n in self.names]
        self._owner = None
        self._sql = self._table = ""
        self._refs: dict[str, str] = {}
        self._converters: list[tuple[int, list, Any]] = []

    def _prepare(self) -> None:
        alias = quote(self.alias)
        self._refs = {}
        for field in self.model._meta.concrete_fields:
            self._refs[field.name] = self._refs[field.attname] = f"{alias}.{quote(field.column)}"
        self._table = f"{quote(self.model._meta.db_table)} {alias}"
        self._sql = ", ".join(self._refs[field.attname] for field in self.fields)
        self._converters = []
        for i, field in enumerate(self.fields):
            expression = field.get_col(self.alias)
            found = connection.ops.get_db_converters(expression)
            found += expression.get_db_converters(connection)
            if found:
                self._converters.append((i, found, expression))
        # The converters are bound to this thread's connection (its time zone, its
        # backend): a statement is prepared again for another connection.
        self._owner = connections[DEFAULT_DB_ALIAS]

    @property
    def sql(self) -> str:
        if self._owner is not connections[DEFAULT_DB_ALIAS]:
            self._prepare()
        return self._sql

    def ref(self, name: str) -> str:
        """The quoted column of field `name` (a field name or an attname) under the alias."""
        if self._owner is not connections[DEFAULT_DB_ALIAS]:
            self._prepare()
        return self._refs[name]

    @property
    def table(self) -> str:
        """The quoted table with its alias, for FROM and JOIN."""
        if self._owner is not connections[DEFAULT_DB_ALIAS]:
            self._prepare()
        return self._table

    def convert(self, row: Sequence[Any]) -> list:
        if self._owner is not connections[DEFAULT_DB_ALIAS]:
            self._prepare()
        values = list(row)
        for i, found, expression in self._converters:
            value = values[i]
            for converter in found:
                value = converter(value, expression, connection)
            values[i] = value
        return values

    def dicts(self, rows: Iterable[Sequence[Any]]) -> list[dict]:
        return [dict(zip(self.names, self.convert(row), strict=True)) for row in rows]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def in_scope(queryset, pk: Any) -> bool:
    """Whether row `pk` may be in the scoped `queryset` (a model's `visible_to(user)`).

    A scope that is the whole table (a leader's) answers True without a statement: the plain
    read of the row then finds it or not (404). Any other scope is asked with one EXISTS, so
    what a user may see is decided by `visible_to` alone."""
    query = queryset.query
    if query.is_empty():
        return False
    if not query.where and not query.distinct and not query.combinator:
        return True
    return queryset.filter(pk=pk).exists()


# A primary key outside a 64-bit integer is no row (the databases cannot hold it).
_PK_LIMIT = 2**63


def row_id(value: Any) -> int | None:
    """A URL's id as a row id, or None when it cannot name a row (not a whole number, or out
    of a 64-bit integer's range): the view answers 404, as for a missing row."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if -_PK_LIMIT < pk < _PK_LIMIT else None
