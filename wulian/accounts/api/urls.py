from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("account-claims", views.AccountClaimViewSet, basename="account-claim")

urlpatterns = [
    path("me/password/", views.PasswordChangeView.as_view(), name="api-password-change"),
    *router.urls,
]
