"""Synthetic 政策体系 for the demo: ten policies across the six chains and the lifecycle, all
marked 合成, matched against the registry, with payouts in every state (listed, applied,
awaiting material, approved, paid on time and late, removed, rejected, overdue).

Deterministic and idempotent: nothing is loaded when synthetic policies exist. Times are
counted back from the day of loading so that deadlines fall before and after today.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wulian.core.models import Department
from wulian.core.workdays import WorkdayCalendar

from . import workflow
from .choices import Mode, PayoutStatus
from .models import Payout, PayoutBatch, Policy, PolicyMatch
from .services import create_policy

SEED = 17
VALID = {"valid_from": dt.date(2025, 1, 1), "valid_until": dt.date(2027, 12, 31)}
NOTE = "（合成演示政策，非真实文件）"
CLAUSES = (
    "第一条 适用对象：符合本政策全部适用条件的企业。\n"
    "第二条 兑现方式与标准：见兑现金额规则。\n"
    "第三条 本政策为演示用合成政策。"
)
CLAUSES = (
    "第一条 适用对象：符合本政策全部适用条件的企业。\n"
    "第二条 兑现方式与标准：见兑现金额规则。\n"
    "第三条 本政策为演示用合成政策。"
)


def _p(title, issuer, mode, chains, stages, conditions, rule, number, **extra):
    return {
        "title": title,
        "issuer": issuer,
        "mode": mode,
        "chains": chains,
        "stages": stages,
        "conditions": conditions,
        "amount_rule": rule,
        "doc_number": f"衢示〔2025〕{number}号",
        **extra,
    }


NA, AP = Mode.NO_APPLICATION, Mode.APPLICATION
POLICIES = [
    _p(
        "新材料产业链亩均A类企业奖励",
        "jxj",
        NA,
        ["xcl"],
        ["growth"],
        [
            {"field": "chain", "op": "in", "value": ["xcl"]},
            {"field": "mujun_grade", "op": "in", "value": ["A"]},
            {"field": "is_above_scale", "op": "=", "value": True},
        ],
        {"kind": "fixed", "amount_wan": 20},
        1,
    ),
    _p(
        "新能源产业链规上企业产值增长奖励",
        "jxj",
        NA,
        ["xny"],
        ["growth"],
        [
            {"field": "chain", "op": "in", "value": ["xny"]},
            {"field": "is_above_scale", "op": "=", "value": True},
            {"field": "months.output_yoy", "op": ">=", "value": 15},
        ],
        {"kind": "fixed", "amount_wan": 20},
        2,
    ),
    _p(
        "集成电路企业研发投入补助",
        "kjj",
        AP,
        ["jcdl"],
        ["upgrade"],
        [
            {"field": "chain", "op": "in", "value": ["jcdl"]},
            {"field": "months.rd_sum", "op": ">=", "value": 100},
        ],
        {"kind": "ratio", "field": "months.rd_sum", "rate": 0.1, "cap_wan": 200},
        3,
        materials=["研发费用专项审计报告", "研发项目立项文件", "申请表"],
    ),
    _p(
        "高端装备企业技术改造补助",
        "jxj",
        AP,
        ["gdzb"],
        ["upgrade", "construction"],
        [
            {"field": "chain", "op": "in", "value": ["gdzb"]},
            {"field": "mujun_grade", "op": "in", "value": ["A", "B"]},
            {"field": "employees", "op": ">=", "value": 100},
        ],
        {"kind": "fixed", "amount_wan": 50},
        4,
        materials=["技改项目备案证明", "设备购置发票清单", "申请表"],
    ),
    _p(
        "上市企业并购重组与再融资奖励（凤凰行动）",
        "jrb",
        NA,
        ["xcl", "xny", "jcdl", "gdzb", "smjk", "tzz"],
        ["listing", "financing"],
        [
            {"field": "is_listed", "op": "=", "value": True},
            {"field": "mujun_grade", "op": "not_in", "value": ["D"]},
        ],
        {"kind": "fixed", "amount_wan": 100},
        5,
    ),
    _p(
        "特种纸产业链专精特新企业奖励",
        "jxj",
        NA,
        ["tzz"],
        ["growth"],
        [
            {"field": "chain", "op": "in", "value": ["tzz"]},
            {"field": "tag", "op": "has", "value": "specialized"},
        ],
        {"kind": "fixed", "amount_wan": 20},
        6,
    ),
    _p(
        "龙游县、江山市新引进企业落地奖励",
        "swj",
        AP,
        [],
        ["landing"],
        [
            {"field": "region", "op": "in", "value": ["330825", "330881"]},
            {"field": "founded_years", "op": "<=", "value": 3},
            {"field": "is_above_scale", "op": "=", "value": True},
        ],
        {"kind": "fixed", "amount_wan": 10},
        7,
        materials=["投资协议", "营业执照", "申请表"],
    ),
    _p(
        "重点企业引进高层次人才补贴",
        "rsj",
        AP,
        ["xcl", "xny", "jcdl", "gdzb", "smjk", "tzz"],
        ["talent"],
        [
            {"field": "employees", "op": ">=", "value": 500},
            {"field": "months.output_yoy", "op": ">=", "value": 0},
        ],
        {"kind": "fixed", "amount_wan": 15},
        8,
        materials=["人才引进名单", "劳动合同", "社保缴纳证明"],
    ),
    _p(
        "高新技术企业融资贴息",
        "jrb",
        AP,
        [],
        ["financing"],
        [
            {"field": "tag", "op": "has", "value": "high_tech"},
            {"field": "mujun_grade", "op": "not_in", "value": ["D"]},
        ],
        {"kind": "fixed", "amount_wan": 8},
        9,
        materials=["贷款合同", "利息支付凭证"],
    ),
    _p(
        "规上工业企业建成投产奖励",
        "fgw",
        NA,
        [],
        ["construction"],
        [
            {"field": "is_above_scale", "op": "=", "value": True},
            {"field": "founded_years", "op": "<=", "value": 5},
            {"field": "output_wan", "op": ">=", "value": 20000},
        ],
        {"kind": "fixed", "amount_wan": 50},
        10,
    ),
    _p(
        "新材料产业链中小企业数字化改造补助",
        "jxj",
        AP,
        ["xcl"],
        ["upgrade"],
        [
            {"field": "chain", "op": "in", "value": ["xcl"]},
            {"field": "employees", "op": "<=", "value": 100},
            {"field": "mujun_grade", "op": "in", "value": ["A", "B"]},
        ],
        {"kind": "fixed", "amount_wan": 5},
        11,
        materials=["数字化改造方案", "设备及软件采购合同", "申请表"],
    ),
]


def _ago(days: int, hour: int = 10) -> dt.datetime:
    now = timezone.localtime()
    return (now - dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _pay_at(cal, start: dt.datetime, workdays: int) -> dt.datetime:
    return cal.add_workdays(timezone.localtime(start), workdays)


def _no_application(admin, policy, *, generated: int, approve_after: int | None, pay, remove=0):
    """A list generated `generated` days ago; lines paid per `pay(index) → workdays or None`."""
    cal = WorkdayCalendar()
    batch = workflow.generate_batch(actor=admin, policy=policy, now=_ago(generated), calendar=cal)
    lines = list(batch.payouts.order_by("id"))
    for line in lines[:remove]:
        workflow.transition(
            payout=line,
            action="remove",
            actor=admin,
            reason="经核查已迁出本市，剔除",
            now=_ago(generated - 1),
        )
    if approve_after is None:
        return
    workflow.approve_batch(actor=admin, batch=batch, now=_ago(generated - approve_after))
    for i, line in enumerate(lines[remove:]):
        days = pay(i)
        if days is None:
            continue
        line.refresh_from_db()
        moment = _pay_at(cal, line.started_at, days)
        if moment < timezone.now():
            workflow.transition(
                payout=line,
                action="pay",
                actor=admin,
                payment_ref=f"CZ{policy.pk:02d}{i:04d}",
                now=moment,
            )


def _apply(admin, policy, enterprise_id, *, days_ago: int, steps=()):
    from wulian.enterprises.models import Enterprise

    cal = WorkdayCalendar()
    payout = workflow.apply_for_policy(
        actor=None,  # filed for the enterprise by the demo, shown as 系统
        policy=policy,
        enterprise=Enterprise.objects.get(pk=enterprise_id),
        materials=policy.materials,
        note="企业通过快申快享提交申请（合成）",
        now=_ago(days_ago),
        calendar=cal,
        check_rights=False,
    )
    for action, after_workdays, extra in steps:
        payout.refresh_from_db()
        moment = _pay_at(cal, payout.started_at, after_workdays)
        workflow.transition(
            payout=payout, action=action, actor=admin, now=moment, calendar=cal, **extra
        )


def _applicants(policy, n, rng) -> list[int]:
    ids = list(
        PolicyMatch.objects.filter(policy=policy, is_near=False)
        .values_list("enterprise_id", flat=True)
        .order_by("enterprise_id")
    )
    return rng.sample(ids, min(n, len(ids)))


@transaction.atomic
def load(stdout=None) -> None:
    if Policy.objects.filter(is_synthetic=True).exists():
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    departments = {d.code: d for d in Department.objects.all()}
    rng = random.Random(SEED)
    made = []
    for spec in POLICIES:
        values = dict(spec)
        chains = values.pop("chains")
        values["issuer"] = departments[values["issuer"]]
        values.update(VALID, is_synthetic=True, issued_on=dt.date(2024, 12, 20), summary=NOTE)
        values["clauses"] = CLAUSES
        made.append(create_policy(actor=admin, values=values, chains=chains, check_rights=False))
    p = {i + 1: policy for i, policy in enumerate(made)}
    # 免申即享: paid on time and late, approved and waiting, overdue, removed, a draft list.
    _no_application(
        admin,
        p[1],
        generated=150,
        approve_after=6,
        remove=1,
        pay=lambda i: None if i % 9 == 4 else (20 + i * 7) % 75,
    )
    _no_application(
        admin, p[6], generated=40, approve_after=4, pay=lambda i: 10 + i if i % 2 else None
    )
    _no_application(admin, p[5], generated=2, approve_after=None, pay=lambda i: None)
    _no_application(
        admin,
        p[10],
        generated=100,
        approve_after=5,
        remove=1,
        pay=lambda i: None if i % 4 == 0 else 25 + i,
    )
    # 快申快享: every state of an application.
    plans_by_policy = (
        (
            p[3],
            [
                (120, [("approve", 10, {}), ("pay", 35, {"payment_ref": "KJ-001"})]),
                (110, [("approve", 30, {}), ("pay", 70, {})]),  # paid late
                (60, [("approve", 12, {})]),
                (20, [("request_material", 3, {"reason": "请补充研发项目立项文件"})]),
                (30, [("reject", 6, {"reason": "研发费用未单独归集，不符合申报条件"})]),
                (3, []),
            ],
        ),
        (p[4], [(110, []), (90, [("approve", 8, {}), ("pay", 40, {})]), (5, [])]),
        (p[8], [(70, [("approve", 15, {}), ("pay", 28, {})]), (15, [])]),
        (p[9], [(45, [("approve", 5, {}), ("pay", 12, {})]), (8, [])]),
    )
    for policy, plans in plans_by_policy:
        for (days, steps), enterprise_id in zip(
            plans, _applicants(policy, len(plans), rng), strict=False
        ):
            _apply(admin, policy, enterprise_id, days_ago=days, steps=steps)
    Payout.objects.filter(policy__is_synthetic=True).update(is_synthetic=True)
    PayoutBatch.objects.filter(policy__is_synthetic=True).update(is_synthetic=True)
    if stdout:
        counts = {s: Payout.objects.filter(status=s).count() for s in PayoutStatus.values}
        stdout.write(f"policies: {len(made)} 项合成政策，兑现 {counts}")
