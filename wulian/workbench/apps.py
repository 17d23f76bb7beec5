from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """我的待办: what waits for the signed-in person across every module (the landing page)."""

    name = "wulian.workbench"
    label = "workbench"
    verbose_name = _("我的待办")
