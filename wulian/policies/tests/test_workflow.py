"""免申即享: list → approval → payment; 快申快享: application → review → payment; deadlines
in working days; permissions; notifications."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wulian.core.models import AuditEvent
from wulian.core.workdays import WorkdayCalendar
from wulian.notifications.models import Notification
from wulian.policies import workflow
from wulian.policies.choices import PayoutStatus
from wulian.policies.models import Payout, PolicyMatch

from .helpers import build_registry, policy_payload

pytestmark = pytest.mark.django_db


def _policy(api_client, user, **extra):
    api_client.force_authenticate(user)
    answer = api_client.post("/api/v1/policies/", policy_payload(**extra), format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_no_application_list_approval_payment(users, api_client):
    ents = build_registry()
    policy = _policy(api_client, users["econ"])
    matched = set(
        PolicyMatch.objects.filter(policy_id=policy["id"], is_near=False).values_list(
            "enterprise_id", flat=True
        )
    )
    owner = next(e for e in ents if e.pk in matched)
    owner.accounts.add(users["ent_demo"])
    # the department generates the list from the matches
    batch = api_client.post(f"/api/v1/policies/{policy['id']}/batches/").json()
    assert batch["lines"] == len(matched) and Decimal(batch["amount_wan"]) == 20 * len(matched)
    lines = Payout.objects.filter(batch_id=batch["id"])
    assert set(lines.values_list("enterprise_id", flat=True)) == matched
    assert all(p.status == PayoutStatus.LISTED for p in lines)
    # a removal needs a reason
    victim = lines.exclude(enterprise=owner).first()
    refused = api_client.post(
        f"/api/v1/policy-payouts/{victim.pk}/remove/", {"reason": ""}, format="json"
    )
    assert refused.status_code == 400 and "理由" in str(refused.json())
    removed = api_client.post(
        f"/api/v1/policy-payouts/{victim.pk}/remove/", {"reason": "已迁出本市"}, format="json"
    )
    assert removed.json()["status"] == "removed"
    # approval approves the rest; the enterprise is told without applying
    approved = api_client.post(f"/api/v1/policy-batches/{batch['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert lines.filter(status=PayoutStatus.APPROVED).count() == len(matched) - 1
    assert Notification.objects.filter(
        recipient=users["ent_demo"], message__kind="payout_update"
    ).exists()
    # a second approval is a conflict
    assert api_client.post(f"/api/v1/policy-batches/{batch['id']}/approve/").status_code == 409
    # payment
    mine = lines.get(enterprise=owner)
    paid = api_client.post(
        f"/api/v1/policy-payouts/{mine.pk}/pay/", {"payment_ref": "CZ-001"}, format="json"
    ).json()
    assert paid["status"] == "paid" and paid["paid_wan"] == "20.00" and paid["pay_workdays"] == 0
    assert AuditEvent.objects.filter(model="policies.payout", object_id=str(mine.pk)).count() == 1
    # the enterprise sees its payout and no one else's
    api_client.force_authenticate(users["ent_demo"])
    rows = api_client.get("/api/v1/policy-payouts/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert api_client.get(f"/api/v1/policy-payouts/{victim.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/policy-batches/{batch['id']}/approve/").status_code == 403


def test_only_the_issuing_department_generates_and_pays(users, api_client):
    build_registry()
    policy = _policy(api_client, users["econ"])
    api_client.force_authenticate(users["dispatcher"])
    assert api_client.post(f"/api/v1/policies/{policy['id']}/batches/").status_code == 403
    api_client.force_authenticate(users["econ"])
    batch = api_client.post(f"/api/v1/policies/{policy['id']}/batches/").json()
    api_client.post(f"/api/v1/policy-batches/{batch['id']}/approve/")
    line = Payout.objects.filter(batch_id=batch["id"]).first()
    api_client.force_authenticate(users["dispatcher"])
    assert (
        api_client.post(f"/api/v1/policy-payouts/{line.pk}/pay/").status_code == 404
    )  # not visible
    api_client.force_authenticate(users["leader"])
    assert api_client.post(f"/api/v1/policy-payouts/{line.pk}/pay/").status_code == 403
    line.refresh_from_db()
    assert line.status == PayoutStatus.APPROVED


def test_application_review_material_payment_with_working_days(users, api_client):
    ents = build_registry()
    materials = ["营业执照", "研发费用专项审计报告"]
    policy = _policy(api_client, users["econ"], mode="application", materials=materials)
    ent = ents[0]
    ent.accounts.add(users["ent_demo"])
    api_client.force_authenticate(users["ent_demo"])
    # the whole checklist is needed
    partial = api_client.post(
        f"/api/v1/policies/{policy['id']}/apply/", {"materials": ["营业执照"]}, format="json"
    )
    assert partial.status_code == 400 and "研发费用专项审计报告" in str(partial.json())
    assert not Payout.objects.exists()
    applied = api_client.post(
        f"/api/v1/policies/{policy['id']}/apply/",
        {"materials": materials, "note": "申请"},
        format="json",
    )
    assert applied.status_code == 201, applied.content
    payout = Payout.objects.get()
    assert payout.status == PayoutStatus.APPLIED
    # due 60 working days after the application
    assert payout.due_at > payout.started_at + dt.timedelta(days=60 * 7 // 5)
    assert Notification.objects.filter(
        recipient=users["econ"], message__kind="payout_update"
    ).exists()
    # the enterprise cannot approve itself
    assert api_client.post(f"/api/v1/policy-payouts/{payout.pk}/approve/").status_code == 403
    # material requested: the clock stops; supplied five working days later: due moves by five
    api_client.force_authenticate(users["econ"])
    asked = api_client.post(
        f"/api/v1/policy-payouts/{payout.pk}/request-material/",
        {"reason": "审计报告缺盖章页"},
        format="json",
    )
    assert asked.json()["status"] == "awaiting_material"
    payout.refresh_from_db()
    due_before = payout.due_at
    paused = payout.paused_at - dt.timedelta(days=14)
    Payout.objects.filter(pk=payout.pk).update(paused_at=paused)
    cal = WorkdayCalendar()
    waited = cal.workdays_between(timezone.localdate(paused), timezone.localdate())
    api_client.force_authenticate(users["ent_demo"])
    supplied = api_client.post(
        f"/api/v1/policy-payouts/{payout.pk}/supply-material/",
        {"materials": materials},
        format="json",
    )
    assert supplied.status_code == 200, supplied.content
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.APPLIED and payout.paused_workdays == waited >= 8
    assert payout.due_at == cal.add_workdays(timezone.localtime(due_before), waited)
    api_client.force_authenticate(users["econ"])
    # approve with an adjusted amount, then pay
    approved = api_client.post(
        f"/api/v1/policy-payouts/{payout.pk}/approve/", {"amount_wan": "15.5"}, format="json"
    ).json()
    assert approved["amount_wan"] == "15.50"
    paid = api_client.post(f"/api/v1/policy-payouts/{payout.pk}/pay/", {}, format="json").json()
    assert paid["status"] == "paid" and paid["paid_wan"] == "15.50"
    events = [
        e["action"] for e in api_client.get(f"/api/v1/policy-payouts/{payout.pk}/").json()["events"]
    ]
    assert events == ["apply", "request_material", "supply_material", "approve", "pay"]
    # a second application is refused
    api_client.force_authenticate(users["ent_demo"])
    again = api_client.post(
        f"/api/v1/policies/{policy['id']}/apply/", {"materials": materials}, format="json"
    )
    assert again.status_code == 400


def test_reject_needs_a_reason_and_ends_the_clock(users, api_client):
    ents = build_registry(n=10)
    policy = _policy(api_client, users["econ"], mode="application", materials=["营业执照"])
    ents[0].accounts.add(users["ent_demo"])
    api_client.force_authenticate(users["ent_demo"])
    pk = api_client.post(
        f"/api/v1/policies/{policy['id']}/apply/", {"materials": ["营业执照"]}, format="json"
    ).json()["id"]
    api_client.force_authenticate(users["econ"])
    assert (
        api_client.post(f"/api/v1/policy-payouts/{pk}/reject/", {}, format="json").status_code
        == 400
    )
    rejected = api_client.post(
        f"/api/v1/policy-payouts/{pk}/reject/", {"reason": "不在本市纳税"}, format="json"
    ).json()
    assert rejected["status"] == "rejected" and rejected["overdue"] is False
    assert api_client.post(f"/api/v1/policy-payouts/{pk}/pay/").status_code == 409


def test_overdue_payouts_escalate_and_are_told_once(users, api_client):
    from wulian.policies.notices import remind_overdue

    build_registry()
    policy = _policy(api_client, users["econ"])
    batch = api_client.post(f"/api/v1/policies/{policy['id']}/batches/").json()
    line = Payout.objects.filter(batch_id=batch["id"]).first()
    Payout.objects.filter(pk=line.pk).update(due_at=timezone.now() - dt.timedelta(days=30))
    first = remind_overdue()
    assert first["overdue"] >= 1 and first["leader"] >= 1
    assert remind_overdue() == {"overdue": 0, "leader": 0}
    assert Notification.objects.filter(
        recipient=users["leader"], message__kind="payout_overdue"
    ).exists()
    row = api_client.get(f"/api/v1/policy-payouts/{line.pk}/").json()
    assert row["overdue"] is True and row["escalation"] == 2


def test_service_refuses_enterprise_applying_for_another(users):
    ents = build_registry(n=5)
    from wulian.core.models import Department
    from wulian.policies.models import Policy
    from wulian.policies.services import create_policy

    values = policy_payload(mode="application", materials=["营业执照"])
    values["issuer"] = Department.objects.get(code="jxj")
    chains = values.pop("chains")
    policy = create_policy(actor=users["econ"], values=values, chains=chains)
    with pytest.raises(PermissionDenied):
        workflow.apply_for_policy(
            actor=users["ent_demo"], policy=policy, enterprise=ents[0], materials=["营业执照"]
        )
    assert Policy.objects.count() == 1 and not Payout.objects.exists()
    with pytest.raises(ValidationError):
        workflow.generate_batch(actor=users["econ"], policy=policy)


def test_a_policy_request_in_service_is_linked_to_the_payout(users, api_client):
    from wulian.service.tests.factories import file_request, setup_loop

    _categories, mine = setup_loop(users)
    ents = build_registry(n=10)
    policy = _policy(api_client, users["econ"], mode="application", materials=["申请表"])
    ents[1].accounts.add(users["ent_demo"])
    api_client.force_authenticate(users["ent_demo"])
    answer = api_client.post(
        f"/api/v1/policies/{policy['id']}/apply/",
        {"materials": ["申请表"], "enterprise": mine.pk},
        format="json",
    )
    pk = answer.json()["id"]
    request = file_request(users, enterprise=mine)
    other = file_request(users, enterprise=ents[1])
    api_client.force_authenticate(users["econ"])
    wrong = api_client.post(
        f"/api/v1/policy-payouts/{pk}/link-request/", {"service_request": other.pk}, format="json"
    )
    assert wrong.status_code == 400 and "不是本企业" in str(wrong.json())
    ok = api_client.post(
        f"/api/v1/policy-payouts/{pk}/link-request/", {"service_request": request.pk}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["service_request"] == request.pk
    api_client.force_authenticate(users["ent_demo"])
    assert (
        api_client.post(
            f"/api/v1/policy-payouts/{pk}/link-request/",
            {"service_request": request.pk},
            format="json",
        ).status_code
        == 403
    )
