from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Who must be told: in-app notifications, the delivery outbox, channels, preferences."""

    name = "wulian.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self):
        # The person who started a background import is told when a stage finishes.
        from wulian.core import import_jobs

        from .services import import_job_finished

        import_jobs.register_listener(import_job_finished)
