"""The policies seen from elsewhere: the cockpit tile with drill-down, the workbench, the
enterprise profile, the statistics."""

import datetime as dt

import pytest
from django.utils import timezone

from wulian.policies.models import Payout

from .helpers import build_registry, policy_payload

pytestmark = pytest.mark.django_db


def _paid_and_overdue(api_client, users):
    ents = build_registry()
    api_client.force_authenticate(users["econ"])
    policy = api_client.post("/api/v1/policies/", policy_payload(), format="json").json()
    batch = api_client.post(f"/api/v1/policies/{policy['id']}/batches/").json()
    api_client.post(f"/api/v1/policy-batches/{batch['id']}/approve/")
    lines = list(Payout.objects.filter(batch_id=batch["id"]).order_by("id"))
    assert len(lines) >= 3
    api_client.post(f"/api/v1/policy-payouts/{lines[0].pk}/pay/", {}, format="json")
    late = lines[1]
    Payout.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=20))
    return ents, policy, lines


def test_cockpit_tile_shows_paid_and_overdue_with_drill_down(users, api_client, client):
    _ents, policy, lines = _paid_and_overdue(api_client, users)
    api_client.force_authenticate(users["leader"])
    tile = api_client.get("/api/v1/cockpit/").json()["policy"]
    assert tile["paid"] == 1 and tile["paid_wan"] == 20.0
    assert tile["overdue"] == 1 and tile["leader"] == 1
    assert tile["on_time_pct"] == 100.0
    client.force_login(users["leader"])
    page = client.get("/cockpit/").content.decode()
    assert 'data-testid="tile-policy"' in page and "/policies/payouts/?overdue=true" in page
    drill = client.get("/policies/payouts/?overdue=true").content.decode()
    assert drill.count('data-testid="payout-clock"') == 1 and lines[1].enterprise.name in drill


def test_statistics_by_each_dimension(users, api_client):
    _ents, policy, lines = _paid_and_overdue(api_client, users)
    api_client.force_authenticate(users["leader"])
    rows = api_client.get("/api/v1/policy-stats/?by=policy").json()
    assert rows[0]["key"] == str(policy["id"]) and rows[0]["matched"] == policy["matched"]
    assert (
        rows[0]["started"] == len(lines) and rows[0]["paid"] == 1 and rows[0]["mean_workdays"] == 0
    )
    for by in ("department", "chain", "county"):
        rows = api_client.get(f"/api/v1/policy-stats/?by={by}").json()
        assert sum(r["paid"] for r in rows) == 1 and sum(r["started"] for r in rows) == len(lines)
    assert api_client.get("/api/v1/policy-stats/?by=colour").status_code == 400
    county = {r["key"]: r for r in api_client.get("/api/v1/policy-stats/?by=county").json()}
    assert set(county) <= {"330825", "330881"}
    api_client.force_authenticate(users["county_ly"])
    mine = api_client.get("/api/v1/policy-stats/?by=county").json()
    assert {r["key"] for r in mine} <= {"330825"}


def test_workbench_lists_policy_work_for_department_enterprise_and_leader(users, api_client):
    ents, policy, lines = _paid_and_overdue(api_client, users)
    api_client.force_authenticate(users["econ"])
    keys = {s["key"]: s for s in api_client.get("/api/v1/workbench/").json()["sections"]}
    assert keys["policies.pay"]["count"] == len(lines) - 1 and keys["policies.pay"]["overdue"] == 1
    api_client.force_authenticate(users["leader"])
    keys = {s["key"]: s for s in api_client.get("/api/v1/workbench/").json()["sections"]}
    assert keys["policies.overdue"]["count"] == 1
    # an enterprise matched by an application policy sees it on its workbench
    api_client.force_authenticate(users["econ"])
    second = api_client.post(
        "/api/v1/policies/",
        policy_payload(title="研发奖励（快申快享）", mode="application", materials=["申请表"]),
        format="json",
    ).json()
    owner = next(e for e in ents if e.pk == lines[2].enterprise_id)
    owner.accounts.add(users["ent_demo"])
    api_client.force_authenticate(users["ent_demo"])
    keys = {s["key"]: s for s in api_client.get("/api/v1/workbench/").json()["sections"]}
    assert [i["title"] for i in keys["policies.apply"]["items"]] == [second["title"]]


def test_profile_shows_the_enterprise_its_policies(users, api_client, client):
    ents, policy, lines = _paid_and_overdue(api_client, users)
    owner = next(e for e in ents if e.pk == lines[0].enterprise_id)
    owner.accounts.add(users["ent_demo"])
    client.force_login(users["ent_demo"])
    page = client.get(owner.get_absolute_url()).content.decode()
    assert 'data-testid="profile-policies"' in page and policy["title"] in page and "已兑现" in page
