"""The demo's enterprise months add up to the city's statistic.

The enterprises' demo writes synthetic monthly reports for every 规上 industrial enterprise
(mining, manufacturing, utilities). Here, once the indicators are loaded, each month's rows are
scaled so that they add up to the city's 规上工业总产值 for the same month (the indicator's
1–N月 values), and the rollup is rebuilt: the cockpit's enterprise rollup and the indicators page
then give one figure (2025年1–10月), not two. All rows stay synthetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from wulian.core.models import CITY_CODE
from wulian.enterprises.models import EnterpriseMonth
from wulian.enterprises.months import rebuild_month_rollups
from wulian.indicators.models import Indicator
from wulian.indicators.services import get_indicator, series

CENT = Decimal("0.01")


def statistic_by_month(months: list[dt.date]) -> dict[dt.date, Decimal]:
    """规上工业总产值 of each month in 万元, from the indicator's 1–N月 values (N月 − (N−1)月)."""
    try:
        indicator = get_indicator("industrial_output")
    except Indicator.DoesNotExist:
        return {}
    cumulative = {p.period: p.value for p in series(indicator, CITY_CODE) if p.cumulative}
    result = {}
    for month in months:
        done = cumulative.get(f"{month:%Y-%m}")
        before = cumulative.get(f"{month.year}-{month.month - 1:02d}", 0) if month.month > 1 else 0
        if done is not None:
            result[month] = (done - before) * 10000
    return result


def add_up_to(rows: list[EnterpriseMonth], totals: dict[dt.date, Decimal]) -> list[EnterpriseMonth]:
    """Scale each month's rows (output and tax alike) so that output adds up to that month's
    total exactly; the rows changed."""
    by_month: dict[dt.date, list[EnterpriseMonth]] = {}
    for row in rows:
        by_month.setdefault(row.month, []).append(row)
    changed = []
    for month, month_rows in by_month.items():
        total = totals.get(month)
        reported = sum(r.output_wan or 0 for r in month_rows)
        if total is None or not reported:
            continue
        factor = total / reported
        for row in month_rows:
            row.output_wan = ((row.output_wan or 0) * factor).quantize(CENT)
            if row.tax_wan is not None:
                row.tax_wan = (row.tax_wan * factor).quantize(CENT)
        largest = max(month_rows, key=lambda r: r.output_wan)
        largest.output_wan += total.quantize(CENT) - sum(r.output_wan for r in month_rows)
        changed += month_rows
    return changed


@transaction.atomic
def load(stdout=None) -> None:
    rows = list(
        EnterpriseMonth.objects.filter(is_synthetic=True).only(
            "id", "month", "output_wan", "tax_wan"
        )
    )
    months = sorted({r.month for r in rows})
    changed = add_up_to(rows, statistic_by_month(months))
    EnterpriseMonth.objects.bulk_update(changed, ["output_wan", "tax_wan"], batch_size=5000)
    n = rebuild_month_rollups()
    if stdout is not None:
        stdout.write(
            f"cockpit: 企业月度产值按规上工业总产值逐月校准 {len(changed)} 条（合成），"
            f"月度汇总 {n} 行"
        )
