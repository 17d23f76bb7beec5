"""API tokens for administrators: list them, revoke a user's token (by user id)."""

from rest_framework import mixins, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.generics import get_object_or_404

from ..tokens import revoke_tokens
from .serializers import ApiTokenSerializer


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Every API token with owner and expiry (administrators only); DELETE revokes it."""

    allowed_roles = frozenset()
    serializer_class = ApiTokenSerializer
    lookup_field = "user"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return Token.objects.select_related("user").order_by("-created")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), user_id=self.kwargs["user"])

    def perform_destroy(self, instance):
        revoke_tokens(actor=self.request.user, user=instance.user, note="管理员撤销令牌")
