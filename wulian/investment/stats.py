"""Pipeline statistics other modules read (fusion, keywork, cockpit), with typed results.

Projects number in the hundreds, so these are grouped ORM aggregates, not rollup tables.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from wulian.chains.models import Chain
from wulian.core import seed
from wulian.core.models import Region

from .choices import PIPELINE, ProjectStage
from .models import MonthlyInvestment, Project, ProjectEvent
from .querysets import stalled_days


class LinkProjectSummary(TypedDict):
    """Projects (not lost) filling one chain link and their planned investment."""

    projects: int
    planned_wan: float


class PipelineStage(TypedDict):
    stage: str
    label: str
    count: int
    planned_wan: float
    completed_wan: float


class PipelineTotal(TypedDict):
    count: int
    planned_wan: float
    completed_wan: float


class PipelineOverview(TypedDict):
    """The pipeline by stage (pipeline order, then 已流失), totals over projects not lost, how
    many are stalled (and after how many days a project counts as stalled), how many are
    ≥100亿 and not lost, how many were lost, and the seed's published figures."""

    stages: list[PipelineStage]
    total: PipelineTotal
    stalled: int
    stalled_days: int
    major: int
    lost: int
    figures: list[dict]
    is_synthetic: bool  # any project counted is synthetic (the totals are then synthetic)


class StalledProject(TypedDict):
    id: int
    name: str
    stage: str
    stage_label: str
    since: dt.date
    days: int
    region: str
    planned_wan: float
    lead_department: str
    is_synthetic: bool
    url: str


def _f(value) -> float:
    return float(round(Decimal(value or 0), 2))


def link_project_summary() -> dict[int, LinkProjectSummary]:
    """Per chain Link id with projects not lost (links without any are absent).

    A project filling several links counts fully on each of them.
    """
    through = Project.links.through
    rows = (
        through.objects.exclude(project__stage=ProjectStage.LOST)
        .values("link_id")
        .annotate(projects=Count("project_id"), planned=Sum("project__planned_wan"))
        .order_by()
    )
    return {
        row["link_id"]: {"projects": row["projects"], "planned_wan": _f(row["planned"])}
        for row in rows
    }


def _completed_by_stage(queryset) -> dict[str, Decimal]:
    rows = (
        MonthlyInvestment.objects.filter(project__in=queryset.values("pk"))
        .values("project__stage")
        .annotate(total=Sum("amount_wan"))
        .order_by()
    )
    return {row["project__stage"]: row["total"] or Decimal(0) for row in rows}


def pipeline_overview(queryset=None, today: dt.date | None = None) -> PipelineOverview:
    """Counts and planned/completed investment by stage, number stalled, number ≥100亿."""
    queryset = Project.objects.all() if queryset is None else queryset
    rows = {
        row["stage"]: row
        for row in queryset.values("stage")
        .annotate(count=Count("id"), planned=Sum("planned_wan"))
        .order_by()
    }
    completed = _completed_by_stage(queryset)
    stages: list[PipelineStage] = []
    for stage in [*PIPELINE, ProjectStage.LOST]:
        row = rows.get(stage, {})
        stages.append(
            {
                "stage": str(stage),
                "label": str(ProjectStage(stage).label),
                "count": row.get("count", 0),
                "planned_wan": _f(row.get("planned")),
                "completed_wan": _f(completed.get(stage)),
            }
        )
    live = [s for s in stages if s["stage"] != ProjectStage.LOST]
    flags = queryset.aggregate(
        major=Count("id", filter=Q(is_major=True) & ~Q(stage=ProjectStage.LOST)),
        lost=Count("id", filter=Q(stage=ProjectStage.LOST)),
    )
    return {
        "stages": stages,
        "total": {
            "count": sum(s["count"] for s in live),
            "planned_wan": round(sum(s["planned_wan"] for s in live), 2),
            "completed_wan": round(sum(s["completed_wan"] for s in live), 2),
        },
        "stalled": queryset.stalled(today=today).count(),
        "stalled_days": stalled_days(),
        "major": flags["major"],
        "lost": flags["lost"],
        "figures": published_figures(),
        "is_synthetic": queryset.filter(is_synthetic=True).exists(),
    }


def published_figures() -> list[dict]:
    """The report's real totals (15 百亿级 projects since 2021, 超1500亿 invested), quoted
    from wulian.core.seed — the one place the report's numbers are kept."""
    return [
        {
            "code": f.code,
            "label": f.label,
            "value": _f(f.value),
            "display": f.display,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "since_year": 2021,
            "examples": f.examples,
            "source": seed.TITLE,
            "source_sentence": f.sentence,
        }
        for f in seed.figures("major_projects", "mfg_investment")
    ]


def stalled_projects(
    limit: int = 20, user=None, today: dt.date | None = None, chain_code: str = ""
) -> list[StalledProject]:
    """The longest-stalled projects, oldest first (scoped to `user` and to the projects
    filling a link of `chain_code` when given)."""
    today = today or timezone.localdate()
    queryset = Project.objects.all() if user is None else Project.objects.visible_to(user)
    if chain_code:
        filling = Project.links.through.objects.filter(link__chain__code=chain_code)
        queryset = queryset.filter(pk__in=filling.values("project_id"))
    rows = (
        queryset.stalled(today=today)
        .select_related("region", "lead_department")
        .order_by("stage_entered_on", "id")[:limit]
    )
    return [
        {
            "id": p.pk,
            "name": p.name,
            "stage": p.stage,
            "stage_label": str(p.get_stage_display()),
            "since": p.stage_entered_on,
            "days": (today - p.stage_entered_on).days,
            "region": p.region.name,
            "planned_wan": _f(p.planned_wan),
            "lead_department": p.lead_department.name if p.lead_department_id else "",
            "is_synthetic": p.is_synthetic,
            "url": p.get_absolute_url(),
        }
        for p in rows
    ]


def totals_by_chain(queryset) -> dict:
    """Projects (not lost) and planned/completed investment per chain, and the overlap.

    A project that fills links of several chains counts once in each of them, so the chains'
    rows add up to more than the pipeline holds. Each row says how many of its projects
    (`shared`) also fill another chain; "distinct" counts every project with a chain link
    once, and "overlap" is what the rows count twice or more.
    {"rows": [{"key", "name", "count", "shared", "planned_wan", "completed_wan"}],
     "rows_sum": {...}, "distinct": {...}, "overlap": {...}}
    """
    through = Project.links.through
    ids = queryset.exclude(stage=ProjectStage.LOST).values("pk")
    pairs = set(
        through.objects.filter(project_id__in=ids).values_list("link__chain_id", "project_id")
    )
    planned = dict(queryset.filter(pk__in=ids).values_list("pk", "planned_wan"))
    completed = dict(
        MonthlyInvestment.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(total=Sum("amount_wan"))
        .values_list("project_id", "total")
        .order_by()
    )
    chains_of: dict[int, int] = defaultdict(int)
    for _chain_id, project_id in pairs:
        chains_of[project_id] += 1

    def blank() -> dict:
        return {"count": 0, "shared": 0, "planned_wan": Decimal(0), "completed_wan": Decimal(0)}

    def add(row: dict, project_id: int) -> None:
        row["count"] += 1
        row["shared"] += chains_of[project_id] > 1
        row["planned_wan"] += planned.get(project_id) or 0
        row["completed_wan"] += completed.get(project_id) or 0

    per_chain: dict[int, dict] = defaultdict(blank)
    for chain_id, project_id in pairs:
        add(per_chain[chain_id], project_id)
    distinct = blank()
    for project_id in chains_of:
        add(distinct, project_id)
    rows = [
        {"key": chain.code, "name": chain.name, **per_chain[chain.pk]}
        for chain in Chain.objects.all()
        if chain.pk in per_chain
    ]
    rows_sum = blank()
    for row in rows:
        for key in rows_sum:
            rows_sum[key] += row[key]
    overlap = {
        key: rows_sum[key] - distinct[key] for key in ("count", "planned_wan", "completed_wan")
    }
    return {"rows": rows, "rows_sum": rows_sum, "distinct": distinct, "overlap": overlap}


def totals_by_county(queryset) -> list[dict]:
    live = queryset.exclude(stage=ProjectStage.LOST)
    rows = {
        r["region_id"]: r
        for r in live.values("region_id")
        .annotate(count=Count("id"), planned=Sum("planned_wan"))
        .order_by()
    }
    completed = dict(
        MonthlyInvestment.objects.filter(project__in=live.values("pk"))
        .values("project__region_id")
        .annotate(total=Sum("amount_wan"))
        .values_list("project__region_id", "total")
        .order_by()
    )
    result = []
    for region in Region.objects.filter(pk__in=rows.keys()):
        result.append(
            {
                "key": region.code,
                "name": region.name,
                "count": rows[region.code]["count"],
                "planned_wan": rows[region.code]["planned"] or Decimal(0),
                "completed_wan": completed.get(region.code) or Decimal(0),
            }
        )
    return result


def totals_by_year(queryset) -> list[dict]:
    """Per year: leads opened, projects signed, started, producing; completed investment."""
    ids = queryset.values("pk")
    events = (
        ProjectEvent.objects.filter(project_id__in=ids)
        .annotate(year=ExtractYear("on"))
        .values("year", "to_stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    completed = (
        MonthlyInvestment.objects.filter(project_id__in=ids)
        .annotate(year=ExtractYear("month"))
        .values("year")
        .annotate(total=Sum("amount_wan"))
        .order_by()
    )
    years: dict[int, dict] = defaultdict(
        lambda: {"lead": 0, "signed": 0, "started": 0, "producing": 0, "completed_wan": 0}
    )
    for row in events:
        if row["to_stage"] in ("lead", "signed", "started", "producing"):
            years[row["year"]][row["to_stage"]] += row["n"]
    for row in completed:
        years[row["year"]]["completed_wan"] = row["total"] or Decimal(0)
    return [{"year": year, **years[year]} for year in sorted(years)]
