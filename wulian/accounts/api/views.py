"""Accounts API: administrators create, change and deactivate accounts."""

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.models import User
from wulian.core.permissions import ALL_ROLES

from .. import services
from ..filtersets import UserFilterSet
from ..querysets import accounts
from .serializers import (
    PasswordChangeSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts (system administrators only). PATCH changes any field; `is_active: false`
    deactivates the account, and its tokens and sessions stop working at once."""

    allowed_roles = frozenset()  # superusers only
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return accounts()

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request, *args, **kwargs):
        data = UserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.create_user(actor=request.user, **data.validated_data)
        user = accounts().get(pk=user.pk)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def partial_update(self, request, *args, **kwargs):
        user = self.get_object()
        data = UserUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_user(actor=request.user, user=user, **data.validated_data)
        return Response(UserSerializer(accounts().get(pk=user.pk)).data)


class PasswordChangeView(APIView):
    """The signed-in user changes their own password; their API tokens end with it."""

    allowed_roles = ALL_ROLES

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.change_own_password(
            user=User.objects.get(pk=request.user.pk),
            old_password=data.validated_data["old_password"],
            new_password=data.validated_data["new_password"],
        )
        if request.session is not None and request.user.is_authenticated:
            update_session_auth_hash(request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)
