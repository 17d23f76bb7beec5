"""亩均论英雄: grade industrial enterprises A–D each year by land and resource efficiency.

The method (docs/mujun.md): for each 规上 industrial enterprise with a land area and enough
monthly reports in the year, five indicators are computed from the year's monthly figures:

- 亩均税收 = tax ÷ land (万元/亩)
- 亩均增加值 = value added ÷ land; the monthly report has no value added, so 工业总产值 stands
  in for it (scored against the county's own ratio, a constant value-added rate cancels out)
- 单位能耗增加值 = value added (output) ÷ energy; electricity stands in for energy (万元/万千瓦时)
- 全员劳动生产率 = value added (output) ÷ average employees (万元/人)
- R&D 经费占营业收入比重 = R&D ÷ revenue (%)

Each indicator is divided by its county's benchmark (the county's total over its evaluated
enterprises, e.g. Σtax ÷ Σland), capped at `cap_ratio` times, and weighted; the score is the
weighted sum scaled so that an enterprise at every benchmark scores 100. Grades go by score
share within the county (A the top `a_share`, then B, C, the rest D) or by score cut-offs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction

from .choices import MujunGrade, MujunMethod
from .models import EnterpriseMonth, MujunResult, MujunSettings


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    weight_field: str


INDICATORS = (
    Indicator("tax_per_mu", "亩均税收", "万元/亩", "tax_weight"),
    Indicator(
        "value_added_per_mu", "亩均增加值（以工业总产值计）", "万元/亩", "value_added_weight"
    ),
    Indicator(
        "energy_productivity", "单位能耗增加值（以用电量计）", "万元/万千瓦时", "energy_weight"
    ),
    Indicator(
        "labour_productivity", "全员劳动生产率（以工业总产值计）", "万元/人", "labour_weight"
    ),
    Indicator("rd_ratio", "R&D经费占营业收入比重", "%", "rd_weight"),
)


class Inputs(TypedDict):
    enterprise_id: int
    region_id: str
    land: float
    months: int
    tax: float
    output: float
    revenue: float
    electricity: float
    employees: float
    rd: float
    synthetic: bool


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def indicator_values(row: Inputs) -> dict[str, float | None]:
    """The five indicators for one enterprise-year (None where a denominator is missing)."""
    rd = _ratio(row["rd"], row["revenue"])
    return {
        "tax_per_mu": _ratio(row["tax"], row["land"]),
        "value_added_per_mu": _ratio(row["output"], row["land"]),
        "energy_productivity": _ratio(row["output"], row["electricity"]),
        "labour_productivity": _ratio(row["output"], row["employees"]),
        "rd_ratio": None if rd is None else rd * 100,
    }


def collect_inputs(year: int, min_months: int) -> list[Inputs]:
    """Year totals per evaluated enterprise: 规上 industrial, with land, ≥ min_months reports."""
    sums = (
        EnterpriseMonth.objects.filter(
            month__gte=dt.date(year, 1, 1),
            month__lte=dt.date(year, 12, 1),
            enterprise__is_above_scale=True,
            enterprise__land_area_mu__gt=0,
        )
        .filter(
            Q(enterprise__industry_code__startswith="C")
            | Q(enterprise__industry_code__startswith="B")
            | Q(enterprise__industry_code__startswith="D")
        )
        .values("enterprise_id", "enterprise__region_id", "enterprise__land_area_mu")
        .annotate(
            n=Count("id"),
            n_staff=Count("employees"),
            tax=Sum("tax_wan"),
            output=Sum("output_wan"),
            revenue=Sum("revenue_wan"),
            electricity=Sum("electricity_wkwh"),
            staff=Sum("employees"),
            rd=Sum("rd_wan"),
            synthetic=Count("id", filter=Q(is_synthetic=True)),
        )
        .order_by()
    )
    rows: list[Inputs] = []
    for r in sums.iterator(chunk_size=5000):
        if r["n"] < min_months:
            continue
        rows.append(
            Inputs(
                enterprise_id=r["enterprise_id"],
                region_id=r["enterprise__region_id"],
                land=float(r["enterprise__land_area_mu"]),
                months=r["n"],
                tax=float(r["tax"] or 0),
                output=float(r["output"] or 0),
                revenue=float(r["revenue"] or 0),
                electricity=float(r["electricity"] or 0),
                employees=float(r["staff"] or 0) / r["n_staff"] if r["n_staff"] else 0.0,
                rd=float(r["rd"] or 0),
                synthetic=bool(r["synthetic"]),
            )
        )
    return rows


def county_benchmarks(rows: list[Inputs]) -> dict[str, dict[str, float | None]]:
    """Each county's own value of every indicator, over the enterprises it evaluates."""
    totals: dict[str, dict[str, float]] = {}
    keys = ("land", "tax", "output", "revenue", "electricity", "employees", "rd")
    for row in rows:
        county = totals.setdefault(row["region_id"], dict.fromkeys(keys, 0.0))
        for key in keys:
            county[key] += row[key]
    return {code: indicator_values(t) for code, t in totals.items()}  # type: ignore[arg-type]


def score_row(values, benchmark, settings: MujunSettings) -> tuple[float, dict]:
    """The weighted, capped score (100 = at every benchmark) and the per-indicator detail."""
    cap = float(settings.cap_ratio)
    total_weight = 0.0
    points = 0.0
    detail = {}
    for ind in INDICATORS:
        weight = float(getattr(settings, ind.weight_field))
        value, base = values[ind.key], benchmark.get(ind.key)
        ratio = None if value is None or not base else min(value / base, cap)
        earned = (ratio or 0.0) * weight
        if weight:
            total_weight += weight
            points += earned
        detail[ind.key] = {
            "label": ind.label,
            "unit": ind.unit,
            "value": None if value is None else round(value, 4),
            "benchmark": None if base is None else round(base, 4),
            "ratio": None if ratio is None else round(ratio, 4),
            "weight": weight,
            "points": round(earned, 2),
        }
    score = points / total_weight * 100 if total_weight else 0.0
    return round(score, 2), detail


def grade_scores(scores: list[float], settings: MujunSettings) -> list[str]:
    """Grades for one county's scores (same order), by share of the ranking or by cut-offs."""
    if settings.method == MujunMethod.CUTOFF:
        cuts = [
            (float(settings.a_cut), "A"),
            (float(settings.b_cut), "B"),
            (float(settings.c_cut), "C"),
        ]
        return [next((g for cut, g in cuts if s >= cut), "D") for s in scores]
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    n = len(scores)
    bounds = []
    acc = 0.0
    for share in (settings.a_share, settings.b_share, settings.c_share):
        acc += float(share)
        bounds.append(round(acc * n))
    grades = [""] * n
    for position, index in enumerate(order):
        if position < bounds[0]:
            grades[index] = "A"
        elif position < bounds[1]:
            grades[index] = "B"
        elif position < bounds[2]:
            grades[index] = "C"
        else:
            grades[index] = "D"
    return grades


def evaluate_mujun(*, actor, year: int) -> dict[str, int]:
    """Evaluate every eligible enterprise for `year`, replacing that year's results.

    Atomic and audited (one event for the run). Returns the count per grade.
    """
    settings = MujunSettings.current()
    rows = collect_inputs(year, settings.min_months)
    benchmarks = county_benchmarks(rows)
    by_county: dict[str, list[tuple[Inputs, float, dict]]] = {}
    for row in rows:
        score, detail = score_row(indicator_values(row), benchmarks[row["region_id"]], settings)
        by_county.setdefault(row["region_id"], []).append((row, score, detail))
    results: list[MujunResult] = []
    counts = dict.fromkeys(MujunGrade.values, 0)
    for county_rows in by_county.values():
        county_rows.sort(key=lambda item: (-item[1], item[0]["enterprise_id"]))
        grades = grade_scores([score for _r, score, _d in county_rows], settings)
        for rank, ((row, score, detail), grade) in enumerate(
            zip(county_rows, grades, strict=True), start=1
        ):
            counts[grade] += 1
            results.append(
                MujunResult(
                    enterprise_id=row["enterprise_id"],
                    year=year,
                    region_id=row["region_id"],
                    score=Decimal(f"{score:.2f}"),
                    grade=grade,
                    rank=rank,
                    of=len(county_rows),
                    land_area_mu=Decimal(f"{row['land']:.2f}"),
                    months=row["months"],
                    metrics=detail,
                    is_synthetic=row["synthetic"],
                )
            )
    with transaction.atomic():
        MujunResult.objects.filter(year=year).delete()
        MujunResult.objects.bulk_create(results, batch_size=2000)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=settings,
            after={"year": year, "evaluated": len(results), **counts},
            note=_("亩均论英雄 %(y)d 年度评价") % {"y": year},
        )
    return counts


SETTING_FIELDS = (
    "tax_weight",
    "value_added_weight",
    "energy_weight",
    "labour_weight",
    "rd_weight",
    "cap_ratio",
    "method",
    "a_share",
    "b_share",
    "c_share",
    "a_cut",
    "b_cut",
    "c_cut",
    "min_months",
)


@transaction.atomic
def save_mujun_settings(*, actor, **values) -> MujunSettings:
    """Change the city's weights and thresholds (validated by the caller's form), audited."""
    settings = MujunSettings.objects.select_for_update().get(pk=MujunSettings.current().pk)
    before = audit.snapshot(settings, SETTING_FIELDS)
    for key, value in values.items():
        if key not in SETTING_FIELDS:
            raise ValueError(key)
        setattr(settings, key, value)
    settings.updated_by = actor if getattr(actor, "pk", None) else None
    settings.full_clean()
    settings.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=settings,
        before=before,
        after=audit.snapshot(settings, SETTING_FIELDS),
        note=_("亩均评价设置"),
    )
    return settings


# ---- reads --------------------------------------------------------------------------------


def mujun_grades(year: int) -> dict[int, str]:
    """Enterprise id → grade (A–D) for `year`; for other modules (policies read it)."""
    return dict(MujunResult.objects.filter(year=year).values_list("enterprise_id", "grade"))


def latest_year() -> int | None:
    """The most recent evaluated year, or None."""
    return MujunResult.objects.order_by("-year").values_list("year", flat=True).first()


def explain(result: MujunResult) -> list[str]:
    """Why the enterprise got its score, indicator by indicator, in Chinese."""
    lines = []
    for ind in INDICATORS:
        m = result.metrics.get(ind.key) or {}
        if not m.get("weight"):
            continue
        if m.get("value") is None or m.get("benchmark") in (None, 0):
            lines.append(
                _("%(l)s：无数据，得 0 / %(w)s 分")
                % {"l": m.get("label", ind.label), "w": _n(m["weight"])}
            )
            continue
        lines.append(
            _("%(l)s %(v)s %(u)s，为本县基准 %(b)s 的 %(p)s%%，得 %(pt)s / %(w)s 分")
            % {
                "l": m["label"],
                "v": _n(m["value"]),
                "u": m["unit"],
                "b": _n(m["benchmark"]),
                "p": _n(m["value"] / m["benchmark"] * 100, 0),
                "pt": _n(m["points"]),
                "w": _n(m["weight"]),
            }
        )
    return lines


def _n(value: float, places: int = 2) -> str:
    return f"{value:,.{places}f}".rstrip("0").rstrip(".") if places else f"{value:,.0f}"


def grade_counts(year: int, queryset=None) -> dict[str, dict[str, int]]:
    """Per county: how many enterprises got each grade in `year`."""
    qs = MujunResult.objects.filter(year=year) if queryset is None else queryset
    out: dict[str, dict[str, int]] = {}
    # COUNT(*), not COUNT(id): PostgreSQL answers it from the (year, region, grade) index.
    counted = qs.values_list("region_id", "grade").annotate(n=Count("*")).order_by()
    for region, grade, n in counted:
        out.setdefault(region, dict.fromkeys(MujunGrade.values, 0))[grade] = n
    return out


def result_years() -> list[int]:
    """The evaluated years, newest first: one index lookup per year (a DISTINCT over every
    result would read them all)."""
    years: list[int] = []
    qs = MujunResult.objects.order_by("-year").values_list("year", flat=True)
    while (year := (qs.filter(year__lt=years[-1]) if years else qs).first()) is not None:
        years.append(year)
    return years


class ResultsByCounty(Sequence):
    """`results` (one year's, filtered) in county order, then by rank, for a Paginator.

    The per-county sizes are known already (the grade counts), so a page is read county by
    county on the (year, region, rank) index: nothing counts or sorts the year's results.
    """

    def __init__(self, results, sizes: list[tuple[str, int]]):
        self.results = results
        self.sizes = sizes

    def __len__(self) -> int:
        return sum(n for _region, n in self.sizes)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        rows, offset = [], 0
        for region, n in self.sizes:
            lo, hi = max(start - offset, 0), min(stop - offset, n)
            if lo < hi:
                rows += self.results.filter(region_id=region).order_by("rank", "id")[lo:hi]
            offset += n
        return rows
