"""Core records: regions, departments, users with roles, audit events, calendar overrides."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, ImportStatus, RegionLevel, Role

CITY_CODE = "330800"


class Region(models.Model):
    """An administrative division, identified by its GB/T 2260 code (e.g. 330825 龙游县)."""

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_peer_city = models.BooleanField(
        _("省内对标城市"), default=False, help_text=_("参与全省设区市排名")
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A government department (经信局, 营商办 …) that owns work and answers requests."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, default=CITY_CODE
    )
    is_dispatcher = models.BooleanField(
        _("受理派单部门"), default=False, help_text=_("营商办：受理并派发企业诉求")
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person using Wulian; `role` and its scope fields decide what they may see."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.DEPARTMENT)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职务"), max_length=60, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("区县人员只看本区县"),
    )
    # A code, not a foreign key: core sits below the chains app (docs/architecture.md).
    chain_code = models.CharField(
        _("所属产业链代码"), max_length=20, blank=True, help_text=_("链长/链办所负责的产业链")
    )
    must_change_password = models.BooleanField(
        _("须修改初始密码"),
        default=False,
        help_text=_("管理员设置或重置的密码，本人首次登录时必须修改"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class AuditEvent(models.Model):
    """Who changed which business record, when, and its values before and after.

    Written by services in the same transaction as the change (never by signals), so bulk
    paths such as imports are audited too.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    model = models.CharField(_("对象类型"), max_length=60, db_index=True)
    object_id = models.CharField(_("对象ID"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"


class CalendarOverride(models.Model):
    """An admin's word on one date: a working day or a holiday, above the package's calendar.

    Used for years the chinese-calendar package does not cover yet, and for local changes.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_workday else _("休息日")
        return f"{self.date} {kind}"


class CalendarYear(models.Model):
    """A year whose 放假/调休 schedule administrators have entered in full.

    For a year the chinese-calendar package does not cover, the statutory holidays count as
    provisional days off until the year is marked here (by the schedule import or the page).
    """

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已录入的年度放假安排")
        verbose_name_plural = _("已录入的年度放假安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


def _import_upload_path(instance: "ImportJob", filename: str) -> str:
    # Client file names are never used as paths: only our own UUID.
    return f"imports/{instance.pk}.upload"


class ImportJob(models.Model):
    """An uploaded file waiting between its preview (dry run) and the user's confirmation.

    A large file is checked and written by the worker (`core.import_jobs`): it passes through
    queued → checking → previewed → confirmed → writing → done (or failed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("导入类型"), max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to=_import_upload_path, max_length=255)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus.choices)
    report = models.JSONField(_("报告"), default=dict)
    background = models.BooleanField(
        _("后台处理"), default=False, help_text=_("大文件由后台任务预检和写入")
    )
    updated_at = models.DateTimeField(_("状态更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"


class SignInCounter(models.Model):
    """Failed sign-ins counted per key within a window: per client address (`ip:<addr>`) and per
    username at that address (`user:<name>|<addr>`).

    A sign-in reserves one failure on each of its keys in one locked transaction *before* the
    password is checked, so concurrent guesses cannot all pass the limit check at once; a
    success gives the reservation back.
    """

    key = models.CharField(_("键"), max_length=250, unique=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    window_start = models.DateTimeField(_("计数起点"))
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")

    def __str__(self) -> str:
        return self.key
