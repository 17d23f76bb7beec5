from rest_framework import serializers

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


class RankSerializer(serializers.Serializer):
    region = serializers.CharField()
    region_name = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    growth_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    grade = serializers.CharField(allow_null=True)
    grade_label = serializers.CharField()
    previous_rank = serializers.IntegerField(allow_null=True)
    arrow = serializers.CharField()
    is_synthetic = serializers.BooleanField()
    published_rank = serializers.IntegerField(allow_null=True)


class RankingSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    period = serializers.CharField()
    cumulative = serializers.BooleanField()
    basis = serializers.CharField()
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


class CagrSerializer(serializers.Serializer):
    from_period = serializers.CharField()
    to_period = serializers.CharField()
    years = serializers.IntegerField()
    cagr_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    approximate = serializers.BooleanField()


class SummarySerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    region = serializers.CharField()
    latest = PointSerializer(allow_null=True)
    yoy_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    cagr = CagrSerializer(allow_null=True)
    progress = ProgressSerializer(allow_null=True)
    rank_level = RankSerializer(allow_null=True)
    rank_growth = RankSerializer(allow_null=True)
