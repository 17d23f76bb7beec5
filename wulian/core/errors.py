"""Error pages for addresses that match no URL: JSON where a program is asking.

Django answers an address that matches no URL pattern with the HTML 404 page. A client of the
API (or of Open311) asked for JSON and documents its errors as JSON, so under `/api/` the answer
is `{"detail": ...}` like every other API error, and under `/open311/` GeoReport's error list.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    if request.path.startswith("/open311/"):
        return JsonResponse([{"code": 404, "description": _("未找到。")}], status=404, safe=False)
    return defaults.page_not_found(request, exception)
