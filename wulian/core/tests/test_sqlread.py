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


def test_columns_convert_as_the_orm_does(base_config):
    # given enterprises with decimals, a date, datetimes, booleans and a null
    EnterpriseFactory(output_wan=Decimal("1234.56"), founded_on=dt.date(2001, 2, 3))
    EnterpriseFactory(output_wan=Decimal("0.10"), founded_on=None, is_listed=True)
    names = [f.attname for f in Enterprise._meta.concrete_fields]
    columns = Columns(Enterprise, names, alias="e")
    # when the same rows are read in plain SQL and through the ORM
    plain = columns.dicts(select(f"SELECT {columns.sql} FROM {columns.table} ORDER BY 1"))
    orm = list(Enterprise.objects.order_by("pk").values(*names))
    # then every value is the same, of the same type
    assert plain == orm
    for got, want in zip(plain, orm, strict=True):
        assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
    assert isinstance(plain[0]["output_wan"], Decimal)
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


@pytest.mark.parametrize(
    ("value", "want"),
    [("12", 12), ("-3", -3), ("abc", None), ("1e3", None), ("9" * 19, None), (None, None)],
)
def test_row_id(value, want):
    from wulian.core.sqlread import row_id

    assert row_id(value) == want
