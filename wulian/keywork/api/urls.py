from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("meetings", views.MeetingViewSet, basename="meeting")

urlpatterns = router.urls
