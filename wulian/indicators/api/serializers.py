from rest_framework import serializers

from ..choices import ChangeUnit, Verdict
from ..models import Indicator, Observation, Target


class IndicatorSerializer(serializers.ModelSerializer):
    numerator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    denominator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    part_of = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_formula = serializers.BooleanField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "kind",
            "frequency",
            "direction",
            "category",
            "department",
            "is_formula",
            "numerator",
            "denominator",
            "factor",
            "part_of",
            "is_headline",
        ]
        read_only_fields = fields


class ObservationSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period_label = serializers.CharField(read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator",
            "region",
            "period",
            "cumulative",
            "period_label",
            "value",
            "qualifier",
            "yoy_pct",
            "published_rank",
            "published_rank_basis",
            "source",
            "is_synthetic",
            "is_preliminary",
            "is_revised",
            "note",
        ]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "region",
            "period",
            "kind",
            "value",
            "base_period",
            "source",
            "is_synthetic",
            "note",
        ]
        read_only_fields = fields


class PointSerializer(serializers.Serializer):
    region = serializers.CharField()
    period = serializers.CharField()
    cumulative = serializers.BooleanField()
    period_label = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    display = serializers.CharField()
    qualifier = serializers.CharField()
    source = serializers.CharField()
    is_synthetic = serializers.BooleanField()
    is_preliminary = serializers.BooleanField()
    is_revised = serializers.BooleanField()
    computed = serializers.BooleanField()
    yoy_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    note = serializers.CharField()


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    region = serializers.CharField()
    points = PointSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    unit = serializers.ChoiceField(
        choices=ChangeUnit.choices,
        help_text="pct：增长率（%）；pp：百分点；abs：差值；places：位次（名次）",
    )
    text = serializers.CharField(help_text="按指标性质表述的变化，如 +8.6%、+19.4个百分点")
    verdict = serializers.ChoiceField(
        choices=[*Verdict.choices, ("", "")], help_text="按指标的好坏方向判断：better/worse/same"
    )
    synthetic = serializers.BooleanField(help_text="任一端为合成数据时为 true（示意）")
    published = serializers.BooleanField(help_text="来源公布的增速")


class RankSerializer(serializers.Serializer):
    region = serializers.CharField()
    region_name = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    growth_pct = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="增长率（仅总量、个数类指标）"
    )
    change = ChangeSerializer(allow_null=True, help_text="同比变化，单位随指标性质")
    rank = serializers.IntegerField(allow_null=True)
    tied = serializers.BooleanField(help_text="与其他城市并列")
    grade = serializers.CharField(allow_null=True)
    grade_label = serializers.CharField()
    previous_rank = serializers.IntegerField(allow_null=True)
    arrow = serializers.CharField()
    is_synthetic = serializers.BooleanField(help_text="本行的数值、变化或位次任一含合成数据")
    value_synthetic = serializers.BooleanField()
    change_synthetic = serializers.BooleanField()
    rank_synthetic = serializers.BooleanField(
        help_text="比较对象中任一数值为合成数据：位次、等次仅作示意"
    )
    published_rank = serializers.IntegerField(allow_null=True)


class RankingSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    kind = serializers.CharField()
    direction = serializers.CharField()
    period = serializers.CharField()
    cumulative = serializers.BooleanField()
    basis = serializers.CharField()
    basis_label = serializers.CharField()
    is_synthetic = serializers.BooleanField(help_text="比较对象含合成数据：位次仅作示意")
    rows = RankSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    region = serializers.CharField()
    period = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target_value = serializers.DecimalField(max_digits=20, decimal_places=4)
    target_kind = serializers.CharField()
    target_period = serializers.CharField()
    progress_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    time_pct = serializers.DecimalField(max_digits=12, decimal_places=2)
    needed_growth_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    gap = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    direction = serializers.CharField()
    base_value = serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, help_text="降低类目标的起算值"
    )
    synthetic = serializers.BooleanField(help_text="目标或数值含合成数据：完成度仅作示意")


class SpanSerializer(serializers.Serializer):
    from_period = serializers.CharField()
    to_period = serializers.CharField()
    years = serializers.IntegerField()
    change = ChangeSerializer(help_text="区间变化：总量按%，比重按百分点，倍数按差值")
    cagr_pct = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="年均增长，仅总量、个数类指标"
    )
    approximate = serializers.BooleanField()
    synthetic = serializers.BooleanField()


class SummarySerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    direction = serializers.CharField()
    region = serializers.CharField()
    latest = PointSerializer(allow_null=True)
    change = ChangeSerializer(allow_null=True)
    yoy_pct = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="同比增长率，仅总量、个数类指标"
    )
    span = SpanSerializer(allow_null=True)
    cagr = SpanSerializer(allow_null=True, help_text="仅总量、个数类指标；比重类为 null")
    progress = ProgressSerializer(allow_null=True)
    rank_level = RankSerializer(allow_null=True)
    rank_growth = RankSerializer(allow_null=True)
