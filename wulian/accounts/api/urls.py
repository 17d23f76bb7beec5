from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("me/password/", views.PasswordChangeView.as_view(), name="api-password-change"),
    *router.urls,
]
