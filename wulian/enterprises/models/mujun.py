"""亩均论英雄: the city's evaluation settings and each enterprise's result per year."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Region

from ..choices import MujunGrade, MujunMethod
from ..querysets import MujunResultQuerySet
from .registry import Enterprise


def _weight(label: str, default: int) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


def _share(label: str, default: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=3,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )


class MujunSettings(models.Model):
    """How the city grades: indicator weights, the cap, and how scores become A–D.

    One row (pk=1). Defaults follow the standard Zhejiang method (docs/mujun.md): each
    indicator is scored against its county's benchmark value and weighted; the grades go by
    score share within the county (A the top 20%, D the bottom 8%) or by score cut-offs.
    """

    tax_weight = _weight(_("亩均税收权重"), 30)
    value_added_weight = _weight(_("亩均增加值权重"), 20)
    energy_weight = _weight(_("单位能耗增加值权重"), 20)
    labour_weight = _weight(_("全员劳动生产率权重"), 10)
    rd_weight = _weight(_("R&D经费占营业收入比重权重"), 10)
    cap_ratio = models.DecimalField(
        _("单项封顶倍数"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(2),
        validators=[MinValueValidator(1)],
        help_text=_("单项指标最多按基准值的几倍计分，防止一项指标掩盖其余"),
    )
    method = models.CharField(
        _("分类方法"), max_length=10, choices=MujunMethod.choices, default=MujunMethod.SHARE
    )
    a_share = _share(_("A类比例"), "0.200")
    b_share = _share(_("B类比例"), "0.500")
    c_share = _share(_("C类比例"), "0.220")
    a_cut = models.DecimalField(_("A类最低得分"), max_digits=6, decimal_places=2, default=120)
    b_cut = models.DecimalField(_("B类最低得分"), max_digits=6, decimal_places=2, default=80)
    c_cut = models.DecimalField(_("C类最低得分"), max_digits=6, decimal_places=2, default=50)
    min_months = models.PositiveSmallIntegerField(
        _("最少月份数"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("当年月报少于该月份数的企业不参评"),
    )
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
        verbose_name = _("亩均评价设置")
        verbose_name_plural = _("亩均评价设置")

    def __str__(self) -> str:
        return str(_("亩均评价设置"))

    @classmethod
    def current(cls) -> "MujunSettings":
        return cls.objects.get_or_create(pk=1)[0]


class MujunResult(models.Model):
    """One enterprise's 亩均 evaluation for one year: its score, grade and why.

    `metrics` holds, per indicator, the value, the county benchmark, the ratio, the weight and
    the points; `region` is the county it was benchmarked against.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="mujun"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey(Region, verbose_name=_("区县"), on_delete=models.PROTECT)
    score = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("类别"), max_length=1, choices=MujunGrade.choices)
    rank = models.PositiveIntegerField(_("县内排名"))
    of = models.PositiveIntegerField(_("县内参评企业数"))
    land_area_mu = models.DecimalField(_("用地面积（亩）"), max_digits=12, decimal_places=2)
    months = models.PositiveSmallIntegerField(_("月报月份数"))
    metrics = models.JSONField(_("指标明细"))
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    evaluated_at = models.DateTimeField(_("评价时间"), auto_now=True)

    objects = MujunResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("亩均评价结果")
        verbose_name_plural = _("亩均评价结果")
        ordering = ["-year", "region", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="mujun_result_unique")
        ]
        indexes = [
            models.Index(fields=["year", "grade"], name="mujun_year_grade"),
            # The list reads a county's results in rank order (views_mujun.ResultsByCounty).
            models.Index(fields=["year", "region", "rank"], name="mujun_year_region_rank"),
            # The grade counts per county read this index alone (grade_counts).
            models.Index(fields=["year", "region", "grade"], name="mujun_year_region_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.grade}"
