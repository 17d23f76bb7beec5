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

import datetime as dt
import uuid
import weakref
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from cachalot.settings import cachalot_settings
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models.expressions import Col, Subquery
from django.db.models.lookups import Lookup
from django.db.models.sql.datastructures import BaseTable, Join
from django.db.models.sql.query import Query
from django.db.models.sql.where import WhereNode
from django.dispatch import receiver
from django.utils.dateparse import parse_datetime


def select(sql: str, params: Sequence[Any] = (), *, binary: bool = False) -> list[tuple]:
    """Rows of one SELECT through Django's connection, inside its transaction.

    Sent on the driver's own cursor, as Django's `_cursor` opens it (the health check, the
    connection, the refusal inside a broken atomic block, Django's database errors), without
    the wrappers a statement of the ORM goes through: Django's cursor wrapper and cachalot's
    scan of plain SQL for writes (a regular expression over the whole statement; this is a
    read). On SQLite the `%s` placeholders are turned into `?` once per statement text
    instead of at every execution. While queries are logged (DEBUG, the tests' query
    counts) the statement goes through Django's cursor as any other, to be counted.

    `binary`: on PostgreSQL, the rows come in psycopg's binary format (its `Cursor.format`),
    which its C loaders read several times faster than text; a timestamp in text goes through
    Django's loader in Python (0.6 ms for a page of 50 service requests). Only for columns
    that load alike in both formats: numbers, texts, booleans, dates, datetimes (aware, in
    UTC either way), UUIDs; not JSON or network addresses, which Django reads as text."""
    if connection.queries_logged:
        return _select_logged(sql, params, binary)
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":
            cursor = connection.connection.cursor()
            sql = _qmark(sql)
        else:
            cursor = connection.create_cursor()
            if binary and connection.vendor == "postgresql":
                cursor.format = _BINARY
        try:
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()


def _select_logged(sql: str, params: Sequence[Any], binary: bool) -> list[tuple]:
    outer = getattr(connection, "raw", True)
    connection.raw = False  # cachalot: a read, no scan for writes
    try:
        with connection.cursor() as cursor:
            if binary and connection.vendor == "postgresql":
                cursor.cursor.format = _BINARY
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.raw = outer


def _qmark(sql: str) -> str:
    """The statement with SQLite's `?` placeholders, as Django's SQLite cursor writes it."""
    found = _qmarked.get(sql)
    if found is None:
        if len(_qmarked) >= _STATEMENTS_KEPT:
            _qmarked.clear()
        found = _qmarked[sql] = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
    return found


_qmarked: dict[str, str] = {}


_BINARY = 1  # psycopg.pq.Format.BINARY (psycopg is only imported with PostgreSQL)


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


class Columns:
    """Some columns of one model's table, as SQL and as the ORM's Python values.

    `Columns(Enterprise, ["id", "name", "region_id"], alias="e")` gives `sql` for a SELECT
    list (`"e"."id", "e"."name", "e"."region_id"`) and `convert(row)` applies each column's
    converters (the backend's and the field's, as the ORM does) to a tuple of raw values."""

    def __init__(
        self, model, names: Iterable[str], alias: str | None = None, *, moments: Iterable[str] = ()
    ):
        self.model = model
        self.names = list(names)
        self.alias = alias or model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [n for n in self.names if n not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        self.fields = [fields[n] for n in self.names]
        # DateTimeFields only written out as text (`moment_text`), not converted.
        self.moments = set(moments)
        if any(
            n not in self.names or fields[n].get_internal_type() != "DateTimeField"
            for n in self.moments
        ):
            raise ValueError(f"moments must be datetime columns among {self.names}")
        self._owner = None
        self._sql = self._table = ""
        self._refs: dict[str, str] = {}
        self._converters: list[tuple[int, Callable[[Any], Any]]] = []
        self._moment_converters: dict[str, Callable[[Any], Any]] = {}
        self._fast_moments = False
        _all_columns.add(self)

    def _prepare_text(self) -> None:
        # The SQL text depends only on the database's dialect, one per process: it is
        # written once, without asking for this thread's connection at every use.
        alias = quote(self.alias)
        refs = {}
        for field in self.model._meta.concrete_fields:
            refs[field.name] = refs[field.attname] = f"{alias}.{quote(field.column)}"
        self._table = f"{quote(self.model._meta.db_table)} {alias}"
        selected = []
        for field in self.fields:
            ref = refs[field.attname]
            if field.attname in self.moments and connection.vendor == "sqlite":
                # The stored text as it is: a cast is an expression without a declared type,
                # which the sqlite3 driver leaves unparsed (moment_text parses it faster).
                ref = f"CAST({ref} AS TEXT)"
            selected.append(ref)
        self._sql = ", ".join(selected)
        self._refs = refs

    def _prepare(self) -> None:
        self._converters = []
        self._moment_converters = {}
        for i, field in enumerate(self.fields):
            expression = field.get_col(self.alias)
            found = connection.ops.get_db_converters(expression)
            found += expression.get_db_converters(connection)
            if field.attname in self.moments:
                self._moment_converters[field.attname] = _converter(found, expression)
            elif found:
                self._converters.append((i, _converter(found, expression)))
        # Stored moments are UTC text (SQLite with USE_TZ, no TIME_ZONE of the database's own).
        utc = settings.USE_TZ and connection.timezone_name == "UTC"
        self._fast_moments = utc and connection.vendor == "sqlite"
        # The converters are bound to this thread's connection (its time zone, its
        # backend): they are prepared again for another connection.
        self._owner = connections[DEFAULT_DB_ALIAS]

    @property
    def sql(self) -> str:
        if not self._refs:
            self._prepare_text()
        return self._sql

    def ref(self, name: str) -> str:
        """The quoted column of field `name` (a field name or an attname) under the alias."""
        if not self._refs:
            self._prepare_text()
        return self._refs[name]

    @property
    def table(self) -> str:
        """The quoted table with its alias, for FROM and JOIN."""
        if not self._refs:
            self._prepare_text()
        return self._table

    def convert(self, row: Sequence[Any]) -> list:
        if self._owner is not connections[DEFAULT_DB_ALIAS]:
            self._prepare()
        values = list(row)
        for i, converter in self._converters:
            values[i] = converter(values[i])
        return values

    def convert_rows(self, rows: Iterable[Sequence[Any]]) -> list[list]:
        """`convert` for many rows. A row may go on past these columns (a join's values):
        the values after them are kept as they came."""
        if self._owner is not connections[DEFAULT_DB_ALIAS]:
            self._prepare()
        converters = self._converters
        out = []
        for row in rows:
            values = list(row)
            for i, converter in converters:
                values[i] = converter(values[i])
            out.append(values)
        return out

    def moment_text(self, zone) -> Callable[[str, Any], str | None]:
        """A function writing a `moments` column's value (by name) as DRF's DateTimeField
        does: ISO 8601 in `zone`, "Z" for UTC, the same text as converting the value as the
        ORM does and formatting that.

        SQLite's stored UTC text ("YYYY-MM-DD HH:MM:SS[.ffffff]") is read directly: in an
        hour whose offset in `zone` does not change, the local time is the UTC time plus that
        offset, written with the offset's text; the offset is worked out once per hour and
        zone. Any other value (PostgreSQL's, another text, an hour with a change of offset)
        is converted and formatted as before. One function per page: the connection is
        looked up once."""
        if self._owner is not connections[DEFAULT_DB_ALIAS]:
            self._prepare()
        fast, converters = self._fast_moments, self._moment_converters
        parse, hours = dt.datetime.fromisoformat, _hours

        def write(name: str, value: Any) -> str | None:
            if value is None:
                return None
            if fast and type(value) is str and len(value) in (19, 26):
                hour = hours.get((zone, value[:13]))
                if hour is None:
                    hour = _hour(zone, value[:13])
                if hour:
                    local = hour[2]
                    if local is not None and _clock_text(value):
                        # a whole-hour offset moves the hour only: the rest is the stored text
                        return local + value[13:] + hour[1]
                    try:
                        moment = parse(value)
                        if moment.tzinfo is None:
                            return (moment + hour[0]).isoformat() + hour[1]
                    except (ValueError, OverflowError):
                        pass  # not the stored form after all, or past year 9999
            text = converters[name](value).astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return write

    def dicts(self, rows: Iterable[Sequence[Any]]) -> list[dict]:
        return [dict(zip(self.names, self.convert(row), strict=True)) for row in rows]


def _converter(found: list, expression) -> Callable[[Any], Any]:
    """One column's converters as one function of the raw value.

    SQLite's datetime and boolean converters, which run for many values a page, are written
    out for the connection's settings (the same steps, without reading the settings and the
    time zone again for every value); any other converter chain is called as the ORM calls it.
    """
    if connection.vendor == "sqlite" and len(found) == 1:
        # Django's own SQLite operations (not a subclass's override of them).
        function = getattr(found[0], "__func__", None)
        module = getattr(function, "__module__", "")
        name = getattr(function, "__name__", "")
        if module == "django.db.backends.sqlite3.operations":
            if name == "convert_datetimefield_value":
                return _sqlite_datetime(connection.timezone if settings.USE_TZ else None)
            if name == "convert_booleanfield_value":
                return _sqlite_boolean

    def convert(value):
        for converter in found:
            value = converter(value, expression, connection)
        return value

    return convert


def _sqlite_datetime(zone) -> Callable[[Any], Any]:
    """SQLite's convert_datetimefield_value with USE_TZ and the connection's zone read once:
    a text is parsed, a naive value is made aware in the connection's zone (make_aware)."""

    def convert(value):
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = parse_datetime(value)
        if zone is not None and value.utcoffset() is None:
            value = value.replace(tzinfo=zone)
        return value

    return convert


def _clock_text(value: str) -> bool:
    """Whether the stored text's minutes, seconds and fraction (after "YYYY-MM-DD HH") are
    as Python writes them: ":MM:SS", or ":MM:SS.ffffff" with a fraction other than zero
    (`isoformat` leaves out a zero fraction)."""
    minutes, seconds, fraction = value[14:16], value[17:19], value[20:]
    if value[13] != ":" or value[16] != ":" or not (minutes + seconds + fraction).isascii():
        return False
    if not (minutes.isdigit() and seconds.isdigit()) or minutes > "59" or seconds > "59":
        return False
    return len(value) == 19 or (value[19] == "." and fraction.isdigit() and fraction != "000000")


def _hour(zone, hour: str) -> tuple[dt.timedelta, str, str | None] | bool:
    """The offset of `zone` and its text ("+08:00", "Z") over one UTC hour ("YYYY-MM-DD HH"),
    and the local hour's text ("YYYY-MM-DDTHH") when the offset is a whole number of hours;
    or False when the offset changes within the hour or the text is not an hour."""
    try:
        start = dt.datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=dt.UTC)
        end = start + dt.timedelta(hours=1, microseconds=-1)
        local = start.astimezone(zone)
        offset = local.utcoffset()
        found = offset == end.astimezone(zone).utcoffset() and offset is not None
    except (ValueError, OverflowError):
        found = False
    if found:
        text = local.isoformat()
        suffix = text[19:]
        whole = offset % dt.timedelta(hours=1) == dt.timedelta(0)
        found = (offset, "Z" if suffix == "+00:00" else suffix, text[:13] if whole else None)
    if len(_hours) >= _HOURS_KEPT:
        _hours.clear()
    _hours[(zone, hour)] = found
    return found


# The offsets of hours by (zone, UTC hour), emptied when it grows past this many (about six
# years of hours in one zone).
_hours: dict[tuple, Any] = {}
_HOURS_KEPT = 50_000


def _sqlite_boolean(value):
    return bool(value) if value in (1, 0) else value


# Every Columns, to prepare again when a test changes the time-zone settings.
_all_columns: weakref.WeakSet = weakref.WeakSet()


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs) -> None:
    if setting in {"USE_TZ", "TIME_ZONE"}:
        for columns in list(_all_columns):
            columns._owner = None


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def in_scope(queryset, pk: Any) -> bool:
    """Whether row `pk` may be in the scoped `queryset` (a model's `visible_to(user)`).

    A scope that is the whole table (a leader's) answers True without a statement: the plain
    read of the row then finds it or not (404). Any other scope is asked with one EXISTS, so
    what a user may see is decided by `visible_to` alone. The ORM compiles that EXISTS once
    per scope (see `_scope_key`); a scope the key cannot describe is compiled every time."""
    test = scope_test(queryset, pk)
    if isinstance(test, bool):
        return test
    return bool(select(*test, binary=True))


def scope_test(queryset, pk: Any) -> bool | tuple[str, list]:
    """`in_scope` for a reader that tests the row in the statement reading it.

    True or False when the answer needs no statement of its own (a scope that is the whole
    table, an empty one) or had to be asked through the ORM (a scope `_scope_key` cannot
    describe: its EXISTS is compiled and sent every time). Otherwise the scope's kept EXISTS
    for row `pk` (SQL and parameters), to select beside the row with `scope_column`: one
    statement instead of two."""
    query = queryset.query
    if query.is_empty():
        return False
    if not query.where and not query.distinct and not query.combinator:
        return True
    key = _scope_key(query)
    if key is None or not isinstance(pk, int):
        return queryset.filter(pk=pk).exists()
    found = _kept(("exists", *key), lambda: _scope_statement(queryset))
    if found is None:
        return queryset.filter(pk=pk).exists()
    sql, params, at = found
    params = list(params)
    params[at] = pk
    return sql, params


def scope_column(test: bool | tuple[str, list]) -> tuple[str, list]:
    """A column (SQL and parameters) that is true when the row passes `test`, a
    `scope_test` answer other than False: a constant for True, else the scope's EXISTS (it
    does not refer to the outer statement's tables; the database evaluates it once)."""
    if test is True:
        return "1", []
    if test is False:
        raise ValueError("a row no scope lets through needs no statement")
    sql, params = test
    return f"EXISTS ({sql})", params


class PageIds:
    """The primary keys of a filtered, scoped, ordered queryset, for a paginator: `count()`
    and a slice (the page's ids) as the ORM answers them, each statement compiled by the ORM
    once per query shape (`_scope_key` with the order) and kept, instead of at every request.

    Read through the ORM every time instead: a queryset the key cannot describe, and any
    queryset while the ORM cache is on (a COUNT over a large table is worth its cached
    answer; the kept statements would go to the database every time)."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.ordered = queryset.ordered
        query = queryset.query
        self._empty = query.is_empty()
        self._key = None
        if (
            not self._empty
            and not cachalot_settings.CACHALOT_ENABLED
            and query.model._meta.pk.get_internal_type() in _INTEGER_KEYS
        ):
            self._key = _ordered_key(query)

    def count(self) -> int:
        if self._empty:
            return 0
        if self._key is None:
            return self.queryset.count()
        found = _kept(("count", *self._key), self._count_statement)
        if found is None:
            return self.queryset.count()
        return select(*found, binary=True)[0][0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if self._empty:
            return []
        if self._key is None or not isinstance(item, slice) or item.step is not None:
            return self._orm(item)
        if (item.start or 0) < 0 or (item.stop is not None and item.stop < 0):
            return self._orm(item)  # the ORM refuses it, as it would
        window = (item.start or 0, item.stop)
        found = _kept(("ids", window, *self._key), lambda: _compiled(self._ids()[item].query))
        if found is None:
            return self._orm(item)
        return [row[0] for row in select(*found, binary=True)]

    def _ids(self):
        return self.queryset.values_list("pk", flat=True)

    def _orm(self, item):
        found = self._ids()[item]
        return list(found) if isinstance(item, slice) else found

    def _count_statement(self) -> tuple[str, tuple] | None:
        found = _compiled(self.queryset.order_by().values_list("pk").query)
        if found is None:
            return None
        return f"SELECT COUNT(*) FROM ({found[0]}) subquery", found[1]


_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def _compiled(query) -> tuple[str, tuple] | None:
    """The query's SQL and parameters, or None when the ORM finds it can match nothing (an
    empty IN list): the ORM then answers it without a statement."""
    try:
        sql, params = query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _ordered_key(query) -> tuple | None:
    """`_scope_key` with what orders the rows."""
    key = _scope_key(query)
    if key is None:
        return None
    if not all(type(term) is str for term in query.order_by):
        return None
    return (*key, tuple(query.order_by), query.default_ordering, query.standard_ordering)


def _kept(key: tuple, compile_statement: Callable[[], Any]) -> Any:
    """The statement kept under `key` for this connection, compiled when first asked."""
    key = (id(connections[DEFAULT_DB_ALIAS]), *key)
    found = _statements_kept.get(key)
    if found is None:
        found = compile_statement()
        if found is None:
            return None
        if len(_statements_kept) >= _STATEMENTS_KEPT:
            _statements_kept.clear()
        _statements_kept[key] = found
    return found


# The statements compiled for scopes and lists, by kind, key and connection. Emptied when
# it grows past this many (a key holds a user's values and a list's filters).
_statements_kept: dict[tuple, Any] = {}
_STATEMENTS_KEPT = 4096
# A row id no table holds, to find where the id goes among the compiled parameters.
_MARK = 2**62 + 7919
_PLAIN = (int, str, float, bool, type(None), Decimal, dt.date, dt.time, uuid.UUID)


def _scope_statement(queryset) -> tuple[str, tuple, int] | None:
    found = _compiled(queryset.filter(pk=_MARK).query.exists())
    if found is None:
        return None
    sql, params = found
    at = [i for i, value in enumerate(params) if type(value) is int and value == _MARK]
    if len(at) != 1:
        return None
    return sql, tuple(params), at[0]


def _scope_key(query, *, selected: bool = False) -> tuple | None:
    """What decides the SQL and the parameters of a scope's EXISTS, or None when the scope
    is not of the plain kind this can describe (then it is compiled every time).

    The plain kind: AND/OR/NOT of lookups on a column against values (numbers, texts, dates
    and lists of them) or against a subquery of the same kind selecting columns, over the
    model's table and its joins, nothing else (no annotation, extra SQL, grouping, slicing or
    combination). The key holds the lookups with their values and types, and every join the
    statement uses (for a subquery also what it selects and its order): two scopes with the
    same key compile to the same statement."""
    if (
        query.combinator
        or query.extra
        or query.extra_tables
        or query.annotations
        or query.group_by is not None
        or query.is_sliced
        or query.distinct_fields
        or query.select_for_update
        or query.extra_order_by
    ):
        return None
    where = _where_key(query.where)
    if where is None:
        return None
    joins = []
    for alias, join in query.alias_map.items():
        if not query.alias_refcount[alias]:
            continue  # not in the statement
        if isinstance(join, BaseTable):
            joins.append((alias, join.table_name))
        elif isinstance(join, Join) and join.filtered_relation is None:
            joins.append(
                (alias, join.table_name, join.parent_alias, join.join_type, id(join.join_field))
            )
        else:
            return None
    key = (query.model, query.distinct, where, tuple(joins))
    if selected:
        if query.default_cols or not query.select or any(type(c) is not Col for c in query.select):
            return None
        columns = tuple((c.alias, c.target) for c in query.select)
        key += (columns, tuple(map(str, query.order_by)), query.default_ordering)
    return key


def _where_key(node) -> tuple | None:
    if isinstance(node, WhereNode):
        children = []
        for child in node.children:
            key = _where_key(child)
            if key is None:
                return None
            children.append(key)
        return (node.connector, node.negated, tuple(children))
    if isinstance(node, Lookup) and type(node.lhs) is Col:
        value = _value_key(node.rhs)
        if value is None:
            return None
        return (type(node), node.lhs.alias, node.lhs.target, value)
    return None


def _value_key(value) -> tuple | None:
    if type(value) in _PLAIN or isinstance(value, (dt.date, dt.time)):
        return (type(value), value)
    if type(value) is Subquery and type(value.query) is Query:
        inner = _scope_key(value.query, selected=True)
        return None if inner is None else (Subquery, inner)
    if type(value) in (list, tuple):
        items = [_value_key(item) for item in value]
        return None if None in items else (type(value), tuple(items))
    return None


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
