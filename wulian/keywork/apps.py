from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyworkConfig(AppConfig):
    """四定 key work, tasks and regular meetings (例会)."""

    name = "wulian.keywork"
    label = "keywork"
    verbose_name = _("四定与例会")
    # Menu entries: {"label", "url" (a URL name), "roles", "icon", "order"}; see
    # core.context_processors.navigation. Add entries only for pages that exist.
    nav_items: tuple = ()
