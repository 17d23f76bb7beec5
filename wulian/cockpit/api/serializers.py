from rest_framework import serializers


class TileSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="模块是否可用；否则页面显示“模块建设中/数据缺失”")
    data = serializers.JSONField(allow_null=True)


class CockpitSerializer(serializers.Serializer):
    headlines = serializers.ListField(child=serializers.DictField())
    trends = serializers.DictField()
    monthly = serializers.DictField()
    map = serializers.DictField()
    chains = TileSerializer()
    scorecards = TileSerializer()
    service = TileSerializer()
    pipeline = TileSerializer()
    generated_at = serializers.CharField()
