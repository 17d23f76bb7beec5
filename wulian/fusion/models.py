"""Five-chain fusion: the innovation, talent, capital (and, read from other modules, service)
chains tied to industry-chain links; the score weights; the scorecard rollup; peer-city link
output for the economic-complexity analysis."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.chains.models import Chain, Link
from wulian.core.models import Region
from wulian.enterprises.models import Enterprise

from .choices import FinancingKind, PlatformKind, PlatformLevel, TalentLevel, TalentSupplyKind
from .querysets import (
    FinancingQuerySet,
    FundQuerySet,
    LinkRowQuerySet,
    PlatformQuerySet,
    TalentDemandQuerySet,
)

LEVEL_POINTS = {PlatformLevel.NATIONAL: 3, PlatformLevel.PROVINCIAL: 2, PlatformLevel.CITY: 1}


class Platform(models.Model):
    """An innovation platform (研究院, 中试平台, 重点实验室, 研发中心) and the links it serves."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=PlatformKind.choices)
    level = models.CharField(
        _("级别"),
        max_length=20,
        choices=PlatformLevel.choices,
        blank=True,
        help_text=_("未标注级别的平台按市级计分"),
    )
    links = models.ManyToManyField(
        Link, verbose_name=_("服务环节"), blank=True, related_name="platforms"
    )
    host = models.CharField(_("依托单位"), max_length=100, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("依托企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platforms",
    )
    rd_spend_wan = models.DecimalField(
        _("年研发投入（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    source = models.TextField(_("来源"), blank=True, help_text=_("真实数据的出处及原句"))
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        verbose_name = _("创新平台")
        verbose_name_plural = _("创新平台")
        ordering = ["level", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class TalentDemand(models.Model):
    """Talent an enterprise asks for on a link (岗位, 人数, 层次)."""

    link = models.ForeignKey(
        Link, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="talent_demands"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), null=True, blank=True, on_delete=models.CASCADE
    )
    position = models.CharField(_("岗位"), max_length=60)
    count = models.PositiveIntegerField(_("人数"))
    level = models.CharField(_("层次"), max_length=20, choices=TalentLevel.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = TalentDemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才需求")
        verbose_name_plural = _("人才需求")
        ordering = ["link", "-count"]

    def __str__(self) -> str:
        return f"{self.position} × {self.count}"


class TalentSupply(models.Model):
    """Talent available for a link: people brought in, graduates of a major, trainees."""

    link = models.ForeignKey(
        Link, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="talent_supplies"
    )
    kind = models.CharField(_("来源类型"), max_length=20, choices=TalentSupplyKind.choices)
    source_name = models.CharField(_("来源"), max_length=100, help_text=_("如 某高校·某专业"))
    count = models.PositiveIntegerField(_("人数"))
    level = models.CharField(_("层次"), max_length=20, choices=TalentLevel.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = LinkRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才供给")
        verbose_name_plural = _("人才供给")
        ordering = ["link", "-count"]

    def __str__(self) -> str:
        return f"{self.source_name} × {self.count}"


class Fund(models.Model):
    """An industry fund of the city's fund cluster (基金集群) and the links it invests in."""

    name = models.CharField(_("基金名称"), max_length=100, unique=True)
    size_wan = models.DecimalField(
        _("规模（万元）"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    manager = models.CharField(_("管理人"), max_length=100, blank=True)
    links = models.ManyToManyField(
        Link, verbose_name=_("投资环节"), blank=True, related_name="funds"
    )
    founded_year = models.PositiveSmallIntegerField(_("设立年份"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业基金")
        verbose_name_plural = _("产业基金")
        ordering = ["-size_wan", "name"]

    def __str__(self) -> str:
        return self.name


class FinancingEvent(models.Model):
    """A loan, equity round, bond or listing raised by an enterprise on a link."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="financings"
    )
    link = models.ForeignKey(
        Link,
        verbose_name=_("环节"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="financings",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=FinancingKind.choices)
    amount_wan = models.DecimalField(
        _("金额（万元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    date = models.DateField(_("日期"))
    fund = models.ForeignKey(
        Fund, verbose_name=_("出资基金"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = FinancingQuerySet.as_manager()

    class Meta:
        verbose_name = _("融资事件")
        verbose_name_plural = _("融资事件")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.amount_wan}"


class ScoreWeights(models.Model):
    """The weights of the five dimensions in the total fusion score (one row, pk=1).

    Changed by leaders on the scorecard page through services.set_weights (audited).
    """

    industry = models.DecimalField(_("产业链权重"), max_digits=4, decimal_places=2, default=0.30)
    innovation = models.DecimalField(_("创新链权重"), max_digits=4, decimal_places=2, default=0.20)
    talent = models.DecimalField(_("人才链权重"), max_digits=4, decimal_places=2, default=0.15)
    capital = models.DecimalField(_("资金链权重"), max_digits=4, decimal_places=2, default=0.20)
    service = models.DecimalField(_("服务链权重"), max_digits=4, decimal_places=2, default=0.15)
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
        verbose_name = _("融合评分权重")
        verbose_name_plural = _("融合评分权重")

    def __str__(self) -> str:
        return str(_("融合评分权重"))

    @classmethod
    def current(cls) -> "ScoreWeights":
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights

    def as_dict(self) -> dict[str, float]:
        return {
            "industry": float(self.industry),
            "innovation": float(self.innovation),
            "talent": float(self.talent),
            "capital": float(self.capital),
            "service": float(self.service),
        }


class PeerLinkOutput(models.Model):
    """Output of a link in a peer city (for RCA, proximity and density; synthetic in the demo)."""

    region = models.ForeignKey(Region, verbose_name=_("城市"), on_delete=models.CASCADE)
    link = models.ForeignKey(Link, verbose_name=_("环节"), on_delete=models.CASCADE)
    output_wan = models.DecimalField(_("产值（万元）"), max_digits=16, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("年份"), default=2024)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = LinkRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("对标城市环节产值")
        verbose_name_plural = _("对标城市环节产值")
        constraints = [
            models.UniqueConstraint(fields=["region", "link", "year"], name="uniq_peer_link_output")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.link}"


class ChainScore(models.Model):
    """Rollup: one chain's scorecard and gap analysis as last computed (see services).

    `detail` holds the per-link scores with their evidence and the findings, so pages and the
    cockpit read one row instead of recomputing.
    """

    chain = models.OneToOneField(Chain, on_delete=models.CASCADE, related_name="fusion_score")
    total = models.FloatField(_("融合总分"), null=True, blank=True)
    industry = models.FloatField(_("产业链"), null=True, blank=True)
    innovation = models.FloatField(_("创新链"), null=True, blank=True)
    talent = models.FloatField(_("人才链"), null=True, blank=True)
    capital = models.FloatField(_("资金链"), null=True, blank=True)
    service = models.FloatField(_("服务链"), null=True, blank=True)
    output_wan = models.FloatField(_("主营产值（万元）"), default=0)
    is_synthetic = models.BooleanField(
        _("含合成数据"), default=False, help_text=_("评分所依据的企业、平台、人才或资金含合成数据")
    )
    detail = models.JSONField(_("明细"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), db_index=True)

    class Meta:
        verbose_name = _("产业链融合评分")
        verbose_name_plural = _("产业链融合评分")

    def __str__(self) -> str:
        return f"{self.chain_id}: {self.total}"
