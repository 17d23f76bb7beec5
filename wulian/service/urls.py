from django.urls import path

from . import views, views_categories, views_open311, views_proactive

app_name = "service"

urlpatterns = [
    path("", views.ServiceHomeView.as_view(), name="home"),
    path("mine/", views.MyRequestsView.as_view(), name="mine"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("board/", views.DispatchBoardView.as_view(), name="board"),
    path("rules/", views.RoutingRulesView.as_view(), name="rules"),
    path("categories/", views_categories.CategoriesView.as_view(), name="categories"),
    path(
        "categories/<slug:code>/",
        views_categories.CategoryEditView.as_view(),
        name="category-edit",
    ),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("stats/export.xlsx", views.StatsExportView.as_view(), name="stats-export"),
    path("export.xlsx", views.RequestExportView.as_view(), name="export"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("requests/<int:pk>/<slug:action>/", views.RequestStepView.as_view(), name="step"),
    path(
        "proactive/<int:pk>/",
        views_proactive.ProactiveRequestView.as_view(),
        name="proactive",
    ),
    path("attachments/<uuid:uuid>/", views.AttachmentView.as_view(), name="attachment"),
    path("open311-keys/", views_open311.Open311KeysView.as_view(), name="open311-keys"),
]
