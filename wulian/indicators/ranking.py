"""保五争三拼第一: the province's eleven cities ranked for one indicator and period.

By level or by change; both follow the indicator's direction of good (a 倍差 that falls the
most ranks first). A rank is 示意 (synthetic) when any value it was compared with is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from wulian.core.models import Region

from . import calc
from .choices import ChangeUnit, Grade, RankBasis
from .models import Indicator
from .periods import Period
from .points import DataSet, Point, change_for, points


@dataclass
class RankRow:
    """One city in a ranking: its value, its change, its rank and where they came from."""

    region: str
    region_name: str
    value: Decimal | None
    change: calc.Change | None
    rank: int | None
    grade: str | None
    previous_rank: int | None
    arrow: str
    value_synthetic: bool
    rank_synthetic: bool = False
    tied: bool = False
    published_rank: int | None = None

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label) if self.grade else ""

    @property
    def growth_pct(self) -> Decimal | None:
        """The change as a growth rate (amounts and counts only)."""
        return self.change.pct if self.change else None

    @property
    def change_synthetic(self) -> bool:
        return bool(self.change and self.change.synthetic)

    @property
    def is_synthetic(self) -> bool:
        """Whether anything shown on the row (value, change or rank) rests on synthetic data."""
        return self.value_synthetic or self.change_synthetic or self.rank_synthetic

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "region_name": self.region_name,
            "value": self.value,
            "growth_pct": self.growth_pct,
            "change": self.change.as_dict() if self.change else None,
            "rank": self.rank,
            "tied": self.tied,
            "grade": self.grade,
            "grade_label": self.grade_label,
            "previous_rank": self.previous_rank,
            "arrow": self.arrow,
            "is_synthetic": self.is_synthetic,
            "value_synthetic": self.value_synthetic,
            "change_synthetic": self.change_synthetic,
            "rank_synthetic": self.rank_synthetic,
            "published_rank": self.published_rank,
        }


@dataclass
class RankTable:
    indicator: Indicator
    period: str
    cumulative: bool
    basis: str
    rows: list[RankRow] = field(default_factory=list)

    def row_for(self, region: str) -> RankRow | None:
        return next((r for r in self.rows if r.region == region), None)

    @property
    def is_synthetic(self) -> bool:
        """The ranks are illustrative when any value compared was synthetic."""
        return any(r.rank_synthetic for r in self.rows)

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank)

    @property
    def basis_label(self) -> str:
        return basis_label(self.indicator, self.basis)


def change_label(indicator: Indicator) -> str:
    """What a change of this indicator is called: 增速 (%), 增幅 (百分点), 变化, 位次变化."""
    unit = calc.change_unit(indicator.kind)
    return {
        ChangeUnit.PERCENT: _("增速"),
        ChangeUnit.POINTS: _("增幅（百分点）"),
        ChangeUnit.PLACES: _("位次变化"),
    }.get(unit, _("变化"))


def basis_label(indicator: Indicator, basis: str) -> str:
    if basis == RankBasis.GROWTH:
        return _("按%(c)s") % {"c": change_label(indicator)}
    return str(RankBasis.LEVEL.label)


def peer_names() -> dict[str, str]:
    return dict(Region.objects.filter(is_peer_city=True).values_list("code", "short_name"))


def _compared(
    indicator: Indicator, period: Period, cumulative: bool, basis: str, pts_by_region
) -> tuple[dict[str, Decimal | None], dict[str, bool]]:
    """Each region's value to rank on, and whether it rests on synthetic data."""
    values: dict[str, Decimal | None] = {}
    synthetic: dict[str, bool] = {}
    for region, history in pts_by_region.items():
        point = history.get((period.id, cumulative))
        if point is None:
            continue
        if basis == RankBasis.GROWTH:
            change = change_for(indicator, point, history)
            values[region] = change.value if change else None
            synthetic[region] = bool(change and change.synthetic)
        else:
            values[region] = point.value
            synthetic[region] = point.is_synthetic
    return values, synthetic


def _any_synthetic(values, synthetic) -> bool:
    return any(synthetic.get(k) for k, v in values.items() if v is not None)


def rank_table(
    indicator: Indicator,
    period: str,
    basis: str = RankBasis.LEVEL,
    cumulative: bool = False,
    names: dict[str, str] | None = None,
    data: DataSet | None = None,
) -> RankTable:
    """The province's cities ranked for one indicator and period, by level or by change.

    Both follow the indicator's direction of good; cities that read the same (at
    calc.RANK_PLACES) share the better rank. The arrow compares with the previous period's
    rank. Ranks are 示意 when any compared value (now or in the previous period) is synthetic.
    """
    names = names if names is not None else peer_names()
    p = Period.parse(period)
    prev = p.previous()
    wanted = [p.id, prev.id, p.same_period_last_year().id, prev.same_period_last_year().id]
    pts_by_region: dict[str, dict[tuple[str, bool], Point]] = defaultdict(dict)
    for point in points(indicator, regions=list(names), periods=set(wanted), data=data):
        pts_by_region[point.region][point.key] = point
    values, synthetic = _compared(indicator, p, cumulative, basis, pts_by_region)
    prev_values, prev_synthetic = _compared(indicator, prev, cumulative, basis, pts_by_region)
    ranks = calc.competition_ranks(values, indicator.direction)
    prev_ranks = calc.competition_ranks(prev_values, indicator.direction)
    illustrative = _any_synthetic(values, synthetic) or _any_synthetic(prev_values, prev_synthetic)
    table = RankTable(indicator, p.id, cumulative, basis)
    for region, name in names.items():
        history = pts_by_region.get(region, {})
        point = history.get((p.id, cumulative))
        rank = ranks.get(region)
        table.rows.append(
            RankRow(
                region=region,
                region_name=name,
                value=point.value if point else None,
                change=change_for(indicator, point, history),
                rank=rank,
                tied=rank is not None and list(ranks.values()).count(rank) > 1,
                grade=calc.grade_for(rank),
                previous_rank=prev_ranks.get(region),
                arrow=calc.arrow_for(rank, prev_ranks.get(region)),
                value_synthetic=bool(point and point.is_synthetic),
                rank_synthetic=rank is not None and illustrative,
                published_rank=(
                    point.published_rank if point and point.published_rank_basis == basis else None
                ),
            )
        )
    table.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.region))
    return table
