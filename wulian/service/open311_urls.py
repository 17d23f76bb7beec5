"""Open311 GeoReport v2 (read side), mounted at /open311/v2/."""

from django.urls import path

from . import open311

app_name = "open311"

urlpatterns = [
    path("services.json", open311.ServicesView.as_view(), name="services"),
    path("requests.json", open311.RequestsView.as_view(), name="requests"),
    path("requests/<int:pk>.json", open311.RequestView.as_view(), name="request"),
]
