"""Template context shared by every page: the navigation the user may see."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .permissions import is_administrator, role_allowed


def navigation(request):
    """Menu items declared by each app's AppConfig.nav_items, filtered by the user's role.

    An app adds itself to the menu by declaring nav_items, so the menu only ever shows
    modules that exist (no dead links).
    """
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for config in apps.get_app_configs():
            for item in getattr(config, "nav_items", ()):
                if not role_allowed(user, item["roles"]):
                    continue
                try:
                    url = reverse(item["url"])
                except NoReverseMatch:
                    continue
                items.append(
                    {
                        "label": item["label"],
                        "url": url,
                        "icon": item.get("icon", ""),
                        "order": item.get("order", 100),
                        "active": request.path.startswith(url) and url != "/",
                    }
                )
    items.sort(key=lambda i: i["order"])
    return {"nav_items": items}


def calendar_warning(request):
    """Administrators, from 1 November: next year's 放假/调休 schedule is still missing."""
    user = getattr(request, "user", None)
    if not is_administrator(user):
        return {}
    from .calendar_service import missing_next_year

    return {"calendar_missing_year": missing_next_year()}
