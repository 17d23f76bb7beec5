from django.urls import path

from . import views

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
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
]
