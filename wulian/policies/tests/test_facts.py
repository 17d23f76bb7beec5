"""Monthly aggregates, tags' validity and payout history as conditions; query counts."""

import datetime as dt
from decimal import Decimal

import pytest

from wulian.enterprises.models import EnterpriseMonth, EnterpriseTag
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.policies.facts import add_months, load_facts
from wulian.policies.matching import match

pytestmark = pytest.mark.django_db


def _months(enterprise, first: dt.date, outputs: list, rd=None):
    for i, value in enumerate(outputs):
        EnterpriseMonth.objects.create(
            enterprise=enterprise,
            month=add_months(first, i),
            output_wan=None if value is None else Decimal(value),
            revenue_wan=Decimal(100),
            rd_wan=None if rd is None else Decimal(rd),
        )


def test_monthly_growth_and_sums_over_the_last_twelve_months(base_config):
    start = dt.date(2024, 1, 1)
    growing = EnterpriseFactory()
    _months(growing, start, [100] * 12 + [120] * 12, rd=5)  # +20 %, rd 60 of revenue 1200
    flat = EnterpriseFactory()
    _months(flat, start, [100] * 24, rd=1)
    young = EnterpriseFactory()  # only the last 12 months: no comparable base
    _months(young, add_months(start, 12), [500] * 12)
    facts = load_facts(["months.output_yoy", "months.output_sum", "months.rd_ratio"])
    assert facts.window == (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    assert facts.get("months.output_yoy", growing.pk) == 20.0
    assert facts.get("months.output_yoy", flat.pk) == 0.0
    assert facts.get("months.output_yoy", young.pk) is None
    assert facts.get("months.output_sum", young.pk) == 6000.0
    assert facts.get("months.rd_ratio", growing.pk) == 5.0
    result = match([{"field": "months.output_yoy", "op": ">=", "value": 10}], facts)
    assert result.matched == [growing.pk]
    # the young enterprise lacks the data: it never qualifies, and is a near miss of one
    assert young.pk in {pk for pk, _i in result.near}


def test_expired_tags_do_not_count(base_config):
    current = EnterpriseFactory()
    expired = EnterpriseFactory()
    EnterpriseTag.objects.create(enterprise=current, kind="high_tech", source="测试")
    EnterpriseTag.objects.create(
        enterprise=expired, kind="high_tech", source="测试", valid_until=dt.date(2020, 1, 1)
    )
    facts = load_facts(["tag"])
    has = match([{"field": "tag", "op": "has", "value": "high_tech"}], facts).matched
    lacks = match([{"field": "tag", "op": "not_has", "value": "high_tech"}], facts).matched
    assert has == [current.pk] and lacks == [expired.pk]


def test_list_and_matches_endpoints_keep_their_query_counts(
    users, api_client, django_assert_max_num_queries
):
    from .helpers import build_registry, policy_payload

    build_registry()
    api_client.force_authenticate(users["econ"])
    for i in range(3):
        api_client.post("/api/v1/policies/", policy_payload(title=f"政策{i}"), format="json")
    policy_id = api_client.get("/api/v1/policies/").json()["results"][0]["id"]
    with django_assert_max_num_queries(12):
        assert api_client.get("/api/v1/policies/?page_size=50").status_code == 200
    with django_assert_max_num_queries(14):
        rows = api_client.get(f"/api/v1/policies/{policy_id}/matches/?near=1&page_size=100")
        assert rows.status_code == 200 and rows.json()["count"] > 5
    with django_assert_max_num_queries(14):
        assert api_client.get("/api/v1/policy-payouts/?page_size=100").status_code == 200
