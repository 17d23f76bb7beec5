"""A policy saved through the API matches exactly the enterprises the registry says qualify."""

import pytest
from django.db.models import Q

from wulian.enterprises.models import Enterprise
from wulian.policies.models import Policy, PolicyMatch

from .helpers import build_registry, policy_payload

pytestmark = pytest.mark.django_db


def _expected(year=2025):
    # The independent query: the ORM over the registry, chains and 亩均 results directly.
    return set(
        Enterprise.objects.filter(
            region_id__in=["330825", "330881"],
            chain_links__link__chain__code="xcl",
            mujun__year=year,
            mujun__grade__in=["A", "B"],
        ).values_list("id", flat=True)
    )


def _all_pages(client, url):
    rows = []
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_policy_saved_through_api_matches_exactly_the_qualifying_enterprises(users, api_client):
    # given
    build_registry()
    expected = _expected()
    assert 3 <= len(expected) < Enterprise.objects.count()
    api_client.force_authenticate(users["econ"])
    # when
    created = api_client.post("/api/v1/policies/", policy_payload(), format="json")
    assert created.status_code == 201, created.content
    policy_id = created.json()["id"]
    rows = _all_pages(api_client, f"/api/v1/policies/{policy_id}/matches/?page_size=7")
    # then
    assert {r["enterprise"] for r in rows} == expected
    assert created.json()["matched"] == len(expected)
    for row in rows:
        ent = Enterprise.objects.get(pk=row["enterprise"])
        assert [r["field"] for r in row["reasons"]] == ["region", "chain", "mujun_grade"]
        assert all(r["held"] for r in row["reasons"])
        assert row["reasons"][0]["actual"] == ent.region_id
        assert "xcl" in row["reasons"][1]["actual"]
        grade = ent.mujun.get(year=2025).grade
        assert row["reasons"][2]["actual"] == grade
        assert f"亩均评价类别：{grade}类" in row["reasons"][2]["text"]
        assert row["amount_wan"] == "20.00"


def test_near_misses_fail_exactly_one_condition(users, api_client):
    build_registry()
    api_client.force_authenticate(users["econ"])
    policy_id = api_client.post("/api/v1/policies/", policy_payload(), format="json").json()["id"]
    rows = _all_pages(api_client, f"/api/v1/policies/{policy_id}/matches/?near=1&page_size=50")
    # independently: count conditions each enterprise satisfies
    region = Q(region_id__in=["330825", "330881"])
    chain = Q(chain_links__link__chain__code="xcl")
    grade = Q(mujun__year=2025, mujun__grade__in=["A", "B"])
    sets = [
        set(Enterprise.objects.filter(q).values_list("id", flat=True))
        for q in (region, chain, grade)
    ]
    everyone = set(Enterprise.objects.values_list("id", flat=True))
    expected = {pk for pk in everyone if sum(pk in s for s in sets) == 2}
    assert {r["enterprise"] for r in rows} == expected
    assert expected, "the registry should have near misses"
    for row in rows:
        failed = [r for r in row["reasons"] if not r["held"]]
        assert len(failed) == 1
        assert row["missed_condition"] == failed[0]["condition"]


def test_changed_conditions_rematch_and_drop_enterprises_no_longer_qualifying(users, api_client):
    build_registry()
    api_client.force_authenticate(users["econ"])
    policy_id = api_client.post("/api/v1/policies/", policy_payload(), format="json").json()["id"]
    before = PolicyMatch.objects.filter(policy_id=policy_id, is_near=False).count()
    narrower = policy_payload()["conditions"] + [{"field": "tag", "op": "has", "value": "专精特新"}]
    answer = api_client.patch(
        f"/api/v1/policies/{policy_id}/", {"conditions": narrower}, format="json"
    )
    assert answer.status_code == 200, answer.content
    expected = _expected() & set(
        Enterprise.objects.filter(tags__kind="specialized").values_list("id", flat=True)
    )
    got = set(
        PolicyMatch.objects.filter(policy_id=policy_id, is_near=False).values_list(
            "enterprise_id", flat=True
        )
    )
    assert got == expected
    assert len(got) < before
    # the tag label was stored as its code
    assert Policy.objects.get(pk=policy_id).conditions[-1] == {
        "field": "tag",
        "op": "has",
        "value": "specialized",
    }


def test_numeric_and_negated_conditions(users, api_client):
    build_registry()
    api_client.force_authenticate(users["econ"])
    conditions = [
        {"field": "employees", "op": ">=", "value": 300},
        {"field": "chain", "op": "not_in", "value": ["xny"]},
        {"field": "mujun_grade", "op": "not_in", "value": ["D"]},
    ]
    answer = api_client.post(
        "/api/v1/policies/", policy_payload(conditions=conditions), format="json"
    )
    assert answer.status_code == 201, answer.content
    expected = set(
        Enterprise.objects.filter(employees__gte=300, mujun__year=2025)
        .exclude(mujun__year=2025, mujun__grade="D")
        .exclude(chain_links__link__chain__code="xny")
        .values_list("id", flat=True)
    )
    got = set(
        PolicyMatch.objects.filter(policy_id=answer.json()["id"], is_near=False).values_list(
            "enterprise_id", flat=True
        )
    )
    assert got == expected
