from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wulian.core.models import Department

from ..choices import Kind
from ..models import ChannelHealth, Notification, Robot


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="message.kind", read_only=True)
    kind_label = serializers.CharField(source="message.get_kind_display", read_only=True)
    title = serializers.CharField(source="message.title", read_only=True)
    body = serializers.CharField(source="message.body", read_only=True)
    url = serializers.CharField(source="message.url", read_only=True)
    created_at = serializers.DateTimeField(source="message.created_at", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class ChannelChoiceSerializer(serializers.Serializer):
    email = serializers.BooleanField(default=True)
    sms = serializers.BooleanField(default=False)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
        "example": "22:00",
        "nullable": True,
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day on the city's clock, answered as HH:MM (quiet hours need no seconds).

    Not OpenAPI's `format: time`: that is RFC 3339's full-time, which requires a UTC offset,
    and a quiet hour is local time without one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"])
        super().__init__(**kwargs)


class NotifySettingsSerializer(serializers.Serializer):
    """The caller's own choices: channels per kind, quiet hours, SMS phone, daily digest."""

    quiet_start = ClockTimeField(allow_null=True, required=False, default=None)
    quiet_end = ClockTimeField(allow_null=True, required=False, default=None)
    phone = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)
    daily_digest = serializers.BooleanField(allow_null=True, required=False, default=None)
    channels = serializers.DictField(child=ChannelChoiceSerializer(), required=False, default=dict)

    def validate_channels(self, value):
        unknown = sorted(set(value) - set(Kind.values))
        if unknown:
            raise serializers.ValidationError(f"未知的通知类型：{'、'.join(unknown)}")
        return value


class RobotSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        allow_null=True,
        required=False,
        help_text="部门代码；空为全市",
    )
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200
    )
    signed = serializers.SerializerMethodField()

    class Meta:
        model = Robot
        fields = ["id", "name", "kind", "url", "secret", "signed", "department", "is_active"]

    def get_signed(self, robot) -> bool:
        return bool(robot.secret)


class ChannelHealthSerializer(serializers.ModelSerializer):
    failing = serializers.BooleanField(read_only=True)
    target = serializers.CharField(source="shown_target", read_only=True)

    class Meta:
        model = ChannelHealth
        fields = [
            "id",
            "channel",
            "target",
            "consecutive_failures",
            "failing",
            "last_error",
            "last_error_at",
            "last_success_at",
        ]
