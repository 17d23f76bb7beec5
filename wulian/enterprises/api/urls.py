from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views, views_mujun, views_warnings

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("enterprise-months", views.EnterpriseMonthViewSet, basename="enterprise-month")
router.register("enterprise-tags", views.EnterpriseTagViewSet, basename="enterprise-tag")
router.register("warnings", views_warnings.WarningFlagViewSet, basename="warning")
router.register("warning-rules", views_warnings.WarningRuleViewSet, basename="warning-rule")

urlpatterns = [
    path("mujun/", views_mujun.MujunListView.as_view(), name="mujun"),
    path("mujun/evaluate/", views_mujun.MujunEvaluateView.as_view(), name="mujun-evaluate"),
    path("mujun-settings/", views_mujun.MujunSettingsView.as_view(), name="mujun-settings"),
    *router.urls,
]
