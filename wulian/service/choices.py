"""Choices for 企呼我应 (enterprise service requests)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    """Where a service request stands in the closed loop."""

    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    ROUTED = "routed", _("已派单")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_MATERIAL = "awaiting_material", _("待补充材料")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")


OPEN_STATUSES = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.ACCEPTED,
        RequestStatus.ROUTED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.AWAITING_MATERIAL,
        RequestStatus.ANSWERED,
    }
)
DONE_STATUSES = frozenset({RequestStatus.CLOSED, RequestStatus.REJECTED})


class Action(models.TextChoices):
    """A step of the loop; each is `POST /api/v1/service-requests/{id}/<action>/`."""

    SUBMIT = "submit", _("提交")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    ROUTE = "route", _("派单")
    START = "start", _("开始办理")
    ANSWER = "answer", _("答复")
    TRANSFER = "transfer", _("转派")
    REQUEST_MATERIAL = "request_material", _("要求补充材料")
    SUPPLY_MATERIAL = "supply_material", _("补充材料")
    CONFIRM = "confirm", _("确认并评价")
    SEND_BACK = "send_back", _("退回")
    REOPEN = "reopen", _("低分重办")
    AUTO_CLOSE = "auto_close", _("逾期未评价默认办结")


class Actor(models.TextChoices):
    """Who owns a step, relative to one request (not a global role)."""

    ENTERPRISE = "enterprise", _("提交企业")
    DISPATCHER = "dispatcher", _("营商办")
    HANDLER = "handler", _("承办部门")
    SYSTEM = "system", _("系统")


class Dimension(models.TextChoices):
    """What a statistics rollup row is grouped by."""

    ALL = "all", _("全市")
    DEPARTMENT = "department", _("部门")
    CATEGORY = "category", _("诉求类别")
    REGION = "region", _("区县")
    LINK = "link", _("产业链环节")


class Escalation(models.IntegerChoices):
    """How far up an overdue request has gone (derived from how overdue it is)."""

    NONE = 0, _("未升级")
    DEPARTMENT_HEAD = 1, _("部门负责人督办")
    CHAIN_OFFICE = 2, _("链办督办")
    LEADER = 3, _("市领导关注")
