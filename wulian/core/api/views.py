from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .. import organisation
from ..auth import locked_message
from ..filtersets import AuditEventFilterSet
from ..models import AuditEvent, Department, Region
from ..permissions import ALL_ROLES
from ..tokens import issue_token
from .serializers import (
    AuditEventSerializer,
    CountyWriteSerializer,
    DepartmentSerializer,
    DepartmentWriteSerializer,
    MeSerializer,
    RegionSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (open to anyone, by design)."""

    parser_classes = [JSONParser]
    # A request-rate cap per address on top of the failed-sign-in counters (core.auth): it
    # bounds the password hashing one address can cause, right or wrong.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "sign-in"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, 400: None, 429: None},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "signin_locked", None):
                minutes = settings.LOGIN_LOCKOUT_MINUTES
                return Response(
                    {"detail": locked_message()},
                    status=429,
                    headers={"Retry-After": str(minutes * 60)},
                )
            raise ValidationError(serializer.errors)
        token = issue_token(serializer.validated_data["user"])
        return Response({"token": token.key})


class PingSerializer(serializers.Serializer):
    status = serializers.CharField()


class PingView(APIView):
    """A constant answer without database or session: the framework's floor in load tests."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=PingSerializer)
    def get(self, request):
        return Response({"status": "ok"})


class MeView(generics.RetrieveAPIView):
    """The signed-in user, their role and scope."""

    allowed_roles = ALL_ROLES
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class _OrganisationWrites(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Everyone reads; system administrators create (POST) and change (PATCH), through
    `core.organisation`, which checks and audits."""

    allowed_roles = ALL_ROLES
    write_roles = frozenset()  # system administrators only
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_serializer = serializers.Serializer

    def save(self, **values):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        data = self.write_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = self.save(**data.validated_data)
        return Response(self.get_serializer(saved).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.write_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        saved = self.save(instance=instance, **data.validated_data)
        return Response(self.get_serializer(saved).data)


@extend_schema_view(
    create=extend_schema(request=CountyWriteSerializer, responses={201: RegionSerializer}),
    partial_update=extend_schema(request=CountyWriteSerializer, responses=RegionSerializer),
)
class RegionViewSet(_OrganisationWrites):
    """Administrative divisions (GB/T 2260 codes): the city, its counties, the peer cities.
    Administrators add a county of the city (POST) and rename one (PATCH)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent", "is_peer_city"]
    write_serializer = CountyWriteSerializer

    def save(self, instance=None, **values):
        return organisation.save_county(actor=self.request.user, county=instance, **values)


@extend_schema_view(
    create=extend_schema(request=DepartmentWriteSerializer, responses={201: DepartmentSerializer}),
    partial_update=extend_schema(request=DepartmentWriteSerializer, responses=DepartmentSerializer),
)
class DepartmentViewSet(_OrganisationWrites):
    """Departments that own work and answer requests. Administrators add one (POST), rename
    it, move it or mark it as the dispatcher (PATCH)."""

    queryset = Department.objects.select_related("region")
    serializer_class = DepartmentSerializer
    lookup_field = "code"
    write_serializer = DepartmentWriteSerializer

    def save(self, instance=None, **values):
        return organisation.save_department(actor=self.request.user, department=instance, **values)


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail (system administrators only)."""

    allowed_roles = frozenset()
    queryset = AuditEvent.objects.select_related("actor")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
