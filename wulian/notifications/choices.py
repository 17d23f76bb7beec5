"""Choices for notifications: what happened (kind), how it travels (channel), delivery state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; users choose channels per kind."""

    ROUTED = "routed", _("诉求派单到本部门")
    TRANSFERRED = "transferred", _("诉求转派到本部门")
    MATERIAL_REQUESTED = "material_requested", _("需要补充材料")
    MATERIAL_SUPPLIED = "material_supplied", _("企业已补充材料")
    ANSWERED = "answered", _("诉求已答复，请评价")
    DUE_SOON = "due_soon", _("一个工作日内到期")
    OVERDUE = "overdue", _("诉求已超期")
    ESCALATED = "escalated", _("督办升级")
    REOPENED = "reopened", _("诉求退回重办")
    TASK_LATE = "task_late", _("四定任务逾期")
    AGENDA_READY = "agenda_ready", _("会议议程已生成")
    DECISION_ASSIGNED = "decision_assigned", _("会议决定事项交办")
    IMPORT_FINISHED = "import_finished", _("数据导入完成")
    DIGEST = "digest", _("每日待办摘要")
    CLAIM_SUBMITTED = "claim_submitted", _("企业账号认领待审核")
    CLAIM_APPROVED = "claim_approved", _("企业账号认领已通过")
    POLICY_MATCHED = "policy_matched", _("有新政策与本企业匹配")
    PAYOUT_UPDATE = "payout_update", _("政策兑现进展")
    PAYOUT_OVERDUE = "payout_overdue", _("政策兑现超期")


# Kinds also posted to group robots (the department's and the city's): work for a team.
# Messages to one enterprise or one person (material requested, answered, imports, digests)
# stay personal.
GROUP_KINDS = frozenset(
    {
        Kind.ROUTED,
        Kind.TRANSFERRED,
        Kind.MATERIAL_SUPPLIED,
        Kind.DUE_SOON,
        Kind.OVERDUE,
        Kind.ESCALATED,
        Kind.REOPENED,
        Kind.TASK_LATE,
        Kind.AGENDA_READY,
        Kind.DECISION_ASSIGNED,
        Kind.PAYOUT_OVERDUE,
    }
)


class Channel(models.TextChoices):
    """How a notification reaches people. In-app always; the others are deliveries."""

    IN_APP = "in_app", _("站内通知")
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")
    DINGTALK = "dingtalk", _("钉钉/浙政钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")


PERSONAL_CHANNELS = (Channel.EMAIL, Channel.SMS)
ROBOT_CHANNELS = (Channel.DINGTALK, Channel.WECOM)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    DEAD = "dead", _("多次失败，已放弃")
