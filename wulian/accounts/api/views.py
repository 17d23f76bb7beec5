"""Accounts API: administrators create, change and deactivate accounts."""

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from wulian.core.choices import Role
from wulian.core.models import User
from wulian.core.permissions import ALL_ROLES

from .. import claims, services
from ..filtersets import UserFilterSet
from ..models import AccountClaim
from ..querysets import accounts
from .serializers import (
    AccountClaimSerializer,
    ClaimDecisionSerializer,
    ClaimReceiptSerializer,
    ClaimSubmitSerializer,
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


class AccountClaimViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprise account claims. `POST` is open to anyone (rate-limited per address) and
    answers with the claim's 查询码; administrators and county staff list, approve and reject
    the claims on their enterprises (county staff: their county's)."""

    allowed_roles = frozenset({Role.COUNTY})  # and administrators
    serializer_class = AccountClaimSerializer
    throttle_scope = "claim"

    def get_queryset(self):
        return AccountClaim.objects.visible_to(self.request.user).for_list()

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.action == "create":
            return [ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=ClaimSubmitSerializer, responses={201: ClaimReceiptSerializer, 429: None}
    )
    def create(self, request, *args, **kwargs):
        data = ClaimSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = request.user if request.user.is_authenticated else None
        claim = claims.submit_claim(actor=actor, **data.validated_data)
        receipt = {
            "token": claim.token,
            "status": claim.status,
            "enterprise_name": claim.enterprise.name,
        }
        return Response(ClaimReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, step: str):
        claim = self.get_object()
        data = ClaimDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            claims.decide_claim(
                actor=request.user,
                claim=claim,
                action=step,
                reason=data.validated_data.get("reason", ""),
            )
        except claims.IllegalStep as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(AccountClaimSerializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(request=ClaimDecisionSerializer, responses={200: AccountClaimSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve: the enterprise account is created and linked to the enterprise."""
        return self._decide(request, "approve")

    @extend_schema(request=ClaimDecisionSerializer, responses={200: AccountClaimSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject with a reason (required); the claimant reads it with the 查询码."""
        return self._decide(request, "reject")
