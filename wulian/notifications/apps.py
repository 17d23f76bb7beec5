from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Who must be told: in-app notifications, the delivery outbox, channels, preferences."""

    name = "wulian.notifications"
    label = "notifications"
    verbose_name = _("通知")
