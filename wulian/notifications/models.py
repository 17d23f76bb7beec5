"""Notifications and their outbox.

A `Message` is one event worth telling (a request routed, a deadline tomorrow). Each person
told gets a `Notification` (the in-app centre); each outside channel gets a `Delivery` row —
the outbox — written in the same transaction as the change that caused the message and sent
later by the worker (`delivery.py`). Group robots are configured per department (`Robot`) and
city-wide from the environment.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department

from .choices import Channel, DeliveryStatus, Kind
from .querysets import DeliveryQuerySet, NotificationQuerySet


class Message(models.Model):
    """One event to tell people about; `dedupe_key` makes time-driven events fire once."""

    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=4000, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("相关部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("该部门的群机器人也会收到"),
    )
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("通知消息")
        verbose_name_plural = _("通知消息")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="uniq_message_dedupe"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """A message in one person's notification centre (read or not)."""

    message = models.ForeignKey(
        Message, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "recipient"], name="uniq_notification")
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notif_recipient_newest"),
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.message}"


class Robot(models.Model):
    """A group robot (DingTalk / 浙政钉 or WeCom) that receives a department's messages.

    Without a department it receives every team message of the city, like the robots named
    by `NOTIFY_WEBHOOK_URL`.
    """

    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(
        _("类型"),
        max_length=10,
        choices=[(Channel.DINGTALK, Channel.DINGTALK.label), (Channel.WECOM, Channel.WECOM.label)],
        default=Channel.DINGTALK,
    )
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉“加签”安全设置的密钥，可空")
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="robots",
        help_text=_("留空表示全市"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["department__code", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One message to send through one outside channel to one address: the outbox row.

    The worker claims due rows with a lease (`lease_until`, `lease_token`), sends, and marks
    them sent under the same token; a worker that dies leaves its lease to expire and the row
    is claimed again. Failures wait longer each time (`next_attempt_at`) until `max attempts`.
    """

    message = models.ForeignKey(
        Message, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("地址"), max_length=500)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    robot = models.ForeignKey(
        Robot, verbose_name=_("群机器人"), null=True, blank=True, on_delete=models.CASCADE
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"))
    lease_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    lease_token = models.UUIDField(_("占用标识"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    key = models.UUIDField(_("投递标识"), default=uuid.uuid4, editable=False, unique=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "channel", "target"], name="uniq_delivery_target"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"


class ChannelHealth(models.Model):
    """How one channel address fares: consecutive failures and the last error, for admins."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("地址"), max_length=500)
    consecutive_failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    last_error_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("最近成功时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("渠道状态")
        verbose_name_plural = _("渠道状态")
        ordering = ["-consecutive_failures", "channel", "target"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "target"], name="uniq_channel_health")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.target}"

    @property
    def shown_target(self) -> str:
        return mask_target(self.target)


def mask_target(target: str) -> str:
    """An address as administrators may see it: robot tokens and phone digits hidden."""
    if target.startswith(("http://", "https://")):
        base, _sep, query = target.partition("?")
        if not query:
            return base
        names = [pair.split("=", 1)[0] for pair in query.split("&")]
        return base + "?" + "&".join(f"{name}=…" for name in names)
    if target.isdigit() and len(target) > 7:
        return target[:3] + "****" + target[-4:]
    return target


class Preference(models.Model):
    """A person's channels for one kind of notification (in-app is always on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    email = models.BooleanField(_("邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="uniq_preference")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


class NotifySettings(models.Model):
    """A person's quiet hours, phone for SMS and daily digest choice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notify_settings",
    )
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)
    phone = models.CharField(_("短信手机号"), max_length=20, blank=True)
    daily_digest = models.BooleanField(
        _("每日摘要"), null=True, help_text=_("空：市领导默认接收，其他人默认不接收")
    )

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)
