from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """政策体系: the policy catalogue, eligibility as data, matching, 免申即享/快申快享 payouts."""

    name = "wulian.policies"
    label = "policies"
    verbose_name = _("政策体系")
    nav_items: tuple = (
        {
            "label": _("惠企政策"),
            "url": "policies:list",
            "roles": frozenset({"leader", "chain", "department", "county", "enterprise"}),
            "order": 35,
        },
    )

    def ready(self):
        from wulian.enterprises.profile import register_section

        from . import datasets
        from .profile import SECTION

        register_section(SECTION)
        datasets.register()
