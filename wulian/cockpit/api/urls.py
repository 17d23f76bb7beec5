from django.urls import path

from . import views

urlpatterns = [
    path("cockpit/", views.CockpitAPIView.as_view(), name="cockpit"),
]
