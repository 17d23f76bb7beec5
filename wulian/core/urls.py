from django.contrib.auth import views as auth_views
from django.urls import path

from . import calendar_views, data_views, security_views, views
from .auth import LockoutAuthenticationForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
    path("security/sign-in/", security_views.SignInLocksView.as_view(), name="security-signin"),
    path("security/tokens/", security_views.TokenListView.as_view(), name="security-tokens"),
    path("calendar/", calendar_views.CalendarYearView.as_view(), name="calendar"),
    path("calendar/day/", calendar_views.CalendarDayEditView.as_view(), name="calendar-day"),
    path("calendar/year/", calendar_views.CalendarYearEnteredView.as_view(), name="calendar-year"),
    path("calendar/import/", calendar_views.CalendarImportView.as_view(), name="calendar-import"),
    path(
        "calendar/import/<uuid:job_id>/",
        calendar_views.CalendarImportCommitView.as_view(),
        name="calendar-import-commit",
    ),
    path("data/", data_views.DataHomeView.as_view(), name="data-home"),
    path("data/<slug:name>/template.xlsx", data_views.TemplateView.as_view(), name="data-template"),
    path("data/<slug:name>/export.xlsx", data_views.ExportView.as_view(), name="data-export"),
    path("data/<slug:name>/import/", data_views.UploadView.as_view(), name="data-import"),
    path(
        "data/<slug:name>/import/<uuid:job_id>/",
        data_views.JobView.as_view(),
        name="data-job",
    ),
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
