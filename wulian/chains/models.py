"""Industry chains (产业链) as directed acyclic graphs of links (环节)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.enterprises.models import Enterprise

from .choices import LinkRole, Segment
from .querysets import ChainQuerySet, LinkQuerySet

# The six signature chains and their stable codes (used by core.User.chain_code too).
CHAIN_CODES = {
    "xcl": "新材料",
    "xny": "新能源",
    "jcdl": "集成电路",
    "gdzb": "高端装备",
    "smjk": "生命健康",
    "tzz": "特种纸",
}


class Chain(models.Model):
    """An industry chain, addressed by a stable `code` (e.g. xcl for 新材料)."""

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.TextField(_("说明"), blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Link(models.Model):
    """A link (环节) of a chain, in a segment (上游/中游/下游)."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="links"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    segment = models.CharField(_("上中下游"), max_length=10, choices=Segment.choices)
    description = models.TextField(_("说明"), blank=True)
    industry_codes = models.CharField(
        _("行业代码"),
        max_length=200,
        blank=True,
        help_text=_("该环节常见的国民经济行业分类代码，逗号分隔，如 C2651,C2652"),
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("环节")
        verbose_name_plural = _("环节")
        ordering = ["chain", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "code"], name="uniq_link_code_per_chain")
        ]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}" if self.chain_id else self.name


class LinkEdge(models.Model):
    """A supply edge: `source` supplies `target` (upstream → downstream) within one chain."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="out_edges")
    target = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="in_edges")

    class Meta:
        verbose_name = _("供应关系")
        verbose_name_plural = _("供应关系")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="uniq_link_edge")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class EnterpriseLink(models.Model):
    """An enterprise on a link, with its role there (主营/配套)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="chain_links"
    )
    link = models.ForeignKey(
        Link, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="enterprise_links"
    )
    role = models.CharField(
        _("角色"), max_length=10, choices=LinkRole.choices, default=LinkRole.MAIN
    )

    class Meta:
        verbose_name = _("企业环节")
        verbose_name_plural = _("企业环节")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "link"], name="uniq_enterprise_link")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.link}"


class TargetCompany(models.Model):
    """An outside company worth attracting (招商目标) to fill or strengthen links."""

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    headquarters = models.CharField(_("总部所在地"), max_length=60, blank=True)
    revenue_wan = models.DecimalField(
        _("营业收入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    links = models.ManyToManyField(
        Link, verbose_name=_("可填补环节"), blank=True, related_name="target_companies"
    )
    partners = models.ManyToManyField(
        Enterprise,
        verbose_name=_("本地关联企业"),
        blank=True,
        related_name="target_partners",
        help_text=_("与该目标企业已有供销或合作关系的本地企业"),
    )
    note = models.TextField(_("备注"), blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    class Meta:
        verbose_name = _("招商目标企业")
        verbose_name_plural = _("招商目标企业")
        ordering = ["-revenue_wan", "id"]

    def __str__(self) -> str:
        return self.name


class LinkStat(models.Model):
    """Rollup of the enterprises on one link, kept current by the chains services.

    Pages, the cockpit and the scorecard read these instead of scanning enterprises.
    """

    link = models.OneToOneField(Link, on_delete=models.CASCADE, related_name="stat")
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    main_enterprises = models.PositiveIntegerField(_("主营企业数"), default=0)
    listed = models.PositiveIntegerField(_("上市企业数"), default=0)
    output_wan = models.DecimalField(
        _("主营企业产值（万元）"), max_digits=16, decimal_places=2, default=0
    )
    top_output_wan = models.DecimalField(
        _("最大企业产值（万元）"), max_digits=16, decimal_places=2, default=0
    )
    employees = models.PositiveIntegerField(_("从业人数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("环节统计")
        verbose_name_plural = _("环节统计")

    def __str__(self) -> str:
        return f"{self.link_id}: {self.enterprises}"


class ChainStat(models.Model):
    """Rollup of one chain beside its LinkStat rows: the distinct enterprises on its links.

    An enterprise on several links of a chain counts once, so this is not the sum of the
    links' counts; refresh_link_stats keeps it with them, and the chain summaries (cockpit
    tiles, chain list) read it instead of a COUNT(DISTINCT) over every link membership.
    """

    chain = models.OneToOneField(Chain, on_delete=models.CASCADE, related_name="stat")
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("产业链统计")
        verbose_name_plural = _("产业链统计")

    def __str__(self) -> str:
        return f"{self.chain_id}: {self.enterprises}"
