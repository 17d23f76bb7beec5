from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("", views.ChainListView.as_view(), name="list"),
    path("targets/", views.TargetCompanyListView.as_view(), name="targets"),
    path("targets/import/", views.TargetImportView.as_view(), name="target-import"),
    path(
        "targets/import/<uuid:job_id>/commit/",
        views.TargetImportCommitView.as_view(),
        name="target-import-commit",
    ),
    path("<slug:code>/", views.ChainMapView.as_view(), name="map"),
    path("<slug:code>/edit/", views.ChainEditView.as_view(), name="edit"),
    path("<slug:code>/report.xlsx", views.ChainReportView.as_view(), name="report"),
    path("<slug:code>/links/<int:link_id>/", views.LinkPanelView.as_view(), name="link"),
    path(
        "<slug:code>/links/<int:link_id>/enterprises/",
        views.LinkPlacementView.as_view(),
        name="placement",
    ),
]
