from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views, views_datasets

router = SimpleRouter()
router.register("platforms", views_datasets.PlatformViewSet, basename="platform")
router.register("talent-demands", views_datasets.TalentDemandViewSet, basename="talent-demand")
router.register("talent-supplies", views_datasets.TalentSupplyViewSet, basename="talent-supply")
router.register("funds", views_datasets.FundViewSet, basename="fund")
router.register("financing-events", views_datasets.FinancingViewSet, basename="financing-event")
router.register("peer-outputs", views_datasets.PeerOutputViewSet, basename="peer-output")

urlpatterns = [
    path("chains/", views.ChainListView.as_view(), name="chain-list"),
    path("chains/<slug:code>/fusion/", views.ChainFusionView.as_view(), name="chain-fusion"),
    path("chains/<slug:code>/gaps/", views.ChainGapsView.as_view(), name="chain-gaps"),
    path("chains/<slug:code>/targets/", views.ChainTargetsView.as_view(), name="chain-targets"),
    *router.urls,
]
