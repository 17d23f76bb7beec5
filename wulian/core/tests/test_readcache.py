"""The API read cache: served again only while nothing it read has been written."""

import threading

import pytest
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from wulian.core import readcache
from wulian.enterprises.models import Enterprise
from wulian.enterprises.tests.factories import EnterpriseFactory

URL = "/api/v1/enterprises/"


@pytest.fixture
def world(users):
    first = EnterpriseFactory(name="缓存测试甲", region_id="330825", output_wan=500)
    EnterpriseFactory(name="缓存测试乙", region_id="330802", output_wan=400)
    return first


def token_client(client, user):
    token, _ = Token.objects.get_or_create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def get(client, url=URL, **headers):
    response = client.get(url, headers=headers)
    return response, response.get("X-Cache")


def test_second_read_is_served_from_the_cache(client, users, world):
    token_client(client, users["leader"])
    first, state = get(client)
    assert state == "miss"
    # The first sight of a URL learns which tables it reads; the next read stores it.
    second, state = get(client)
    assert state == "miss"
    third, state = get(client)
    assert state == "hit"
    assert third.content == second.content == first.content
    assert third["Content-Type"] == "application/json"


def warm(client, url=URL):
    get(client, url)
    get(client, url)
    assert get(client, url)[1] == "hit"


def test_an_orm_save_makes_the_next_read_fresh(client, users, world):
    token_client(client, users["leader"])
    warm(client)
    world.name = "缓存测试甲（改名）"
    world.save()
    response, state = get(client)
    assert state == "miss"
    assert "缓存测试甲（改名）" in names(response)


def test_a_bulk_update_without_signals_makes_the_next_read_fresh(client, users, world):
    token_client(client, users["leader"])
    warm(client)
    Enterprise.objects.filter(pk=world.pk).update(name="批量改名")
    assert "批量改名" in names(get(client)[0])


def test_raw_sql_makes_the_next_read_fresh(client, users, world):
    token_client(client, users["leader"])
    warm(client)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Enterprise._meta.db_table}" SET "name" = %s WHERE "id" = %s',
            ["原生改名", world.pk],
        )
    assert "原生改名" in names(get(client)[0])


def test_a_write_to_a_joined_table_makes_the_next_read_fresh(client, users, world):
    # The enterprise list shows the region's name from core_region.
    token_client(client, users["leader"])
    warm(client)
    world.region.name = "龙游县（测试）"
    world.region.save()
    rows = get(client)[0].json()["results"]
    assert "龙游县（测试）" in {row.get("region_name") for row in rows}


def test_answers_are_never_shared_between_scopes(client, users, world):
    token_client(client, users["leader"])
    warm(client)
    token_client(client, users["county_ly"])
    assert names(get(client)[0]) == {"缓存测试甲"}


def test_a_changed_role_takes_effect_at_once(client, users, world):
    county = users["county_ly"]
    token_client(client, county)
    warm(client)
    county.region_id = "330802"
    county.save()
    assert names(get(client)[0]) == {"缓存测试乙"}


def test_a_deleted_token_is_refused_at_once(client, users, world):
    token_client(client, users["leader"])
    warm(client)
    Token.objects.filter(user=users["leader"]).delete()
    assert client.get(URL).status_code in (401, 403)


def test_a_deactivated_user_is_refused_at_once(client, users, world):
    token_client(client, users["leader"])
    warm(client)
    users["leader"].is_active = False
    users["leader"].save()
    assert client.get(URL).status_code in (401, 403)


def test_no_cache_request_header_recomputes(client, users, world):
    token_client(client, users["leader"])
    warm(client)
    assert get(client, **{"Cache-Control": "no-cache"})[1] == "miss"
    assert get(client, **{"Cache-Control": "max-age=0, no-cache"})[1] == "miss"
    assert get(client)[1] == "hit"


def test_entries_last_at_most_into_the_next_minute(client, users, world, monkeypatch):
    monkeypatch.setattr(readcache, "_minute", lambda: 1000)
    token_client(client, users["leader"])
    warm(client)
    monkeypatch.setattr(readcache, "_minute", lambda: 1001)
    assert get(client)[1] == "miss"
    # the tables it reads are already known, so that answer was stored at once
    assert get(client)[1] == "hit"


def test_errors_and_other_formats_are_not_cached(client, users, world):
    token_client(client, users["leader"])
    for _ in range(3):
        assert client.get(URL + "?page=99").status_code == 404
    assert client.get(URL + "?page=99").get("X-Cache") != "hit"
    for _ in range(3):
        response = client.get(URL + "?format=api")
    assert response.status_code == 200
    assert response.get("X-Cache") is None


def test_a_write_committed_while_a_read_runs_is_never_served_later(rf, users, world):
    """Another process commits while the read runs: what the read saw is never served again."""
    from rest_framework.response import Response

    from wulian.enterprises.api.views import EnterpriseViewSet

    calls = []

    class Racing(EnterpriseViewSet):
        def list(self, request, *args, **kwargs):
            rows = list(self.get_queryset().values_list("name", flat=True))
            # as if another worker wrote the table now and bumped its version on commit
            readcache.bump({Enterprise._meta.db_table})
            calls.append(1)
            return Response({"count": len(rows), "results": rows})

    view = Racing.as_view({"get": "list"})

    def call():
        from rest_framework.test import force_authenticate

        request = rf.get(URL)
        force_authenticate(request, user=users["leader"])
        return view(request)

    for _ in range(4):
        response = call()
        response.render()
        assert response["X-Cache"] == "miss"
    assert len(calls) == 4


def test_a_transaction_bumps_again_when_it_commits(
    users, world, monkeypatch, django_capture_on_commit_callbacks
):
    table = Enterprise._meta.db_table
    seen = []
    original = readcache.bump

    def spy(tables):
        seen.append(set(tables))
        original(tables)

    monkeypatch.setattr(readcache, "bump", spy)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            Enterprise.objects.filter(pk=world.pk).update(name="事务一")
            Enterprise.objects.filter(pk=world.pk).update(name="事务二")
            try:
                with transaction.atomic():
                    Enterprise.objects.filter(pk=world.pk).update(name="回滚")
                    raise RuntimeError
            except RuntimeError:
                pass
    # one bump per statement, and one callback for the transaction's own level (the one
    # registered inside the rolled-back savepoint is dropped with it)
    assert seen[:3] == [{table}] * 3
    assert len(callbacks) == 1
    assert seen[-1] == {table}
    assert len(seen) == 4


@pytest.mark.django_db(transaction=True)
def test_a_write_from_another_connection_makes_the_next_read_fresh(client):
    from wulian.core import demo

    demo.load_regions()
    demo.load_departments()
    demo.load_users()
    from wulian.core.models import User

    EnterpriseFactory(name="线程前")
    token_client(client, User.objects.get(username="leader"))
    warm(client)

    def other_worker():
        try:
            Enterprise.objects.update(name="线程后")
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    worker.join()
    assert names(get(client)[0]) == {"线程后"}


def test_the_cache_can_be_switched_off(client, users, world, settings):
    settings.API_READ_CACHE = False
    token_client(client, users["leader"])
    for _ in range(3):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.get("X-Cache") is None
