from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts and organisation: staff and enterprise accounts, departments and counties,
    enterprise account claims. Sits above enterprises and chains (it links accounts to
    enterprises by USCC and checks chain codes); the User model itself lives in core."""

    name = "wulian.accounts"
    label = "accounts"
    verbose_name = _("账号与组织")
    nav_items: tuple = (
        {"label": _("系统管理"), "url": "accounts:users", "roles": frozenset(), "order": 880},
    )

    def ready(self):
        from . import datasets

        datasets.register()
