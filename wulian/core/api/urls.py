from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views
from .calendar import CalendarDayViewSet
from .datasets import ImportFileView
from .tokens import ApiTokenViewSet

router = SimpleRouter()
router.register("regions", views.RegionViewSet)
router.register("departments", views.DepartmentViewSet)
router.register("audit-events", views.AuditEventViewSet)
router.register("calendar-days", CalendarDayViewSet, basename="calendar-day")
router.register("tokens", ApiTokenViewSet, basename="api-token-admin")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("ping/", views.PingView.as_view(), name="api-ping"),
    path("imports/<slug:name>/", ImportFileView.as_view(), name="api-import"),
    *router.urls,
]
