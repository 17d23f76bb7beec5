"""Indicator reads (series, summaries, ranking) and writes (observations, targets).

Other apps call the small public functions at the bottom — `latest_value`,
`target_progress`, `rank` — and never the models directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, TypedDict

from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.models import CITY_CODE, Region

from . import calc
from .choices import QUALIFIER_PREFIX, QUALIFIER_SUFFIX, Grade, RankBasis, TargetKind
from .models import Indicator, Observation, Target
from .periods import YEAR, Period


@dataclass
class Point:
    """One value of an indicator (stored or computed by formula) with its provenance."""

    region: str
    period: str
    cumulative: bool
    value: Decimal
    qualifier: str = ""
    source: str = ""
    is_synthetic: bool = False
    is_preliminary: bool = False
    is_revised: bool = False
    computed: bool = False
    yoy_pct: Decimal | None = None
    published_rank: int | None = None
    published_rank_basis: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[str, bool]:
        return (self.period, self.cumulative)

    @property
    def sort_key(self) -> tuple:
        return (Period.parse(self.period), self.cumulative)

    @property
    def period_label(self) -> str:
        return Period.parse(self.period).label(self.cumulative)

    @property
    def display(self) -> str:
        """The value as the source wrote it: 超1000, 1600多, 不足150."""
        number = format_number(self.value)
        return f"{QUALIFIER_PREFIX.get(self.qualifier, '')}{number}" + QUALIFIER_SUFFIX.get(
            self.qualifier, ""
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["period_label"] = self.period_label
        data["display"] = self.display
        return data


class LatestValue(TypedDict):
    """`Point.as_dict()` of an indicator's newest value, with the indicator's unit."""

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


def format_number(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if places is not None:
        return f"{value:,.{places}f}"
    text = f"{value.normalize():f}"
    if "." in text:
        whole, frac = text.split(".")
        return f"{int(whole):,}.{frac[:2]}" if len(frac) > 2 else f"{int(whole):,}.{frac}"
    return f"{int(text):,}"


def _point(obs: Observation) -> Point:
    return Point(
        region=obs.region_id,
        period=obs.period,
        cumulative=obs.cumulative,
        value=obs.value,
        qualifier=obs.qualifier,
        source=obs.source,
        is_synthetic=obs.is_synthetic,
        is_preliminary=obs.is_preliminary,
        is_revised=obs.is_revised,
        yoy_pct=obs.yoy_pct,
        published_rank=obs.published_rank,
        published_rank_basis=obs.published_rank_basis,
        note=obs.note,
    )


def get_indicator(code: str) -> Indicator:
    return Indicator.objects.select_related("numerator", "denominator", "part_of").get(code=code)


class DataSet:
    """Stored values held in memory (one query), for pages that read many indicators.

    `points()` and the ranking accept one, so the list page and the cockpit compute every
    formula, growth rate and rank without a query per indicator.
    """

    def __init__(self, regions: Iterable[str] | None = None):
        qs = Observation.objects.all()
        if regions is not None:
            qs = qs.filter(region_id__in=list(regions))
        self.by_indicator: dict[int, dict[tuple, Point]] = defaultdict(dict)
        for o in qs.iterator(chunk_size=2000):
            self.by_indicator[o.indicator_id][(o.region_id, o.period, o.cumulative)] = _point(o)

    def stored(self, indicator_id, regions=None, periods=None) -> dict[tuple, Point]:
        data = self.by_indicator.get(indicator_id, {})
        if regions is None and periods is None:
            return data
        regions = set(regions) if regions is not None else None
        periods = set(periods) if periods is not None else None
        return {
            k: v
            for k, v in data.items()
            if (regions is None or k[0] in regions) and (periods is None or k[1] in periods)
        }


def _stored(indicator_id, regions, periods, data: DataSet | None) -> dict[tuple, Point]:
    if data is not None:
        return data.stored(indicator_id, regions, periods)
    qs = Observation.objects.filter(indicator_id=indicator_id)
    if regions is not None:
        qs = qs.filter(region_id__in=list(regions))
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    return {(o.region_id, o.period, o.cumulative): _point(o) for o in qs}


def points(
    indicator: Indicator,
    regions: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
    data: DataSet | None = None,
) -> list[Point]:
    """All values of an indicator for the given regions/periods, formulas computed here.

    A formula indicator's value is numerator ÷ denominator × factor wherever both exist;
    a value stored for the formula indicator itself (a published figure) takes precedence.
    """
    regions = list(regions) if regions is not None else None
    periods = list(periods) if periods is not None else None
    stored = _stored(indicator.pk, regions, periods, data)
    if not indicator.is_formula:
        return sorted(stored.values(), key=lambda p: (p.region, p.sort_key))
    numerators = _stored(indicator.numerator_id, regions, periods, data)
    denominators = _stored(indicator.denominator_id, regions, periods, data)
    result = dict(stored)
    for key, num in numerators.items():
        den = denominators.get(key)
        if key in stored or den is None or den.value == 0:
            continue
        result[key] = Point(
            region=key[0],
            period=key[1],
            cumulative=key[2],
            value=(num.value / den.value * indicator.factor).quantize(Decimal("0.0001")),
            source=_("按公式计算：%(f)s") % {"f": indicator.formula_text()},
            is_synthetic=num.is_synthetic or den.is_synthetic,
            is_preliminary=num.is_preliminary or den.is_preliminary,
            is_revised=num.is_revised or den.is_revised,
            computed=True,
        )
    return sorted(result.values(), key=lambda p: (p.region, p.sort_key))


def series(
    indicator: Indicator,
    region: str = CITY_CODE,
    start: str | None = None,
    end: str | None = None,
    cumulative: bool | None = None,
) -> list[Point]:
    """One region's values in period order, optionally between two period ids (inclusive)."""
    lo = Period.parse(start) if start else None
    hi = Period.parse(end) if end else None
    result = []
    for p in points(indicator, regions=[region]):
        period = Period.parse(p.period)
        if lo and (period.year < lo.year or (period.kind == lo.kind and period < lo)):
            continue
        if hi and (period.year > hi.year or (period.kind == hi.kind and period > hi)):
            continue
        if cumulative is not None and p.cumulative != cumulative:
            continue
        result.append(p)
    return result


def _by_key(pts: Iterable[Point]) -> dict[tuple[str, bool], Point]:
    return {p.key: p for p in pts}


def yoy_pct(point: Point, history: dict[tuple[str, bool], Point]) -> Decimal | None:
    """Year-on-year growth: the published figure if the source gave one, else computed."""
    if point.yoy_pct is not None:
        return point.yoy_pct
    last = history.get((Period.parse(point.period).same_period_last_year().id, point.cumulative))
    return calc.growth_pct(point.value, last.value) if last else None


def cagr_between(indicator: Indicator, region: str, first: str, last: str) -> dict | None:
    """CAGR between two annual values of one region, with the two points it used."""
    pts = _by_key(points(indicator, regions=[region], periods=[first, last]))
    a, b = pts.get((first, False)), pts.get((last, False))
    if not a or not b:
        return None
    years = Period.parse(last).year - Period.parse(first).year
    return {
        "from": a,
        "to": b,
        "years": years,
        "cagr_pct": calc.cagr_pct(a.value, b.value, years),
        "approximate": bool(a.qualifier or b.qualifier or a.is_preliminary or b.is_preliminary),
    }


# ---- ranking -----------------------------------------------------------------------------


@dataclass
class RankRow:
    region: str
    region_name: str
    value: Decimal | None
    growth_pct: Decimal | None
    rank: int | None
    grade: str | None
    previous_rank: int | None
    arrow: str
    is_synthetic: bool
    published_rank: int | None = None

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label) if self.grade else ""


@dataclass
class RankTable:
    indicator: Indicator
    period: str
    cumulative: bool
    basis: str
    rows: list[RankRow] = field(default_factory=list)

    def row_for(self, region: str) -> RankRow | None:
        return next((r for r in self.rows if r.region == region), None)


def _peer_names() -> dict[str, str]:
    return dict(Region.objects.filter(is_peer_city=True).values_list("code", "short_name"))


def _rank_values(
    indicator: Indicator, period: Period, cumulative: bool, basis: str, pts_by_region
) -> tuple[dict[str, Decimal | None], dict[str, Point]]:
    values: dict[str, Decimal | None] = {}
    current: dict[str, Point] = {}
    for region, history in pts_by_region.items():
        point = history.get((period.id, cumulative))
        if point is None:
            continue
        current[region] = point
        if basis == RankBasis.GROWTH:
            values[region] = yoy_pct(point, history)
        else:
            values[region] = point.value
    return values, current


def rank_table(
    indicator: Indicator,
    period: str,
    basis: str = RankBasis.LEVEL,
    cumulative: bool = False,
    names: dict[str, str] | None = None,
    data: DataSet | None = None,
) -> RankTable:
    """The province's cities ranked for one indicator and period, by level or by growth.

    Ties share the better rank; growth is always "higher is better", level follows the
    indicator's direction. The arrow compares with the rank in the previous period.
    """
    names = names if names is not None else _peer_names()
    p = Period.parse(period)
    prev = p.previous()
    wanted = [p.id, prev.id, p.same_period_last_year().id, prev.same_period_last_year().id]
    pts_by_region: dict[str, dict] = defaultdict(dict)
    for point in points(indicator, regions=list(names), periods=set(wanted), data=data):
        pts_by_region[point.region][point.key] = point
    lower = indicator.lower_is_better and basis == RankBasis.LEVEL
    values, current = _rank_values(indicator, p, cumulative, basis, pts_by_region)
    prev_values, _prev = _rank_values(indicator, prev, cumulative, basis, pts_by_region)
    ranks = calc.competition_ranks(values, lower)
    prev_ranks = calc.competition_ranks(prev_values, lower)
    table = RankTable(indicator, p.id, cumulative, basis)
    for region, name in names.items():
        point = current.get(region)
        history = pts_by_region.get(region, {})
        rank = ranks.get(region)
        table.rows.append(
            RankRow(
                region=region,
                region_name=name,
                value=point.value if point else None,
                growth_pct=yoy_pct(point, history) if point else None,
                rank=rank,
                grade=calc.grade_for(rank),
                previous_rank=prev_ranks.get(region),
                arrow=calc.arrow_for(rank, prev_ranks.get(region)),
                is_synthetic=bool(point and point.is_synthetic),
                published_rank=(
                    point.published_rank if point and point.published_rank_basis == basis else None
                ),
            )
        )
    table.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.region))
    return table


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


def progress_for(
    indicator: Indicator, period: str, region: str = CITY_CODE, data=None, targets=None
) -> dict | None:
    """Target progress for one period: completion %, time elapsed %, needed growth."""
    target = target_for(indicator, period, region, targets)
    if target is None:
        return None
    p = Period.parse(period)
    history = _by_key(points(indicator, regions=[region], data=data))
    current = history.get((p.id, p.kind != YEAR)) or history.get((p.id, False))
    result = {
        "target": target,
        "target_value": target.value,
        "target_kind": target.get_kind_display(),
        "target_period": target.period,
        "point": current,
        "progress_pct": None,
        "time_pct": Decimal(p.months_elapsed() * 100) / 12,
        "needed_growth_pct": None,
        "gap": None,
    }
    if current is None:
        return result
    result["progress_pct"] = calc.progress_pct(
        current.value, target.value, indicator.lower_is_better
    )
    result["gap"] = target.value - current.value
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


def summary(
    indicator: Indicator,
    region: str = CITY_CODE,
    start: str | None = None,
    end: str | None = None,
    data: DataSet | None = None,
    targets=None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the detail page and /summary/ show: latest, YoY, CAGR, progress, rank.

    CAGR spans the first and last real annual values in the range (synthetic ones only when
    fewer than two real ones exist). The rank is for the newest year the peers report too.
    """
    all_points = points(indicator, regions=[region], data=data)
    history = _by_key(all_points)
    annual = [p for p in all_points if Period.parse(p.period).kind == YEAR]
    if start:
        annual = [p for p in annual if Period.parse(p.period).year >= Period.parse(start).year]
    if end:
        annual = [p for p in annual if Period.parse(p.period).year <= Period.parse(end).year]
    in_range = [
        p
        for p in all_points
        if (not start or Period.parse(p.period).year >= Period.parse(start).year)
        and (not end or Period.parse(p.period).year <= Period.parse(end).year)
    ]
    latest = max(in_range, key=lambda p: p.sort_key) if in_range else None
    result: dict[str, Any] = {
        "indicator": indicator,
        "region": region,
        "latest": latest,
        "latest_annual": annual[-1] if annual else None,
        "yoy_pct": yoy_pct(latest, history) if latest else None,
        "cagr": None,
        "progress": None,
        "rank_level": None,
        "rank_growth": None,
        "rank_period": None,
    }
    real = [p for p in annual if not p.is_synthetic]
    span = real if len(real) >= 2 else annual
    if len(span) >= 2:
        years = Period.parse(span[-1].period).year - Period.parse(span[0].period).year
        result["cagr"] = {
            "from": span[0],
            "to": span[-1],
            "years": years,
            "cagr_pct": calc.cagr_pct(span[0].value, span[-1].value, years),
            "approximate": any(p.qualifier or p.is_preliminary for p in (span[0], span[-1])),
            "synthetic": span[0].is_synthetic or span[-1].is_synthetic,
        }
    if latest:
        result["progress"] = progress_for(indicator, latest.period, region, data, targets)
    names = names if names is not None else _peer_names()
    if annual and region in names:
        for candidate in reversed(annual[-2:]):
            level = rank_table(indicator, candidate.period, RankBasis.LEVEL, names=names, data=data)
            ranked = [r for r in level.rows if r.rank]
            if len(ranked) < 2:
                continue
            result["rank_period"] = candidate.period
            result["rank_level"] = level.row_for(region)
            growth = rank_table(
                indicator, candidate.period, RankBasis.GROWTH, names=names, data=data
            )
            row = growth.row_for(region)
            result["rank_growth"] = row if row and row.rank else None
            break
    return result


def overview(indicators: Iterable[Indicator], region: str = CITY_CODE) -> list[dict[str, Any]]:
    """Summaries of many indicators with a fixed number of queries (list page, cockpit)."""
    names = _peer_names()
    data = DataSet(regions={region, *names})
    indicators = list(indicators)
    targets = list(Target.objects.filter(region_id=region, indicator__in=indicators))
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
    return None if point is None else LatestValue(**point.as_dict(), unit=indicator.unit)


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
    result.pop("target")
    result["value"] = point.value if point else None
    return result


def rank(
    code: str, period: str, region: str = CITY_CODE, basis: str = RankBasis.LEVEL
) -> dict | None:
    """The region's rank among the province's cities: rank, of, grade, arrow."""
    try:
        indicator = get_indicator(code)
    except Indicator.DoesNotExist:
        return None
    table = rank_table(indicator, period, basis)
    row = table.row_for(region)
    if row is None or row.rank is None:
        return None
    return {
        "rank": row.rank,
        "of": sum(1 for r in table.rows if r.rank),
        "grade": row.grade,
        "grade_label": row.grade_label,
        "arrow": row.arrow,
        "previous_rank": row.previous_rank,
        "value": row.value,
        "growth_pct": row.growth_pct,
    }


# ---- writes ------------------------------------------------------------------------------

OBS_FIELDS = (
    "value",
    "qualifier",
    "yoy_pct",
    "published_rank",
    "published_rank_basis",
    "source",
    "is_synthetic",
    "is_preliminary",
    "is_revised",
    "note",
)


@transaction.atomic
def save_observation(
    *, actor, indicator: Indicator, region: str, period: str, cumulative: bool = False, **values
) -> Observation:
    """Create or update one observation (a changed real value is marked revised); audited."""
    Period.parse(period)
    obs = (
        Observation.objects.select_for_update()
        .filter(indicator=indicator, region_id=region, period=period, cumulative=cumulative)
        .first()
    )
    if obs is None:
        obs = Observation.objects.create(
            indicator=indicator, region_id=region, period=period, cumulative=cumulative, **values
        )
        audit.record(
            actor=actor, action=AuditAction.CREATE, instance=obs, after=audit.snapshot(obs)
        )
        return obs
    before = audit.snapshot(obs)
    changed = [k for k, v in values.items() if getattr(obs, k) != v]
    if not changed:
        return obs
    if "value" in changed and not obs.is_synthetic and "is_revised" not in values:
        values["is_revised"] = True
        changed.append("is_revised")
    for key in changed:
        setattr(obs, key, values[key])
    obs.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=obs,
        before=before,
        after=audit.snapshot(obs),
    )
    return obs


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
