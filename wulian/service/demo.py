"""The 企呼我应 demo: categories with deadlines, routing rules, and a year of synthetic requests.

Same seed, same requests: the generator walks each request through the loop on the working-day
calendar (accept, route, answer late or on time, rated, sent back, closed by silence …) and
stops where "now" falls, so every state is present. Records are marked is_synthetic.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from wulian.core.models import Department, Region, User
from wulian.core.workdays import WorkdayCalendar
from wulian.enterprises.models import Enterprise

from . import rollup
from .choices import Action, RequestStatus
from .models import RoutingRule, ServiceCategory, ServiceEvent, ServiceRequest

SEED = 20251127
DEMO_COUNT = 3000
SILENCE_DAYS = 5

# code, name, accept days, answer days, handling department, description
CATEGORIES = [
    ("land", "用地", 1, 15, "zrzy", "用地报批、土地供应、规划调整"),
    ("labor", "用工", 1, 10, "rsj", "招工、技能培训、人才政策"),
    ("finance", "融资", 1, 10, "jrb", "贷款、担保、上市辅导"),
    ("approval", "审批", 1, 5, "fgw", "项目立项、核准备案、并联审批"),
    ("utilities", "水电气", 1, 5, "zjj", "供水、供电、供气接入与保障"),
    ("policy", "政策兑现", 1, 10, "jxj", "惠企政策申报与资金兑现"),
    ("logistics", "物流", 1, 7, "swj", "物流通道、进出口、外贸服务"),
    ("innovation", "科技创新", 1, 10, "kjj", "研发平台、科技项目、成果转化"),
    ("environment", "环保", 1, 10, "sthj", "环评、排污许可、环保督查"),
    ("market", "市场准入", 1, 5, "scjg", "证照办理、质量认证、知识产权"),
    ("other", "其他", 1, 10, "jxj", "其他涉企事项"),
]
TITLES = {
    "land": ["扩建厂房用地指标申请", "项目用地规划条件调整", "工业用地出让进度咨询"],
    "labor": ["一线操作工招聘困难", "技能人才补贴申领", "外地员工子女入学"],
    "finance": ["流动资金贷款续贷", "技改项目贴息申请", "上市辅导对接"],
    "approval": ["技改项目备案", "新建产线能评审批", "施工许可办理进度"],
    "utilities": ["新增产线用电扩容", "天然气管网接入", "园区停水影响生产"],
    "policy": ["亩均效益奖励兑现", "首台套保险补贴", "专精特新奖励申报"],
    "logistics": ["出口集装箱订舱困难", "园区货运通道拥堵", "危化品运输许可"],
    "innovation": ["省级研发中心认定", "产学研合作对接", "中试平台使用申请"],
    "environment": ["排污许可证变更", "环评审批进度", "VOCs 治理技术指导"],
    "market": ["商标侵权投诉", "产品质量认证咨询", "特种设备检验预约"],
    "other": ["企业周边道路维修", "员工通勤公交线路", "其他涉企问题反映"],
}
ANSWERS = ["已对接落实，详见答复意见。", "已协调相关单位办理完毕。", "已按政策予以支持。"]
RATINGS = [5] * 55 + [4] * 25 + [3] * 10 + [2] * 6 + [1] * 4


class FastCalendar:
    """Working days precomputed for a date range (the generator needs millions of steps)."""

    def __init__(self, start: dt.date, end: dt.date, calendar: WorkdayCalendar | None = None):
        cal = calendar or WorkdayCalendar()
        self.days = []
        day = start
        while day <= end:
            if cal.is_workday(day):
                self.days.append(day)
            day += dt.timedelta(days=1)

    def add(self, moment: dt.datetime, n: int) -> dt.datetime:
        day = moment.date()
        i = bisect.bisect_left(self.days, day)
        if i >= len(self.days):
            return moment + dt.timedelta(days=n)
        if self.days[i] != day:
            moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
            moment = moment + dt.timedelta(days=(self.days[i] - day).days)
        j = min(i + n, len(self.days) - 1)
        return moment + dt.timedelta(days=(self.days[j] - self.days[i]).days)

    def office(self, moment: dt.datetime) -> dt.datetime:
        """The same moment if it falls in office hours on a working day, else the next 9:00."""
        day = moment.date()
        i = bisect.bisect_left(self.days, day)
        if i < len(self.days) and self.days[i] == day and 8 <= moment.hour < 18:
            return moment
        if i < len(self.days) and self.days[i] == day and moment.hour < 8:
            return moment.replace(hour=9, minute=moment.minute % 30)
        if i < len(self.days) and self.days[i] == day:
            i += 1
        if i >= len(self.days):
            return moment
        nxt = self.days[i]
        return moment.replace(
            year=nxt.year, month=nxt.month, day=nxt.day, hour=9, minute=moment.minute % 30
        )

    def between(self, a: dt.date, b: dt.date) -> int:
        return max(0, bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a))


# Requests about money and research carry business secrets: their text is never public.
PRIVATE_CATEGORIES = {"finance", "innovation"}
# What an integration (12345 hotline, 浙里办) must add when it files these (Open311 attributes).
ATTRIBUTES = {
    "land": [
        {
            "code": "area_mu",
            "description": "拟用地面积（亩）",
            "datatype": "number",
            "required": True,
        },
        {
            "code": "land_use",
            "description": "用地类型",
            "datatype": "singlevaluelist",
            "required": False,
            "values": [
                {"key": "industrial", "name": "工业用地"},
                {"key": "warehouse", "name": "仓储用地"},
                {"key": "other", "name": "其他"},
            ],
        },
    ],
    "labor": [
        {"code": "headcount", "description": "缺工人数", "datatype": "number", "required": True},
        {
            "code": "positions",
            "description": "岗位类型",
            "datatype": "multivaluelist",
            "required": False,
            "values": [
                {"key": "operator", "name": "普工"},
                {"key": "technician", "name": "技术工人"},
                {"key": "engineer", "name": "工程技术人员"},
                {"key": "manager", "name": "经营管理人员"},
            ],
        },
    ],
    "finance": [
        {
            "code": "amount_wan",
            "description": "融资需求（万元）",
            "datatype": "number",
            "required": True,
        },
    ],
}


@transaction.atomic
def load_categories() -> dict[str, ServiceCategory]:
    result = {}
    for sort, (code, name, accept, answer, _dept, desc) in enumerate(CATEGORIES):
        result[code], _created = ServiceCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "accept_days": accept,
                "answer_days": answer,
                "description": desc,
                "sort": sort,
                "is_private": code in PRIVATE_CATEGORIES,
                "attributes": ATTRIBUTES.get(code, []),
            },
        )
    return result


@transaction.atomic
def load_rules(categories: dict[str, ServiceCategory]) -> int:
    if RoutingRule.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    rules = [
        RoutingRule(category=categories[code], department=departments[dept], priority=100)
        for code, _n, _a, _b, dept, _d in CATEGORIES
        if dept in departments
    ]
    if "zrzy" in departments and Region.objects.filter(code="330825").exists():
        rules.append(
            RoutingRule(
                category=categories["approval"],
                region_id="330825",
                department=departments["zrzy"],
                priority=50,
                note="龙游县审批类诉求涉及用地较多，先派自然资源部门",
            )
        )
    from wulian.chains.models import Link

    link = Link.objects.filter(chain__code="jcdl").order_by("sort", "id").first()
    if link is not None and "jxj" in departments:
        rules.append(
            RoutingRule(
                category=categories["approval"],
                link=link,
                department=departments["jxj"],
                priority=50,
                note="集成电路重点环节审批由经信局牵头",
            )
        )
    RoutingRule.objects.bulk_create(rules)
    return len(rules)


def _working_moment(rng: random.Random, day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz)


def generate(
    *,
    count: int,
    now: dt.datetime,
    seed: int = SEED,
    enterprises: list[tuple[int, str]],
    links: dict[int, int],
    categories: list[ServiceCategory],
    departments: dict[str, int],
    demo_enterprise: int | None = None,
    with_events: bool = True,
    actors: dict | None = None,
):
    """(request, events) pairs, unsaved, for `count` requests over the year before `now`."""
    rng = random.Random(seed)
    actors = actors or {}
    tz = timezone.get_current_timezone()
    now = timezone.localtime(now)
    start = now.date() - dt.timedelta(days=365)
    fast = FastCalendar(start - dt.timedelta(days=10), now.date() + dt.timedelta(days=40))
    dept_for = {code: departments.get(dept) for code, _n, _a, _b, dept, _d in CATEGORIES}
    dept_ids = sorted(departments.values())
    days = [d for d in fast.days if start <= d <= now.date()]
    weights = [0.6 + 0.4 * i / len(days) for i in range(len(days))]  # growing use over the year
    for index in range(count):
        category = rng.choice(categories)
        if demo_enterprise and index % 100 == 0:
            enterprise_id, region_id = demo_enterprise, None
        else:
            enterprise_id, region_id = rng.choice(enterprises)
        submitted = _working_moment(rng, rng.choices(days, weights)[0], tz)
        if submitted > now:
            submitted = now - dt.timedelta(minutes=rng.randint(5, 600))
        req = ServiceRequest(
            title=rng.choice(TITLES.get(category.code, TITLES["other"])),
            description="（合成演示数据）企业反映：" + rng.choice(TITLES.get(category.code, ["—"])),
            category=category,
            enterprise_id=enterprise_id,
            region_id=region_id,
            link_id=links.get(enterprise_id),
            created_by_id=actors.get(("enterprise", enterprise_id)),
            status=RequestStatus.SUBMITTED,
            submitted_at=submitted,
            updated_at=submitted,
            due_at=fast.add(submitted, category.accept_days),
            is_synthetic=True,
        )
        events = [
            (
                submitted,
                Action.SUBMIT,
                RequestStatus.SUBMITTED,
                RequestStatus.SUBMITTED,
                "",
                actors.get(("enterprise", enterprise_id)),
            )
        ]

        def step(at, action, to, reason="", req=req, events=events):
            events.append((at, action, req.status, to, reason, _actor(actors, action, req)))
            req.status = to
            req.updated_at = at

        roll = rng.random()
        # a small share stays stuck with the dispatcher or the department (the overdue cases)
        age = (now - submitted).days
        stuck = rng.random() < (0.3 if age < 25 else 0.004)
        t = fast.office(submitted + dt.timedelta(hours=rng.randint(1, 20)))
        if t > now or (stuck and rng.random() < 0.3):
            yield req, (events if with_events else [])
            continue
        if roll < 0.04:
            req.closed_at = t
            req.due_at = None
            step(t, Action.REJECT, RequestStatus.REJECTED, "不属于涉企服务受理范围")
            yield req, (events if with_events else [])
            continue
        req.accepted_at = t
        req.answer_due_at = fast.add(t, category.answer_days)
        req.due_at = req.answer_due_at
        step(t, Action.ACCEPT, RequestStatus.ACCEPTED)
        t = fast.office(t + dt.timedelta(hours=rng.randint(1, 6)))
        if t > now:
            yield req, (events if with_events else [])
            continue
        dept = dept_for.get(category.code) or rng.choice(dept_ids)
        if rng.random() < 0.08:
            dept = rng.choice(dept_ids)
        req.department_id = dept
        req.routed_at = t
        step(t, Action.ROUTE, RequestStatus.ROUTED)
        if stuck:
            yield req, (events if with_events else [])
            continue
        t = fast.office(t + dt.timedelta(hours=rng.randint(2, 30)))
        if t > now:
            yield req, (events if with_events else [])
            continue
        step(t, Action.START, RequestStatus.IN_PROGRESS)
        if rng.random() < (0.15 if age < 20 else 0.05):  # wait for material
            step(t, Action.REQUEST_MATERIAL, RequestStatus.AWAITING_MATERIAL, "请补充相关证明材料")
            req.resume_status = RequestStatus.IN_PROGRESS
            req.paused_at = t
            back = fast.add(t, rng.randint(1, 6))
            if back > now:
                yield req, (events if with_events else [])
                continue
            waited = fast.between(t.date(), back.date())
            req.due_at = fast.add(req.due_at, waited)
            req.answer_due_at = req.due_at
            req.paused_workdays += waited
            req.paused_at = None
            req.resume_status = ""
            t = back
            step(t, Action.SUPPLY_MATERIAL, RequestStatus.IN_PROGRESS)
        rounds = 0
        while True:
            late = rng.random() < 0.15
            spent = (
                rng.randint(category.answer_days, category.answer_days + 8)
                if late
                else (rng.randint(0, max(0, category.answer_days - 1)))
            )
            answer_at = fast.office(fast.add(t, spent) + dt.timedelta(hours=rng.randint(0, 3)))
            if answer_at > now:
                break
            t = answer_at
            req.answered_at = t
            req.answer = rng.choice(ANSWERS)
            req.answer_workdays = max(
                0, fast.between(req.submitted_at.date(), t.date()) - req.paused_workdays
            )
            req.due_at = fast.add(t, SILENCE_DAYS)
            step(t, Action.ANSWER, RequestStatus.ANSWERED)
            react = fast.office(
                fast.add(t, rng.randint(0, 4)) + dt.timedelta(hours=rng.randint(0, 5))
            )
            if rng.random() < 0.15 or rounds >= 2:  # silence
                if req.due_at <= now:
                    req.closed_at = req.due_at
                    req.closed_by_silence = True
                    req.due_at = None
                    step(req.closed_at, Action.AUTO_CLOSE, RequestStatus.CLOSED, "企业逾期未评价")
                break
            if react > now:
                break
            t = react
            if rng.random() < 0.05:
                req.reopen_count += 1
                req.answer_due_at = fast.add(t, category.answer_days)
                req.due_at = req.answer_due_at
                step(t, Action.SEND_BACK, RequestStatus.IN_PROGRESS, "答复未解决实际问题")
                rounds += 1
                continue
            rating = rng.choice(RATINGS)
            req.rating = rating
            if rating <= 2:
                req.reopen_count += 1
                req.answer_due_at = fast.add(t, category.answer_days)
                req.due_at = req.answer_due_at
                step(t, Action.REOPEN, RequestStatus.IN_PROGRESS, f"评分 {rating} 分，自动退回重办")
                rounds += 1
                continue
            req.rating_comment = "满意" if rating >= 4 else "基本满意"
            req.closed_at = t
            req.due_at = None
            step(t, Action.CONFIRM, RequestStatus.CLOSED)
            break
        yield req, (events if with_events else [])


DISPATCHER_STEPS = {Action.ACCEPT, Action.REJECT, Action.ROUTE}
ENTERPRISE_STEPS = {
    Action.SUBMIT,
    Action.SUPPLY_MATERIAL,
    Action.CONFIRM,
    Action.REOPEN,
    Action.SEND_BACK,
}


def _actor(actors: dict, action: str, req: ServiceRequest) -> int | None:
    """The demo account that stands for whoever took this synthetic step, when there is one."""
    if action in DISPATCHER_STEPS:
        return actors.get("dispatcher")
    if action in ENTERPRISE_STEPS:
        return actors.get(("enterprise", req.enterprise_id))
    if action == Action.AUTO_CLOSE:
        return None
    return actors.get(("department", req.department_id))


def synthesize(*, count: int, now: dt.datetime | None = None, with_events: bool = True) -> int:
    """Generate and insert `count` synthetic requests, then rebuild the rollup."""
    now = now or timezone.now()
    categories = list(ServiceCategory.objects.order_by("sort", "code"))
    departments = dict(Department.objects.values_list("code", "id"))
    enterprises = list(
        Enterprise.objects.filter(is_synthetic=True).order_by("id").values_list("id", "region_id")
    )
    if not enterprises:
        enterprises = list(Enterprise.objects.order_by("id").values_list("id", "region_id"))
    if not enterprises or not categories:
        return 0
    from wulian.chains.models import EnterpriseLink

    links = dict(
        EnterpriseLink.objects.filter(role="main")
        .order_by("enterprise_id", "id")
        .values_list("enterprise_id", "link_id")
    )
    demo_user = User.objects.filter(username="ent_demo").first()
    demo = demo_user.enterprises.order_by("id").first() if demo_user else None
    actors: dict = {}
    for user in User.objects.filter(username__in=["dispatcher", "econ"]):
        if user.username == "dispatcher":
            actors["dispatcher"] = user.pk
        elif user.department_id:
            actors[("department", user.department_id)] = user.pk
    if demo is not None:
        actors[("enterprise", demo.pk)] = demo_user.pk
    regions = dict(enterprises)
    if demo:
        regions[demo.pk] = demo.region_id
    batch: list[tuple[ServiceRequest, list]] = []
    made = 0
    for req, events in generate(
        count=count,
        now=now,
        enterprises=enterprises,
        links=links,
        categories=categories,
        departments=departments,
        demo_enterprise=demo.pk if demo else None,
        with_events=with_events,
        actors=actors,
    ):
        if req.region_id is None:
            req.region_id = regions.get(req.enterprise_id)
        batch.append((req, events))
        if len(batch) >= 2000:
            made += _flush(batch)
            batch = []
    made += _flush(batch)
    rollup.rebuild()
    return made


@transaction.atomic
def _flush(batch) -> int:
    if not batch:
        return 0
    ServiceRequest.objects.bulk_create([r for r, _e in batch], batch_size=1000)
    events = [
        ServiceEvent(
            request_id=req.pk,
            at=at,
            action=action,
            from_status=before,
            to_status=after,
            reason=reason,
            department_id=req.department_id if action == Action.ROUTE else None,
            actor_id=actor,
        )
        for req, evs in batch
        for at, action, before, after, reason, actor in evs
    ]
    ServiceEvent.objects.bulk_create(events, batch_size=2000)
    return len(batch)


def load(stdout=None) -> None:
    categories = load_categories()
    rules = load_rules(categories)
    made = 0
    if not ServiceRequest.objects.filter(is_synthetic=True).exists():
        made = synthesize(count=DEMO_COUNT)
    if stdout:
        stdout.write(
            f"service: 诉求类别 {len(categories)} 个，派单规则新增 {rules} 条，"
            f"合成诉求新增 {made} 件"
        )
