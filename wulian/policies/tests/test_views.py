"""Pages of the 政策体系 for the roles involved."""

import json

import pytest
from django.urls import reverse

from wulian.policies.models import Payout, Policy, PolicyMatch

from .helpers import build_registry, policy_payload

pytestmark = pytest.mark.django_db


def _make_policy(api_client, users, **extra):
    api_client.force_authenticate(users["econ"])
    answer = api_client.post("/api/v1/policies/", policy_payload(**extra), format="json")
    assert answer.status_code == 201, answer.content
    return Policy.objects.get(pk=answer.json()["id"])


def test_form_saves_conditions_and_shows_matches(client, users):
    build_registry()
    client.force_login(users["econ"])
    page = client.get(reverse("policies:create"))
    assert page.status_code == 200 and "添加条件" in page.content.decode()
    data = {
        "title": "页面发布的政策",
        "issuer": "jxj",
        "mode": "no_application",
        "conditions": json.dumps([{"field": "region", "op": "in", "value": ["330825"]}]),
        "amount_kind": "fixed",
        "amount_wan": "8",
        "payout_workdays": "60",
        "is_active": "on",
        "chains": ["xcl"],
    }
    answer = client.post(reverse("policies:create"), data)
    policy = Policy.objects.get(title="页面发布的政策")
    assert answer.status_code == 302 and answer["Location"] == policy.get_absolute_url()
    assert policy.matched == PolicyMatch.objects.filter(policy=policy, is_near=False).count() > 0
    detail = client.get(policy.get_absolute_url()).content.decode()
    assert "所属区县 属于 龙游县" in detail and "✓ 所属区县：龙游县" in detail


def test_form_shows_a_chinese_error_for_a_bad_condition(client, users):
    build_registry(n=5)
    client.force_login(users["econ"])
    data = {
        "title": "坏条件",
        "issuer": "jxj",
        "mode": "no_application",
        "conditions": json.dumps([{"field": "employees", "op": "in", "value": [1]}]),
        "amount_kind": "fixed",
        "amount_wan": "8",
        "payout_workdays": "60",
    }
    answer = client.post(reverse("policies:create"), data)
    assert answer.status_code == 200
    assert "不能使用运算符“in”" in answer.content.decode()
    assert not Policy.objects.exists()


@pytest.mark.parametrize("username", ["leader", "econ", "chief_xcl", "county_ly", "ent_demo"])
def test_pages_open_for_each_role(client, users, api_client, username):
    ents = build_registry()
    policy = _make_policy(api_client, users)
    ents[0].accounts.add(users["ent_demo"])
    client.force_login(users[username])
    for name, args in (
        ("policies:list", []),
        ("policies:detail", [policy.pk]),
        ("policies:payouts", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    stats = client.get(reverse("policies:stats"))
    assert stats.status_code == (403 if username == "ent_demo" else 200)
    assert client.get(reverse("policies:create")).status_code == (
        200 if username == "econ" else 403
    )


def test_enterprise_applies_on_the_page_and_department_pays(client, users, api_client):
    ents = build_registry()
    policy = _make_policy(api_client, users, mode="application", materials=["营业执照", "申请表"])
    ents[0].accounts.add(users["ent_demo"])
    client.force_login(users["ent_demo"])
    detail = client.get(policy.get_absolute_url()).content.decode()
    assert "快申快享：提交申请" in detail
    answer = client.post(
        reverse("policies:apply", args=[policy.pk]),
        {"enterprise": ents[0].pk, "materials": ["营业执照", "申请表"], "note": "请审核"},
    )
    payout = Payout.objects.get()
    assert answer.status_code == 302 and answer["Location"] == payout.get_absolute_url()
    client.force_login(users["econ"])
    page = client.get(payout.get_absolute_url()).content.decode()
    assert "审核通过" in page and "不予兑现" in page
    client.post(reverse("policies:step", args=[payout.pk, "approve"]), {"amount_wan": "12"})
    client.post(reverse("policies:step", args=[payout.pk, "pay"]), {"payment_ref": "P-1"})
    payout.refresh_from_db()
    assert payout.status == "paid" and str(payout.paid_wan) == "12.00"


def test_batch_page_removes_with_reason_and_approves(client, users, api_client):
    build_registry()
    policy = _make_policy(api_client, users)
    client.force_login(users["econ"])
    answer = client.post(reverse("policies:action", args=[policy.pk, "batch"]))
    batch = policy.batches.get()
    assert answer["Location"] == batch.get_absolute_url()
    line = batch.payouts.first()
    client.post(
        reverse("policies:step", args=[line.pk, "remove"]),
        {"reason": "已注销", "next": batch.get_absolute_url()},
    )
    line.refresh_from_db()
    assert line.status == "removed" and line.reason == "已注销"
    client.post(batch.get_absolute_url())
    batch.refresh_from_db()
    assert batch.status == "approved"
    assert batch.payouts.filter(status="approved").count() == batch.payouts.count() - 1
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "登记拨付" in page and "已注销" in page


def test_near_tab_is_an_htmx_fragment(client, users, api_client):
    build_registry()
    policy = _make_policy(api_client, users)
    client.force_login(users["econ"])
    fragment = client.get(
        policy.get_absolute_url() + "?near=1", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div class="card" id="policy-matches"')
    assert "差在哪一项" in fragment and "✗" in fragment
