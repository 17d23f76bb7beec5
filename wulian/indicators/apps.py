from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """Indicators, targets, province ranking (目标体系·评价体系)."""

    name = "wulian.indicators"
    label = "indicators"
    verbose_name = _("目标与评价")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("指标与目标"),
            "url": "indicators:list",
            "roles": frozenset({"leader", "chain", "department", "county"}),
            "order": 70,
        },
    )

    def ready(self):
        from . import datasets

        datasets.register()
