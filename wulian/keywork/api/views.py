from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wulian.core.permissions import GOVERNMENT_ROLES

from .. import rag, services
from ..choices import Rag
from ..filtersets import MeetingFilterSet, TaskFilterSet
from ..models import AgendaItem, Decision, Meeting, Task
from ..permissions import TASK_ROLES
from .serializers import (
    CloseInputSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    DecisionTaskInputSerializer,
    HoldInputSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    ReportInputSerializer,
    TaskCreateSerializer,
    TaskSerializer,
)


def _call(func, **kwargs):
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


class TaskViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks with their 四定 and derived red/amber/green status, scoped to the caller."""

    allowed_roles = TASK_ROLES
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet

    def get_queryset(self):
        return (
            Task.objects.visible_to(self.request.user)
            .with_progress()
            .select_related("work_item", "lead_department")
            .prefetch_related("co_departments", "milestones")
            .order_by("deadline", "id")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("rag", OpenApiTypes.STR, enum=Rag.values, description="红黄绿状态")
        ]
    )
    def list(self, request, *args, **kwargs):
        today = timezone.localdate()
        queryset = self.filter_queryset(self.get_queryset())
        wanted = request.query_params.get("rag")
        if wanted in Rag.values:
            # RAG is derived, not stored: filter after deriving, then paginate.
            rows = [t for t in rag.attach(queryset, today) if t.rag.rag == wanted]
            page = self.paginate_queryset(rows)
        else:
            page = rag.attach(self.paginate_queryset(queryset), today)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        task = rag.attach([self.get_object()], timezone.localdate())[0]
        return Response(self.get_serializer(task).data)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request, *args, **kwargs):
        """Set a task with its 四定 (leaders for any department, staff for their own)."""
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["milestones"] = [(m["name"], m["due_on"]) for m in data.get("milestones", [])]
        task = _call(services.create_task, actor=request.user, **data)
        if not Task.objects.visible_to(request.user).filter(pk=task.pk).exists():
            return Response({"id": task.pk}, status=status.HTTP_201_CREATED)
        task = rag.attach([self.get_queryset().get(pk=task.pk)], timezone.localdate())[0]
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    def _reply(self, task):
        task = rag.attach([self.get_queryset().get(pk=task.pk)], timezone.localdate())[0]
        return Response(TaskSerializer(task).data)

    @extend_schema(request=ReportInputSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """Report progress (lead or co-department); `escalate` puts it on the next agenda."""
        task = self.get_object()
        serializer = ReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(services.submit_report, actor=request.user, task=task, **serializer.validated_data)
        return self._reply(task)

    @extend_schema(request=CloseInputSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the task, confirming its 完成标准 is met and saying how."""
        task = self.get_object()
        serializer = CloseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(services.close_task, actor=request.user, task=task, **serializer.validated_data)
        return self._reply(task)


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings (例会) with their agenda and decisions; actions prepare, hold and decide."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    def get_queryset(self):
        queryset = (
            Meeting.objects.visible_to(self.request.user)
            .select_related("series")
            .order_by("-scheduled_on", "-id")
        )
        if self.action != "list":
            # Agenda lines only about what the reader may see (as on the meeting page).
            agenda = AgendaItem.objects.visible_to(self.request.user)
            queryset = queryset.prefetch_related(Prefetch("agenda", queryset=agenda), "decisions")
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return MeetingSerializer
        return MeetingDetailSerializer

    def _reply(self, meeting, code=status.HTTP_200_OK):
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingDetailSerializer(meeting).data, status=code)

    @extend_schema(request=None, responses={200: MeetingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="draft-agenda")
    def draft_agenda(self, request, pk=None):
        """Draft the agenda from what is late, at risk or escalated."""
        meeting = self.get_object()
        _call(services.draft_agenda, actor=request.user, meeting=meeting)
        return self._reply(meeting)

    @extend_schema(request=HoldInputSerializer, responses={200: MeetingDetailSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        meeting = self.get_object()
        serializer = HoldInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            services.hold_meeting,
            actor=request.user,
            meeting=meeting,
            minutes=serializer.validated_data["minutes"],
        )
        return self._reply(meeting)

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        """Record a decision; with `task` (its 四定) it becomes a task at once."""
        meeting = self.get_object()
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = _call(
            services.record_decision, actor=request.user, meeting=meeting, text=data["text"]
        )
        if data.get("task"):
            _call(services.decision_to_task, actor=request.user, decision=decision, **data["task"])
            decision.refresh_from_db()
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionTaskInputSerializer, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="decision-task")
    def decision_task(self, request, pk=None):
        """Turn one of this meeting's decisions into a task with its 四定."""
        meeting = self.get_object()
        serializer = DecisionTaskInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        decision = get_object_or_404(Decision, pk=data.pop("decision"), meeting=meeting)
        task = _call(services.decision_to_task, actor=request.user, decision=decision, **data)
        task = rag.attach([Task.objects.with_progress().get(pk=task.pk)], timezone.localdate())[0]
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)
