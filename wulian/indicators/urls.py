from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="list"),
    path("ranking/", views.RankingPageView.as_view(), name="ranking"),
    path("prosperity/", views.ProsperityView.as_view(), name="prosperity"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<uuid:job_id>/commit/", views.ImportCommitView.as_view(), name="import-commit"),
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="detail"),
    path("<slug:code>/targets/", views.TargetSetView.as_view(), name="set-target"),
]
