"""企呼我应: categories, routing rules, service requests, their events, attachments and rollups."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department, Region
from wulian.enterprises.models import Enterprise

from .attributes import validate_attributes
from .choices import Action, Dimension, RequestStatus
from .querysets import ServiceRequestQuerySet


class ServiceCategory(models.Model):
    """A kind of request (用地, 用工, 融资 …) with its deadlines in Chinese working days."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    accept_days = models.PositiveSmallIntegerField(
        _("受理时限（工作日）"), default=1, validators=[MaxValueValidator(60)]
    )
    answer_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("自受理起计算"),
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    is_private = models.BooleanField(
        _("诉求内容不公开"),
        default=False,
        help_text=_("公开接口（Open311）不显示此类诉求的内容，只显示类别、状态、区县和时间"),
    )
    attributes = models.JSONField(
        _("补充信息项"),
        default=list,
        blank=True,
        validators=[validate_attributes],
        help_text=_(
            "Open311 服务定义的属性：接入方提交此类诉求时需填写的项目，"
            '如 [{"code": "area_mu", "description": "拟用地面积（亩）", '
            '"datatype": "number", "required": true}]'
        ),
    )

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Where requests go: the most specific active rule matching category, link and county wins.

    Empty criteria match anything; among equally specific rules the lower `priority` wins.
    Edited by 营商办; the dispatcher can always override by naming a department.
    """

    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("诉求类别"), null=True, blank=True, on_delete=models.CASCADE
    )
    link = models.ForeignKey(
        "chains.Link",
        verbose_name=_("产业链环节"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区县"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办部门"), on_delete=models.CASCADE, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(_("优先级"), default=100, help_text=_("越小越优先"))
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        parts = [str(x) for x in (self.category, self.link, self.region) if x is not None]
        return f"{' / '.join(parts) or _('任意')} → {self.department}"

    @property
    def specificity(self) -> int:
        return sum(x is not None for x in (self.category_id, self.link_id, self.region_id))


class ServiceRequest(models.Model):
    """One enterprise request (企业诉求) and where it stands in the loop.

    Deadlines are stored (`due_at` for the current step, `answer_due_at` for the department's
    answer); time left, overdue state and escalation are derived from them at query time, so
    no scheduler is needed. While the request waits on the enterprise for material the clock
    stops: on resumption the deadlines move by the working days spent waiting.
    """

    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"), max_length=5000)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("诉求类别"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    link = models.ForeignKey(
        "chains.Link",
        verbose_name=_("产业链环节"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    resume_status = models.CharField(
        _("补充材料后恢复到"), max_length=20, choices=RequestStatus.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    routed_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))
    due_at = models.DateTimeField(
        _("当前环节期限"), null=True, blank=True, help_text=_("受理、答复或企业评价的期限")
    )
    answer_due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    paused_at = models.DateTimeField(_("暂停计时起"), null=True, blank=True)
    paused_workdays = models.PositiveIntegerField(_("累计暂停工作日"), default=0)
    answer = models.TextField(_("答复内容"), blank=True, max_length=5000)
    answer_workdays = models.PositiveIntegerField(
        _("答复用时（工作日）"), null=True, blank=True, help_text=_("扣除等待补充材料的时间")
    )
    rating = models.PositiveSmallIntegerField(
        _("评分"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("评价"), max_length=500, blank=True)
    closed_by_silence = models.BooleanField(_("逾期未评价默认办结"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("退回/重办次数"), default=0)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["department", "status", "due_at"]),
            models.Index(fields=["region", "status", "due_at"]),
            models.Index(fields=["link", "status"]),
            models.Index(fields=["enterprise", "submitted_at"]),
            models.Index(fields=["department", "-submitted_at"], name="service_req_dept_newest"),
            models.Index(fields=["region", "-submitted_at"], name="service_req_region_newest"),
            # the requests on the clock by deadline (overdue and escalated lists, most urgent
            # first): the first rows of the index, instead of every overdue request sorted
            models.Index(
                fields=["due_at", "id"],
                name="service_req_clock_due",
                condition=models.Q(
                    status__in=[
                        RequestStatus.SUBMITTED,
                        RequestStatus.ACCEPTED,
                        RequestStatus.ROUTED,
                        RequestStatus.IN_PROGRESS,
                    ]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("service:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (RequestStatus.CLOSED, RequestStatus.REJECTED)


class ServiceEvent(models.Model):
    """One step taken on a request: who, from which state to which, when and why."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=RequestStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=RequestStatus.choices)
    reason = models.TextField(_("说明"), blank=True, max_length=5000)
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)

    class Meta:
        verbose_name = _("诉求流转记录")
        verbose_name_plural = _("诉求流转记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.request_id} {self.get_action_display()}"


def _attachment_path(instance: "ServiceAttachment", filename: str) -> str:
    # Never the client's file name: only our own UUID and the extension we detected.
    return f"service/{instance.uuid.hex[:2]}/{instance.uuid.hex}.{instance.extension}"


class ServiceAttachment(models.Model):
    """A file the enterprise added (补充材料); type checked by content, stored under a UUID."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    extension = models.CharField(_("类型"), max_length=8)
    content_type = models.CharField(_("MIME 类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.uuid.hex


class ServiceRollup(models.Model):
    """Precomputed counts per month and dimension, kept current by the workflow.

    One row per (month of submission, dimension, key). The statistics pages read these rows
    instead of scanning requests; `rebuild_service_rollups` rebuilds them from scratch.
    """

    month = models.DateField(_("月份"))
    dimension = models.CharField(_("维度"), max_length=12, choices=Dimension.choices)
    key = models.CharField(_("键"), max_length=40, blank=True)
    total = models.IntegerField(_("诉求数"), default=0)
    rejected = models.IntegerField(_("不予受理"), default=0)
    closed = models.IntegerField(_("已办结"), default=0)
    closed_on_time = models.IntegerField(_("按期办结"), default=0)
    answered = models.IntegerField(_("已答复"), default=0)
    answer_days_sum = models.IntegerField(_("答复用时合计（工作日）"), default=0)
    answer_hist = models.JSONField(_("答复用时分布"), default=dict)
    rated = models.IntegerField(_("评价数"), default=0)
    rating_sum = models.IntegerField(_("评分合计"), default=0)
    silent_closed = models.IntegerField(_("默认办结"), default=0)
    reopened = models.IntegerField(_("退回/重办"), default=0)

    class Meta:
        verbose_name = _("诉求统计汇总")
        verbose_name_plural = _("诉求统计汇总")
        ordering = ["month", "dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "key"], name="uniq_service_rollup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension}:{self.key}"


class Open311Key(models.Model):
    """An api_key issued to an integration (a 12345 hotline, a 浙里办 connector) for Open311.

    Only a SHA-256 hash of the key is stored: the key is shown once, when it is issued. A key
    is never deleted, only revoked, so that the requests it filed keep their provenance.
    """

    name = models.CharField(_("接入方"), max_length=60)
    prefix = models.CharField(_("密钥前缀"), max_length=8, help_text=_("用于辨认，不能用于调用"))
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    use_count = models.PositiveIntegerField(_("提交诉求数"), default=0)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("停用人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Open311 接入密钥")
        verbose_name_plural = _("Open311 接入密钥")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
