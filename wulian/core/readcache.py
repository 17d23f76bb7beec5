"""Cached API reads, kept right by the tables they read.

Writes: every INSERT, UPDATE, DELETE or TRUNCATE that goes through Django's database connection
(the ORM, bulk paths and raw SQL alike) gives each table it names a new version token in the
shared cache — once right after the statement and once more when its transaction commits, so
another process never keeps what it read before the commit.

Reads: a GET on a view with `CachedReadMixin` records which tables its queries read. Its rendered
JSON is stored in this process's memory with those tables' versions and served again only while
every one of them is unchanged, for the same user and role scope, URL, language and format, and
within the same minute (time left, escalation and similar fields are derived from the clock).
An entry is stored only if the versions read before the queries are the ones found after them,
so a write that commits while a read is running is never cached as current.

A request with `Cache-Control: no-cache` is computed afresh (and refreshes the entry). Responses
say `X-Cache: hit` or `miss`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.translation import get_language
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response

log = logging.getLogger(__name__)

VERSIONS = "default"  # shared by every worker process
RESPONSES = "responses"  # this process's memory
WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE|REPLACE\s+INTO)\s",
    re.IGNORECASE,
)
QUOTED = re.compile(r'"(\w+)"')
MAX_BODY = 256_000  # bytes; larger answers are always computed
ENTRY_SECONDS = 120
TABLES_SECONDS = 3600  # which tables a URL reads hardly changes


def _known_tables() -> frozenset[str]:
    tables = frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))
    _known_tables.value = tables  # type: ignore[attr-defined]
    return tables


def tables_in(sql: str) -> set[str]:
    known = getattr(_known_tables, "value", None) or _known_tables()
    return {name for name in QUOTED.findall(sql) if name in known}


def _version_key(table: str) -> str:
    return f"dv:{table}"


def bump(tables) -> None:
    """Give each table a new version token (every cached read of it becomes stale)."""
    if not tables:
        return
    try:
        caches[VERSIONS].set_many({_version_key(t): secrets.token_hex(6) for t in tables}, None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail a committed write
        log.exception("数据版本更新失败：缓存的接口读数最多 %s 秒后失效", ENTRY_SECONDS)


class _CommitBump:
    """One on_commit callback per transaction level, collecting the tables written in it."""

    def __init__(self, tables: set[str]):
        self.tables = set(tables)

    def __call__(self) -> None:
        bump(self.tables)


def _after_write(db, tables: set[str]) -> None:
    bump(tables)
    if not db.in_atomic_block:
        return
    sids = set(db.savepoint_ids)
    for entry in db.run_on_commit:
        if isinstance(entry[1], _CommitBump) and entry[0] == sids:
            entry[1].tables |= tables
            return
    transaction.on_commit(_CommitBump(tables), using=db.alias)


def track_writes(execute, sql, params, many, context):
    """An execute wrapper installed on every connection (see CoreConfig.ready)."""
    result = execute(sql, params, many, context)
    if WRITE.match(sql):
        tables = tables_in(sql)
        if tables:
            _after_write(context["connection"], tables)
    return result


def install(sender, connection, **kwargs) -> None:
    """connection_created receiver: make sure this connection reports its writes."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


class _Reads:
    def __init__(self):
        self.tables: set[str] = set()
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        self.tables |= tables_in(sql)
        if WRITE.match(sql):
            self.wrote = True
        return execute(sql, params, many, context)


def _versions(tables, *, create: bool) -> dict[str, str | None]:
    cache = caches[VERSIONS]
    keys = {_version_key(t): t for t in tables}
    found = cache.get_many(list(keys))
    if create:
        for key in keys.keys() - found.keys():
            cache.add(key, secrets.token_hex(6), None)
            found[key] = cache.get(key)
    return {t: found.get(k) for k, t in keys.items()}


def _scope(user) -> tuple:
    return (
        user.pk,
        getattr(user, "role", ""),
        getattr(user, "chain_code", ""),
        getattr(user, "department_id", None),
        getattr(user, "region_id", None),
        user.is_superuser,
        user.is_active,
    )


def _minute() -> int:
    return int(time.time() // 60)


def _keys(request) -> tuple[str, str]:
    """The answer's key (this minute) and the key of the tables it read (any minute)."""
    parts = (
        request.build_absolute_uri(),
        _scope(request.user),
        get_language(),
        request.accepted_media_type,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"api:{digest}:{_minute()}", f"api:{digest}:tables"


def _cacheable(request) -> bool:
    return (
        settings.API_READ_CACHE
        and request.method == "GET"
        and getattr(request.accepted_renderer, "format", None) == "json"
        and request.user.is_authenticated
    )


def cached_get(view, handler, request, *args, **kwargs):
    """Serve `handler`'s answer from the cache when every table it read is unchanged."""
    if not _cacheable(request):
        return handler(request, *args, **kwargs)
    store = caches[RESPONSES]
    key, tables_key = _keys(request)
    entry = store.get(key)
    fresh = "no-cache" in request.headers.get("Cache-Control", "")
    if entry is not None and not fresh:
        tables, versions, status, content_type, body = entry
        if _versions(tables, create=False) == versions:
            response = HttpResponse(body, status=status, content_type=content_type)
            response["X-Cache"] = "hit"
            return response
    known = entry[0] if entry is not None else store.get(tables_key, ())
    before = _versions(known, create=True)
    reads = _Reads()
    with connection.execute_wrapper(reads):
        response = handler(request, *args, **kwargs)
        if isinstance(response, Response) and not response.is_rendered:
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = view.get_renderer_context()
            response.render()
    response["X-Cache"] = "miss"
    if response.status_code != 200 or reads.wrote or len(response.content) > MAX_BODY:
        return response
    if not reads.tables <= set(known):
        # First sight of these tables: remember them so the next read takes their versions
        # before it queries.
        store.set(tables_key, tuple(sorted(reads.tables | set(known))), TABLES_SECONDS)
        return response
    versions = {t: before[t] for t in known}
    if None not in versions.values() and _versions(known, create=False) == versions:
        store.set(
            key,
            (
                tuple(known),
                versions,
                response.status_code,
                response["Content-Type"],
                response.content,
            ),
            ENTRY_SECONDS,
        )
    return response


def remember(key: str, tables, compute):
    """`compute()`, kept in this process's memory while none of `tables` has been written."""
    store = caches[RESPONSES]
    entry = store.get(key)
    current = _versions(tables, create=True)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    if None not in current.values() and _versions(tables, create=False) == current:
        store.set(key, (current, value), ENTRY_SECONDS)
    return value


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token check, answered from memory until a token or a user record is written.

    Deleting a token or deactivating a user writes one of those tables, so it takes effect on
    the next request, as without the cache.
    """

    def authenticate_credentials(self, key):
        from django.contrib.auth import get_user_model

        tables = (self.get_model()._meta.db_table, get_user_model()._meta.db_table)
        digest = hashlib.sha256(key.encode()).hexdigest()
        return remember(
            "token:" + digest,
            tables,
            lambda: super(CachedTokenAuthentication, self).authenticate_credentials(key),
        )


class CachedReadMixin:
    """Serve this API view's GET answers from the read cache (see the module docstring)."""

    def dispatch(self, request, *args, **kwargs):
        handler = getattr(self, "get", None)
        if handler is not None:

            def get(request, *a, **kw):
                return cached_get(self, handler, request, *a, **kw)

            self.get = get
        return super().dispatch(request, *args, **kwargs)
