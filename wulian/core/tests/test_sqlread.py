"""Plain-SQL reads give the values the ORM gives (core.sqlread), on either database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from wulian.core.models import User
from wulian.core.sqlread import Columns, placeholders, select
from wulian.core.tokens import token_with_user
from wulian.enterprises.models import Enterprise
from wulian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("binary", [False, True])
def test_columns_convert_as_the_orm_does(base_config, binary):
    # given enterprises with decimals, a date, datetimes, booleans and a null
    EnterpriseFactory(output_wan=Decimal("1234.56"), founded_on=dt.date(2001, 2, 3))
    EnterpriseFactory(output_wan=Decimal("0.10"), founded_on=None, is_listed=True)
    names = [f.attname for f in Enterprise._meta.concrete_fields]
    columns = Columns(Enterprise, names, alias="e")
    # when the same rows are read in plain SQL (in either of PostgreSQL's formats) and
    # through the ORM
    sql = f"SELECT {columns.sql} FROM {columns.table} ORDER BY 1"
    plain = columns.dicts(select(sql, binary=binary))
    orm = list(Enterprise.objects.order_by("pk").values(*names))
    # then every value is the same, of the same type
    assert plain == orm
    for got, want in zip(plain, orm, strict=True):
        assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
    assert isinstance(plain[0]["output_wan"], Decimal)
    assert [str(row["output_wan"]) for row in plain] == ["1234.56", "0.10"]  # its scale too
    assert timezone.is_aware(plain[0]["updated_at"])


def test_conversion_follows_a_change_of_the_time_zone_setting(base_config, settings):
    # given a statement prepared while USE_TZ is on
    EnterpriseFactory(founded_on=dt.date(2001, 2, 3))
    columns = Columns(Enterprise, ["id", "updated_at", "is_listed"])
    sql = f"SELECT {columns.sql} FROM {columns.table}"
    assert timezone.is_aware(columns.convert_rows(select(sql))[0][1])
    # when the setting changes
    settings.USE_TZ = False
    # then the values are converted as the ORM now converts them
    plain = columns.dicts(select(sql))
    assert plain == list(Enterprise.objects.values("id", "updated_at", "is_listed"))
    assert timezone.is_naive(plain[0]["updated_at"])
    assert plain[0]["is_listed"] is False


def test_rows_by_id_list(base_config):
    made = [EnterpriseFactory() for _ in range(3)]
    columns = Columns(Enterprise, ["id", "name"])
    ids = [made[0].pk, made[2].pk]
    rows = select(
        f"SELECT {columns.sql} FROM {columns.table} WHERE {columns.ref('id')} IN "
        f"({placeholders(len(ids))}) ORDER BY 1",
        ids,
    )
    assert columns.dicts(rows) == [{"id": e.pk, "name": e.name} for e in (made[0], made[2])]


def test_an_unknown_column_is_refused():
    with pytest.raises(ValueError, match="no column"):
        Columns(Enterprise, ["id", "nope"])


def test_the_token_read_gives_the_token_and_a_whole_user(users):
    user = users["leader"]
    user.last_login = timezone.now()
    user.save()
    token = Token.objects.create(user=user)
    found = token_with_user(token.key)
    assert found.key == token.key and found.created == token.created
    fresh = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(found.user, field.attname) == getattr(fresh, field.attname), field.name
    assert found.user._state.adding is False
    assert token_with_user("0" * 40) is None


@pytest.mark.parametrize("username", ["dispatcher", "econ", "leader"])
def test_the_token_read_brings_the_users_department(users, username, django_assert_num_queries):
    # given a department's staff (or a leader, who has none) with a token
    user = users[username]
    token = Token.objects.create(user=user)
    # when the token is read
    with django_assert_num_queries(1):
        found = token_with_user(token.key)
        # then the user's department is there, whole, without a statement of its own
        department = found.user.department
    if user.department_id is None:
        assert department is None
        return
    fresh = type(department).objects.get(pk=user.department_id)
    for field in type(department)._meta.concrete_fields:
        assert getattr(department, field.attname) == getattr(fresh, field.attname), field.name
    assert department.is_dispatcher is (username == "dispatcher")


def test_in_scope_follows_visible_to(users, base_config, django_assert_num_queries):
    from wulian.core.sqlread import in_scope

    mine = EnterpriseFactory(region_id="330802")
    other = EnterpriseFactory(region_id="330803")
    county = users["county_ly"]
    mine.region_id = county.region_id
    mine.save()
    with django_assert_num_queries(0):
        assert in_scope(Enterprise.objects.visible_to(users["leader"]), other.pk)
    assert in_scope(Enterprise.objects.visible_to(county), mine.pk)
    assert not in_scope(Enterprise.objects.visible_to(county), other.pk)
    with django_assert_num_queries(0):
        assert not in_scope(Enterprise.objects.visible_to(None), mine.pk)


def _county(username: str, region: str) -> User:
    return User.objects.create(username=username, role="county", region_id=region)


def test_a_scope_is_compiled_once_and_its_values_are_its_own(
    base_config, monkeypatch, django_assert_num_queries
):
    from wulian.core import sqlread

    # given enterprises in two counties, and a user of each county
    made = [EnterpriseFactory(region_id=code) for code in ("330802", "330803") * 3]
    first, second = _county("c-kc", "330802"), _county("c-ky", "330803")
    compiled = []
    real = sqlread._scope_statement
    monkeypatch.setattr(sqlread, "_scope_statement", lambda qs: compiled.append(1) or real(qs))
    monkeypatch.setattr(sqlread, "_statements_kept", {})
    # when each asks about every enterprise, twice
    for _ in range(2):
        for user in (first, second):
            for enterprise in made:
                with django_assert_num_queries(1):
                    got = sqlread.in_scope(Enterprise.objects.visible_to(user), enterprise.pk)
                # then each answer is visible_to's, and never the other county's
                assert got == (enterprise.region_id == user.region_id)
    # and each county's statement was compiled once
    assert len(compiled) == 2


def test_in_scope_answers_as_visible_to_for_every_role(users, base_config):
    from wulian.core.sqlread import _scope_key, in_scope
    from wulian.investment.models import Project
    from wulian.investment.tests.factories import ChainFactory, LinkFactory, ProjectFactory
    from wulian.service.models import ServiceRequest
    from wulian.service.tests.factories import ANSWERED, file_request, setup_loop, walk

    for code in ("330802", "330803"):
        EnterpriseFactory(region_id=code)
        ProjectFactory(region_id=code)
    ProjectFactory(links=[LinkFactory(chain=ChainFactory(code="xcl"))])  # chief_xcl's chain
    ProjectFactory(links=[LinkFactory(chain=ChainFactory(code="sw", name="生物医药"))])
    setup_loop(users)  # ent_demo's enterprise, the categories, a routing rule
    file_request(users)
    walk(file_request(users), users, ANSWERED)
    users = {
        **users,
        "chief_sw": User.objects.create(username="chief_sw", role="chain", chain_code="sw"),
    }
    described = []
    for model in (Enterprise, Project, ServiceRequest):
        ids = list(model.objects.values_list("pk", flat=True))
        for user in users.values():
            scope = model.objects.visible_to(user)
            if _scope_key(scope.query) is not None:
                described.append((model.__name__, user.username))
            want = set(scope.values_list("pk", flat=True))
            assert want or model is not Project or user.username != "chief_xcl"
            for _ in range(2):  # compiled, then from the kept statement
                assert {pk for pk in ids if in_scope(scope, pk)} == want, (model, user)
                # and tested in the statement that reads the row
                assert {pk for pk in ids if _tested_in_row(model, scope, pk)} == want
    # the kept-statement path is taken by a plain scope and by the chain's subquery
    assert ("Enterprise", "county_ly") in described
    assert ("Project", "chief_xcl") in described


def _tested_in_row(model, scope, pk) -> bool:
    from wulian.core.sqlread import quote, scope_column, scope_test

    test = scope_test(scope, pk)
    if test is False:
        return False
    column, params = scope_column(test)
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    rows = select(f"SELECT {column}, t.{key} FROM {table} t WHERE t.{key} = %s", [*params, pk])
    return bool(rows) and bool(rows[0][0])


def test_a_scope_test_that_needs_no_statement_is_a_boolean(users, base_config):
    from wulian.core.sqlread import scope_column, scope_test

    made = EnterpriseFactory(region_id="330803")
    assert scope_test(Enterprise.objects.visible_to(users["leader"]), made.pk) is True
    assert scope_test(Enterprise.objects.none(), made.pk) is False
    assert scope_column(True) == ("1", [])
    with pytest.raises(ValueError):
        scope_column(False)
    sql, params = scope_column(scope_test(Enterprise.objects.visible_to(users["county_ly"]), 1))
    assert sql.startswith("EXISTS (") and params


@pytest.mark.parametrize(
    ("value", "want"),
    [("12", 12), ("-3", -3), ("abc", None), ("1e3", None), ("9" * 19, None), (None, None)],
)
def test_row_id(value, want):
    from wulian.core.sqlread import row_id

    assert row_id(value) == want


def test_page_ids_answer_as_the_orm(
    users, base_config, monkeypatch, django_assert_num_queries, orm_cache_off
):
    from django.db.models import Q

    from wulian.core import sqlread
    from wulian.core.sqlread import PageIds

    for i, code in enumerate(("330802", "330803", "330825") * 4):
        EnterpriseFactory(region_id=code, output_wan=Decimal(100 + i % 5))
    compiled = []
    real = sqlread._compiled
    monkeypatch.setattr(sqlread, "_compiled", lambda q: compiled.append(1) or real(q))
    monkeypatch.setattr(sqlread, "_statements_kept", {})
    ordered = ("-output_wan", "id")
    querysets = [
        Enterprise.objects.visible_to(users["leader"]).order_by(*ordered),
        Enterprise.objects.visible_to(users["county_ly"]).order_by(*ordered),
        Enterprise.objects.filter(region_id="330802").order_by("-id"),
        Enterprise.objects.filter(region_id="330802").order_by("id"),  # the same, reversed
        Enterprise.objects.filter(region_id__in=["330802", "330803"]).order_by("name", "id"),
        Enterprise.objects.filter(Q(region_id="330803") | ~Q(output_wan__gt=102)).order_by("id"),
        Enterprise.objects.filter(name__icontains="企业").distinct().order_by("id"),
        Enterprise.objects.filter(region_id__in=[]).order_by("id"),  # matches nothing
        Enterprise.objects.filter(updated_at__year__gte=2000).order_by("id"),  # a transform
        Enterprise.objects.none(),
    ]
    for _ in range(2):  # compiled, then the kept statements
        for queryset in querysets:
            ids = list(queryset.values_list("pk", flat=True))
            page = PageIds(queryset)
            assert page.count() == len(ids) == len(page)
            for window in (slice(0, 5), slice(5, 10), slice(10, 15), slice(2, None), slice(0, 0)):
                assert page[window] == ids[window], (queryset.query, window)
            if ids:
                assert page[0] == ids[0]  # one id, as the ORM gives it
    compiled_once = len(compiled)
    # a kept statement is one statement, compiled no more
    want = list(querysets[1].values_list("pk", flat=True)[:5])
    with django_assert_num_queries(2):
        page = PageIds(querysets[1])
        assert (page.count(), page[0:5]) == (4, want)
    assert len(compiled) == compiled_once


def test_page_ids_with_the_orm_cache_on_are_the_orms_cached_statements(
    base_config, django_assert_num_queries
):
    from wulian.core.sqlread import PageIds

    for code in ("330802", "330803"):
        EnterpriseFactory(region_id=code)
    queryset = Enterprise.objects.filter(region_id="330802").order_by("id")
    want = list(queryset.values_list("pk", flat=True))
    page = PageIds(queryset)
    assert (page.count(), page[0:5]) == (1, want)
    with django_assert_num_queries(0):  # both answered by the ORM cache
        again = PageIds(queryset)
        assert (again.count(), again[0:5]) == (1, want)


@pytest.mark.parametrize(
    "zone_name",
    ["Asia/Shanghai", "America/New_York", "UTC", "Asia/Kathmandu", "Australia/Lord_Howe"],
)
def test_moments_are_written_as_drf_writes_the_orms_values(base_config, zone_name):
    import zoneinfo

    from rest_framework import serializers

    # given updates at moments with and without microseconds, around New York's changes of
    # offset (a repeated and a skipped local hour), in the UTC hour in which Lord Howe Island
    # moves its clock on by half an hour (at 15:30), a day's edges, and long ago
    moments = [
        dt.datetime(2026, 5, 1, 12, 34, 56, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 5, 1, 12, 34, 56, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 1, 5, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 1, 6, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 1, 6, 30, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 8, 6, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 8, 7, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 3, 15, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 3, 15, 50, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(1890, 1, 1, 0, 0, 0, tzinfo=dt.UTC),
    ]
    made = [EnterpriseFactory() for _ in moments]
    for enterprise, moment in zip(made, moments, strict=True):
        Enterprise.objects.filter(pk=enterprise.pk).update(updated_at=moment)
    zone = zoneinfo.ZoneInfo(zone_name)
    columns = Columns(Enterprise, ["id", "updated_at"], alias="e", moments=["updated_at"])
    rows = select(f"SELECT {columns.sql} FROM {columns.table} ORDER BY 1")
    # when they are written out, twice (the hours' offsets kept after the first)
    for _ in range(2):
        write = columns.moment_text(zone)
        got = [write("updated_at", value) for _pk, value in columns.convert_rows(rows)]
        # then each is what DRF's DateTimeField writes for the ORM's value in that zone
        with timezone.override(zone):
            field = serializers.DateTimeField()
            orm = Enterprise.objects.order_by("pk").values_list("updated_at", flat=True)
            assert got == [field.to_representation(value) for value in orm]
    assert columns.moment_text(zone)("updated_at", None) is None


def test_a_text_that_is_not_the_stored_form_is_read_as_the_orm_reads_it(base_config):
    import zoneinfo

    zone = zoneinfo.ZoneInfo("Asia/Shanghai")
    columns = Columns(Enterprise, ["updated_at"], moments=["updated_at"])
    write = columns.moment_text(zone)
    if columns._fast_moments:  # SQLite: the stored text
        assert write("updated_at", "2026-05-01 12:00:00") == "2026-05-01T20:00:00+08:00"
        # an offset of its own, a "Z": not the stored form, read as the ORM reads it
        assert (
            write("updated_at", "2026-05-01 12:34:56.12345Z") == "2026-05-01T20:34:56.123450+08:00"
        )
        assert write("updated_at", "2026-05-01T12:00:00+01:00") == "2026-05-01T19:00:00+08:00"
        # a zero fraction, which Python's text leaves out; a day that ends in the zone
        assert write("updated_at", "2026-05-01 12:00:00.000000") == "2026-05-01T20:00:00+08:00"
        assert write("updated_at", "2026-12-31 20:30:05.5") == "2027-01-01T04:30:05.500000+08:00"
        assert (
            write("updated_at", "2026-12-31 20:30:05.500000") == "2027-01-01T04:30:05.500000+08:00"
        )
        # digits that are not ASCII: not the stored form, read as the ORM reads them
        assert write("updated_at", "2026-05-01 12:3\uff15:00") == "2026-05-01T20:35:00+08:00"
    moment = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    assert write("updated_at", moment) == "2026-05-01T20:00:00+08:00"
    with pytest.raises(ValueError, match="moments"):
        Columns(Enterprise, ["id", "name"], moments=["name"])


def test_a_read_goes_around_djangos_cursor_unless_queries_are_logged(base_config, monkeypatch):
    # given enterprises, and a statement with a parameter and a literal percent sign
    made = [EnterpriseFactory(), EnterpriseFactory()]
    columns = Columns(Enterprise, ["id", "name"])
    sql = (
        f"SELECT {columns.sql}, 'a%%b' FROM {columns.table}"
        f" WHERE {columns.ref('id')} >= %s ORDER BY 1"
    )
    want = [(e.pk, e.name, "a%b") for e in made]
    # when it is read while Django's cursor is out of reach
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def no_cursor(*args, **kwargs):
        raise AssertionError("Django's cursor wrapper was used")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", no_cursor)
        plain = select(sql, [made[0].pk], binary=True)
    # then the rows are the same as the logged path's, which Django's cursor counts
    assert plain == want
    with CaptureQueriesContext(connection) as queries:
        assert select(sql, [made[0].pk], binary=True) == want
    assert len(queries) == 1


def test_a_read_raises_djangos_errors_and_refuses_a_broken_transaction(base_config):
    from django.db import DatabaseError, IntegrityError, transaction
    from django.db.transaction import TransactionManagementError

    # a database error comes as Django's own exception class
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        select("SELECT no_such_column FROM enterprises_enterprise")
    assert type(raised.value).__module__ == "django.db.utils"
    # inside an atomic block broken by an error, a read is refused as the ORM refuses it
    enterprise = EnterpriseFactory()
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            Enterprise.objects.create(uscc=enterprise.uscc, name="重复", region=enterprise.region)
        with pytest.raises(TransactionManagementError):
            select("SELECT 1")
