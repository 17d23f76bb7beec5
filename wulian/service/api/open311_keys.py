"""Open311 api_keys (administrators): list, issue (the key is shown once), revoke."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Open311Key
from ..open311_services import issue_open311_key, revoke_open311_key


class Open311KeySerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", default="", read_only=True)
    revoked_by = serializers.CharField(source="revoked_by.username", default="", read_only=True)

    class Meta:
        model = Open311Key
        fields = [
            "id",
            "name",
            "prefix",
            "is_active",
            "created_at",
            "created_by",
            "last_used_at",
            "use_count",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields


class Open311KeyIssueSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, help_text="接入方名称，如“12345热线”")


class Open311KeyIssuedSerializer(Open311KeySerializer):
    api_key = serializers.CharField(read_only=True, help_text="只在签发时返回一次")

    class Meta(Open311KeySerializer.Meta):
        fields = [*Open311KeySerializer.Meta.fields, "api_key"]
        read_only_fields = fields


class Open311KeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Keys issued to Open311 integrations (12345 热线, 浙里办 …); administrators only.

    Only a hash of each key is stored: POST returns the key once. Revoking stops it at once.
    """

    allowed_roles = frozenset()  # superusers only
    serializer_class = Open311KeySerializer
    queryset = Open311Key.objects.select_related("created_by", "revoked_by").order_by(
        "-created_at", "-id"
    )

    @extend_schema(request=Open311KeyIssueSerializer, responses={201: Open311KeyIssuedSerializer})
    def create(self, request, *args, **kwargs):
        data = Open311KeyIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, raw = issue_open311_key(actor=request.user, name=data.validated_data["name"])
        key.api_key = raw
        return Response(Open311KeyIssuedSerializer(key).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: Open311KeySerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        key = revoke_open311_key(actor=request.user, key=self.get_object())
        return Response(Open311KeySerializer(key).data)
