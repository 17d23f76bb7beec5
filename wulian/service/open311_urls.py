"""Open311 GeoReport v2, mounted at /open311/v2/: every resource in .json and .xml."""

from django.urls import re_path

from . import open311

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FMT, open311.Open311ServicesView.as_view(), name="services"),
    re_path(
        r"^services/(?P<code>[-\w]{1,30})" + FMT,
        open311.Open311ServiceView.as_view(),
        name="service",
    ),
    re_path(r"^requests" + FMT, open311.Open311RequestsView.as_view(), name="requests"),
    re_path(
        r"^requests/(?P<pk>\d{1,11})" + FMT, open311.Open311RequestView.as_view(), name="request"
    ),
]
