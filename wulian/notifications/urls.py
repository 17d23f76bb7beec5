from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationCentreView.as_view(), name="centre"),
    path("<int:pk>/open/", views.NotificationOpenView.as_view(), name="open"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read-all"),
    path("settings/", views.NotifySettingsPageView.as_view(), name="settings"),
    path("channels/", views.ChannelsView.as_view(), name="channels"),
]
