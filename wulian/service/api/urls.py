from django.urls import path
from rest_framework.routers import SimpleRouter

from . import open311_keys, views, views_proactive

router = SimpleRouter()
router.register("service-categories", views.ServiceCategoryViewSet, basename="service-category")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("service-routing-rules", views.RoutingRuleViewSet, basename="service-routing-rule")
router.register("open311-keys", open311_keys.Open311KeyViewSet, basename="open311-key")

urlpatterns = [
    path("service-stats/", views.ServiceStatsView.as_view(), name="service-stats"),
    path(
        "warnings/<int:pk>/service-request/",
        views_proactive.ProactiveRequestView.as_view(),
        name="warning-service-request",
    ),
    *router.urls,
]
