from django.urls import path

from . import views

urlpatterns = [path("", views.WorkbenchView.as_view(), name="home")]
