from django.urls import path

from . import views

app_name = "investment"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("projects/", views.ProjectListView.as_view(), name="list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="edit"),
    path("projects/<int:pk>/advance/", views.AdvanceView.as_view(), name="advance"),
    path("projects/<int:pk>/transition/", views.TransitionView.as_view(), name="transition"),
    path("projects/<int:pk>/revert/", views.RevertView.as_view(), name="revert"),
    path("projects/<int:pk>/documents/", views.DocumentUploadView.as_view(), name="upload"),
    path("projects/<int:pk>/investment/", views.MonthlyInvestmentView.as_view(), name="monthly"),
    path("projects/<int:pk>/company/", views.CompanyView.as_view(), name="company"),
    path("documents/<uuid:uid>/", views.DocumentDownloadView.as_view(), name="document"),
    path("targets/<int:target_id>/open-lead/", views.OpenLeadView.as_view(), name="open-lead"),
    path("totals/", views.TotalsView.as_view(), name="totals"),
]
