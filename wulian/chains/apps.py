from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    """Industry chains as graphs of links (产业链图谱)."""

    name = "wulian.chains"
    label = "chains"
    verbose_name = _("产业链图谱")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("产业链图谱"),
            "url": "chains:list",
            "roles": frozenset({"leader", "chain", "department", "county", "enterprise"}),
            "order": 30,
        },
    )

    def ready(self):
        from wulian.enterprises.profile import register_chain_names, register_chain_reader

        from .profile import chain_names, enterprise_chains

        register_chain_reader(enterprise_chains)
        register_chain_names(chain_names)

        from . import datasets

        datasets.register()
