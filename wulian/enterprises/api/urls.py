from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("enterprise-months", views.EnterpriseMonthViewSet, basename="enterprise-month")
router.register("enterprise-tags", views.EnterpriseTagViewSet, basename="enterprise-tag")

urlpatterns = router.urls
