"""Synthetic monthly reports of the demo's industrial enterprises, and the rollup over them.

12 months (2024-11 … 2025-10) for every synthetic 规上 industrial enterprise; a month's output
is the enterprise's annual output ÷ 12 with a seasonal shape (February low, December high),
about 7% growth a year and some noise. All rows are synthetic (is_synthetic=True).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from wulian.enterprises.demo import CHAIN_INDUSTRY_CODES
from wulian.enterprises.models import Enterprise, EnterpriseMonth

from .services import rebuild_rollups

SEED = 20251126
LAST_MONTH = dt.date(2025, 10, 1)
MONTHS = 12
SEASON = [0.92, 0.70, 1.00, 1.00, 1.02, 1.05, 0.98, 0.98, 1.03, 1.00, 1.07, 1.25]
CHAIN_OF_INDUSTRY = {code: chain for chain, codes in CHAIN_INDUSTRY_CODES.items() for code in codes}


def month_list(last: dt.date, count: int) -> list[dt.date]:
    index = last.year * 12 + last.month - 1
    return [dt.date((index - i) // 12, (index - i) % 12 + 1, 1) for i in reversed(range(count))]


def generate_rows(
    enterprises: Iterable[tuple[int, str, str, Decimal | None]],
    months: list[dt.date],
    rng: random.Random,
    base_year: int = 2024,
) -> Iterator[EnterpriseMonth]:
    """EnterpriseMonth objects for (id, region, industry code, annual output) × months."""
    shape = sum(SEASON) / 12
    for pk, region, industry, annual in enterprises:
        base = float(annual or 0) / 12 or rng.uniform(50, 500)
        chain = CHAIN_OF_INDUSTRY.get(industry, "")
        for month in months:
            growth = 1.07 ** (month.year - base_year)
            value = base * growth * SEASON[month.month - 1] / shape * rng.uniform(0.9, 1.1)
            yield EnterpriseMonth(
                enterprise_id=pk,
                month=month,
                region_id=region,
                chain_code=chain,
                output_wan=Decimal(f"{value:.2f}"),
                tax_wan=Decimal(f"{value * 0.035:.2f}"),
                is_synthetic=True,
            )


@transaction.atomic
def load(stdout=None) -> None:
    """Replace the synthetic monthly rows and rebuild the rollup; deterministic."""
    EnterpriseMonth.objects.filter(is_synthetic=True).delete()
    industrial = (
        Enterprise.objects.filter(is_synthetic=True, is_above_scale=True)
        .filter(Q(industry_code__startswith="C") | Q(industry_code__startswith="D"))
        .order_by("uscc")
        .values_list("id", "region_id", "industry_code", "output_wan")
    )
    rows = list(generate_rows(industrial, month_list(LAST_MONTH, MONTHS), random.Random(SEED)))
    EnterpriseMonth.objects.bulk_create(rows, batch_size=2000)
    n = rebuild_rollups()
    if stdout is not None:
        stdout.write(f"cockpit: 企业月度数据 {len(rows)} 条（合成），月度汇总 {n} 行")
