from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views, views_proactive

router = SimpleRouter()
router.register("service-categories", views.ServiceCategoryViewSet, basename="service-category")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("service-routing-rules", views.RoutingRuleViewSet, basename="service-routing-rule")

urlpatterns = [
    path("service-stats/", views.ServiceStatsView.as_view(), name="service-stats"),
    path(
        "warnings/<int:pk>/service-request/",
        views_proactive.ProactiveRequestView.as_view(),
        name="warning-service-request",
    ),
    *router.urls,
]
