from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """The enterprise registry (企业库)."""

    name = "wulian.enterprises"
    label = "enterprises"
    verbose_name = _("企业库")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("企业库"),
            "url": "enterprises:list",
            "roles": frozenset({"leader", "chain", "department", "county", "enterprise"}),
            "order": 20,
        },
    )

    def ready(self):
        from . import datasets

        datasets.register()
