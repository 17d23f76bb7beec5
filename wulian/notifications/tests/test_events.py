"""Every kind of event reaches the right people, once."""

import datetime as dt

import pytest

from wulian.chains.models import Chain, Link
from wulian.core.models import Department
from wulian.keywork import services as keywork
from wulian.keywork.notices import remind_late_tasks
from wulian.keywork.tests.factories import chain_series, days, make_task, meeting, work_item
from wulian.notifications.choices import Kind
from wulian.notifications.models import Message, Notification
from wulian.notifications.services import notify_import_finished
from wulian.service.notices import remind
from wulian.service.services import attach_material
from wulian.service.tests.factories import ANSWERED, ROUTED, aware, file_request, walk

WHEN = aware(2025, 11, 4, 10, 0)  # Tuesday


def told(kind) -> list[str]:
    return sorted(
        Notification.objects.filter(message__kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def test_request_steps_tell_who_acts_next(loop, users):
    request = walk(file_request(users, when=WHEN), users, ROUTED, when=WHEN)
    assert told(Kind.ROUTED) == ["econ"]
    walk(request, users, [("request_material", "econ", {"reason": "营业执照"})], when=WHEN)
    assert told(Kind.MATERIAL_REQUESTED) == ["ent_demo"]
    assert "营业执照" in Message.objects.get(kind=Kind.MATERIAL_REQUESTED).body
    request.refresh_from_db()
    walk(request, users, [("supply_material", "ent_demo", {"reason": "已上传"})], when=WHEN)
    assert told(Kind.MATERIAL_SUPPLIED) == ["econ"]
    request.refresh_from_db()
    walk(request, users, [("transfer", "econ", {"reason": "职责", "department": fgw()})])
    assert told(Kind.TRANSFERRED) == []  # nobody works at 发改委 in the demo accounts
    assert Message.objects.get(kind=Kind.TRANSFERRED).department.code == "fgw"


def fgw():
    return Department.objects.get(code="fgw")


def test_answer_asks_the_enterprise_to_rate_and_low_rating_reopens(loop, users):
    request = walk(file_request(users, when=WHEN), users, ANSWERED, when=WHEN)
    assert told(Kind.ANSWERED) == ["ent_demo"]
    assert "评分" in Message.objects.get(kind=Kind.ANSWERED).body
    walk(request, users, [("confirm", "ent_demo", {"rating": 1})], when=WHEN)
    assert told(Kind.REOPENED) == ["econ"]
    assert "评分 1 分" in Message.objects.get(kind=Kind.REOPENED).body
    request.refresh_from_db()
    request = walk(request, users, [("answer", "econ", {"answer": "再次答复"})], when=WHEN)
    walk(request, users, [("send_back", "ent_demo", {"reason": "没解决"})], when=WHEN)
    assert Message.objects.filter(kind=Kind.REOPENED).count() == 2


def test_material_added_any_time_tells_the_handler(loop, users, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = walk(file_request(users, when=WHEN), users, ROUTED, when=WHEN)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attach_material(actor=users["ent_demo"], request=request, files=[upload])
    assert told(Kind.MATERIAL_SUPPLIED) == ["econ"]


def test_the_actor_is_not_told_about_their_own_step(loop, users):
    # 营商办 routes a request to itself: its own staff member who did it is not told
    request = walk(file_request(users, when=WHEN), users, ROUTED[:1], when=WHEN)
    ysb = Department.objects.get(code="ysb")
    walk(request, users, [("route", "dispatcher", {"department": ysb})], when=WHEN)
    assert Message.objects.filter(kind=Kind.ROUTED).count() == 1
    assert told(Kind.ROUTED) == []


def test_deadline_reminders_overdue_and_each_escalation_level_once(loop, users):
    chain = Chain.objects.create(code="xcl", name="新材料")
    link = Link.objects.create(chain=chain, code="ore", name="萤石", segment="up")
    request = walk(file_request(users, when=WHEN, link=link), users, ROUTED, when=WHEN)
    request.refresh_from_db()
    due = request.due_at
    # the evening before the deadline's day: within one working day
    remind(now=due - dt.timedelta(hours=20))
    assert told(Kind.DUE_SOON) == ["econ"]
    remind(now=due - dt.timedelta(hours=19))
    assert len(told(Kind.DUE_SOON)) == 1  # once per deadline
    remind(now=due + dt.timedelta(hours=1))
    assert told(Kind.OVERDUE) == ["econ"]  # level 1: 部门负责人督办, told to the department
    assert "部门负责人督办" in Message.objects.get(kind=Kind.OVERDUE).title
    assert told(Kind.ESCALATED) == []
    remind(now=due + dt.timedelta(days=5))  # 3+ working days late: 链办
    assert told(Kind.ESCALATED) == ["chief_xcl"]
    remind(now=due + dt.timedelta(days=8))  # 5+ working days late: 市领导
    assert told(Kind.ESCALATED) == ["admin", "chief_xcl", "leader"]
    remind(now=due + dt.timedelta(days=9))
    assert Message.objects.filter(kind=Kind.ESCALATED).count() == 2
    assert Message.objects.filter(kind=Kind.OVERDUE).count() == 1


def test_unrouted_requests_are_the_dispatchers_to_chase(loop, users):
    request = file_request(users, when=WHEN)
    remind(now=request.due_at + dt.timedelta(hours=1))
    assert told(Kind.OVERDUE) == ["dispatcher"]


def test_late_tasks_once_per_deadline(users):
    task = make_task(title="建设中试平台", dept="jxj", co=["fgw"], deadline=days(-2))
    make_task(title="还没到期", deadline=days(5))
    assert remind_late_tasks() == 1
    assert remind_late_tasks() == 0
    assert told(Kind.TASK_LATE) == ["econ"]
    assert Message.objects.get(kind=Kind.TASK_LATE).url == task.get_absolute_url()


def test_agenda_ready_and_decisions_assigned(users):
    make_task(title="逾期任务", dept="jxj", deadline=days(-3), start_on=days(-40))
    sitting = meeting(series=chain_series("xcl"), on=days(0))
    keywork.draft_agenda(actor=users["leader"], meeting=sitting)
    # the chain's own meeting follows its own decisions' tasks; the chain office is told
    assert told(Kind.AGENDA_READY) == ["chief_xcl"]
    keywork.hold_meeting(actor=users["leader"], meeting=sitting)
    decision = keywork.record_decision(actor=users["leader"], meeting=sitting, text="推进萤石项目")
    keywork.decision_to_task(
        actor=users["leader"],
        decision=decision,
        work_item=work_item(),
        target_text="一个月内开工",
        lead_department=Department.objects.get(code="jxj"),
        responsible_person="王五",
        deadline=days(30),
        done_standard="开工",
    )
    assert told(Kind.DECISION_ASSIGNED) == ["chief_xcl", "econ"]


def test_import_finished_tells_the_importer(users):
    notify_import_finished(
        user=users["econ"], dataset="企业名录", ok=True, summary="写入 120 行", url="/enterprises/"
    )
    message = Message.objects.get(kind=Kind.IMPORT_FINISHED)
    assert told(Kind.IMPORT_FINISHED) == ["econ"]
    assert message.title == "数据导入完成：企业名录" and message.body == "写入 120 行"


def test_account_claims_tell_the_reviewers_then_the_new_account(users):
    from wulian.accounts.claims import decide_claim, submit_claim
    from wulian.enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(region_id="330825")
    claim = submit_claim(
        actor=None,
        uscc=enterprise.uscc,
        contact_name="李四",
        phone="13800001111",
        username="claimant",
        password="Qz-2026-claim!",
    )
    assert told(Kind.CLAIM_SUBMITTED) == ["admin", "county_ly"]
    decide_claim(actor=users["county_ly"], claim=claim, action="approve")
    assert told(Kind.CLAIM_APPROVED) == ["claimant"]


def test_policy_events_tell_the_enterprise_the_department_and_the_leaders(users):
    from django.utils import timezone

    from wulian.policies import workflow
    from wulian.policies.models import Payout
    from wulian.policies.notices import remind_overdue
    from wulian.policies.services import create_policy
    from wulian.policies.tests.helpers import build_registry, policy_payload

    enterprise = build_registry(n=3)[0]
    enterprise.accounts.add(users["ent_demo"])
    values = policy_payload(
        mode="application",
        materials=["营业执照"],
        conditions=[{"field": "region", "op": "in", "value": [enterprise.region_id]}],
    )
    values["issuer"] = Department.objects.get(code="jxj")
    chains = values.pop("chains")
    policy = create_policy(actor=users["econ"], values=values, chains=chains)
    assert told(Kind.POLICY_MATCHED) == ["ent_demo"]
    payout = workflow.apply_for_policy(
        actor=users["ent_demo"], policy=policy, enterprise=enterprise, materials=["营业执照"]
    )
    assert told(Kind.PAYOUT_UPDATE) == ["econ"]
    Payout.objects.filter(pk=payout.pk).update(due_at=timezone.now() - dt.timedelta(days=20))
    remind_overdue()
    assert told(Kind.PAYOUT_OVERDUE) == ["admin", "econ", "leader"]  # admin is a leader too


@pytest.mark.parametrize("kind", [k for k in Kind.values if k != Kind.DIGEST])
def test_every_kind_is_produced_somewhere_in_this_file(kind):
    # Guards the list above: a new kind needs a test here (the digest is tested with the
    # workbench that composes it).
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    assert f"Kind.{Kind(kind).name}" in source
