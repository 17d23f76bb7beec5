from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Regions, departments, people and roles, the working-day calendar, audit, imports."""

    name = "wulian.core"
    label = "core"
    verbose_name = _("基础")
    nav_items: tuple = (
        {
            "label": _("数据导入"),
            "url": "data-home",
            "roles": frozenset({"leader", "chain", "department", "county"}),
            "order": 880,
        },
        {"label": _("审计日志"), "url": "audit-log", "roles": frozenset(), "order": 900},
    )

    def ready(self) -> None:
        from .cache import orm_statements_are_not_raw

        orm_statements_are_not_raw()
