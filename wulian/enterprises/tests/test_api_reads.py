"""The enterprise API's plain-SQL reads answer what its serializers answer from model
instances (enterprises.api.reads), for every role, page and language."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from wulian.chains.models import EnterpriseLink
from wulian.chains.tests.helpers import SMALL, build_chain
from wulian.core.models import User
from wulian.enterprises.api.serializers import EnterpriseDetailSerializer, EnterpriseSerializer
from wulian.enterprises.models import Enterprise, EnterpriseTag

from .factories import EnterpriseFactory

ROLES = ["leader", "admin", "econ", "dispatcher", "chief_xcl", "county_ly", "ent_demo", "nobody"]


@pytest.fixture
def world(users):
    User.objects.create_user("nobody", password="x", role="county")  # no county: sees nothing
    _chain, links = build_chain(**SMALL)
    _other, other_links = build_chain(
        code="sw", name="生物医药", links=[("api", "原料药", "up"), ("drug", "制剂", "down")]
    )
    today = timezone.localdate()
    made = [
        EnterpriseFactory(
            name=f"测试{i}号企业",
            region_id=["330802", "330825", "330803", "330881"][i % 4],
            output_wan=Decimal(f"{1000 + (i * 37) % 500}.{i % 10}{(i * 3) % 10}"),
            tax_wan=None if i % 3 == 0 else Decimal(f"{i}.5"),
            land_area_mu=Decimal("12.34") if i % 2 else None,
            founded_on=None if i % 5 == 0 else dt.date(2000 + i, 1 + i % 12, 1 + i % 27),
            is_listed=i % 4 == 0,
            listing_board="star" if i % 4 == 0 else "",
            chain_code="xcl" if i % 2 else "",
            is_synthetic=i % 3 == 1,
            employees=None if i % 7 == 0 else 10 * i,
        )
        for i in range(13)
    ]
    made[0].accounts.add(users["ent_demo"])
    made[5].accounts.add(users["ent_demo"])
    for i, enterprise in enumerate(made[:8]):
        EnterpriseLink.objects.create(
            enterprise=enterprise, link=links["resin"], role="main" if i % 2 else "support"
        )
        if i % 3 == 0:
            EnterpriseLink.objects.create(enterprise=enterprise, link=links["ore"], role="main")
            EnterpriseLink.objects.create(enterprise=enterprise, link=other_links["drug"])
    EnterpriseTag.objects.create(
        enterprise=made[1], kind="specialized", source="省经信厅", valid_from=today
    )
    EnterpriseTag.objects.create(
        enterprise=made[3], kind="listed", source="交易所", valid_until=today
    )
    EnterpriseTag.objects.create(
        enterprise=made[1],
        kind="chain_leader",
        source="市链长办",
        valid_from=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=1),
    )
    EnterpriseTag.objects.create(
        enterprise=made[2],
        kind="high_tech",
        level="国家级",
        source="科技部",
        valid_from=today + dt.timedelta(days=3),
        is_synthetic=True,
    )
    return made


def reference_list(user):
    rows = (
        Enterprise.objects.visible_to(user).select_related("region").order_by("-output_wan", "id")
    )
    return json.loads(JSONRenderer().render(EnterpriseSerializer(rows, many=True).data))


def reference_detail(pk):
    tags = Prefetch("tags", EnterpriseTag.objects.order_by("kind"))
    instance = Enterprise.objects.select_related("region").prefetch_related(tags).get(pk=pk)
    return json.loads(JSONRenderer().render(EnterpriseDetailSerializer(instance).data))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("username", ROLES)
def test_the_list_and_the_detail_answer_what_the_serializers_answer(
    api_client, users, world, username, language, orm_cache_on_and_off
):
    user = User.objects.get(username=username)
    api_client.force_authenticate(user)
    with translation.override(language):
        want = reference_list(user)
        got = []
        page = 1
        while True:
            response = api_client.get(
                f"/api/v1/enterprises/?page_size=4&page={page}", HTTP_ACCEPT_LANGUAGE=language
            )
            assert response.status_code == 200, response.content
            body = response.json()
            got += body["results"]
            assert body["count"] == len(want)
            if not body["next"]:
                break
            page += 1
        assert got == want
        visible = {row["id"] for row in want}
        for enterprise in world:
            response = api_client.get(
                f"/api/v1/enterprises/{enterprise.pk}/", HTTP_ACCEPT_LANGUAGE=language
            )
            if enterprise.pk in visible:
                assert response.status_code == 200
                assert response.json() == reference_detail(enterprise.pk)
            else:
                assert response.status_code == 404
    assert bool(want) == (username != "nobody")


def test_the_fixture_covers_what_the_detail_shows(world):
    details = [reference_detail(e.pk) for e in world]
    assert any(len(d["chains"]) == 2 for d in details)
    roles = {link["role"] for d in details for c in d["chains"] for link in c["links"]}
    assert roles == {"main", "support"}
    assert {t["current"] for d in details for t in d["tags"]} == {True, False}
    assert any(d["founded_on"] is None for d in details)
    assert any(d["tax_wan"] is None for d in details)


def test_filters_still_narrow_the_list(api_client, users, world, orm_cache_on_and_off):
    api_client.force_authenticate(users["leader"])
    body = api_client.get("/api/v1/enterprises/?region=330825&is_listed=true").json()
    want = [
        e.pk
        for e in sorted(world, key=lambda e: (-e.output_wan, e.pk))
        if e.region_id == "330825" and e.is_listed
    ]
    assert [row["id"] for row in body["results"]] == want
    assert api_client.get("/api/v1/enterprises/?tag=nonsense").status_code == 400


@pytest.mark.parametrize(("username", "statements"), [("leader", 2), ("county_ly", 2)])
def test_a_detail_reads_in_few_statements(api_client, users, world, username, statements):
    # the row with its tags and the user's scope tested, then its chains (the token is not
    # asked: force_authenticate)
    api_client.force_authenticate(users[username])
    mine = next(e for e in world if e.region_id == users["county_ly"].region_id)
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/enterprises/{mine.pk}/")
    assert response.status_code == 200
    assert len(queries) == statements, [q["sql"] for q in queries.captured_queries]


def test_a_list_page_reads_in_three_statements(api_client, users, world):
    api_client.force_authenticate(users["leader"])
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/v1/enterprises/?page_size=5")
    assert response.status_code == 200 and len(response.json()["results"]) == 5
    assert len(queries) == 3, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "1e3", "99999999", "9" * 20])
@pytest.mark.parametrize("username", ["leader", "county_ly"])
def test_a_bad_or_missing_id_is_404(api_client, users, world, pk, username):
    api_client.force_authenticate(users[username])
    assert api_client.get(f"/api/v1/enterprises/{pk}/").status_code == 404
