from django.contrib.auth import views as auth_views
from django.urls import path

from . import data_views, views
from .auth import LockoutAuthenticationForm

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
    path("data/", data_views.DataHomeView.as_view(), name="data-home"),
    path("data/<slug:name>/template.xlsx", data_views.TemplateView.as_view(), name="data-template"),
    path("data/<slug:name>/export.xlsx", data_views.ExportView.as_view(), name="data-export"),
    path("data/<slug:name>/import/", data_views.UploadView.as_view(), name="data-import"),
    path(
        "data/<slug:name>/import/<uuid:job_id>/commit/",
        data_views.CommitView.as_view(),
        name="data-commit",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LockoutAuthenticationForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
