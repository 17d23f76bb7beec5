"""API for notifications: my notification centre, my settings, group robots, channel health."""

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.permissions import ALL_ROLES

from .. import services
from ..models import ChannelHealth, Notification, NotifySettings, Robot
from ..permissions import HEALTH_ROLES, ROBOT_ROLES, sees_every_robot
from .serializers import (
    ChannelHealthSerializer,
    NotificationSerializer,
    NotifySettingsSerializer,
    ReadAllSerializer,
    RobotSerializer,
    UnreadCountSerializer,
)


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own notifications, newest first; `?unread=true` for the unread ones."""

    allowed_roles = ALL_ROLES
    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = Notification.objects.visible_to(self.request.user).for_list()
        if self.request.query_params.get("unread") in ("1", "true", "yes"):
            qs = qs.unread()
        return qs.order_by("-id")

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="只列未读")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = services.mark_read(actor=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all of the caller's notifications read."""
        return Response({"marked": services.mark_all_read(actor=request.user)})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        """How many unread notifications the caller has (the bell)."""
        return Response({"unread": services.unread_count(request.user)})


def settings_of(user) -> dict:
    mine = NotifySettings.objects.filter(user=user).first()
    return {
        "quiet_start": mine.quiet_start if mine else None,
        "quiet_end": mine.quiet_end if mine else None,
        "phone": mine.phone if mine else "",
        "daily_digest": services.digest_wanted(user, mine),
        "channels": services.channel_choices(user),
    }


class NotifySettingsView(APIView):
    """The caller's channels per kind of notification, quiet hours, SMS phone and digest."""

    allowed_roles = ALL_ROLES

    @extend_schema(responses=NotifySettingsSerializer)
    def get(self, request):
        return Response(NotifySettingsSerializer(settings_of(request.user)).data)

    @extend_schema(request=NotifySettingsSerializer, responses=NotifySettingsSerializer)
    def put(self, request):
        data = NotifySettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_preferences(actor=request.user, **data.validated_data)
        request.user.refresh_from_db()
        return Response(NotifySettingsSerializer(settings_of(request.user)).data)


class RobotViewSet(viewsets.ModelViewSet):
    """Group robots: administrators all, department staff their own department's."""

    allowed_roles = ROBOT_ROLES
    serializer_class = RobotSerializer

    def get_queryset(self):
        qs = Robot.objects.select_related("department").order_by("id")
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or sees_every_robot(user):
            return qs
        return qs.filter(department_id=user.department_id) if user.department_id else qs.none()

    def perform_create(self, serializer):
        serializer.instance = services.save_robot(
            actor=self.request.user, robot=Robot(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.save_robot(
            actor=self.request.user, robot=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_robot(actor=self.request.user, robot=instance)


class ChannelHealthViewSet(viewsets.ReadOnlyModelViewSet):
    """How each channel address fares, failing ones first (administrators only)."""

    allowed_roles = HEALTH_ROLES
    serializer_class = ChannelHealthSerializer

    def get_queryset(self):
        failing = Q(consecutive_failures__gte=settings.NOTIFY_FAILING_AFTER)
        return ChannelHealth.objects.annotate(
            failing=ExpressionWrapper(failing, output_field=BooleanField())
        ).order_by("-consecutive_failures", "channel", "target")
