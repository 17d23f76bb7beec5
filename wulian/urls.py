"""Wulian URLs: pages per app, the API under /api/v1/, schema and docs, health check."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

APPS = [
    "notifications",
    "enterprises",
    "chains",
    "accounts",
    "service",
    "investment",
    "policies",
    "fusion",
    "indicators",
    "keywork",
    "cockpit",
]
TOP = ["workbench"]  # apps with an API but no URL prefix of their own

# Django tries the patterns in order: the most read endpoints (enterprises, service requests,
# projects) come right after the core's, so resolving them skips the other apps' routes.
HOT = ["enterprises", "service", "investment"]

api_patterns = [
    path("", include("wulian.core.api.urls")),
    *[path("", include(f"wulian.{app}.api.urls")) for app in HOT],
    *[path("", include(f"wulian.{app}.api.urls")) for app in APPS + TOP if app not in HOT],
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("api/v1/", include(api_patterns)),  # first: most requests are API reads
    path("", include("wulian.workbench.urls")),  # 我的待办, the landing page ("home")
    path("", include("wulian.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    *[path(f"{app}/", include(f"wulian.{app}.urls")) for app in APPS],
    path("open311/v2/", include("wulian.service.open311_urls")),
]

handler404 = "wulian.core.errors.page_not_found"
