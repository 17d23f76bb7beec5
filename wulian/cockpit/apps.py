from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """The leader's cockpit (驾驶舱)."""

    name = "wulian.cockpit"
    label = "cockpit"
    verbose_name = _("驾驶舱")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("驾驶舱"),
            "url": "cockpit:home",
            "roles": frozenset({"leader", "department"}),
            "order": 5,
        },
    )
