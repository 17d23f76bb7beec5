"""Indicators, their observations by region and period, and targets (目标体系·评价体系)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.models import CITY_CODE, Department, Region

from .choices import Category, Direction, Frequency, Kind, Qualifier, RankBasis, TargetKind
from .periods import Period
from .querysets import ObservationQuerySet, TargetQuerySet


class Indicator(models.Model):
    """A measured quantity (GDP, 外贸进出口总额, 城乡居民收入倍差 …).

    Either its values are stored as observations, or it is a formula over two other
    indicators — numerator ÷ denominator × factor — computed at query time for every region
    and period where both exist (e.g. 六大产业链产值 ÷ 规上工业总产值 × 100).
    """

    code = models.SlugField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=80)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    kind = models.CharField(
        _("指标性质"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.AMOUNT,
        help_text=_("决定变化的表述：总量、个数按%增长；比重按百分点；倍数按差值；位次按名次"),
    )
    frequency = models.CharField(
        _("频率"), max_length=10, choices=Frequency.choices, default=Frequency.YEAR
    )
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    category = models.CharField(
        _("类别"), max_length=20, choices=Category.choices, default=Category.ECONOMY
    )
    description = models.TextField(_("说明"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("责任部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("分子指标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("分母指标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    factor = models.DecimalField(_("系数"), max_digits=12, decimal_places=4, default=Decimal(1))
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("所属总量指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text=_("校验：部分不超过整体（如出口 ≤ 外贸进出口总额）"),
    )
    value_min = models.DecimalField(
        _("合理下限"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("合理上限"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    is_headline = models.BooleanField(_("驾驶舱核心指标"), default=False)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.code])

    @property
    def is_formula(self) -> bool:
        return bool(self.numerator_id and self.denominator_id)

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER

    def formula_text(self) -> str:
        if not self.is_formula:
            return ""
        factor = f" × {self.factor.normalize():f}" if self.factor != 1 else ""
        return f"{self.numerator.name} ÷ {self.denominator.name}{factor}"


class Observation(models.Model):
    """One value of an indicator for one region and period, with where it came from.

    `period` is an id (2024, 2024Q3, 2024-11); `cumulative` marks 1–N月 values. A published
    figure keeps its qualifier (1600多亿 → MORE) and, where the source states them, its
    year-on-year growth and province rank.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="observations"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.PROTECT, default=CITY_CODE
    )
    period = models.CharField(_("期间"), max_length=10)
    cumulative = models.BooleanField(_("累计值（1–N月）"), default=False)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    qualifier = models.CharField(
        _("限定词"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT, blank=True
    )
    yoy_pct = models.DecimalField(
        _("公布的同比增速（%）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    published_rank = models.PositiveSmallIntegerField(_("公布的全省位次"), null=True, blank=True)
    published_rank_basis = models.CharField(
        _("位次依据"), max_length=10, choices=RankBasis.choices, blank=True
    )
    source = models.TextField(_("来源"), blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    is_preliminary = models.BooleanField(_("预计数"), default=False)
    is_revised = models.BooleanField(_("修订数"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标数据")
        verbose_name_plural = _("指标数据")
        ordering = ["indicator", "region", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "period", "cumulative"],
                name="indicators_observation_unique",
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.region} {self.period_label}"

    @property
    def period_label(self) -> str:
        return Period.parse(self.period).display(self.cumulative)


class Target(models.Model):
    """A goal for an indicator in one region and period: 年度目标 or 五年规划目标."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="targets"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.PROTECT, default=CITY_CODE
    )
    period = models.CharField(_("目标期间"), max_length=10)
    kind = models.CharField(
        _("目标类型"), max_length=10, choices=TargetKind.choices, default=TargetKind.ANNUAL
    )
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4)
    base_period = models.CharField(_("基期"), max_length=10, blank=True)
    source = models.TextField(_("来源"), blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["indicator", "region", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "period", "kind"], name="indicators_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} {self.get_kind_display()}"
