from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    """企呼我应: the closed loop for enterprise requests."""

    name = "wulian.service"
    label = "service"
    verbose_name = _("企呼我应")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = (
        {
            "label": _("我的诉求"),
            "url": "service:mine",
            "roles": frozenset({"enterprise"}),
            "order": 30,
        },
        {
            "label": _("企呼我应"),
            "url": "service:home",
            "roles": frozenset({"leader", "chain", "department", "county"}),
            "order": 30,
        },
    )

    def ready(self):
        # The working calendar (core) tells the service app when it changes, so that open
        # requests' deadlines move with it (core cannot import service).
        from wulian.core.workdays import register_calendar_listener

        from .recalendar import move_open_deadlines

        register_calendar_listener(move_open_deadlines)

        from wulian.enterprises.profile import FlagAction, register_flag_action, register_section

        from .profile import SECTION

        register_section(SECTION)
        register_flag_action(
            FlagAction(label=_("代企业发起诉求（我呼企应）"), url_name="service:proactive")
        )
