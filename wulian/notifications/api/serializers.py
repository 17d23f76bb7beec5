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


class NotifySettingsSerializer(serializers.Serializer):
    """The caller's own choices: channels per kind, quiet hours, SMS phone, daily digest."""

    quiet_start = serializers.TimeField(allow_null=True, required=False, default=None)
    quiet_end = serializers.TimeField(allow_null=True, required=False, default=None)
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
