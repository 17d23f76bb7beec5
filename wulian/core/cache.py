"""The shared cache: keyed by database, and an outage makes reads uncached instead of failing.

django-cachalot (docs/adr/0004-orm-cache-cachalot.md) keeps ORM query results and per-table
invalidation stamps in the "default" cache. Two things it leaves to the project:

- Keys name the alias of a database ("default"), not the database. `make_key` adds a short
  hash of the live connection's engine, name, host and port, so two deployments (or a test
  run and a dev server) that share a cache folder or server never read each other's entries.
- An unreachable cache server would raise from every query. The backends below (Django's file
  cache and django-redis, unchanged otherwise) answer a failed read as a miss and a failed
  write as done, log one warning a minute, and stop asking for RETRY_SECONDS so that a
  black-holed server does not slow every query. Invalidation stamps (float values) that could
  not be written are written again, with the current time, once the cache answers; stale
  entries are bounded by CACHALOT_TIMEOUT in any case.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from cachalot.api import get_last_invalidation
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache
from django.db import connections
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import get_language
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0
_FAILED = object()
_tags: dict[tuple, str] = {}


def database_tag(alias: str = "default") -> str:
    """A short, stable name of the database `alias` points at right now."""
    conf = connections[alias].settings_dict
    name = str(conf.get("NAME") or "")
    if conf["ENGINE"].endswith("sqlite3") and "memory" not in name:
        name = os.path.abspath(name)
    ident = (conf["ENGINE"], name, conf.get("HOST") or "", str(conf.get("PORT") or ""))
    tag = _tags.get(ident)
    if tag is None:
        tag = _tags[ident] = hashlib.sha256(repr(ident).encode()).hexdigest()[:12]
    return tag


def make_key(key: str, key_prefix: str, version: int) -> str:
    """Django's KEY_FUNCTION: prefix, version, the database's tag, the key."""
    return f"{key_prefix}:{version}:{database_tag()}:{key}"


T = TypeVar("T")


def derived(name: str, tables: Iterable[Any], compute: Callable[[], T], timeout: int = 3600) -> T:
    """The one freshness rule for numbers derived from tables: `compute()`, cached under the
    time `tables` (models or table names) were last written, as django-cachalot records it for
    every write that goes through Django (ORM, bulk, raw SQL through Django's connection). A
    write to any of them makes the next read compute afresh, in every process; writes that
    bypass Django are followed by `manage.py invalidate_cachalot`, which moves the stamp too.
    One value per interface language: what is computed may hold labels in the reader's words.
    """
    key = _derived_key(name, tables)
    data = cache.get(key)
    if data is None:
        data = compute()
        cache.set(key, data, timeout)
    return data


def forget_derived(name: str, tables: Iterable[Any]) -> None:
    """Drop the current cached values of `name`, in every language (benchmarks time the cold
    computation)."""
    cache.delete_many([_derived_key(name, tables, code) for code, _name in settings.LANGUAGES])


def _derived_key(name: str, tables: Iterable[Any], language: str | None = None) -> str:
    stamp = get_last_invalidation(*tables)
    return f"derived:{name}:{language or get_language() or ''}:{stamp!r}"


class DegradesOnOutage:
    """Mixin for a cache backend: outages become misses and no-ops (see the module docstring)."""

    outage_errors: tuple[type[BaseException], ...] = (OSError,)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._warned_at = -WARN_EVERY_SECONDS
        self._owed: dict[tuple[str, int | None], None] = {}

    def _guard(self, write: bool, call, *args, **kwargs):
        now = time.monotonic()
        if not write and now < self._down_until:
            return _FAILED
        try:
            if self._owed:
                self._settle()
            return call(*args, **kwargs)
        except self.outage_errors as exc:
            self._down_until = now + RETRY_SECONDS
            if now - self._warned_at >= WARN_EVERY_SECONDS:
                self._warned_at = now
                log.warning("缓存服务不可用，暂按不缓存处理（%s: %s）", type(exc).__name__, exc)
            return _FAILED

    def _owe(self, keys, version) -> None:
        for key in keys:
            self._owed[(key, version)] = None

    def _settle(self) -> None:
        """Write again the invalidation stamps that failed, dated now."""
        stamp = time.time()
        by_version: dict[int | None, dict[str, float]] = {}
        for key, version in self._owed:
            by_version.setdefault(version, {})[key] = stamp
        for version, data in by_version.items():
            super().set_many(data, None, version=version)
        self._owed.clear()
        log.warning("缓存服务已恢复，补写了中断期间的失效标记")

    # reads: a failure is a miss
    def get(self, key, default=None, version=None):
        value = self._guard(False, super().get, key, default, version=version)
        return default if value is _FAILED else value

    def get_many(self, keys, version=None):
        value = self._guard(False, super().get_many, keys, version=version)
        return {} if value is _FAILED else value

    def has_key(self, key, version=None):
        value = self._guard(False, super().has_key, key, version=version)
        return False if value is _FAILED else value

    # writes: a failure is logged; invalidation stamps are owed
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._guard(True, super().set, key, value, timeout, version=version) is _FAILED:
            if isinstance(value, float):
                self._owe([key], version)

    def set_many(self, data: dict[str, Any], timeout=DEFAULT_TIMEOUT, version=None):
        result = self._guard(True, super().set_many, data, timeout, version=version)
        if result is _FAILED:
            self._owe([k for k, v in data.items() if isinstance(v, float)], version)
            return list(data)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._guard(True, super().add, key, value, timeout, version=version)
        return False if result is _FAILED else result

    def delete(self, key, version=None):
        result = self._guard(True, super().delete, key, version=version)
        return False if result is _FAILED else result

    def delete_many(self, keys, version=None):
        self._guard(True, super().delete_many, keys, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._guard(True, super().touch, key, timeout, version=version)
        return False if result is _FAILED else result

    def clear(self):
        self._guard(True, super().clear)


class FileBasedCache(DegradesOnOutage, DjangoFileBasedCache):
    """Django's file cache (one server), degrading on a disk error."""


class RedisCache(DegradesOnOutage, DjangoRedisCache):
    """django-redis (several servers), degrading when Redis cannot be reached."""

    outage_errors = (ConnectionInterrupted, RedisError, OSError)


def orm_statements_are_not_raw() -> None:
    """Let cachalot's raw-SQL watch skip the statements the ORM compiled itself.

    cachalot watches every cursor statement for a write (a regular expression over the
    lowercased SQL: about 0.15 ms for a page's SELECT) unless the connection is marked as
    running an ORM statement. Its query cache marks it, but only when the cache is on; with
    the cache off (the default on one server) every ORM read paid the scan. ORM writes are
    still invalidated by cachalot's write-compiler hooks and plain SQL by the scan, as before.
    Installed once from CoreConfig.ready(); without functools.wraps so that cachalot's own
    unpatching (on a settings reload) never removes it.
    """
    if hasattr(SQLCompiler.execute_sql, "_wulian_original"):
        return
    original = SQLCompiler.execute_sql

    def execute_sql(compiler, *args, **kwargs):
        connection = compiler.connection
        outer = getattr(connection, "raw", True)
        connection.raw = False
        try:
            return original(compiler, *args, **kwargs)
        finally:
            connection.raw = outer

    execute_sql._wulian_original = original
    execute_sql.__doc__ = original.__doc__
    SQLCompiler.execute_sql = execute_sql
