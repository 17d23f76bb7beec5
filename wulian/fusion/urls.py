from django.urls import path

from . import views

app_name = "fusion"

urlpatterns = [
    path("", views.ScorecardView.as_view(), name="scorecard"),
    path("platforms/", views.PlatformListView.as_view(), name="platforms"),
    path("<slug:code>/", views.ChainFusionView.as_view(), name="chain"),
    path("<slug:code>/gaps/", views.GapsView.as_view(), name="gaps"),
    path("<slug:code>/report.xlsx", views.GapsExportView.as_view(), name="report"),
    path("<slug:code>/evidence/<str:dim>/", views.EvidenceView.as_view(), name="chain-evidence"),
    path(
        "<slug:code>/evidence/<str:dim>/<int:link_id>/",
        views.EvidenceView.as_view(),
        name="evidence",
    ),
]
