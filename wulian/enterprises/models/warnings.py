"""运行监测预警: the rules a city sets, and the flags the monthly figures raise."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Region

from ..choices import FlagStatus, WarningKind, WarningMetric
from ..querysets import WarningFlagQuerySet
from .registry import Enterprise


class WarningRule(models.Model):
    """A fall worth a look: e.g. output down ≥ 20% year on year in each of 3 months."""

    metric = models.CharField(_("指标"), max_length=20, choices=WarningMetric.choices)
    kind = models.CharField(_("口径"), max_length=10, choices=WarningKind.choices)
    threshold_pct = models.DecimalField(
        _("降幅阈值（%）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("下降至少该百分比才预警"),
    )
    months = models.PositiveSmallIntegerField(
        _("月数 N"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["metric", "id"]

    def __str__(self) -> str:
        metric = self.get_metric_display()
        if self.kind == WarningKind.YOY:
            return str(
                _("%(m)s连续%(n)d个月同比下降≥%(t)s%%")
                % {"m": metric, "n": self.months, "t": f"{self.threshold_pct:g}"}
            )
        return str(
            _("%(m)s较%(n)d个月前下降≥%(t)s%%")
            % {"m": metric, "n": self.months, "t": f"{self.threshold_pct:g}"}
        )


class WarningFlag(models.Model):
    """An enterprise caught by a rule in a month, the evidence, and what was done about it.

    One live flag per enterprise and rule: a later month that still triggers refreshes its
    evidence; a flag no longer triggered while still open becomes 已消除.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="warnings"
    )
    rule = models.ForeignKey(
        WarningRule, verbose_name=_("规则"), on_delete=models.CASCADE, related_name="flags"
    )
    # The enterprise's county and main chain, copied onto the flag so that the warnings page
    # counts and filters flags without joining the registry (1.5 million rows at province
    # scale). Kept equal to the enterprise's by the services that write them:
    # evaluate_warnings (new flags), import_enterprises (a county changed) and
    # set_chain_codes (a main chain changed), through sync_flag_scope.
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属区县"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    chain_code = models.CharField(_("主产业链代码"), max_length=20, blank=True, editable=False)
    month = models.DateField(_("预警月份"))
    change_pct = models.DecimalField(_("降幅（%）"), max_digits=7, decimal_places=1)
    evidence = models.JSONField(_("依据"))
    status = models.CharField(
        _("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    action_note = models.CharField(_("处置说明"), max_length=500, blank=True)
    action_url = models.CharField(_("处置链接"), max_length=200, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = WarningFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-month", "change_pct", "id"]
        indexes = [
            models.Index(fields=["status", "month"], name="warning_status_month"),
            models.Index(fields=["status", "region"], name="warning_status_region"),
            models.Index(fields=["status", "chain_code"], name="warning_status_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.rule}"

    @property
    def is_live(self) -> bool:
        return self.status in (FlagStatus.OPEN, FlagStatus.VISIT, FlagStatus.REQUEST)
