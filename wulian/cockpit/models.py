"""The cockpit's own tables: the rollup of the enterprises' monthly figures the page reads.

The cockpit never scans raw rows per page view (docs/architecture.md, "Analytics read from
rollups"): `MonthlyRollup` holds the totals of `enterprises.EnterpriseMonth` (each
enterprise's monthly report, 规上企业月报) by month, county and chain, rebuilt by
`services.rebuild_rollups`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Region


class MonthlyRollup(models.Model):
    """Totals of EnterpriseMonth by month, county and chain ('' = not on a chain)."""

    month = models.DateField(_("月份"))
    region = models.ForeignKey(Region, verbose_name=_("区县"), on_delete=models.PROTECT)
    chain_code = models.CharField(_("所属产业链代码"), max_length=20, blank=True)
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    output_wan = models.DecimalField(_("产值（万元）"), max_digits=20, decimal_places=2, default=0)
    tax_wan = models.DecimalField(_("税收（万元）"), max_digits=20, decimal_places=2, default=0)
    is_synthetic = models.BooleanField(_("含合成数据"), default=False)

    class Meta:
        verbose_name = _("月度汇总")
        verbose_name_plural = _("月度汇总")
        ordering = ["month", "region", "chain_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "chain_code"], name="cockpit_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.chain_code or '-'}"


class RollupState(models.Model):
    """When the rollup was last rebuilt (its fill state); part of the cockpit's cache key."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    filled_at = models.DateTimeField(_("更新时间"))
    rows = models.PositiveIntegerField(_("汇总行数"), default=0)

    class Meta:
        verbose_name = _("汇总状态")
        verbose_name_plural = _("汇总状态")

    def __str__(self) -> str:
        return f"{self.name} {self.filled_at:%Y-%m-%d %H:%M}"
