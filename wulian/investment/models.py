"""The investment pipeline and major projects (招商与重大项目).

Amounts are in 万元. A project's stage moves only through services.transition_project, which
locks the row, checks the stage checklist and writes a ProjectEvent; the date of each stage is
the date of the event that entered it.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.chains.models import Link, TargetCompany
from wulian.core.models import Department, Region
from wulian.enterprises.models import Enterprise

from .choices import PIPELINE, DocumentKind, ProjectStage
from .querysets import ProjectQuerySet

# 100亿元 = 1,000,000 万元: the threshold of a 百亿级 project.
MAJOR_THRESHOLD_WAN = Decimal("1000000")


class Project(models.Model):
    """A lead or project being attracted to the city, from first contact to production."""

    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.ForeignKey(
        TargetCompany,
        verbose_name=_("投资方（招商目标企业）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    investor_name = models.CharField(
        _("投资方名称"), max_length=200, blank=True, help_text=_("不在招商目标库中的新企业")
    )
    company_name = models.CharField(
        _("项目公司名称"), max_length=200, blank=True, help_text=_("投产后纳入企业库的名称")
    )
    uscc = models.CharField(
        _("项目公司统一社会信用代码"),
        max_length=18,
        blank=True,
        help_text=_("投产时必填，用于纳入企业库"),
    )
    links = models.ManyToManyField(
        Link, verbose_name=_("填补的产业链环节"), blank=True, related_name="projects"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("落地区县"), on_delete=models.PROTECT, related_name="projects"
    )
    planned_wan = models.DecimalField(
        _("计划总投资（万元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    is_major = models.BooleanField(
        _("百亿级项目"), default=False, db_index=True, help_text=_("计划总投资≥100亿元")
    )
    stage = models.CharField(
        _("阶段"),
        max_length=20,
        choices=ProjectStage.choices,
        default=ProjectStage.LEAD,
        db_index=True,
    )
    stage_entered_on = models.DateField(_("进入当前阶段日期"), db_index=True)
    lost_reason = models.CharField(_("流失原因"), max_length=300, blank=True)
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    responsible_leader = models.CharField(_("责任领导"), max_length=50, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("投产企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    note = models.TextField(_("备注"), blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-planned_wan", "id"]
        indexes = [models.Index(fields=["stage", "stage_entered_on"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The flag is a fact about the amount, kept in a column so lists can filter on it.
        self.is_major = (self.planned_wan or 0) >= MAJOR_THRESHOLD_WAN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "planned_wan" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_major"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("investment:detail", args=[self.pk])

    @property
    def investor_display(self) -> str:
        return self.investor.name if self.investor_id else self.investor_name

    @property
    def company_display(self) -> str:
        return self.company_name or self.investor_display or self.name

    @property
    def next_stage(self) -> str | None:
        """The next pipeline stage, or None at the end of the pipeline or when lost."""
        if self.stage not in PIPELINE:
            return None
        index = PIPELINE.index(self.stage)
        return PIPELINE[index + 1] if index + 1 < len(PIPELINE) else None

    @property
    def next_stage_label(self) -> str:
        nxt = self.next_stage
        return ProjectStage(nxt).label if nxt else ""


class ProjectEvent(models.Model):
    """A stage change: who moved the project from which stage to which, on which date, why."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="events"
    )
    from_stage = models.CharField(
        _("原阶段"), max_length=20, choices=ProjectStage.choices, blank=True
    )
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=ProjectStage.choices)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目阶段记录")
        verbose_name_plural = _("项目阶段记录")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.from_stage}→{self.to_stage} {self.on}"

    @property
    def is_revert(self) -> bool:
        """A 回退: a move back along the pipeline (reopening a lost lead is not one)."""
        return (
            self.from_stage in PIPELINE
            and self.to_stage in PIPELINE
            and PIPELINE.index(self.to_stage) < PIPELINE.index(self.from_stage)
        )


def _document_path(instance: "ProjectDocument", filename: str) -> str:
    # Client file names never become paths: a UUID and the extension of the sniffed type.
    return f"projects/{instance.project_id}/{instance.uid}{instance.extension}"


class ProjectDocument(models.Model):
    """A document on file for a project (e.g. the signed agreement a 签约 checklist asks for)."""

    EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="documents"
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    kind = models.CharField(_("材料类型"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=60)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目材料")
        verbose_name_plural = _("项目材料")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.content_type, ".bin")


class MonthlyInvestment(models.Model):
    """Investment completed by a project in one month (万元)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="monthly"
    )
    month = models.DateField(_("月份"), help_text=_("当月1日"))
    amount_wan = models.DecimalField(
        _("完成投资（万元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("月度完成投资")
        verbose_name_plural = _("月度完成投资")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="uniq_project_month")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m} {self.amount_wan}"
