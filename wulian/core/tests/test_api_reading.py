"""The read serializers answer exactly what DRF's generic path answers (core.api.reading)."""

import pytest
from django.utils import translation
from rest_framework import serializers

from wulian.core.api.reading import ChoiceLabelField, ReadModelSerializer
from wulian.core.models import User

FIELDS = [
    "id",
    "username",
    "role",
    "role_display",
    "department",
    "department_code",
    "region",
    "last_login",
    "date_joined",
    "is_active",
    "greeting",
]


class GenericUserSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    department_code = serializers.CharField(source="department.code", default=None)
    greeting = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = FIELDS

    def get_greeting(self, obj) -> str:
        return f"{self.context.get('prefix', '')}{obj.username}"


class FastUserSerializer(ReadModelSerializer):
    role_display = ChoiceLabelField(User, "role")
    department_code = serializers.CharField(source="department.code", default=None)
    greeting = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = FIELDS

    def get_greeting(self, obj) -> str:
        return f"{self.context.get('prefix', '')}{obj.username}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_read_serializer_answers_what_drf_answers(users, language):
    # given accounts with and without a department, a region, a last sign-in
    rows = list(User.objects.select_related("department").order_by("username"))
    assert any(u.department_id is None for u in rows)
    assert any(u.department_id is not None for u in rows)
    context = {"prefix": "你好 "}
    # when both serialize them, one row and many rows, in the language
    with translation.override(language):
        for row in rows:
            assert FastUserSerializer(row, context=context).data == (
                GenericUserSerializer(row, context=context).data
            )
        fast = FastUserSerializer(rows, many=True, context=context).data
        generic = GenericUserSerializer(rows, many=True, context=context).data
    # then every key and value is the same, in the same order
    assert [list(r.items()) for r in fast] == [list(r.items()) for r in generic]
    labels = {r["role_display"] for r in fast}
    assert ("市领导" in labels) == (language == "zh-hans")


def test_choice_label_follows_the_language_and_keeps_unknown_values(users):
    leader = users["leader"]
    field = ChoiceLabelField(User, "role")
    with translation.override("zh-hans"):
        assert field.to_representation(leader.role) == leader.get_role_display()
    with translation.override("en"):
        assert field.to_representation(leader.role) == leader.get_role_display()
        assert field.to_representation(leader.role) != "市领导"
    leader.role = "no-such-role"
    assert field.to_representation(leader.role) == leader.get_role_display() == "no-such-role"


def test_fields_are_built_once_per_class_and_copied_per_instance(users):
    first = FastUserSerializer(users["leader"])
    second = FastUserSerializer(users["econ"])
    # the fields are distinct objects bound to their own serializer
    assert first.fields["role"] is not second.fields["role"]
    assert first.fields["role"].parent is first
    assert "_built_fields" in FastUserSerializer.__dict__
    assert list(first.fields) == FIELDS


def test_the_decimal_text_is_drfs():
    from decimal import Decimal

    from wulian.core.api.reading import _decimal_text

    field = serializers.DecimalField(max_digits=8, decimal_places=2)
    text = _decimal_text(field)
    values = [Decimal("1.005"), Decimal("1.015"), Decimal("-3.5"), Decimal("0"), Decimal("12")]
    values += [Decimal("123456.789"), 2.5, 7]
    for value in values:
        assert text(value) == field.to_representation(value), value
    assert _decimal_text(serializers.DecimalField(8, 2, localize=True)) is None
    assert _decimal_text(serializers.DecimalField(8, 2, coerce_to_string=False)) is None
    assert _decimal_text(serializers.CharField()) is None


def test_model_columns_are_the_columns_a_serializer_names():
    from wulian.core.api.reading import model_columns
    from wulian.enterprises.api.serializers import EnterpriseSerializer

    columns = model_columns(EnterpriseSerializer)
    assert columns[0] == "id" and columns.count("id") == 1
    assert "region_id" in columns  # a foreign key by its column
    assert "region_name" not in columns and "listing_board_display" not in columns  # not columns
    assert len(columns) == len(EnterpriseSerializer.Meta.fields) - 2
