from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .auth import LockoutAuthenticationForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LockoutAuthenticationForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
