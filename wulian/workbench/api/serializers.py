from rest_framework import serializers


class TodoSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="所属分组的 key")
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="办理该事项的页面")
    due_at = serializers.DateTimeField(allow_null=True, help_text="期限（按日期的期限为当日结束）")
    overdue = serializers.BooleanField()
    status = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField(help_text="办理全部事项的列表页")
    count = serializers.IntegerField()
    overdue = serializers.IntegerField()
    items = TodoSerializer(many=True)


class WorkbenchSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    sections = SectionSerializer(many=True)
    items = TodoSerializer(many=True, help_text="各分组列出的事项，超期在前、期限近者在前")
