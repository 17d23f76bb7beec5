"""Chain graph, figures and target companies. The chain list with scores
(/api/v1/chains/) and /fusion/, /gaps/ are served by the fusion app, which composes them."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("target-companies", views.TargetCompanyViewSet, basename="target-company")

urlpatterns = [
    path("chains/<slug:code>/graph/", views.ChainGraphView.as_view(), name="chain-graph"),
    path("chains/<slug:code>/months/", views.ChainMonthsView.as_view(), name="chain-months"),
    path("chain-figures/", views.ChainFigureListView.as_view(), name="chain-figures"),
    *router.urls,
]
