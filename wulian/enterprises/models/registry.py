"""The enterprise registry (企业库)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Region
from wulian.core.validators import validate_industry_code, validate_uscc

from ..choices import ListingBoard
from ..querysets import EnterpriseQuerySet


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
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("亩均论英雄评价用的实际用地面积"),
    )
    # A code, not a foreign key: chains sits above enterprises (docs/architecture.md). Kept by
    # chains.services from the enterprise's 主营 links; the monthly rollups group by it.
    chain_code = models.CharField(
        _("主产业链代码"), max_length=20, blank=True, db_index=True, editable=False
    )
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
            # the same order within one county (county staff see their county only): without
            # it a county's list sorts all its rows for every page
            models.Index(fields=["region", "-output_wan", "id"], name="enterprise_county_order"),
            # … and within one chain, or one county's part of one chain (the list's chain
            # filter): walking the county's order for a chain's rows read 250,000 rows of the
            # county at 1.5 million enterprises to find 50; the totals line (count and sum of
            # output) is answered from these indexes alone
            models.Index(fields=["chain_code", "-output_wan", "id"], name="enterprise_chain_order"),
            models.Index(
                fields=["region", "chain_code", "-output_wan", "id"],
                name="enterprise_county_chain_order",
            ),
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
        "land_area_mu",
    )
