"""Synthetic 一企一档 data for the demo: land areas, 24 months of monthly reports, tags, visits.

Deterministic (own seeds, so the registry's own generator is untouched) and marked synthetic.
- Land: 亩均 output between about 250 and 900 万元 a year, so 亩均税收 lands near the
  20–30 万元/亩 that Zhejiang's industrial parks report (illustrative, not Quzhou's figure).
- Months 2023-11 … 2025-10 for every synthetic 规上 industrial enterprise: the annual output
  spread over a seasonal shape, each enterprise on its own trend; revenue, tax, electricity
  (by the industry's intensity), employees and R&D follow from it with noise. About 4% of
  them slide from mid-2025 (output, tax and power down a quarter or more), some shed staff,
  so early warning has something to find.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q

from wulian.core.dbstats import analyze
from wulian.core.models import Department, User

from .choices import TagKind
from .models import Enterprise, EnterpriseMonth, EnterpriseTag, MonthRollup, Visit
from .months import rebuild_month_rollups

SEED = 20251127
LAST_MONTH = dt.date(2025, 10, 1)
MONTHS = 24
MUJUN_YEAR = 2024
SEASON = [0.92, 0.70, 1.00, 1.00, 1.02, 1.05, 0.98, 0.98, 1.03, 1.00, 1.07, 1.25]
DISTRESSED_SHARE = 0.04
# 万千瓦时 of electricity per 万元 of output, by industry division (illustrative).
POWER_INTENSITY = {
    "C26": 0.12,
    "C30": 0.20,
    "C22": 0.15,
    "C33": 0.09,
    "C32": 0.25,
    "C38": 0.03,
    "C39": 0.03,
    "C34": 0.04,
    "C35": 0.04,
    "C36": 0.04,
    "C27": 0.05,
    "C14": 0.05,
    "C17": 0.07,
    "D44": 0.02,
}


def month_list(last: dt.date, count: int) -> list[dt.date]:
    index = last.year * 12 + last.month - 1
    return [dt.date((index - i) // 12, (index - i) % 12 + 1, 1) for i in reversed(range(count))]


def _industrial():
    return (
        Enterprise.objects.filter(is_synthetic=True, is_above_scale=True)
        .filter(
            Q(industry_code__startswith="B")
            | Q(industry_code__startswith="C")
            | Q(industry_code__startswith="D")
        )
        .order_by("uscc")
    )


def load_land(rng: random.Random) -> int:
    """A land area for every synthetic industrial enterprise that has none."""
    todo = list(_industrial().filter(land_area_mu__isnull=True).only("id", "output_wan"))
    for enterprise in todo:
        per_mu = rng.lognormvariate(6.2, 0.45)  # median ≈ 490 万元 output per 亩
        area = max(5.0, float(enterprise.output_wan or 0) / per_mu)
        enterprise.land_area_mu = Decimal(f"{area:.2f}")
    Enterprise.objects.bulk_update(todo, ["land_area_mu"], batch_size=2000)
    return len(todo)


def _d(value: float) -> Decimal:
    return Decimal(f"{max(value, 0):.2f}")


def generate_months(enterprises, months: list[dt.date], rng: random.Random):
    """EnterpriseMonth objects for (id, industry, annual output, annual tax, staff) × months."""
    shape = sum(SEASON) / 12
    slide_from = dt.date(2025, 6, 1)
    for pk, industry, output, tax, staff in enterprises:
        base = float(output or 0) / 12 or rng.uniform(50, 500)
        trend = rng.gauss(0.07, 0.08)
        tax_rate = float(tax or 0) / float(output) if output else rng.uniform(0.02, 0.06)
        revenue_ratio = rng.uniform(0.95, 1.15)
        power = POWER_INTENSITY.get((industry or "")[:3], 0.06) * rng.uniform(0.7, 1.3)
        rd_rate = rng.uniform(0.005, 0.04)
        staff = staff or max(20, int(base * 12 / 150))
        distressed = rng.random() < DISTRESSED_SHARE
        depth = rng.uniform(0.25, 0.5) if distressed else 0.0
        sheds_staff = distressed and rng.random() < 0.5
        for month in months:
            years = (month.year - 2024) + (month.month - 6) / 12
            value = base * (1 + trend) ** years * SEASON[month.month - 1] / shape
            value *= rng.uniform(0.93, 1.07)
            people = staff * rng.uniform(0.98, 1.02)
            slide = distressed and month >= slide_from
            if slide:
                value *= 1 - depth
                if sheds_staff:
                    people *= 0.7
            revenue = value * revenue_ratio * rng.uniform(0.97, 1.03)
            yield EnterpriseMonth(
                enterprise_id=pk,
                month=month,
                output_wan=_d(value),
                revenue_wan=_d(revenue),
                tax_wan=_d(
                    value * tax_rate * rng.uniform(0.8, 1.2) * (1 - depth / 3 if slide else 1)
                ),
                electricity_wkwh=_d(value * power * rng.uniform(0.92, 1.08)),
                employees=int(people),
                rd_wan=_d(revenue * rd_rate * rng.uniform(0.6, 1.4)),
                is_synthetic=True,
            )


def load_months(rng: random.Random) -> int:
    """Replace the synthetic monthly rows and rebuild the rollup; deterministic."""
    EnterpriseMonth.objects.filter(is_synthetic=True).delete()
    rows = list(
        generate_months(
            _industrial().values_list("id", "industry_code", "output_wan", "tax_wan", "employees"),
            month_list(LAST_MONTH, MONTHS),
            rng,
        )
    )
    EnterpriseMonth.objects.bulk_create(rows, batch_size=5000)
    rebuild_month_rollups()
    return len(rows)


# kind, share of industrial enterprises (or count), level, source, years valid
TAG_PLAN = [
    (TagKind.HIGH_TECH, 0.15, "国家级", "浙江省高新技术企业认定（合成）", 3),
    (TagKind.SPECIALIZED, 0.04, "省级", "浙江省专精特新中小企业（合成）", 3),
    (TagKind.LITTLE_GIANT, 0.006, "国家级", "工信部专精特新“小巨人”企业（合成）", 3),
    (TagKind.CHAMPION, 0.002, "省级", "浙江省单项冠军企业（合成）", 3),
    (TagKind.LISTING_RESERVE, 0.012, "市级", "衢州市“凤凰行动”上市后备企业库（合成）", 2),
]


def load_tags(rng: random.Random) -> int:
    """Tags for the synthetic enterprises (only when none are there yet)."""
    if EnterpriseTag.objects.filter(is_synthetic=True).exists():
        return 0
    industrial = list(_industrial().values_list("id", "output_wan", "is_listed"))
    ranked = sorted(industrial, key=lambda r: -(r[1] or 0))
    tags: list[EnterpriseTag] = []
    for kind, share, level, source, years in TAG_PLAN:
        pool = ranked[: max(40, len(ranked) // 3)] if kind != TagKind.HIGH_TECH else industrial
        pool = [r for r in pool if not r[2]] if kind == TagKind.LISTING_RESERVE else pool
        count = max(3, round(len(industrial) * share))
        for pk, _output, _listed in rng.sample(pool, min(count, len(pool))):
            start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
            tags.append(
                EnterpriseTag(
                    enterprise_id=pk,
                    kind=kind,
                    level=level,
                    source=source,
                    valid_from=start,
                    valid_until=start.replace(year=start.year + years) - dt.timedelta(days=1),
                    is_synthetic=True,
                )
            )
    for pk, _output, listed in ranked:
        if listed:
            tags.append(
                EnterpriseTag(
                    enterprise_id=pk,
                    kind=TagKind.LISTED,
                    source="上市公司公告（合成）",
                    is_synthetic=True,
                )
            )
    # 链主: the largest enterprise of each of the six chains' industries.
    from .demo import CHAIN_INDUSTRY_CODES

    for codes in CHAIN_INDUSTRY_CODES.values():
        top = (
            Enterprise.objects.filter(is_synthetic=True, industry_code__in=codes)
            .order_by("-output_wan", "id")
            .values_list("id", flat=True)[:2]
        )
        for pk in top:
            tags.append(
                EnterpriseTag(
                    enterprise_id=pk,
                    kind=TagKind.CHAIN_LEADER,
                    level="市级",
                    source="衢州市产业链链主企业名单（合成）",
                    valid_from=dt.date(2023, 3, 1),
                    is_synthetic=True,
                )
            )
    EnterpriseTag.objects.bulk_create(tags, ignore_conflicts=True)
    return len(tags)


VISIT_NOTES = [
    ("了解企业用工需求", "企业反映一线技工缺口约30人，已对接人社局招聘专场。", "跟进招聘对接结果"),
    ("走访调研扩产计划", "二期项目环评已批复，等待用地指标。", "协调自然资源部门用地指标"),
    ("惠企政策宣讲", "讲解研发费用加计扣除与技改补助政策，企业有申报意向。", "协助准备申报材料"),
    ("用电保障", "企业反映夏季高峰限电影响生产，已与供电公司沟通错峰方案。", ""),
    ("融资需求对接", "企业拟申请技改贷款约2000万元，已推荐产业基金与合作银行。", "跟踪授信进度"),
    ("安全生产检查后回访", "整改事项已完成，企业生产正常。", ""),
]


def load_visits(rng: random.Random) -> int:
    """About 300 dated visits by the demo's government users (only when none exist)."""
    if Visit.objects.filter(is_synthetic=True).exists():
        return 0
    people = list(User.objects.filter(username__in=["chief_xcl", "econ", "county_ly"]))
    department = Department.objects.filter(code="jxj").first()
    targets = list(_industrial().values_list("id", flat=True)[:1200])
    if not targets:
        return 0
    visits = []
    for _ in range(300):
        purpose, notes, follow_up = rng.choice(VISIT_NOTES)
        visitor = rng.choice(people) if people else None
        visits.append(
            Visit(
                enterprise_id=rng.choice(targets),
                visited_on=dt.date(2024, 11, 1) + dt.timedelta(days=rng.randint(0, 360)),
                visitor=visitor,
                visitor_name=str(visitor) if visitor else "经信局工作人员（演示）",
                department=department if visitor and visitor.username == "econ" else None,
                purpose=purpose,
                notes=notes,
                follow_up=follow_up,
                is_synthetic=True,
            )
        )
    Visit.objects.bulk_create(visits)
    return len(visits)


def load(stdout=None) -> None:
    """Everything above, in order (land first: 亩均 reads it), then 亩均 2024 and warnings."""
    from .early_warning import ensure_default_rules, evaluate_warnings
    from .mujun import evaluate_mujun

    land = load_land(random.Random(SEED))
    months = load_months(random.Random(SEED + 1))
    tags = load_tags(random.Random(SEED + 2))
    visits = load_visits(random.Random(SEED + 3))
    analyze(Enterprise, EnterpriseMonth, MonthRollup, EnterpriseTag, Visit)
    grades = evaluate_mujun(actor=None, year=MUJUN_YEAR)
    ensure_default_rules()
    flags = evaluate_warnings()
    if stdout:
        stdout.write(
            f"enterprises: 用地面积 {land} 家，月度数据 {months} 条，标签 {tags} 个，"
            f"走访 {visits} 次；{MUJUN_YEAR} 年亩均评价 "
            + "、".join(f"{g}类 {n}" for g, n in grades.items())
            + f"；预警 {flags['raised']} 条（均为合成）"
        )
