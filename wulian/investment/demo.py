"""The investment demo: synthetic projects.

The report's real totals (百亿级制造业项目15个, 累计完成制造业投资超1500亿元) are quoted from
wulian.core.seed, not stored here. Synthetic (is_synthetic=True, deterministic): projects
across every stage, some ≥100亿, some stalled, some lost with a reason, with their stage
events, documents on file and monthly completed investment; those in production are handed
over to the enterprise registry on the links they fill.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wulian.chains.models import Link, TargetCompany
from wulian.core.models import Department
from wulian.core.validators import USCC_CHARSET, uscc_check_char

from .choices import PIPELINE, DocumentKind, ProjectStage
from .models import (
    MonthlyInvestment,
    Project,
    ProjectDocument,
    ProjectEvent,
)
from .services import hand_over_to_registry

SEED = 20260601
COUNTIES = ["330802", "330803", "330822", "330824", "330825", "330881"]
DEPARTMENTS = ["swj", "jxj", "fgw", "kjj"]
LEADERS = ["张副市长（演示）", "李副市长（演示）", "王副市长（演示）", "陈常务副市长（演示）"]
INVESTORS = [
    "江南氟材科技集团",
    "东海锂能股份",
    "申城半导体装备",
    "瓯越精工机械",
    "钱塘生物医药",
    "闽江特种纸业",
    "长江储能科技",
    "皖南光电材料",
    "粤海智能装备",
    "京华芯片设计",
    "苏锡新能源汽车零部件",
    "鲁中化工新材料",
]
LOST_REASONS = [
    "投资方战略调整，项目暂缓",
    "选址落户邻市，用地条件未谈拢",
    "能耗指标不足",
    "投资方融资未落实",
]
# Stage weights for the synthetic pipeline (lost handled separately).
STAGE_WEIGHTS = [5, 5, 4, 3, 4, 3, 4]
PDF_BYTES = b"%PDF-1.4\n% synthetic demo document\n%%EOF\n"
DOC_FOR_STAGE = {
    ProjectStage.SIGNED: DocumentKind.AGREEMENT,
    ProjectStage.LAND: DocumentKind.LAND,
    ProjectStage.STARTED: DocumentKind.PERMIT,
}
COUNT = 48


def _uscc(rng: random.Random, region: str) -> str:
    first17 = "91" + region + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    return first17 + uscc_check_char(first17)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@transaction.atomic
def load_projects(today: dt.date | None = None) -> int:
    """Generate the synthetic projects once (a second run finds them and does nothing)."""
    if Project.objects.filter(is_synthetic=True).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    links = list(Link.objects.select_related("chain").order_by("chain__sort", "sort", "id"))
    targets = list(TargetCompany.objects.order_by("id")[:40])
    departments = {d.code: d for d in Department.objects.filter(code__in=DEPARTMENTS)}
    created = 0
    for index in range(COUNT):
        chosen = rng.sample(links, k=min(len(links), rng.choice([1, 1, 2]))) if links else []
        target = targets[index % len(targets)] if targets and index % 3 == 0 else None
        if target is not None:
            # A target company's project fills the links the chains module found it fits.
            chosen = list(target.links.order_by("id")[:2]) or chosen
        investor_name = "" if target else INVESTORS[index % len(INVESTORS)]
        link_name = chosen[0].name if chosen else "产业"
        investor_label = target.name if target else investor_name
        major = index % 8 == 0
        # 百亿级: 100–260亿元; others 5–95亿元 (amounts in 万元).
        planned = (
            Decimal(rng.randrange(100, 260)) * 10000
            if major
            else Decimal(rng.randrange(5, 95)) * 10000
        )
        lost = index % 11 == 5
        target_stage_index = rng.choices(range(len(PIPELINE)), weights=STAGE_WEIGHTS)[0]
        if lost:
            target_stage_index = min(target_stage_index, 3)
        region = rng.choice(COUNTIES)
        project = Project(
            name=f"{investor_label}{link_name}项目",
            investor=target,
            investor_name=investor_name,
            company_name=f"衢州{investor_label[:4]}{link_name[:6]}有限公司",
            uscc=_uscc(rng, region),
            region_id=region,
            planned_wan=planned,
            lead_department=departments.get(rng.choice(DEPARTMENTS)),
            responsible_leader=rng.choice(LEADERS),
            stage=ProjectStage.LEAD,
            stage_entered_on=today,
            is_synthetic=True,
        )
        project.save()
        project.links.set(chosen)
        # Walk the stages with 20–200 days between them, never past today.
        on = today - dt.timedelta(days=rng.randrange(120, 1100))
        events = [ProjectEvent(project=project, from_stage="", to_stage=PIPELINE[0], on=on)]
        stage = PIPELINE[0]
        for nxt in PIPELINE[1 : target_stage_index + 1]:
            step = on + dt.timedelta(days=rng.randrange(20, 200))
            if step > today:
                break
            on = step
            events.append(ProjectEvent(project=project, from_stage=stage, to_stage=nxt, on=on))
            stage = nxt
        # Two in three live projects moved recently, so not everything old is stalled.
        if not lost and index % 3 != 0 and stage != PIPELINE[-1]:
            events[-1].on = max(events[-1].on, today - dt.timedelta(days=rng.randrange(5, 60)))
            on = events[-1].on
        for kind_stage, kind in DOC_FOR_STAGE.items():
            if PIPELINE.index(kind_stage) <= PIPELINE.index(stage):
                document = ProjectDocument(
                    project=project,
                    kind=kind,
                    original_name=f"{ProjectStage(kind_stage).label}材料（演示）.pdf",
                    content_type="application/pdf",
                    size=len(PDF_BYTES),
                )
                document.file.save("demo.pdf", ContentFile(PDF_BYTES), save=False)
                document.save()
        if PIPELINE.index(stage) >= PIPELINE.index(ProjectStage.STARTED):
            started_on = next(e.on for e in events if e.to_stage == ProjectStage.STARTED)
            months = _months(started_on, today)
            share = Decimal(rng.randrange(30, 95)) / 100
            per_month = (planned * share / max(len(months), 1)).quantize(Decimal("0.01"))
            MonthlyInvestment.objects.bulk_create(
                MonthlyInvestment(project=project, month=m, amount_wan=per_month) for m in months
            )
        if lost:
            lost_on = min(today, on + dt.timedelta(days=rng.randrange(10, 90)))
            events.append(
                ProjectEvent(
                    project=project,
                    from_stage=stage,
                    to_stage=ProjectStage.LOST,
                    on=lost_on,
                    note=rng.choice(LOST_REASONS),
                )
            )
            stage, on = ProjectStage.LOST, lost_on
            project.lost_reason = events[-1].note
        ProjectEvent.objects.bulk_create(events)
        project.stage = stage
        project.stage_entered_on = on
        if stage == ProjectStage.PRODUCING:
            project.enterprise = hand_over_to_registry(actor=None, project=project)
        project.save()
        created += 1
    return created


def load(stdout=None) -> None:
    created = load_projects()
    if stdout:
        total = Project.objects.filter(is_synthetic=True).count()
        stdout.write(f"investment: 合成项目 {total} 个（本次新增 {created}）")
