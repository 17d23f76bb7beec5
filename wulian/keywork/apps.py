from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyworkConfig(AppConfig):
    """四定 key work, tasks and regular meetings (例会)."""

    name = "wulian.keywork"
    label = "keywork"
    verbose_name = _("四定与例会")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("四定任务"),
            "url": "keywork:my-tasks",
            "roles": frozenset({"leader", "chain", "department"}),
            "order": 70,
        },
        {
            "label": _("例会"),
            "url": "keywork:meetings",
            "roles": frozenset({"leader", "chain", "department", "county"}),
            "order": 71,
        },
    )

    def ready(self):
        from . import datasets

        datasets.register()
