from django.urls import path
from rest_framework.routers import SimpleRouter

from . import open311_keys, views, views_proactive

router = SimpleRouter()
# The most read routes first: Django tries the patterns in order.
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("service-categories", views.ServiceCategoryViewSet, basename="service-category")
router.register("service-routing-rules", views.RoutingRuleViewSet, basename="service-routing-rule")
router.register("open311-keys", open311_keys.Open311KeyViewSet, basename="open311-key")

urlpatterns = [
    *router.urls,
    path("service-stats/", views.ServiceStatsView.as_view(), name="service-stats"),
    path(
        "warnings/<int:pk>/service-request/",
        views_proactive.ProactiveRequestView.as_view(),
        name="warning-service-request",
    ),
]
