from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkCategory(models.TextChoices):
    TEN_PLUS_TWO = "ten_plus_two", _("“10+2”重点工作")
    MEASURE = "measure", _("其他重点举措")
    OTHER = "other", _("其他")


class Cadence(models.TextChoices):
    """How often a task reports progress."""

    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("推进中")
    DONE = "done", _("已办结")


class Rag(models.TextChoices):
    """Red/amber/green, derived from deadline, milestones and reports (never typed)."""

    GREEN = "green", _("正常")
    AMBER = "amber", _("预警")
    RED = "red", _("滞后")
    DONE = "done", _("已办结")


class SeriesKind(models.TextChoices):
    WEEKLY_CHAIN = "weekly_chain", _("产业链周例会")
    MONTHLY_CITY = "monthly_city", _("市级月度例会")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    HELD = "held", _("已召开")


class AgendaKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("上次会议决定事项跟进")
    LATE_TASK = "late_task", _("滞后任务")
    AT_RISK = "at_risk", _("预警任务")
    ESCALATED = "escalated", _("新提请协调事项")
    REQUEST = "request", _("逾期企业诉求（企呼我应）")
    PROJECT = "project", _("停滞项目")
    OTHER = "other", _("其他议题")
