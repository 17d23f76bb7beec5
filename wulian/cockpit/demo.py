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
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Round

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


def add_up_to(totals: dict[dt.date, Decimal]) -> int:
    """Scale each month's synthetic rows (output and tax alike) in the database so that output
    adds up to that month's total exactly (the rounding remainder goes to the largest row);
    the number of rows scaled. One UPDATE per month: no row travels to Python."""
    scaled = 0
    for month, total in sorted(totals.items()):
        rows = EnterpriseMonth.objects.filter(is_synthetic=True, month=month)
        reported = rows.aggregate(s=Sum("output_wan"))["s"]
        if not reported:
            continue
        factor = Value(
            total / reported, output_field=DecimalField(max_digits=30, decimal_places=20)
        )
        scaled += rows.update(
            output_wan=Round(F("output_wan") * factor, 2),
            tax_wan=Round(F("tax_wan") * factor, 2),
        )
        remainder = total.quantize(CENT) - rows.aggregate(s=Sum("output_wan"))["s"]
        if remainder:
            largest = rows.order_by("-output_wan", "id").first()
            rows.filter(pk=largest.pk).update(output_wan=F("output_wan") + remainder)
    return scaled


@transaction.atomic
def load(stdout=None) -> None:
    months = sorted(
        EnterpriseMonth.objects.filter(is_synthetic=True).values_list("month", flat=True).distinct()
    )
    scaled = add_up_to(statistic_by_month(months))
    n = rebuild_month_rollups()
    if stdout is not None:
        stdout.write(
            f"cockpit: 企业月度产值按规上工业总产值逐月校准 {scaled} 条（合成），月度汇总 {n} 行"
        )
