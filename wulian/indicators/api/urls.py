from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("observations", views.ObservationViewSet, basename="observation")
router.register("targets", views.TargetViewSet, basename="target")

urlpatterns = [
    path("rankings/", views.RankingView.as_view(), name="indicator-rankings"),
    path("progress/", views.ProgressView.as_view(), name="indicator-progress"),
    *router.urls,
]
