from django.urls import path

from . import views, views_mujun, views_warnings

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("export.xlsx", views.EnterpriseExportView.as_view(), name="export"),
    path("import/", views.EnterpriseImportView.as_view(), name="import"),
    path(
        "import/<uuid:job_id>/commit/",
        views.EnterpriseImportCommitView.as_view(),
        name="import-commit",
    ),
    path("mujun/", views_mujun.MujunView.as_view(), name="mujun"),
    path("mujun/settings/", views_mujun.MujunSettingsView.as_view(), name="mujun-settings"),
    path("warnings/", views_warnings.WarningListView.as_view(), name="warnings"),
    path("warnings/rules/", views_warnings.WarningRuleView.as_view(), name="warning-rules"),
    path(
        "warnings/<int:pk>/<str:action>/",
        views_warnings.FlagActionView.as_view(),
        name="flag-action",
    ),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
]
