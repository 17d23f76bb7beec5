from rest_framework import serializers

from ..models import TargetCompany


class GraphLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    segment = serializers.ChoiceField(choices=["up", "mid", "down"])
    segment_label = serializers.CharField()
    enterprises = serializers.IntegerField(help_text="环节上的企业数（主营+配套）")
    main_enterprises = serializers.IntegerField(help_text="主营企业数")
    listed = serializers.IntegerField()
    output_wan = serializers.FloatField(help_text="主营企业产值（万元）")
    output_share = serializers.FloatField(help_text="占本链产值比重（0–1）")
    top_output_wan = serializers.FloatField()
    strength = serializers.ChoiceField(choices=["strong", "medium", "weak", "missing"])
    strength_label = serializers.CharField()


class GraphEdgeSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text="供应方环节 id")
    target = serializers.IntegerField(help_text="被供应环节 id")


class ChainGraphSerializer(serializers.Serializer):
    links = GraphLinkSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)


class ChainFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指标代码（与指标库相同）")
    chain = serializers.CharField(allow_null=True, help_text="产业链代码；空为六大产业链合计")
    label = serializers.CharField()
    value = serializers.FloatField()
    display = serializers.CharField(help_text="按原文的写法，如 超2000")
    unit = serializers.CharField()
    year = serializers.IntegerField()
    qualifier = serializers.CharField(help_text="more 多 / over 超 / at_least 迈上 / under 不足")
    source = serializers.CharField()
    is_preliminary = serializers.BooleanField()


class TargetCompanySerializer(serializers.ModelSerializer):
    links = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()

    class Meta:
        model = TargetCompany
        fields = [
            "id",
            "name",
            "uscc",
            "headquarters",
            "revenue_wan",
            "links",
            "partners",
            "note",
            "is_synthetic",
        ]
        read_only_fields = fields

    def get_links(self, obj) -> list[dict]:
        return [
            {"id": link.pk, "chain": link.chain.code, "name": link.name} for link in obj.links.all()
        ]

    def get_partners(self, obj) -> list[str]:
        return [e.name for e in obj.partners.all()]


class ChainMonthPointSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    enterprises = serializers.IntegerField(help_text="报送企业数")
    output_wan = serializers.FloatField(help_text="工业总产值（万元）")
    tax_wan = serializers.FloatField(help_text="税收（万元）")


class ChainMonthsSerializer(serializers.Serializer):
    """A chain's monthly totals from its enterprises' reports, and the year to date."""

    latest = serializers.CharField(allow_null=True)
    ytd_label = serializers.CharField(allow_null=True)
    ytd_output_wan = serializers.FloatField(allow_null=True)
    ytd_yoy_pct = serializers.FloatField(allow_null=True)
    is_synthetic = serializers.BooleanField()
    months = ChainMonthPointSerializer(many=True)
