from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("policy-payouts", views.PayoutViewSet, basename="policy-payout")
router.register("policy-batches", views.PayoutBatchViewSet, basename="policy-batch")

urlpatterns = [
    path("policy-fields/", views.PolicyFieldsView.as_view(), name="policy-fields"),
    path("policy-stats/", views.PolicyStatsView.as_view(), name="policy-stats"),
    *router.urls,
]
