"""Each enterprise's monthly figures, their revisions, and the rollup the cockpit reads."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Region

from ..choices import ChangeSource
from ..querysets import EnterpriseMonthQuerySet
from .registry import Enterprise

METRIC_FIELDS = (
    "output_wan",
    "revenue_wan",
    "tax_wan",
    "electricity_wkwh",
    "employees",
    "rd_wan",
)


def _amount(label):
    return models.DecimalField(label, max_digits=16, decimal_places=2, null=True, blank=True)


class EnterpriseMonth(models.Model):
    """One enterprise's figures for one month, as its monthly statistics report (月报) gives.

    The fact table under the monthly rollup (`MonthRollup`), the profile's charts, 亩均
    evaluation and early warning. Amounts in 万元, electricity in 万千瓦时; a figure the
    report did not give is empty (None), never 0. A re-import of the month replaces it and
    keeps the previous values as an `EnterpriseMonthRevision`.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="months"
    )
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    output_wan = _amount(_("工业总产值（万元）"))
    revenue_wan = _amount(_("营业收入（万元）"))
    tax_wan = _amount(_("税收（万元）"))
    electricity_wkwh = models.DecimalField(
        _("用电量（万千瓦时）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    rd_wan = _amount(_("研发费用（万元）"))
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业月度数据")
        verbose_name_plural = _("企业月度数据")
        ordering = ["enterprise", "month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="enterprise_month_unique")
        ]
        indexes = [models.Index(fields=["month"], name="enterprise_month_month")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m}"


class EnterpriseMonthRevision(models.Model):
    """A replaced monthly figure: the values before and after, who changed them and how.

    Keyed by enterprise and month rather than by the row, because a replacement writes the
    month's row anew (bulk delete and insert are what keep a large re-import fast).
    """

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="month_revisions",
    )
    month = models.DateField(_("月份"))
    changed_at = models.DateTimeField(_("修订时间"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=10, choices=ChangeSource.choices)
    before = models.JSONField(_("修订前"))
    after = models.JSONField(_("修订后"))

    class Meta:
        verbose_name = _("月度数据修订")
        verbose_name_plural = _("月度数据修订")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "month"], name="enterprise_month_rev")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m} @ {self.changed_at:%Y-%m-%d %H:%M}"


class MonthRollup(models.Model):
    """Totals of EnterpriseMonth by month, county and chain ('' = not on a chain).

    Kept current by the services that write monthly figures (in the same transaction), so
    the cockpit and the chain pages read a few hundred rows, never the raw facts.
    """

    month = models.DateField(_("月份"))
    region = models.ForeignKey(Region, verbose_name=_("区县"), on_delete=models.PROTECT)
    chain_code = models.CharField(_("所属产业链代码"), max_length=20, blank=True)
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    output_wan = models.DecimalField(_("产值（万元）"), max_digits=20, decimal_places=2, default=0)
    revenue_wan = models.DecimalField(
        _("营业收入（万元）"), max_digits=20, decimal_places=2, default=0
    )
    tax_wan = models.DecimalField(_("税收（万元）"), max_digits=20, decimal_places=2, default=0)
    electricity_wkwh = models.DecimalField(
        _("用电量（万千瓦时）"), max_digits=20, decimal_places=2, default=0
    )
    employees = models.PositiveIntegerField(_("从业人员（人）"), default=0)
    rd_wan = models.DecimalField(_("研发费用（万元）"), max_digits=20, decimal_places=2, default=0)
    is_synthetic = models.BooleanField(_("含合成数据"), default=False)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业月度汇总")
        verbose_name_plural = _("企业月度汇总")
        ordering = ["month", "region", "chain_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "chain_code"], name="enterprise_month_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.chain_code or '-'}"
