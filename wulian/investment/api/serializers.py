from rest_framework import serializers

from wulian.chains.models import Link, TargetCompany
from wulian.core.api.reading import ChoiceLabelField, ReadModelSerializer
from wulian.core.models import Department, Region

from ..choices import DocumentKind, ProjectStage
from ..models import Project, ProjectEvent


class ProjectEventSerializer(ReadModelSerializer):
    # Plain codes: a second enum of the same stages would only confuse the schema.
    from_stage = serializers.CharField(read_only=True)
    to_stage = serializers.CharField(read_only=True)

    class Meta:
        model = ProjectEvent
        fields = ["from_stage", "to_stage", "on", "note", "at", "is_revert"]
        read_only_fields = fields

    is_revert = serializers.BooleanField(read_only=True)


class ProjectSerializer(ReadModelSerializer):
    stage_display = ChoiceLabelField(Project, "stage")
    region_name = serializers.CharField(source="region.name", read_only=True)
    investor_display = serializers.CharField(read_only=True)
    lead_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    links = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_stalled = serializers.BooleanField(read_only=True)
    completed_wan = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    next_stage = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "investor",
            "investor_name",
            "investor_display",
            "company_name",
            "uscc",
            "links",
            "region",
            "region_name",
            "planned_wan",
            "completed_wan",
            "is_major",
            "stage",
            "stage_display",
            "stage_entered_on",
            "next_stage",
            "is_stalled",
            "lost_reason",
            "lead_department",
            "responsible_leader",
            "enterprise",
            "is_synthetic",
            "updated_at",
        ]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    events = ProjectEventSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "events"]
        read_only_fields = fields


class ProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    investor = serializers.PrimaryKeyRelatedField(
        queryset=TargetCompany.objects.all(), required=False, allow_null=True
    )
    investor_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    planned_wan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    links = serializers.PrimaryKeyRelatedField(
        queryset=Link.objects.all(), many=True, required=False
    )
    lead_department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    responsible_leader = serializers.CharField(max_length=50, required=False, allow_blank=True)
    company_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True)


class ProjectUpdateSerializer(ProjectCreateSerializer):
    """Every field optional: send only what changes (the stage moves through actions)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TransitionSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ProjectStage.choices)
    on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AdvanceSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)
    from_stage = serializers.CharField(
        required=False,
        max_length=20,
        help_text="The stage code the caller saw; a repeated request then moves nothing twice.",
    )

    def validate_from_stage(self, value):
        if value not in ProjectStage.values:
            raise serializers.ValidationError(f"未知阶段“{value}”。")
        return value


class RevertSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the stage change is taken back (required).")
    from_stage = serializers.CharField(
        required=False,
        max_length=20,
        help_text="The stage code the caller saw; a repeated request then reverts nothing twice.",
    )

    def validate_from_stage(self, value):
        if value not in ProjectStage.values:
            raise serializers.ValidationError(f"未知阶段“{value}”。")
        return value


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


class DocumentSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    kind = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class MonthlyInvestmentSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="当月任一日期，按月记")
    amount_wan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class OpenLeadSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=TargetCompany.objects.all())
    links = serializers.PrimaryKeyRelatedField(
        queryset=Link.objects.all(), many=True, required=False
    )


class StageTotalSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    planned_wan = serializers.FloatField()
    completed_wan = serializers.FloatField()


class TotalSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    planned_wan = serializers.FloatField()
    completed_wan = serializers.FloatField()


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()
    display = serializers.CharField(help_text="按原文的写法，如 超1500")
    unit = serializers.CharField()
    qualifier = serializers.CharField()
    since_year = serializers.IntegerField()
    examples = serializers.CharField()
    source = serializers.CharField()
    source_sentence = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    stages = StageTotalSerializer(many=True)
    total = TotalSerializer()
    stalled = serializers.IntegerField()
    stalled_days = serializers.IntegerField()
    major = serializers.IntegerField()
    lost = serializers.IntegerField()
    figures = FigureSerializer(many=True)
    is_synthetic = serializers.BooleanField(help_text="统计的项目中有合成数据：合计为合成数")
