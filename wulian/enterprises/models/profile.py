"""What the 一企一档 profile adds to the registry: tags with their source, and visits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department

from ..choices import TagKind
from ..querysets import EnterpriseTagQuerySet, VisitQuerySet
from .registry import Enterprise


class EnterpriseTag(models.Model):
    """A label (链主, 专精特新 …) with who gave it and for how long it holds.

    An empty `valid_until` means it holds until revoked. One tag of each kind per enterprise:
    a renewal updates the dates and the source.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="tags"
    )
    kind = models.CharField(_("标签"), max_length=20, choices=TagKind.choices)
    level = models.CharField(
        _("级别"), max_length=20, blank=True, help_text=_("如 国家级、省级、市级")
    )
    source = models.CharField(
        _("认定来源"), max_length=200, help_text=_("认定部门及文件或批次，如 工信部第五批")
    )
    valid_from = models.DateField(_("认定日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseTagQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["enterprise", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind"], name="enterprise_tag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"


class Visit(models.Model):
    """A government visit to an enterprise (走访记录): who went, when, what they noted.

    A visit without `visited_on` is planned (a visit task, e.g. from an early-warning flag)
    and assigned to `visitor`.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    planned_for = models.DateField(_("计划日期"), null=True, blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visitor_name = models.CharField(_("走访人姓名"), max_length=60, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    purpose = models.CharField(_("事由"), max_length=200, blank=True)
    notes = models.TextField(_("走访情况"), blank=True)
    follow_up = models.TextField(_("后续事项"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-planned_for", "-id"]

    def __str__(self) -> str:
        day = self.visited_on or self.planned_for
        return f"{self.enterprise} {day or ''}"

    @property
    def is_planned(self) -> bool:
        return self.visited_on is None
