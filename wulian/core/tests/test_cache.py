"""The ORM cache (django-cachalot): repeated reads come from the cache, every kind of write
through Django makes the next read fresh, keys carry the database, and an outage degrades."""

import logging
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from wulian.core import cache as wcache
from wulian.enterprises.models import Enterprise
from wulian.enterprises.tests.factories import EnterpriseFactory

URL = "/api/v1/enterprises/"
TABLE = Enterprise._meta.db_table


@pytest.fixture
def world(users):
    first = EnterpriseFactory(name="缓存测试甲", region_id="330825", output_wan=500)
    EnterpriseFactory(name="缓存测试乙", region_id="330802", output_wan=400)
    return first


def token_client(client, user):
    token, _ = Token.objects.get_or_create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def names(client, url=URL) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_a_repeated_read_asks_the_database_only_what_is_read_in_plain_sql(client, users, world):
    """The page's ORM statements (the count, the page's ids) come from the cache; the caller's
    token (core.tokens: a revoked token or a deactivated account is refused at once) and the
    page's rows by id (enterprises.api.reads) are read from the database every time."""
    token_client(client, users["leader"])
    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL)
    assert second.content == first.content
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 2, statements
    assert "authtoken_token" in statements[0]
    assert " IN (" in statements[1] and "COUNT" not in statements[1]


def test_an_orm_save_makes_the_next_read_fresh(client, users, world):
    token_client(client, users["leader"])
    names(client)
    world.name = "缓存测试甲（改名）"
    world.save()
    assert "缓存测试甲（改名）" in names(client)


def test_a_bulk_update_makes_the_next_read_fresh(client, users, world):
    token_client(client, users["leader"])
    names(client)
    Enterprise.objects.filter(pk=world.pk).update(name="批量改名")
    assert "批量改名" in names(client)


@pytest.mark.parametrize(
    "sql",
    [
        f"update {TABLE} set name = %s where id = %s",
        f'UPDATE "{TABLE}" SET "name" = %s WHERE "id" = %s',
        f"with target as (select 1) update {TABLE} set name = %s where id = %s",
        f"/* 修数据 */ update {TABLE} set name = %s where id = %s",
    ],
    ids=["unquoted", "quoted", "with", "comment"],
)
def test_plain_sql_through_djangos_connection_makes_the_next_read_fresh(client, users, world, sql):
    token_client(client, users["leader"])
    names(client)
    with connection.cursor() as cursor:
        cursor.execute(sql, ["原生改名", world.pk])
    assert "原生改名" in names(client)
    assert client.get(f"{URL}{world.pk}/").json()["name"] == "原生改名"


def test_a_write_to_a_joined_table_makes_the_next_read_fresh(client, users, world):
    token_client(client, users["leader"])
    names(client)
    world.region.name = "龙游县（测试）"
    world.region.save()
    rows = client.get(URL).json()["results"]
    assert "龙游县（测试）" in {row.get("region_name") for row in rows}


def test_answers_are_never_shared_between_scopes(client, users, world):
    token_client(client, users["leader"])
    names(client)
    token_client(client, users["county_ly"])
    assert names(client) == {"缓存测试甲"}


def test_a_changed_scope_takes_effect_at_once(client, users, world):
    county = users["county_ly"]
    token_client(client, county)
    names(client)
    county.region_id = "330802"
    county.save()
    assert names(client) == {"缓存测试乙"}


def test_a_deleted_token_and_a_deactivated_user_are_refused_at_once(client, users, world):
    token_client(client, users["leader"])
    names(client)
    Token.objects.filter(user=users["leader"]).delete()
    assert client.get(URL).status_code == 401
    token_client(client, users["econ"])
    names(client)
    users["econ"].is_active = False
    users["econ"].save()
    assert client.get(URL).status_code == 401


def test_a_rolled_back_write_leaves_the_cache_as_it_was(client, users, world):
    token_client(client, users["leader"])
    names(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        Enterprise.objects.filter(pk=world.pk).update(name="回滚")
        raise RuntimeError
    assert names(client) == {"缓存测试甲", "缓存测试乙"}


@pytest.mark.django_db(transaction=True)
def test_a_write_from_another_connection_makes_the_next_read_fresh(client):
    from wulian.core import demo
    from wulian.core.models import User

    demo.load_regions()
    demo.load_departments()
    demo.load_users()
    EnterpriseFactory(name="线程前")
    token_client(client, User.objects.get(username="leader"))
    assert names(client) == {"线程前"}

    def other_worker():
        try:
            with transaction.atomic():
                Enterprise.objects.update(name="线程后")
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    worker.join()
    assert names(client) == {"线程后"}


def test_keys_carry_the_database(settings):
    here = wcache.make_key("k", "", 1)
    conf = connection.settings_dict
    name = conf["NAME"]
    try:
        conf["NAME"] = f"{name}-another"
        there = wcache.make_key("k", "", 1)
    finally:
        conf["NAME"] = name
    assert here != there and here.endswith(":k") and wcache.make_key("k", "", 1) == here


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def dead_redis():
    return wcache.RedisCache(
        f"redis://127.0.0.1:{closed_port()}/2",
        {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25}},
    )


def test_a_dead_cache_server_is_a_miss_and_a_warning(caplog):
    backend = dead_redis()
    with caplog.at_level(logging.WARNING, logger="wulian.core.cache"):
        assert backend.get("k", "default") == "default"
        assert backend.get_many(["a", "b"]) == {}
        backend.set_many({"stamp": 1.5, "result": (1.5, [1])}, None)
        assert backend.add("k", 1) is False
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "缓存服务不可用" in warnings[0].getMessage()
    # the invalidation stamp is owed, the query result is simply dropped
    assert list(backend._owed) == [("stamp", None)]


def test_owed_invalidation_stamps_are_written_when_the_cache_answers_again(
    redis_url, caplog, monkeypatch
):
    backend = dead_redis()
    backend.set_many({"stamp": 1.5}, None)
    # the server answers again (here: the same backend pointed at a live one)
    live = wcache.RedisCache(redis_url, {})
    monkeypatch.setattr(backend, "_client", live.client)
    monkeypatch.setattr(backend, "_down_until", 0.0)
    with caplog.at_level(logging.WARNING, logger="wulian.core.cache"):
        assert backend.get("stamp") > 1.5
    assert backend._owed == {} and "已恢复" in caplog.text


def test_with_the_query_cache_off_orm_statements_skip_the_raw_sql_scan(monkeypatch, world):
    """The scan for writes in plain SQL runs on plain SQL only; ORM writes still stamp."""
    from cachalot import monkey_patch
    from cachalot.api import get_last_invalidation
    from django.db.models.sql.compiler import SQLCompiler

    # Django's own method, as it is when cachalot's query cache is off (tests run with it on).
    bare = SQLCompiler.execute_sql
    while hasattr(bare, "__wrapped__") or hasattr(bare, "_wulian_original"):
        bare = getattr(bare, "__wrapped__", None) or bare._wulian_original
    monkeypatch.setattr(SQLCompiler, "execute_sql", bare)
    real, scanned = monkey_patch.SQL_DATA_CHANGE_RE, []

    class Spy:
        def search(self, sql):
            scanned.append(sql)
            return real.search(sql)

    monkeypatch.setattr(monkey_patch, "SQL_DATA_CHANGE_RE", Spy())
    ours = Enterprise.objects.filter(region_id="330825").values_list("name")
    assert len(ours) == 1 and len(scanned) == 1  # without the hook: every ORM read is scanned
    scanned.clear()
    wcache.orm_statements_are_not_raw()
    assert SQLCompiler.execute_sql is not bare
    assert len(ours.all()) == 1
    stamp = get_last_invalidation(TABLE)
    Enterprise.objects.filter(pk=world.pk).update(name="ORM改名")
    world.refresh_from_db()
    assert scanned == [] and world.name == "ORM改名"
    assert get_last_invalidation(TABLE) > stamp
    stamp = get_last_invalidation(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"update {TABLE} set name = %s where id = %s", ["原生改名", world.pk])
    assert len(scanned) == 1 and get_last_invalidation(TABLE) > stamp
