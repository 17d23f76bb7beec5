from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("service-categories", views.ServiceCategoryViewSet, basename="service-category")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("service-routing-rules", views.RoutingRuleViewSet, basename="service-routing-rule")

urlpatterns = [
    path("service-stats/", views.ServiceStatsView.as_view(), name="service-stats"),
    *router.urls,
]
