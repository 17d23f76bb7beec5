from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wulian.core.api.reading import ChoiceLabelField, ReadModelSerializer

from ..choices import MonthMetric
from ..models import (
    METRIC_FIELDS,
    Enterprise,
    EnterpriseMonth,
    EnterpriseMonthRevision,
    EnterpriseTag,
    MujunResult,
    MujunSettings,
)
from ..profile import chains_of


class EnterpriseSerializer(ReadModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    listing_board_display = ChoiceLabelField(Enterprise, "listing_board")

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "region",
            "region_name",
            "industry_code",
            "is_above_scale",
            "is_listed",
            "listing_board",
            "listing_board_display",
            "founded_on",
            "output_wan",
            "tax_wan",
            "employees",
            "land_area_mu",
            "chain_code",
            "is_synthetic",
            "updated_at",
        ]
        read_only_fields = fields


class TagSerializer(serializers.Serializer):
    """A tag with who gave it and how long it holds (`current`: holds today)."""

    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    level = serializers.CharField()
    source = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    current = serializers.BooleanField()
    is_synthetic = serializers.BooleanField()


class LinkPlacementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="link_id")
    name = serializers.CharField(source="link_name")
    segment = serializers.CharField()
    segment_display = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField()


class ChainMembershipSerializer(serializers.Serializer):
    """A chain the enterprise is on, with its links there (主营/配套)."""

    code = serializers.CharField()
    name = serializers.CharField()
    links = LinkPlacementSerializer(many=True)


def group_chains(placements: list[dict]) -> list[dict]:
    chains: dict[str, dict] = {}
    for p in placements:
        chain = chains.setdefault(
            p["chain_code"], {"code": p["chain_code"], "name": p["chain_name"], "links": []}
        )
        chain["links"].append(p)
    return list(chains.values())


class EnterpriseDetailSerializer(EnterpriseSerializer):
    """One enterprise with its tags (source, validity) and the chains and links it is on."""

    tags = serializers.SerializerMethodField()
    chains = serializers.SerializerMethodField()

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "tags", "chains"]
        read_only_fields = fields

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, obj):
        from django.utils import timezone

        today = timezone.localdate()
        tags = []
        for tag in obj.tags.all():
            tag.current = (tag.valid_from is None or tag.valid_from <= today) and (
                tag.valid_until is None or tag.valid_until >= today
            )
            tags.append(tag)
        return TagSerializer(tags, many=True).data

    @extend_schema_field(ChainMembershipSerializer(many=True))
    def get_chains(self, obj):
        return ChainMembershipSerializer(group_chains(chains_of([obj.pk])[obj.pk]), many=True).data


class MonthPointSerializer(serializers.Serializer):
    """One month of an enterprise's series; `yoy` is the percent change per figure."""

    month = serializers.CharField(help_text="YYYY-MM")
    output_wan = serializers.FloatField(allow_null=True)
    revenue_wan = serializers.FloatField(allow_null=True)
    tax_wan = serializers.FloatField(allow_null=True)
    electricity_wkwh = serializers.FloatField(allow_null=True)
    employees = serializers.FloatField(allow_null=True)
    rd_wan = serializers.FloatField(allow_null=True)
    yoy = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="同比增速（%），键为 " + "、".join(MonthMetric.values),
    )
    is_synthetic = serializers.BooleanField()


class EnterpriseMonthSerializer(serializers.ModelSerializer):
    """A stored month of one enterprise (write with the same columns as the import)."""

    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)

    class Meta:
        model = EnterpriseMonth
        fields = ["id", "enterprise", "uscc", "month", *METRIC_FIELDS, "is_synthetic", "updated_at"]
        read_only_fields = fields


class MonthRevisionSerializer(serializers.ModelSerializer):
    """A replaced month: values before and after, who changed them, from where."""

    month = serializers.DateField(format="%Y-%m", read_only=True)
    changed_by_name = serializers.CharField(source="changed_by", read_only=True, default=None)

    class Meta:
        model = EnterpriseMonthRevision
        fields = [
            "id",
            "month",
            "changed_at",
            "changed_by",
            "changed_by_name",
            "source",
            "before",
            "after",
        ]
        read_only_fields = fields


class EnterpriseTagSerializer(serializers.ModelSerializer):
    """A stored tag (write with the same columns as the import)."""

    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = EnterpriseTag
        fields = [
            "id",
            "enterprise",
            "uscc",
            "kind",
            "label",
            "level",
            "source",
            "valid_from",
            "valid_until",
            "note",
            "is_synthetic",
            "updated_at",
        ]
        read_only_fields = fields


class MujunMetricSerializer(serializers.Serializer):
    label = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    benchmark = serializers.FloatField(allow_null=True, help_text="本县基准值")
    ratio = serializers.FloatField(allow_null=True, help_text="与基准之比（封顶后）")
    weight = serializers.FloatField()
    points = serializers.FloatField()


class MujunResultSerializer(serializers.ModelSerializer):
    """One enterprise's 亩均 result: score, grade (A–D), each indicator and why."""

    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    chain_code = serializers.CharField(source="enterprise.chain_code", read_only=True)
    score = serializers.FloatField(read_only=True)
    metrics = serializers.DictField(child=MujunMetricSerializer(), read_only=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = MujunResult
        fields = [
            "id",
            "enterprise",
            "uscc",
            "name",
            "region",
            "region_name",
            "chain_code",
            "year",
            "score",
            "grade",
            "rank",
            "of",
            "land_area_mu",
            "months",
            "metrics",
            "reasons",
            "is_synthetic",
        ]
        read_only_fields = fields

    def get_reasons(self, obj) -> list[str]:
        from ..mujun import explain

        return explain(obj)


class MujunSettingsSerializer(serializers.ModelSerializer):
    """The city's weights, cap and grading method (A–D by share within the county or cut-off)."""

    class Meta:
        model = MujunSettings
        fields = [
            "tax_weight",
            "value_added_weight",
            "energy_weight",
            "labour_weight",
            "rd_weight",
            "cap_ratio",
            "method",
            "a_share",
            "b_share",
            "c_share",
            "a_cut",
            "b_cut",
            "c_cut",
            "min_months",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class MujunEvaluateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
