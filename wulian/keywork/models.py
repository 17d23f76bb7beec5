"""四定 key work, tasks and regular meetings (例会).

A key work item (重点工作) is broken into tasks; each task carries the 四定: 定目标 (target, and
optionally an indicator code so progress is read from the data), 定责任 (lead department,
responsible person, co-departments), 定时限 (deadline and milestones) and 定标准 (what counts
as done, checked when the task is closed). Its red/amber/green status is derived (rag.py).
Meetings belong to a series; their agenda is drafted from what is late, at risk or escalated,
and their decisions become tasks.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department

from .choices import (
    AgendaKind,
    Cadence,
    MeetingStatus,
    SeriesKind,
    TaskStatus,
    WorkCategory,
)
from .querysets import AgendaItemQuerySet, MeetingQuerySet, TaskQuerySet


class WorkItem(models.Model):
    """A key work item (重点工作), e.g. 十个“桥头堡”建设 of the city's “10+2”."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(
        _("类别"), max_length=20, choices=WorkCategory.choices, default=WorkCategory.OTHER
    )
    description = models.TextField(_("说明"), blank=True)
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    source = models.CharField(_("来源"), max_length=100, blank=True)
    source_sentence = models.TextField(_("原文"), blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("重点工作")
        verbose_name_plural = _("重点工作")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class MeetingSeries(models.Model):
    """A regular meeting (例会): the weekly chain meeting, the monthly city meeting …"""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=SeriesKind.choices)
    chain_code = models.CharField(
        _("产业链代码"), max_length=20, blank=True, help_text=_("产业链例会所属产业链")
    )
    organiser = models.ForeignKey(
        Department,
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_series",
    )
    chair = models.CharField(_("主持人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("例会")
        verbose_name_plural = _("例会")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One sitting of a series: agenda drafted, held, decisions recorded."""

    series = models.ForeignKey(
        MeetingSeries, verbose_name=_("例会"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=150)
    scheduled_on = models.DateField(_("会议日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    held_at = models.DateTimeField(_("召开时间"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    agenda_drafted_at = models.DateTimeField(_("议程生成时间"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-scheduled_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("keywork:meeting", args=[self.pk])


class Task(models.Model):
    """A listed task with the 四定 (目标、责任、时限、标准)."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name=_("重点工作"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("任务"), max_length=200)
    # 定目标
    target_text = models.CharField(_("目标"), max_length=300)
    target_value = models.DecimalField(
        _("目标值"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("单位"), max_length=20, blank=True)
    indicator_code = models.CharField(
        _("关联指标代码"), max_length=60, blank=True, help_text=_("进度从指标数据读取")
    )
    # 定责任
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="tasks"
    )
    responsible_person = models.CharField(_("责任人"), max_length=50)
    co_departments = models.ManyToManyField(
        Department, verbose_name=_("配合部门"), blank=True, related_name="co_tasks"
    )
    # 定时限
    start_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("完成时限"), db_index=True)
    # 定标准
    done_standard = models.TextField(_("完成标准"))
    cadence = models.CharField(
        _("报送频次"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closing_evidence = models.TextField(_("办结说明（对照完成标准）"), blank=True)
    source_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("来源会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("keywork:task", args=[self.pk])


class Milestone(models.Model):
    """A dated step of a task (定时限)."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成"))
    done_on = models.DateField(_("实际完成"), null=True, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.name


class ProgressReport(models.Model):
    """A progress report on a task, on its cadence; may ask the meeting to coordinate."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("报送日期"))
    progress_pct = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    value = models.DecimalField(
        _("目标完成值"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    summary = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    escalate = models.BooleanField(_("提请例会协调"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task} {self.reported_on} {self.progress_pct}%"


class TaskEvent(models.Model):
    """A task status change (办结, 重新打开): who, from, to, when, why."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=10)
    to_status = models.CharField(_("新状态"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务状态记录")
        verbose_name_plural = _("任务状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task} {self.from_status}→{self.to_status}"


class AgendaItem(models.Model):
    """One agenda line, drafted from the data (or added by hand), with what it refers to."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=20, choices=AgendaKind.choices)
    title = models.CharField(_("议题"), max_length=300)
    detail = models.TextField(_("说明"), blank=True)
    ref = models.CharField(_("关联对象"), max_length=60, blank=True)
    url = models.CharField(_("链接"), max_length=200, blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision recorded at a meeting; it becomes a task with its 四定."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("决定事项"))
    task = models.OneToOneField(
        Task,
        verbose_name=_("形成任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决定事项")
        verbose_name_plural = _("决定事项")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:50]


class MeetingEvent(models.Model):
    """A meeting status change (召开): who, from, to, when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=10)
    to_status = models.CharField(_("新状态"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议状态记录")
        verbose_name_plural = _("会议状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.from_status}→{self.to_status}"
