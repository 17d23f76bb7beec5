"""What the cockpit shows, computed from rollups and the other modules' agreed functions.

`cockpit_data()` is the one read path for the page and /api/v1/cockpit/. The indicator and
rollup parts are cached until one of their tables is written (`core.cache.derived`, the one
freshness rule), so a page view after any change recomputes them and every other view costs a
handful of small queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any, TypedDict

from django.urls import reverse
from django.utils import timezone

from wulian.chains.services import chain_summaries
from wulian.core.cache import derived, forget_derived
from wulian.core.models import CITY_CODE, Region
from wulian.core.periodtext import year_to_month_text
from wulian.enterprises import months
from wulian.fusion.services import ChainScorecard, chain_scorecards
from wulian.indicators import services as indicators
from wulian.indicators.models import Indicator, Observation, Target
from wulian.indicators.periods import Period
from wulian.investment import stats as investment_stats
from wulian.policies import stats as policy_stats
from wulian.service import stats as service_stats

CHAIN_NAMES = {
    "xcl": "新材料",
    "xny": "新能源",
    "jcdl": "集成电路",
    "gdzb": "高端装备",
    "smjk": "生命健康",
    "tzz": "特种纸",
}
MAP_INDICATORS = ("gdp", "industrial_output", "urbanization", "tourists", "urban_income")
TREND_INDICATORS = ("gdp", "trade", "exports", "industrial_output")
TREND_MONTHS = 24
TREND_YEARS = 10


# What the cached tiles, trends, months and map are computed from.
INDICATOR_TABLES = (Indicator, Observation, Target, Region, months.MonthRollup)


def _f(value) -> float | None:
    return None if value is None else float(value)


def _change(change) -> dict | None:
    if change is None:
        return None
    return change.as_dict() | {"value": _f(change.value)}


def _span(span) -> dict | None:
    """The change over the span in the unit of the indicator's kind (a share in 个百分点), and
    the CAGR only where the kind grows in % (amounts, counts)."""
    if not span:
        return None
    return {
        "from": span["from"].period_label,
        "from_display": span["from"].display,
        "to": span["to"].period_label,
        "to_display": span["to"].display,
        "change": _change(span["change"]),
        "cagr_pct": _f(span["cagr_pct"]),
        "approximate": span["approximate"],
        "synthetic": span["synthetic"],
    }


def _progress(progress) -> dict | None:
    if not progress or progress["progress_pct"] is None:
        return None
    return {
        "pct": _f(progress["progress_pct"]),
        "target": _f(progress["target_value"]),
        "kind": progress["target_kind"],
        "period": progress["target_period"],
        "time_pct": _f(progress["time_pct"]),
        "needed_growth_pct": _f(progress["needed_growth_pct"]),
        "synthetic": progress["synthetic"],
    }


def _headlines() -> list[dict[str, Any]]:
    """The headline indicators: value, change judged by the direction of good, span, target
    progress and ranks, each carrying its synthetic (示意) mark."""
    rows = indicators.overview(
        Indicator.objects.filter(is_headline=True).select_related("numerator", "denominator")
    )
    out = []
    for r in rows:
        ind, latest, change = r["indicator"], r["latest"], r["change"]
        out.append(
            {
                "code": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "kind": ind.kind,
                "direction": ind.direction,
                "url": reverse("indicators:detail", args=[ind.code]),
                "period": latest.period_label if latest else None,
                "display": latest.display if latest else None,
                "value": _f(latest.value) if latest else None,
                "is_synthetic": bool(latest and latest.is_synthetic),
                "is_preliminary": bool(latest and latest.is_preliminary),
                "source": latest.source if latest else "",
                "change": _change(change),
                "change_label": r["change_label"],
                "yoy_pct": _f(r["yoy_pct"]),
                "span": _span(r["span"]),
                "cagr": _span(r["cagr"]),
                "progress": _progress(r["progress"]),
                "rank": _rank(r["rank_level"], r["rank_period"]),
                "rank_growth": _rank(r["rank_growth"], r["rank_period"]),
            }
        )
    return out


def _rank(row, period) -> dict | None:
    if row is None or not row.rank:
        return None
    return {
        "rank": row.rank,
        "tied": row.tied,
        "grade": row.grade,
        "grade_label": row.grade_label,
        "arrow": row.arrow,
        "period": period,
        "synthetic": row.rank_synthetic,
    }


def _trends() -> dict[str, Any]:
    """The city's annual values of the last TREND_YEARS years up to each one's newest."""
    trend = list(
        Indicator.objects.filter(code__in=TREND_INDICATORS).select_related(
            "numerator", "denominator"
        )
    )
    data = indicators.DataSet(regions=[CITY_CODE], indicators=trend, years=TREND_YEARS)
    out = {}
    for ind in trend:
        pts = [
            p
            for p in indicators.points(ind, regions=[CITY_CODE], data=data)
            if Period.parse(p.period).kind == "year"
        ]
        out[ind.code] = {
            "name": ind.name,
            "unit": ind.unit,
            "periods": [p.period for p in pts],
            "values": [_f(p.value) for p in pts],
            "synthetic": [p.is_synthetic for p in pts],
        }
    return out


def _monthly() -> dict[str, Any]:
    """Output by chain per month for the last TREND_MONTHS months, from the monthly rollup."""
    first_stored, latest = months.month_bounds()
    if latest is None:
        return {"months": [], "series": [], "latest": None, "synthetic": False}
    first = max(_add_months(latest, -(TREND_MONTHS - 1)), first_stored)
    count = (latest.year - first.year) * 12 + latest.month - first.month + 1
    grid: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
    synthetic = False
    for r in months.month_totals(by="chain_code", first=first):
        grid[r["key"]][r["month"]] = r["output_wan"]
        synthetic = synthetic or r["is_synthetic"]
    month_list = [_add_months(first, i) for i in range(count)]
    series = [
        {
            "code": code,
            "name": CHAIN_NAMES.get(code, "其他规上工业"),
            "values": [round(float(grid[code].get(m, 0)) / 10000, 2) for m in month_list],
        }
        for code in [*CHAIN_NAMES, ""]
        if code in grid
    ]
    return {
        "months": [f"{m:%Y-%m}" for m in month_list],
        "series": series,
        "latest": f"{latest:%Y-%m}",
        "synthetic": synthetic,
    }


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _map() -> dict[str, Any]:
    """County values per indicator (latest year) and the rollup's latest month, for the map."""
    counties = dict(Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name"))
    layers: dict[str, Any] = {}
    layer_indicators = list(
        Indicator.objects.filter(code__in=MAP_INDICATORS).select_related("numerator", "denominator")
    )
    data = indicators.DataSet(
        regions=counties, indicators=layer_indicators, years=indicators.RECENT_YEARS
    )
    for ind in layer_indicators:
        values, period, synthetic = [], None, False
        for code, name in counties.items():
            point = indicators.latest_point(ind, code, annual=True, data=data)
            if point:
                values.append({"name": name, "value": _f(point.value), "code": code})
                period = point.period_label
                synthetic = synthetic or point.is_synthetic
        if values:
            layers[ind.code] = {
                "name": ind.name,
                "unit": ind.unit,
                "period": period,
                "synthetic": synthetic,
                "values": values,
                "url": reverse("indicators:detail", args=[ind.code]),
            }
    latest = months.month_bounds()[1]
    if latest:
        year_start = dt.date(latest.year, 1, 1)
        by_county: dict[str, Decimal] = defaultdict(Decimal)
        synthetic = False
        for r in months.month_totals(by="region_id", first=year_start, last=latest):
            by_county[r["key"]] += r["output_wan"]
            synthetic = synthetic or r["is_synthetic"]
        layers["enterprise_output_ytd"] = {
            "name": "规上企业本年累计产值（企业月报汇总）",
            "unit": "亿元",
            "period": year_to_month_text(latest.year, latest.month),
            "synthetic": synthetic,
            "values": [
                {"name": counties[c], "value": round(float(v) / 10000, 2), "code": c}
                for c, v in by_county.items()
                if c in counties
            ],
            "url": reverse("enterprises:list"),
        }
    return layers


def clear_cache() -> None:
    """Drop the cached tiles (the next view recomputes them from the rollups)."""
    forget_derived("cockpit:indicators", INDICATOR_TABLES)


def _compute_indicator_part() -> dict[str, Any]:
    return {"headlines": _headlines(), "trends": _trends(), "monthly": _monthly(), "map": _map()}


def _indicator_part() -> dict[str, Any]:
    return derived("cockpit:indicators", INDICATOR_TABLES, _compute_indicator_part)


class ChainTile(TypedDict):
    """A chain's row on the cockpit: its size and its fusion total (None before scoring)."""

    code: str
    name: str
    links: int
    enterprises: int
    output_yi: float
    score: float | None
    is_synthetic: bool


class ServiceTile(TypedDict):
    """企呼我应 headline: counts, and rates in percent (None with nothing to count)."""

    total: int
    open: int
    overdue: int
    closed_pct: float | None
    on_time_pct: float | None
    satisfaction: float | None
    is_synthetic: bool


class StageTile(TypedDict):
    stage: str
    label: str
    count: int
    planned_yi: float
    completed_yi: float


class PipelineTile(TypedDict):
    """Major projects: stages with counts and 亿元, totals over projects not lost."""

    stages: list[StageTile]
    count: int
    planned_yi: float
    completed_yi: float
    stalled: int
    major: int
    is_synthetic: bool


class PolicyTile(TypedDict):
    """政策兑现 headline: paid (count, 万元), open, overdue and how many reached the leaders."""

    policies: int
    started: int
    paid: int
    paid_wan: float
    open: int
    overdue: int
    leader: int
    on_time_pct: float | None
    mean_workdays: float | None
    is_synthetic: bool


def _yi(wan: float) -> float:
    return wan / 10000


def _pct(share: float | None) -> float | None:
    return None if share is None else share * 100


def chain_tiles(scorecards: list[ChainScorecard]) -> list[ChainTile]:
    totals = {card["code"]: card["total"] for card in scorecards}
    return [
        ChainTile(
            code=row["code"],
            name=row["name"],
            links=row["links"],
            enterprises=row["enterprises"],
            output_yi=_yi(row["output_wan"]),
            score=totals.get(row["code"]),
            is_synthetic=row["is_synthetic"],
        )
        for row in chain_summaries()
    ]


def service_tile() -> ServiceTile:
    overview = service_stats.overview()
    return ServiceTile(
        total=overview["total"],
        open=overview["open"],
        overdue=overview["overdue"],
        closed_pct=_pct(overview["closed_rate"]),
        on_time_pct=_pct(overview["on_time_rate"]),
        satisfaction=overview["satisfaction"],
        is_synthetic=overview["is_synthetic"],
    )


def pipeline_tile() -> PipelineTile:
    overview = investment_stats.pipeline_overview()
    total = overview["total"]
    return PipelineTile(
        stages=[
            StageTile(
                stage=s["stage"],
                label=s["label"],
                count=s["count"],
                planned_yi=_yi(s["planned_wan"]),
                completed_yi=_yi(s["completed_wan"]),
            )
            for s in overview["stages"]
        ],
        count=total["count"],
        planned_yi=_yi(total["planned_wan"]),
        completed_yi=_yi(total["completed_wan"]),
        stalled=overview["stalled"],
        major=overview["major"],
        is_synthetic=overview["is_synthetic"],
    )


def policy_tile() -> PolicyTile:
    return PolicyTile(**policy_stats.overview())


def cockpit_data() -> dict[str, Any]:
    """Every tile of the cockpit as plain data (the page and the API share it)."""
    data = dict(_indicator_part())
    scorecards = chain_scorecards()
    data["chains"] = chain_tiles(scorecards)
    # The chain totals and the scores over them rest on synthetic enterprises when any is.
    data["chains_synthetic"] = any(tile["is_synthetic"] for tile in data["chains"])
    data["scorecards_synthetic"] = any(card["is_synthetic"] for card in scorecards)
    data["scorecards"] = scorecards
    data["service"] = service_tile()
    data["pipeline"] = pipeline_tile()
    data["policy"] = policy_tile()
    data["generated_at"] = timezone.now().isoformat()
    return data
