from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    """The investment pipeline and major projects (招商与重大项目)."""

    name = "wulian.investment"
    label = "investment"
    verbose_name = _("招商与重大项目")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("招商项目"),
            "url": "investment:board",
            "roles": frozenset({"leader", "chain", "department", "county"}),
            "order": 40,
        },
    )

    def ready(self):
        from wulian.enterprises.profile import register_section

        from .profile import SECTION

        register_section(SECTION)

        from . import datasets

        datasets.register()
