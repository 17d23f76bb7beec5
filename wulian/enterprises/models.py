"""The enterprise registry (企业库) and each enterprise's monthly figures."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Region
from wulian.core.validators import validate_industry_code, validate_uscc

from .choices import ListingBoard
from .querysets import EnterpriseQuerySet


class Enterprise(models.Model):
    """One enterprise, identified by its 统一社会信用代码 (USCC).

    Amounts are stored in 万元 (ten thousand yuan), the unit Chinese statistics use.
    """

    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry_code = models.CharField(
        _("国民经济行业分类"),
        max_length=5,
        blank=True,
        validators=[validate_industry_code],
        help_text=_("GB/T 4754-2017，如 C2614"),
    )
    is_above_scale = models.BooleanField(_("规上企业"), default=False, db_index=True)
    is_listed = models.BooleanField(_("上市企业"), default=False, db_index=True)
    listing_board = models.CharField(
        _("上市板块"), max_length=20, choices=ListingBoard.choices, blank=True
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    output_wan = models.DecimalField(
        _("年产值（万元）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    tax_wan = models.DecimalField(
        _("年税收（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("企业账号"),
        blank=True,
        related_name="enterprises",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["-output_wan", "id"]
        indexes = [
            models.Index(fields=["region", "is_above_scale"]),
            # the default order of every list: largest output first
            models.Index(fields=["-output_wan", "id"], name="enterprise_output_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    # Fields an import may write, in the order of the export sheet.
    IMPORT_FIELDS = (
        "uscc",
        "name",
        "region",
        "industry_code",
        "is_above_scale",
        "is_listed",
        "listing_board",
        "founded_on",
        "output_wan",
        "tax_wan",
        "employees",
    )


class EnterpriseMonth(models.Model):
    """One enterprise's figures for one month, as its monthly statistics report (月报) gives.

    The fact table under the cockpit's and the chains' monthly rollups; amounts in 万元.
    `region` and `chain_code` are copied from the enterprise when the row is written, so the
    rollups group without joins.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="months"
    )
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    region = models.ForeignKey(Region, verbose_name=_("区县"), on_delete=models.PROTECT)
    chain_code = models.CharField(_("所属产业链代码"), max_length=20, blank=True)
    output_wan = models.DecimalField(_("当月产值（万元）"), max_digits=16, decimal_places=2)
    tax_wan = models.DecimalField(_("当月税收（万元）"), max_digits=16, decimal_places=2, default=0)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    class Meta:
        verbose_name = _("企业月度数据")
        verbose_name_plural = _("企业月度数据")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="enterprise_month_unique")
        ]
        indexes = [models.Index(fields=["month", "region", "chain_code"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m}"
