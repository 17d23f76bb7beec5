from django.urls import path

from . import views

urlpatterns = [path("workbench/", views.WorkbenchView.as_view(), name="api-workbench")]
