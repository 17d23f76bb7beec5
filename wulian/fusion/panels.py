"""What fusion adds to a link's side panel on the chain map (see chains.views.link_sections)."""

from __future__ import annotations

from django.db.models import Sum

from wulian.investment import stats as investment_stats
from wulian.service import stats as service_stats

from .models import FinancingEvent, Platform, TalentDemand, TalentSupply


def link_sections(*, link, user) -> list[dict]:
    """Platforms, talent demand/supply, funds and financing, requests and projects."""
    sections = []
    platforms = list(Platform.objects.filter(links=link).order_by("level", "name")[:8])
    sections.append(
        {
            "title": "创新链：服务本环节的创新平台",
            "columns": ["平台", "类型", "级别"],
            "rows": [
                [
                    p.name + ("（合成）" if p.is_synthetic else ""),
                    p.get_kind_display(),
                    p.get_level_display() or "未标注",
                ]
                for p in platforms
            ],
            "note": "" if platforms else "暂无服务本环节的创新平台。",
        }
    )
    demand = TalentDemand.objects.filter(link=link).aggregate(n=Sum("count"))["n"] or 0
    supply = TalentSupply.objects.filter(link=link).aggregate(n=Sum("count"))["n"] or 0
    by_level = {
        row["level"]: row["n"]
        for row in TalentDemand.objects.filter(link=link)
        .values("level")
        .annotate(n=Sum("count"))
        .order_by()
    }
    labels = dict(TalentDemand._meta.get_field("level").choices)
    sections.append(
        {
            "title": "人才链：需求与供给（合成）",
            "columns": ["需求（人）", "供给（人）", "缺口（人）"],
            "rows": [[demand, supply, max(0, demand - supply)]],
            "note": "需求层次："
            + ("、".join(f"{labels[k]} {v} 人" for k, v in sorted(by_level.items())) or "无"),
        }
    )
    funds = list(link.funds.order_by("-size_wan")[:5])
    financing = FinancingEvent.objects.filter(link=link).aggregate(n=Sum("amount_wan"))["n"] or 0
    sections.append(
        {
            "title": "资金链：基金与融资（合成）",
            "columns": ["投资本环节的基金", "规模（亿元）"],
            "rows": [[f.name, f"{float(f.size_wan) / 10000:.0f}"] for f in funds],
            "note": f"本环节企业融资合计 {float(financing) / 10000:.2f} 亿元；"
            f"上市企业 {getattr(getattr(link, 'stat', None), 'listed', 0)} 家。",
        }
    )
    row = service_stats.link_service_summary().get(link.pk)
    sections.append(
        {
            "title": "服务链：企业诉求（企呼我应）",
            "columns": ["受理", "办结", "按期办结", "满意度"],
            "rows": [
                [
                    row["total"] if row else 0,
                    row["closed"] if row else 0,
                    row["on_time"] if row else 0,
                    "—" if not row or row["satisfaction"] is None else f"{row['satisfaction']:.2f}",
                ]
            ],
            "note": "" if row else "本环节暂无企业诉求。",
        }
    )
    project = investment_stats.link_project_summary().get(link.pk)
    sections.append(
        {
            "title": "招商项目",
            "columns": ["项目数", "计划投资（亿元）"],
            "rows": [
                [
                    project["projects"] if project else 0,
                    f"{(project['planned_wan'] if project else 0) / 10000:.1f}",
                ]
            ],
            "note": "",
        }
    )
    return sections
