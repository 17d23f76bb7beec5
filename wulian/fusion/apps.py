from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FusionConfig(AppConfig):
    """Five-chain fusion: platforms, talent, capital, the scorecard and gap analysis."""

    name = "wulian.fusion"
    label = "fusion"
    verbose_name = _("五链融合")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("五链融合"),
            "url": "fusion:scorecard",
            "roles": frozenset({"leader", "chain", "department", "county"}),
            "order": 35,
        },
    )
    # Sections fusion adds to a link's panel on the chain map (chains.views.link_sections).
    link_panel = "wulian.fusion.panels.link_sections"

    def ready(self):
        from . import datasets

        datasets.register()
