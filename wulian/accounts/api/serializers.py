from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wulian.core.choices import Role
from wulian.core.models import User

from ..models import AccountClaim


class UserSerializer(serializers.ModelSerializer):
    """An account as administrators see it: role and scope by codes, enterprises by USCC."""

    name = serializers.CharField(source="display_name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    enterprises = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "title",
            "role",
            "role_display",
            "department",
            "region",
            "chain_code",
            "enterprises",
            "is_active",
            "is_superuser",
            "must_change_password",
            "last_login",
            "date_joined",
        ]
        read_only_fields = fields

    def get_enterprises(self, user) -> list[str]:
        return sorted(e.uscc for e in user.enterprises.all())


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(Role.values) + ")$",
        "description": "leader 市领导 · chain 链长/链办 · department 部门 · county 区县 · "
        "enterprise 企业",
    }
)
class RoleField(serializers.ChoiceField):
    """A role code. The schema states it as a pattern, not an enum: drf-spectacular turns an
    enum into a referenced component, and a referenced enum in a request body trips the
    schema-based fuzzer in the suite (it mutates the reference into an unresolvable one)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, **kwargs)


class _ScopeFields(serializers.Serializer):
    department = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=30, help_text=_("部门代码")
    )
    region = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=6, help_text=_("区县代码")
    )
    chain_code = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=20
    )
    enterprises = serializers.ListField(
        child=serializers.CharField(max_length=18),
        required=False,
        max_length=200,
        help_text=_("统一社会信用代码列表"),
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=60)


class UserCreateSerializer(_ScopeFields):
    username = serializers.CharField(max_length=150)
    name = serializers.CharField(max_length=50)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    role = RoleField()


class UserUpdateSerializer(_ScopeFields):
    name = serializers.CharField(required=False, max_length=50)
    password = serializers.CharField(
        required=False, max_length=128, style={"input_type": "password"}
    )
    role = RoleField(required=False)
    is_active = serializers.BooleanField(required=False)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class AccountClaimSerializer(serializers.ModelSerializer):
    """An enterprise account claim as its reviewers see it."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    account = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = AccountClaim
        fields = [
            "id",
            "uscc",
            "enterprise",
            "enterprise_name",
            "region",
            "contact_name",
            "phone",
            "username",
            "status",
            "status_display",
            "reason",
            "created_at",
            "decided_at",
            "decided_by",
            "account",
        ]
        read_only_fields = fields


class ClaimSubmitSerializer(serializers.Serializer):
    uscc = serializers.CharField(max_length=30, help_text=_("统一社会信用代码"))
    contact_name = serializers.CharField(max_length=50, help_text=_("联系人姓名"))
    phone = serializers.CharField(max_length=20, help_text=_("手机号"))
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class ClaimReceiptSerializer(serializers.Serializer):
    """What the claimant gets back: the 查询码 to look the decision up with."""

    token = serializers.UUIDField()
    status = serializers.CharField()
    enterprise_name = serializers.CharField()


class ClaimDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text=_("驳回时必填")
    )
