from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="list"),
    path("new/", views.PolicyFormView.as_view(), name="create"),
    path("<int:pk>/", views.PolicyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PolicyFormView.as_view(), name="edit"),
    path("<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("<int:pk>/<slug:action>/", views.PolicyActionView.as_view(), name="action"),
    path("batches/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("payouts/", views.PayoutListView.as_view(), name="payouts"),
    path("payouts/<int:pk>/", views.PayoutDetailView.as_view(), name="payout"),
    path("payouts/<int:pk>/<slug:action>/", views.PayoutStepView.as_view(), name="step"),
    path("stats/", views.StatsView.as_view(), name="stats"),
]
