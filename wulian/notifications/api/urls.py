from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("notification-robots", views.RobotViewSet, basename="notification-robot")
router.register(
    "notification-channels", views.ChannelHealthViewSet, basename="notification-channel"
)

urlpatterns = [
    path(
        "notification-settings/", views.NotifySettingsView.as_view(), name="notification-settings"
    ),
    *router.urls,
]
