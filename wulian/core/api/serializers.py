from rest_framework import serializers

from ..models import AuditEvent, Department, Region, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "short_name", "level", "parent", "is_peer_city"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "region", "is_dispatcher"]


class DepartmentWriteSerializer(serializers.Serializer):
    """A new department (code required) or a change to one (the code never changes)."""

    code = serializers.CharField(max_length=30, required=False)
    name = serializers.CharField(max_length=60, required=False)
    region = serializers.CharField(
        max_length=6, required=False, help_text="本市 330800 或本市区县的行政区划代码"
    )
    is_dispatcher = serializers.BooleanField(required=False)


class CountyWriteSerializer(serializers.Serializer):
    """A new county of the city (GB/T 2260 code required) or a change to one."""

    code = serializers.CharField(max_length=6, required=False)
    name = serializers.CharField(max_length=50, required=False)
    short_name = serializers.CharField(max_length=20, required=False, allow_blank=True)
    sort = serializers.IntegerField(required=False, min_value=0, max_value=32767)


class MeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "role",
            "role_display",
            "department",
            "region",
            "chain_code",
            "is_superuser",
        ]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "model",
            "object_id",
            "object_repr",
            "before",
            "after",
            "note",
        ]


class CalendarDaySerializer(serializers.Serializer):
    """One administrator's word on a date: a working day or a day off."""

    date = serializers.DateField()
    is_workday = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class ApiTokenSerializer(serializers.Serializer):
    """A user's API token as administrators see it (never the key itself)."""

    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user.username")
    created = serializers.DateTimeField()
    expires_at = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()

    def get_expires_at(self, token) -> str:
        from ..tokens import expires_at

        return serializers.DateTimeField().to_representation(expires_at(token))

    def get_expired(self, token) -> bool:
        from ..tokens import is_expired

        return is_expired(token)
