from rest_framework import serializers


class ChainTileSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    links = serializers.IntegerField()
    enterprises = serializers.IntegerField()
    output_yi = serializers.FloatField(help_text="主营产值（亿元）")
    score = serializers.FloatField(allow_null=True, help_text="五链融合总分（0–100）")
    is_synthetic = serializers.BooleanField(help_text="链上企业含合成数据：合计为合成数")


class ScorecardSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    output_wan = serializers.FloatField()
    total = serializers.FloatField(allow_null=True)
    industry = serializers.FloatField(allow_null=True)
    innovation = serializers.FloatField(allow_null=True)
    talent = serializers.FloatField(allow_null=True)
    capital = serializers.FloatField(allow_null=True)
    service = serializers.FloatField(allow_null=True, help_text="本链暂无企业诉求时为空")
    computed_at = serializers.DateTimeField()
    is_synthetic = serializers.BooleanField(help_text="评分依据含合成数据：仅作示意")


class ServiceTileSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    closed_pct = serializers.FloatField(allow_null=True, help_text="办结率（%）")
    on_time_pct = serializers.FloatField(allow_null=True, help_text="按期办结率（%）")
    satisfaction = serializers.FloatField(allow_null=True, help_text="满意度（1–5）")
    is_synthetic = serializers.BooleanField(help_text="诉求含合成数据：比率为合成数")


class StageTileSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    planned_yi = serializers.FloatField()
    completed_yi = serializers.FloatField()


class PipelineTileSerializer(serializers.Serializer):
    stages = StageTileSerializer(many=True)
    count = serializers.IntegerField(help_text="在库项目（不含已流失）")
    planned_yi = serializers.FloatField()
    completed_yi = serializers.FloatField()
    stalled = serializers.IntegerField()
    major = serializers.IntegerField(help_text="百亿级项目（不含已流失）")
    is_synthetic = serializers.BooleanField(help_text="项目含合成数据：合计为合成数")


class PolicyTileSerializer(serializers.Serializer):
    policies = serializers.IntegerField(help_text="有效政策数")
    started = serializers.IntegerField(help_text="列入清单或已申请的兑现（不含剔除）")
    paid = serializers.IntegerField()
    paid_wan = serializers.FloatField(help_text="已兑现金额（万元）")
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    leader = serializers.IntegerField(help_text="超期已升级至市领导关注")
    on_time_pct = serializers.FloatField(allow_null=True, help_text="按期兑现率（%）")
    mean_workdays = serializers.FloatField(allow_null=True, help_text="平均兑现用时（工作日）")
    is_synthetic = serializers.BooleanField(help_text="含合成数据")


class CockpitSerializer(serializers.Serializer):
    headlines = serializers.ListField(child=serializers.DictField())
    trends = serializers.DictField()
    monthly = serializers.DictField()
    map = serializers.DictField()
    chains = ChainTileSerializer(many=True)
    chains_synthetic = serializers.BooleanField(
        help_text="链上企业含合成数据：链的合计和融合评分为示意"
    )
    scorecards = ScorecardSerializer(many=True)
    scorecards_synthetic = serializers.BooleanField(help_text="融合评分依据含合成数据：仅作示意")
    service = ServiceTileSerializer()
    pipeline = PipelineTileSerializer()
    policy = PolicyTileSerializer()
    generated_at = serializers.CharField()
