"""The keywork demo: the seed's key work items (real names, with their source sentence),
and synthetic tasks, reports, meeting series, one past meeting with its decisions and the
next meeting with its drafted agenda. Dates are relative to the day of loading.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wulian.core import seed
from wulian.core.models import Department

from .choices import MeetingStatus, SeriesKind, TaskStatus, WorkCategory
from .models import (
    Decision,
    Meeting,
    MeetingSeries,
    Milestone,
    ProgressReport,
    Task,
    TaskEvent,
    WorkItem,
)

SEED = 20260610
SOURCE = seed.TITLE
_S_TEN = (
    "全市上下锚定“工业强市、产业兴市”战略不动摇，不断推进十个“桥头堡”建设和“五链”融合、"
    "新型城镇化等“10+2”重点工作，有力推动经济社会发展持续保持良好势头。"
)
_S_MEASURES = (
    "系统谋划“10+2”重点工作以及科技创新、改革开放、共同富裕、文化文明等方面的重点举措，"
    "为干好工作把牢了正确方向。"
)
# code, name, category, lead department, sentence
WORK_ITEMS = [
    ("bridgeheads", "十个“桥头堡”建设", WorkCategory.TEN_PLUS_TWO, "fgw", _S_TEN),
    ("five_chains", "“五链”融合", WorkCategory.TEN_PLUS_TWO, "jxj", _S_TEN),
    ("urbanisation", "新型城镇化", WorkCategory.TEN_PLUS_TWO, "zjj", _S_TEN),
    ("innovation", "科技创新", WorkCategory.MEASURE, "kjj", _S_MEASURES),
    ("opening", "改革开放", WorkCategory.MEASURE, "swj", _S_MEASURES),
    ("prosperity", "共同富裕", WorkCategory.MEASURE, "fgw", _S_MEASURES),
    ("culture", "文化文明", WorkCategory.MEASURE, "fgw", _S_MEASURES),
]
# work item, title, target, lead, co, indicator code, target value, unit
TASKS = [
    (
        "five_chains",
        "六大产业链产值占规上工业比重提升",
        "六大产业链占比达到70%",
        "jxj",
        ["tjj"],
        "chain_share",
        70,
        "%",
    ),
    (
        "five_chains",
        "新材料产业链补链招引电子特气项目",
        "签约电子特气项目2个",
        "swj",
        ["jxj"],
        "",
        None,
        "",
    ),
    ("five_chains", "链主企业配套本地化率提升", "本地配套企业新增30家", "jxj", [], "", None, ""),
    ("five_chains", "中试平台共建共享", "新建中试平台3个", "kjj", ["jxj"], "", None, ""),
    (
        "bridgeheads",
        "四省边际物流枢纽桥头堡建设",
        "完成多式联运中心主体工程",
        "fgw",
        ["zrzy", "zjj"],
        "",
        None,
        "",
    ),
    (
        "bridgeheads",
        "长三角内陆开放桥头堡外贸增量",
        "新增外贸实绩企业50家",
        "swj",
        [],
        "",
        None,
        "",
    ),
    ("bridgeheads", "数字经济桥头堡算力中心", "算力中心一期投运", "sj", ["fgw"], "", None, ""),
    ("urbanisation", "县城承载能力提升项目", "完成老旧小区改造40个", "zjj", ["zrzy"], "", None, ""),
    ("urbanisation", "新增城镇就业", "新增城镇就业2.5万人", "rsj", [], "", None, ""),
    (
        "innovation",
        "规上工业企业研发活动覆盖",
        "研发活动覆盖率达到60%",
        "kjj",
        ["jxj"],
        "",
        None,
        "",
    ),
    ("innovation", "创新科研院所引进", "新引进科研院所2家", "kjj", [], "", None, ""),
    (
        "opening",
        "营商环境“企呼我应”闭环提速",
        "诉求平均办结时间缩短至5个工作日",
        "ysb",
        ["scjg"],
        "",
        None,
        "",
    ),
    ("opening", "企业上市培育", "新增上市企业2家", "jrb", [], "", None, ""),
    (
        "prosperity",
        "缩小城乡居民收入倍差",
        "城乡收入倍差降至1.70",
        "tjj",
        ["rsj"],
        "income_ratio",
        Decimal("1.70"),
        "倍",
    ),
    ("culture", "文明城市创建常态长效", "测评问题整改率100%", "fgw", [], "", None, ""),
]
SERIES = [
    ("市级重点工作月度例会", SeriesKind.MONTHLY_CITY, "", "fgw", "常务副市长（演示）"),
    ("新材料产业链周例会", SeriesKind.WEEKLY_CHAIN, "xcl", "jxj", "新材料链长（演示）"),
]
PEOPLE = ["王科长（演示）", "李处长（演示）", "赵主任（演示）", "陈科长（演示）", "周处长（演示）"]


@transaction.atomic
def load_work_items() -> None:
    departments = {d.code: d for d in Department.objects.all()}
    for sort, (code, name, category, lead, sentence) in enumerate(WORK_ITEMS):
        WorkItem.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "lead_department": departments.get(lead),
                "source": SOURCE,
                "source_sentence": sentence,
                "sort": sort,
            },
        )


def _rng_dates(rng: random.Random, today: dt.date) -> tuple[dt.date, dt.date]:
    start = today - dt.timedelta(days=rng.randrange(60, 240))
    deadline = today + dt.timedelta(days=rng.randrange(-20, 220))
    return start, max(deadline, start + dt.timedelta(days=30))


@transaction.atomic
def load_tasks(today: dt.date | None = None) -> int:
    """Synthetic tasks (once): a mix of green, amber and red, some reports escalated."""
    if Task.objects.filter(is_synthetic=True).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    items = {w.code: w for w in WorkItem.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    for index, (item, title, target, lead, co, indicator, value, unit) in enumerate(TASKS):
        start, deadline = _rng_dates(rng, today)
        task = Task.objects.create(
            work_item=items[item],
            title=title,
            target_text=target,
            target_value=value,
            target_unit=unit,
            indicator_code=indicator,
            lead_department=departments[lead],
            responsible_person=rng.choice(PEOPLE),
            start_on=start,
            deadline=deadline,
            done_standard=f"{target}，以统计或验收材料为准",
            cadence="weekly" if index % 4 == 0 else "monthly",
            is_synthetic=True,
        )
        task.co_departments.set([departments[c] for c in co])
        span = (deadline - start).days
        main_due = start + dt.timedelta(days=span * 3 // 4)
        Milestone.objects.bulk_create(
            [
                Milestone(
                    task=task,
                    name="完成方案制定",
                    due_on=start + dt.timedelta(days=span // 4),
                    done_on=start + dt.timedelta(days=span // 4) if index % 5 else None,
                ),
                Milestone(
                    task=task,
                    name="完成主体工作",
                    due_on=main_due,
                    done_on=main_due if main_due < today and index % 3 != 1 else None,
                ),
            ]
        )
        # Reports on the cadence; some tasks stop reporting, some fall behind.
        step = 7 if task.cadence == "weekly" else 30
        behind = index % 3 == 1
        stops = index % 6 == 2
        on = start + dt.timedelta(days=step)
        last_day = today - dt.timedelta(days=50 if stops else rng.randrange(0, 5))
        while on <= last_day:
            elapsed = (on - start).days * 100 // max(span, 1)
            lag = (45 if index % 6 == 1 else 25) if behind else rng.randrange(-5, 10)
            progress = max(0, min(100, elapsed - lag))
            escalate = behind and on + dt.timedelta(days=step) > last_day
            ProgressReport.objects.create(
                task=task,
                reported_on=on,
                progress_pct=progress,
                summary=f"按计划推进，完成阶段性工作（{on:%m月%d日}）",
                problems="用地指标和配套资金尚未落实，需市级协调" if escalate else "",
                escalate=escalate,
            )
            on += dt.timedelta(days=step)
        if deadline < today and index % 2 == 1:
            # Finished on time: closed against its standard, every milestone done.
            task.milestones.filter(done_on__isnull=True).update(done_on=deadline)
            task.status = TaskStatus.DONE
            task.closed_on = deadline
            task.closing_evidence = "已达到完成标准，验收材料已归档（演示）"
            task.save(update_fields=["status", "closed_on", "closing_evidence"])
            TaskEvent.objects.create(
                task=task,
                from_status=TaskStatus.OPEN,
                to_status=TaskStatus.DONE,
                note=task.closing_evidence,
            )
    return len(TASKS)


class _System:
    """The demo loader acting as a leader (audit events record no actor)."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    role = "leader"


@transaction.atomic
def load_meetings(today: dt.date | None = None) -> None:
    """The series, one past meeting per series with decisions (the city one's turned into
    tasks), and the next city meeting with its agenda drafted from the data."""
    from .services import draft_agenda

    today = today or timezone.localdate()
    departments = {d.code: d for d in Department.objects.all()}
    series = {}
    for name, kind, chain, organiser, chair in SERIES:
        series[kind], _ = MeetingSeries.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "chain_code": chain,
                "organiser": departments.get(organiser),
                "chair": chair,
            },
        )
    if Meeting.objects.filter(is_synthetic=True).exists():
        return
    city = series[SeriesKind.MONTHLY_CITY]
    past_on = today - dt.timedelta(days=28)
    past = Meeting.objects.create(
        series=city,
        title=f"{city.name}（{past_on.year}年{past_on.month}月）",
        scheduled_on=past_on,
        is_synthetic=True,
    )
    # Its agenda as it was drafted then, then the meeting as held.
    draft_agenda(actor=_System(), meeting=past, today=past_on)
    past.status = MeetingStatus.HELD
    past.held_at = timezone.now() - dt.timedelta(days=28)
    past.minutes = "会议听取了“10+2”重点工作推进情况汇报，研究了滞后任务和停滞项目。"
    past.save(update_fields=["status", "held_at", "minutes"])
    items = {w.code: w for w in WorkItem.objects.all()}
    decisions = [
        (
            "责成市商务局牵头，两周内拿出停滞签约项目的攻坚方案",
            "opening",
            "swj",
            40,
            "形成攻坚方案并逐项明确责任人",
            True,
        ),
        (
            "市自然资源和规划局会同相关县（市、区）解决重大项目用地指标",
            "bridgeheads",
            "zrzy",
            -3,
            "用地指标落实到项目并完成供地",
            True,
        ),
        (
            "市经信局牵头梳理新材料链主企业本地配套清单",
            "five_chains",
            "jxj",
            60,
            "配套清单印发并对接到位",
            False,
        ),
    ]
    for text, item, lead, days, standard, as_task in decisions:
        decision = Decision.objects.create(meeting=past, text=text)
        if as_task:
            task = Task.objects.create(
                work_item=items[item],
                title=text[:200],
                target_text=standard,
                lead_department=departments[lead],
                responsible_person=PEOPLE[len(text) % len(PEOPLE)],
                start_on=past_on,
                deadline=today + dt.timedelta(days=days),
                done_standard=standard,
                cadence="weekly",
                source_meeting=past,
                is_synthetic=True,
            )
            decision.task = task
            decision.save(update_fields=["task"])
    chain = series[SeriesKind.WEEKLY_CHAIN]
    chain_on = today - dt.timedelta(days=6)
    Meeting.objects.create(
        series=chain,
        title=f"{chain.name}（{chain_on.month}月{chain_on.day}日）",
        scheduled_on=chain_on,
        status=MeetingStatus.HELD,
        held_at=timezone.now() - dt.timedelta(days=6),
        minutes="研究新材料产业链补链项目推进。",
        is_synthetic=True,
    )
    next_on = today + dt.timedelta(days=2)
    upcoming = Meeting.objects.create(
        series=city,
        title=f"{city.name}（{next_on.year}年{next_on.month}月）",
        scheduled_on=next_on,
        is_synthetic=True,
    )

    draft_agenda(actor=_System(), meeting=upcoming, today=today)


def load(stdout=None) -> None:
    load_work_items()
    created = load_tasks()
    load_meetings()
    if stdout:
        stdout.write(
            f"keywork: 重点工作 {len(WORK_ITEMS)} 项（名称摘自公开报道）；合成任务 "
            f"{Task.objects.filter(is_synthetic=True).count()} 项（本次新增 {created}）；"
            f"会议 {Meeting.objects.count()} 次"
        )
