"""Indicator reads (summaries, target progress) and writes (observations, targets).

Other apps call the small public functions — `latest_value`, `target_progress`,
`progress_towards`, `rank` — and never the models directly. Values and their changes live in
`points`, rankings in `ranking`; their names are re-exported here for other apps.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.db import transaction

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.models import CITY_CODE

from . import calc
from .choices import Direction, RankBasis, TargetKind
from .models import Indicator, Target
from .periods import YEAR, Period
from .points import (
    RECENT_YEARS,
    DataSet,
    Point,
    by_key,
    change_for,
    display_with_unit,
    format_number,
    get_indicator,
    points,
    series,
)
from .ranking import RankRow, RankTable, change_label, peer_names, rank_table

__all__ = [
    "DataSet",
    "LatestValue",
    "Point",
    "RECENT_YEARS",
    "RankRow",
    "RankTable",
    "change_for",
    "display_with_unit",
    "format_number",
    "get_indicator",
    "latest_point",
    "latest_value",
    "overview",
    "points",
    "progress_for",
    "progress_towards",
    "rank",
    "rank_table",
    "series",
    "set_target",
    "summary",
    "target_progress",
]


class LatestValue(TypedDict):
    """`Point.as_dict()` of an indicator's newest value, with the indicator's unit, kind and
    direction of good."""

    region: str
    period: str
    cumulative: bool
    value: Decimal
    qualifier: str
    source: str
    is_synthetic: bool
    is_preliminary: bool
    is_revised: bool
    computed: bool
    yoy_pct: Decimal | None
    published_rank: int | None
    published_rank_basis: str
    note: str
    period_label: str
    display: str
    unit: str
    kind: str
    direction: str


# ---- summaries ---------------------------------------------------------------------------


def latest_point(
    indicator: Indicator, region: str = CITY_CODE, annual: bool = False, data=None
) -> Point | None:
    pts = points(indicator, regions=[region], data=data)
    if annual:
        pts = [p for p in pts if Period.parse(p.period).kind == YEAR]
    return max(pts, key=lambda p: p.sort_key) if pts else None


def target_for(
    indicator: Indicator, period: str, region: str = CITY_CODE, targets=None
) -> Target | None:
    """The target that applies to a period: that period's own, else the year's; annual first."""
    year = str(Period.parse(period).year)
    if targets is None:
        targets = Target.objects.filter(
            indicator=indicator, region_id=region, period__in=[period, year]
        )
    found = [
        t
        for t in targets
        if t.indicator_id == indicator.pk and t.region_id == region and t.period in (period, year)
    ]
    found.sort(key=lambda t: (t.period != period, t.kind != TargetKind.ANNUAL))
    return found[0] if found else None


def _base_point(indicator: Indicator, target: Target, period: Period, history) -> Point | None:
    """What a lower-is-better target is measured from: its base period, else last year."""
    base = target.base_period or str(period.year - 1)
    return history.get((base, False))


def progress_for(
    indicator: Indicator, period: str, region: str = CITY_CODE, data=None, targets=None
) -> dict | None:
    """Target progress for one period: completion %, time elapsed %, needed growth.

    Completion follows the direction of good (calc.progress_pct): a target to bring a 倍差
    down counts the way covered from the base value towards it.
    """
    target = target_for(indicator, period, region, targets)
    if target is None:
        return None
    p = Period.parse(period)
    history = by_key(points(indicator, regions=[region], data=data))
    current = history.get((p.id, p.kind != YEAR)) or history.get((p.id, False))
    base = _base_point(indicator, target, p, history)
    result = {
        "target": target,
        "target_value": target.value,
        "target_kind": target.get_kind_display(),
        "target_period": target.period,
        "direction": indicator.direction,
        "point": current,
        "base": base,
        "progress_pct": None,
        "time_pct": Decimal(p.months_elapsed() * 100) / 12,
        "needed_growth_pct": None,
        "gap": None,
        "synthetic": target.is_synthetic,
    }
    if current is None:
        return result
    result["progress_pct"] = calc.progress_pct(
        current.value, target.value, indicator.direction, base.value if base else None
    )
    result["gap"] = target.value - current.value
    result["synthetic"] = target.is_synthetic or current.is_synthetic
    if indicator.direction == Direction.LOWER and base is not None:
        result["synthetic"] = result["synthetic"] or base.is_synthetic
    if current.cumulative and p.kind != YEAR:
        last = p.same_period_last_year()
        last_total = history.get((str(last.year), False))
        last_done = history.get((last.id, True))
        result["needed_growth_pct"] = calc.needed_growth_pct(
            target.value,
            current.value,
            last_total.value if last_total else None,
            last_done.value if last_done else None,
        )
    return result


def span_between(indicator: Indicator, first: Point, last: Point) -> dict[str, Any]:
    """The change between two annual values in the unit of the indicator's kind, and the CAGR
    where the kind grows in % (amounts, counts). A share gets percentage points, no CAGR."""
    years = Period.parse(last.period).year - Period.parse(first.period).year
    synthetic = first.is_synthetic or last.is_synthetic
    change = calc.Change(
        calc.change(indicator.kind, last.value, first.value),
        calc.change_unit(indicator.kind),
        indicator.direction,
        synthetic=synthetic,
    )
    growth = indicator.kind in calc.GROWTH_KINDS
    return {
        "from": first,
        "to": last,
        "years": years,
        "change": change,
        "cagr_pct": calc.cagr_pct(first.value, last.value, years) if growth else None,
        "approximate": any(p.qualifier or p.is_preliminary for p in (first, last)),
        "synthetic": synthetic,
    }


def _in_years(pts: list[Point], start: str | None, end: str | None) -> list[Point]:
    lo = Period.parse(start).year if start else None
    hi = Period.parse(end).year if end else None
    return [
        p
        for p in pts
        if (lo is None or Period.parse(p.period).year >= lo)
        and (hi is None or Period.parse(p.period).year <= hi)
    ]


def _ranks(indicator, annual, region, names, data) -> dict[str, Any]:
    """The region's level and change ranks for the newest year the peers report too."""
    for candidate in reversed(annual[-2:]):
        level = rank_table(indicator, candidate.period, RankBasis.LEVEL, names=names, data=data)
        if level.ranked < 2:
            continue
        growth = rank_table(indicator, candidate.period, RankBasis.GROWTH, names=names, data=data)
        row = growth.row_for(region)
        return {
            "rank_period": candidate.period,
            "rank_level": level.row_for(region),
            "rank_growth": row if row and row.rank else None,
        }
    return {}


def summary(
    indicator: Indicator,
    region: str = CITY_CODE,
    start: str | None = None,
    end: str | None = None,
    data: DataSet | None = None,
    targets=None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the detail page and /summary/ show: latest, change, span, progress, rank.

    The change on last year and over the span are in the unit of the indicator's kind; the
    CAGR only for amounts and counts. The span runs between the first and last real annual
    values in the range (synthetic ones only when fewer than two real ones exist). The rank is
    for the newest year the peers report too.
    """
    all_points = points(indicator, regions=[region], data=data)
    history = by_key(all_points)
    annual = _in_years([p for p in all_points if Period.parse(p.period).kind == YEAR], start, end)
    in_range = _in_years(all_points, start, end)
    latest = max(in_range, key=lambda p: p.sort_key) if in_range else None
    change = change_for(indicator, latest, history)
    result: dict[str, Any] = {
        "indicator": indicator,
        "region": region,
        "latest": latest,
        "display": display_with_unit(indicator, latest),
        "latest_annual": annual[-1] if annual else None,
        "change": change,
        "change_label": change_label(indicator),
        "yoy_pct": change.pct if change else None,
        "span": None,
        "cagr": None,
        "progress": None,
        "rank_level": None,
        "rank_growth": None,
        "rank_period": None,
    }
    real = [p for p in annual if not p.is_synthetic]
    span = real if len(real) >= 2 else annual
    if len(span) >= 2:
        result["span"] = span_between(indicator, span[0], span[-1])
        if result["span"]["cagr_pct"] is not None:
            result["cagr"] = result["span"]
    if latest:
        result["progress"] = progress_for(indicator, latest.period, region, data, targets)
    names = names if names is not None else peer_names()
    if annual and region in names:
        result.update(_ranks(indicator, annual, region, names, data))
    return result


def overview(indicators: Iterable[Indicator], region: str = CITY_CODE) -> list[dict[str, Any]]:
    """Summaries of many indicators with a fixed number of queries (list page, cockpit)."""
    names = peer_names()
    indicators = list(indicators)
    targets = list(Target.objects.filter(region_id=region, indicator__in=indicators))
    data = DataSet(
        regions={region, *names},
        indicators=indicators,
        years=RECENT_YEARS,
        first_annual=True,
        extra_periods={t.base_period for t in targets if t.base_period},
    )
    return [
        summary(indicator, region, data=data, targets=targets, names=names)
        for indicator in indicators
    ]


# ---- public functions for other apps -----------------------------------------------------


def latest_value(code: str, region: str = CITY_CODE) -> LatestValue | None:
    """The newest value of an indicator for a region, or None (unknown code or no data)."""
    try:
        indicator = get_indicator(code)
    except Indicator.DoesNotExist:
        return None
    point = latest_point(indicator, region)
    if point is None:
        return None
    return LatestValue(
        **point.as_dict(), unit=indicator.unit, kind=indicator.kind, direction=indicator.direction
    )


def target_progress(code: str, period: str, region: str = CITY_CODE) -> dict | None:
    """Completion of the target for that period: value, target, progress %, needed growth."""
    try:
        indicator = get_indicator(code)
    except Indicator.DoesNotExist:
        return None
    result = progress_for(indicator, period, region)
    if result is None:
        return None
    point = result.pop("point")
    base = result.pop("base")
    result.pop("target")
    result["value"] = point.value if point else None
    result["base_value"] = base.value if base else None
    return result


def progress_towards(
    code: str, target, since_year: int | None = None, region: str = CITY_CODE
) -> dict | None:
    """How far an indicator has come towards a target set elsewhere (a 四定 task's target).

    {"pct", "value", "period", "base_value", "direction", "synthetic"}; the base is the last
    annual value before `since_year` (what a lower-is-better target is measured from); for a
    lower-is-better indicator with no value since then, "pct" is None. None for an unknown code
    or no data.
    """
    try:
        indicator = get_indicator(code)
    except Indicator.DoesNotExist:
        return None
    series = points(indicator, regions=[region])  # read once: latest and base both from it
    latest = max(series, key=lambda p: p.sort_key) if series else None
    if latest is None or target is None:
        return None
    base = None
    if since_year is not None:
        earlier = [
            p
            for p in series
            if Period.parse(p.period).kind == YEAR and Period.parse(p.period).year < since_year
        ]
        base = max(earlier, key=lambda p: p.sort_key) if earlier else None
    pct = calc.progress_pct(latest.value, target, indicator.direction, base.value if base else None)
    if indicator.direction == Direction.LOWER and (
        base is None or latest.sort_key <= base.sort_key
    ):
        # Nothing measured since the work began: a fall cannot be judged yet.
        pct = None
    return {
        "pct": pct,
        "value": latest.value,
        "period": latest.period_label,
        "base_value": base.value if base else None,
        "direction": indicator.direction,
        "synthetic": latest.is_synthetic or bool(base and base.is_synthetic),
    }


def rank(
    code: str, period: str, region: str = CITY_CODE, basis: str = RankBasis.LEVEL
) -> dict | None:
    """The region's rank among the province's cities: rank, of, grade, arrow, 示意 mark."""
    try:
        indicator = get_indicator(code)
    except Indicator.DoesNotExist:
        return None
    table = rank_table(indicator, period, basis)
    row = table.row_for(region)
    if row is None or row.rank is None:
        return None
    return row.as_dict() | {"of": table.ranked}


# ---- writes ------------------------------------------------------------------------------


@transaction.atomic
def set_target(
    *,
    actor,
    indicator: Indicator,
    period: str,
    value: Decimal,
    region: str = CITY_CODE,
    kind: str = TargetKind.ANNUAL,
    **extra,
) -> Target:
    """Create or change the target for an indicator, region, period and kind; audited."""
    Period.parse(period)
    target, created = Target.objects.select_for_update().get_or_create(
        indicator=indicator,
        region_id=region,
        period=period,
        kind=kind,
        defaults={"value": value, **extra},
    )
    if created:
        audit.record(
            actor=actor, action=AuditAction.CREATE, instance=target, after=audit.snapshot(target)
        )
        return target
    before = audit.snapshot(target)
    target.value = value
    for key, val in extra.items():
        setattr(target, key, val)
    target.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=target,
        before=before,
        after=audit.snapshot(target),
    )
    return target
