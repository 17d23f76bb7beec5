from rest_framework import serializers

from ..choices import PlatformLevel
from ..models import Platform


class ChainScoreListSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    links = serializers.IntegerField(help_text="环节数")
    enterprises = serializers.IntegerField(help_text="链上企业数（去重）")
    output_wan = serializers.FloatField(help_text="主营产值（万元）")
    fusion_score = serializers.FloatField(allow_null=True, help_text="融合总分 0–100")
    industry = serializers.FloatField(allow_null=True)
    innovation = serializers.FloatField(allow_null=True)
    talent = serializers.FloatField(allow_null=True)
    capital = serializers.FloatField(allow_null=True)
    service = serializers.FloatField(allow_null=True, help_text="无企业诉求数据时为 null")


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(help_text="原始数值（或“供给/需求”），缺失为 null")
    unit = serializers.CharField()
    formula = serializers.CharField(help_text="s(x, k) = x/(x+k)")
    part = serializers.FloatField(allow_null=True, help_text="0–1；null 表示数据缺失")
    weight = serializers.FloatField()
    note = serializers.CharField()


class DimensionScoreSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    components = ComponentSerializer(many=True)


class LinkScoresSerializer(serializers.Serializer):
    industry = DimensionScoreSerializer()
    innovation = DimensionScoreSerializer()
    talent = DimensionScoreSerializer()
    capital = DimensionScoreSerializer()
    service = DimensionScoreSerializer()


class LinkScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    segment = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    scores = LinkScoresSerializer()


class ChainFusionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    industry = serializers.FloatField(allow_null=True)
    innovation = serializers.FloatField(allow_null=True)
    talent = serializers.FloatField(allow_null=True)
    capital = serializers.FloatField(allow_null=True)
    service = serializers.FloatField(allow_null=True)
    weights = serializers.DictField(child=serializers.FloatField())
    missing = serializers.ListField(child=serializers.CharField())
    service_evidence = serializers.DictField()
    is_synthetic = serializers.BooleanField(help_text="评分依据含合成数据：仅作示意")
    link_scores = LinkScoreSerializer(many=True)


class RankedTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    headquarters = serializers.CharField()
    revenue_wan = serializers.FloatField()
    is_synthetic = serializers.BooleanField()
    fit = serializers.FloatField(help_text="匹配度 0–100")
    local_ties = serializers.IntegerField()
    why = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["fill", "extend", "strengthen"])
    kind_label = serializers.CharField(help_text="补链 / 延链 / 强链")
    link_id = serializers.IntegerField()
    link = serializers.CharField()
    segment = serializers.CharField()
    main_enterprises = serializers.IntegerField()
    output_wan = serializers.FloatField()
    output_share = serializers.FloatField()
    strength = serializers.CharField()
    rca = serializers.FloatField(allow_null=True)
    density = serializers.FloatField(allow_null=True)
    opportunity = serializers.FloatField(allow_null=True, help_text="机会增益（不加权的 COG）")
    strong_neighbours = serializers.ListField(child=serializers.CharField())
    why = serializers.CharField(help_text="原因，按请求语言写成一句话")
    explain = serializers.ListField(
        child=serializers.CharField(), help_text="RCA、关联密度、机会增益各一句话的解释（含数值）"
    )
    illustrative = serializers.CharField()
    priority = serializers.FloatField()
    targets = RankedTargetSerializer(many=True)


class ChainGapsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    illustrative_note = serializers.CharField()
    is_synthetic = serializers.BooleanField(help_text="分析依据含合成数据：仅作示意")
    findings = FindingSerializer(many=True)


class PlatformSerializer(serializers.ModelSerializer):
    # Blank for platforms without a stated level: the schema must admit "" (scored as 市级).
    level = serializers.ChoiceField(choices=PlatformLevel.choices, allow_blank=True, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Platform
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "level",
            "level_display",
            "host",
            "rd_spend_wan",
            "links",
            "source",
            "is_synthetic",
        ]
        read_only_fields = fields

    def get_links(self, obj) -> list[dict]:
        return [
            {"id": link.pk, "chain": link.chain.code, "name": link.name} for link in obj.links.all()
        ]
