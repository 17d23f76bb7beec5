"""Values of indicators as pages and other apps read them: stored observations and formula
values with their provenance (`Point`), a region's series, and each value's change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from wulian.core.models import CITY_CODE

from . import calc
from .choices import QUALIFIED_NUMBER, ChangeUnit, Kind
from .models import Indicator, Observation
from .periods import Period


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
        return Period.parse(self.period).display(self.cumulative)

    @property
    def display(self) -> str:
        """The value as the source wrote it: 超1000, 1600多, 不足150."""
        number = format_number(self.value)
        pattern = QUALIFIED_NUMBER.get(self.qualifier)
        return str(pattern) % {"n": number} if pattern else number

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["period_label"] = self.period_label
        data["display"] = self.display
        return data


def display_with_unit(indicator: Indicator, point: Point | None) -> str:
    """A value with its unit as a reader says it: 9.5万人, 68.4%, 第58位."""
    if point is None:
        return "—"
    if indicator.kind == Kind.RANK:
        return _("第%(n)s位") % {"n": point.display}
    return f"{point.display}{indicator.unit}"


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


# The stored fields of a Point besides `region` (DataSet reads them as plain rows).
POINT_FIELDS = (
    "period",
    "cumulative",
    "value",
    "qualifier",
    "source",
    "is_synthetic",
    "is_preliminary",
    "is_revised",
    "yoy_pct",
    "published_rank",
    "published_rank_basis",
    "note",
)


def get_indicator(code: str) -> Indicator:
    return Indicator.objects.select_related("numerator", "denominator", "part_of").get(code=code)


# How many years back from each series' newest value a bounded DataSet reads: the newest
# value, the same period last year, the last two annual values and, for their ranks by
# growth, the years before them, with a year to spare for an annual value published late.
RECENT_YEARS = 5
ANNUAL = r"^[0-9]{4}$"


class DataSet:
    """Stored values held in memory (one query), for pages that read many indicators.

    `points()` and the ranking accept one, so the list page and the cockpit compute every
    formula, growth rate and rank without a query per indicator.

    `indicators` limits it to those indicators (their formulas' parts are added). With
    `years` it holds only the values of the last `years` years up to each indicator's newest
    one, plus the `extra_periods` (targets' base periods) and, with `first_annual`, each
    series' first annual value and first real (not synthetic) one. `years=RECENT_YEARS,
    first_annual=True` is what a summary needs for its latest value, change, span, target
    progress and ranks, so that its cost does not grow with the length of the history. A
    formula's first value is taken where its parts' first values are (this assumes their
    annual series have no gaps).
    """

    def __init__(
        self,
        regions: Iterable[str] | None = None,
        indicators: Iterable[Indicator] | None = None,
        years: int | None = None,
        first_annual: bool = False,
        extra_periods: Iterable[str] = (),
    ):
        qs = Observation.objects.all()
        if regions is not None:
            qs = qs.filter(region_id__in=list(regions))
        if indicators is not None:
            ids = set()
            for ind in indicators:
                ids.update(i for i in (ind.pk, ind.numerator_id, ind.denominator_id) if i)
            qs = qs.filter(indicator_id__in=ids)
        if years is not None:
            qs = qs.filter(self._recent(qs, years, first_annual, set(extra_periods)))
        self.by_indicator: dict[int, dict[tuple, Point]] = defaultdict(dict)
        # Plain rows rather than model instances: the cockpit and the list page read every
        # stored value of a dozen regions, and building a model per row was most of their time.
        for indicator_id, region, *rest in qs.values_list(
            "indicator_id", "region_id", *POINT_FIELDS
        ).iterator(chunk_size=2000):
            point = Point(region=region, **dict(zip(POINT_FIELDS, rest, strict=True)))
            self.by_indicator[indicator_id][(region, point.period, point.cumulative)] = point

    @staticmethod
    def _recent(qs, years: int, first_annual: bool, anchors: set[str]) -> Q:
        """Which rows a bounded DataSet reads: one aggregate query finds each series' newest
        period and first annual ones."""
        annual = Q(period__regex=ANNUAL)
        bounds = qs.values("indicator_id", "region_id").annotate(
            newest=Max("period"),
            first=Min("period", filter=annual),
            first_real=Min("period", filter=annual & Q(is_synthetic=False)),
        )
        since: dict[int, str] = {}
        for row in bounds.order_by():
            start = f"{int(row['newest'][:4]) - years + 1:04d}"
            since[row["indicator_id"]] = min(start, since.get(row["indicator_id"], start))
            if first_annual:
                anchors.update(p for p in (row["first"], row["first_real"]) if p)
        keep = Q(period__in=sorted(anchors))
        for indicator_id, start in since.items():
            keep |= Q(indicator_id=indicator_id, period__gte=start)
        return keep

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
    # plain rows, as DataSet reads them: a model instance per stored value was most of the
    # time of a series read whole (a 四定 task's progress towards its indicator)
    out = {}
    for region, *rest in qs.values_list("region_id", *POINT_FIELDS):
        point = Point(region=region, **dict(zip(POINT_FIELDS, rest, strict=True)))
        out[(region, point.period, point.cumulative)] = point
    return out


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


def by_key(pts: Iterable[Point]) -> dict[tuple[str, bool], Point]:
    return {p.key: p for p in pts}


def change_for(
    indicator: Indicator, point: Point | None, history: dict[tuple[str, bool], Point]
) -> calc.Change | None:
    """The change on the same period last year (同比), in the unit the indicator's kind calls
    for: % for amounts and counts (the published rate first, if the source gave one),
    percentage points for shares, the difference for ratios and ranks."""
    if point is None:
        return None
    unit = calc.change_unit(indicator.kind)
    if point.yoy_pct is not None and unit == ChangeUnit.PERCENT:
        return calc.Change(
            point.yoy_pct,
            unit,
            indicator.direction,
            synthetic=point.is_synthetic,
            published=True,
        )
    last = history.get((Period.parse(point.period).same_period_last_year().id, point.cumulative))
    value = calc.change(indicator.kind, point.value, last.value) if last else None
    if value is None:
        return None
    return calc.Change(
        value, unit, indicator.direction, synthetic=point.is_synthetic or last.is_synthetic
    )
