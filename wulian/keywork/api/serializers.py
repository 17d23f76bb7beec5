from rest_framework import serializers

from wulian.core.models import Department

from ..choices import Cadence
from ..models import AgendaItem, Decision, Meeting, Milestone, Task, WorkItem


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "name", "due_on", "done_on"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    work_item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    work_item_name = serializers.CharField(source="work_item.name", read_only=True)
    lead_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    co_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    rag = serializers.CharField(source="rag.rag", read_only=True)
    rag_label = serializers.CharField(source="rag.label", read_only=True)
    rag_reasons = serializers.ListField(
        source="rag.reasons", child=serializers.CharField(), read_only=True
    )
    progress = serializers.IntegerField(
        source="effective_progress", read_only=True, allow_null=True
    )
    last_report_on = serializers.DateField(read_only=True, allow_null=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "work_item",
            "work_item_name",
            "target_text",
            "target_value",
            "target_unit",
            "indicator_code",
            "lead_department",
            "responsible_person",
            "co_departments",
            "start_on",
            "deadline",
            "milestones",
            "done_standard",
            "cadence",
            "status",
            "closed_on",
            "rag",
            "rag_label",
            "rag_reasons",
            "progress",
            "last_report_on",
            "source_meeting",
            "is_synthetic",
        ]
        read_only_fields = fields


class ReportInputSerializer(serializers.Serializer):
    progress_pct = serializers.IntegerField(min_value=0, max_value=100)
    summary = serializers.CharField()
    problems = serializers.CharField(required=False, allow_blank=True, default="")
    escalate = serializers.BooleanField(required=False, default=False)


class CloseInputSerializer(serializers.Serializer):
    standard_met = serializers.BooleanField()
    evidence = serializers.CharField(allow_blank=True)


class FourFixesSerializer(serializers.Serializer):
    """The 四定 of a task made from a decision."""

    work_item = serializers.SlugRelatedField(slug_field="code", queryset=WorkItem.objects.all())
    title = serializers.CharField(max_length=200, required=False)
    target_text = serializers.CharField(max_length=300)
    lead_department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all()
    )
    responsible_person = serializers.CharField(max_length=50)
    co_departments = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), many=True, required=False
    )
    deadline = serializers.DateField()
    done_standard = serializers.CharField()
    cadence = serializers.ChoiceField(choices=Cadence.choices, default=Cadence.MONTHLY)


class DecisionInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    task = FourFixesSerializer(required=False)


class DecisionTaskInputSerializer(FourFixesSerializer):
    decision = serializers.IntegerField()


class HoldInputSerializer(serializers.Serializer):
    minutes = serializers.CharField(required=False, allow_blank=True, default="")


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["order", "kind", "title", "detail", "ref", "url"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "text", "task", "created_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    series_name = serializers.CharField(source="series.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft 筹备中 / held 已召开")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "series_name",
            "title",
            "scheduled_on",
            "status",
            "held_at",
            "is_synthetic",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "agenda", "decisions"]
        read_only_fields = fields


class MilestoneInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class TaskCreateSerializer(FourFixesSerializer):
    """A new task with its 四定; title is required here."""

    title = serializers.CharField(max_length=200)
    target_value = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    target_unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    indicator_code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    start_on = serializers.DateField(required=False, allow_null=True)
    milestones = MilestoneInputSerializer(many=True, required=False)
