from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wulian.core.permissions import GOVERNMENT_ROLES
from wulian.core.sqlread import PageIds

from .. import services, stats
from ..filtersets import ProjectFilterSet
from ..models import Project
from ..permissions import can_create_project, can_open_lead
from . import rows
from .serializers import (
    AdvanceSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    MonthlyInvestmentSerializer,
    OpenLeadSerializer,
    OverviewSerializer,
    ProjectCreateSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    RevertSerializer,
    TransitionSerializer,
)


class ProjectViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Investment projects, scoped to the caller; stage transitions are POST actions."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def _scoped(self):
        return Project.objects.visible_to(self.request.user).order_by("-planned_wan", "id")

    def get_queryset(self):
        """The reference read (and the write actions' lookup): the list and the detail
        answer the same JSON from plain SQL (api/rows.py)."""
        queryset = (
            self._scoped()
            .with_flags()
            .select_related("region", "investor", "lead_department")
            .prefetch_related("links")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events")
        return queryset

    def list(self, request, *args, **kwargs):
        # The filtered, scoped, ordered queryset picks the page's ids (a COUNT and one page
        # of ids); the rows are read by id in plain SQL, in the page's order.
        queryset = self._scoped()
        # Building the FilterSet and its form costs about 0.8 ms: a list asked without any of
        # its filters is the scoped queryset itself (every filter skips an empty value).
        if any(name in request.query_params for name in ProjectFilterSet.base_filters):
            queryset = self.filter_queryset(queryset)
        page = self.paginate_queryset(PageIds(queryset))
        if page is None:
            return Response(rows.project_page(list(queryset.values_list("pk", flat=True))))
        return self.get_paginated_response(rows.project_page(list(page)))

    def retrieve(self, request, *args, **kwargs):
        data = rows.project_detail(Project.objects.visible_to(request.user), kwargs["pk"])
        if data is None:
            raise Http404
        return Response(data)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProjectDetailSerializer
        return super().get_serializer_class()

    def _reply(self, project, code=status.HTTP_200_OK):
        project = self.get_queryset().get(pk=project.pk)
        return Response(ProjectDetailSerializer(project).data, status=code)

    def _project(self):
        # Lookups go through get_queryset, so an invisible project is a 404.
        return self.get_object()

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectDetailSerializer})
    def create(self, request):
        if not can_create_project(request.user):
            raise exceptions.PermissionDenied("您无权登记项目。")
        serializer = ProjectCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.create_project(actor=request.user, **serializer.validated_data)
        if not Project.objects.visible_to(request.user).filter(pk=project.pk).exists():
            return Response(
                {"id": project.pk, "detail": "项目已登记，但不在您的可见范围内。"},
                status=status.HTTP_201_CREATED,
            )
        return self._reply(project, status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectDetailSerializer})
    def partial_update(self, request, pk=None):
        """Edit the project's facts (what the stage checklists ask for), not its stage."""
        project = self._project()
        serializer = ProjectUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        links = data.pop("links", None)
        try:
            project = services.update_project(
                actor=request.user, project=project, links=links, **data
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return self._reply(project)

    @extend_schema(request=TransitionSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the project to `stage`; refused with a Chinese message if not allowed."""
        project = self._project()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            project = services.transition_project(
                actor=request.user,
                project=project,
                to_stage=data["stage"],
                on=data.get("on"),
                reason=data.get("reason", ""),
                note=data.get("reason", ""),
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return self._reply(project)

    @extend_schema(request=AdvanceSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Move the project to the next stage of the pipeline."""
        project = self._project()
        serializer = AdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            project = services.advance_project(
                actor=request.user,
                project=project,
                on=serializer.validated_data.get("on"),
                expected_stage=serializer.validated_data.get("from_stage"),
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return self._reply(project)

    @extend_schema(request=RevertSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def revert(self, request, pk=None):
        """回退: take the project back one stage of the pipeline, with a reason."""
        project = self._project()
        serializer = RevertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            project = services.revert_project(
                actor=request.user,
                project=project,
                reason=serializer.validated_data["reason"],
                expected_stage=serializer.validated_data.get("from_stage"),
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return self._reply(project)

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        """Upload a document (PDF/JPG/PNG) for the stage checklists."""
        project = self._project()
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.upload_document(
            actor=request.user,
            project=project,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MonthlyInvestmentSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], url_path="investment")
    def investment(self, request, pk=None):
        """Record the investment completed in a month (万元)."""
        project = self._project()
        serializer = MonthlyInvestmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_monthly_investment(
            actor=request.user, project=project, **serializer.validated_data
        )
        return self._reply(project)

    @extend_schema(request=OpenLeadSerializer, responses={201: ProjectDetailSerializer})
    @action(detail=False, methods=["post"], url_path="from-target")
    def from_target(self, request):
        """Open a lead for a target company (from the chains' gap analysis)."""
        if not can_open_lead(request.user):
            raise exceptions.PermissionDenied("您无权发起招商线索。")
        serializer = OpenLeadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        links = serializer.validated_data.get("links")
        project = services.open_lead_for_target(
            actor=request.user, target=serializer.validated_data["target"], links=links or None
        )
        if not Project.objects.visible_to(request.user).filter(pk=project.pk).exists():
            return Response({"id": project.pk}, status=status.HTTP_201_CREATED)
        return self._reply(project, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OverviewSerializer})
    @action(detail=False, methods=["get"])
    def overview(self, request):
        """Counts and investment by stage, stalled and ≥100亿 counts, published figures."""
        data = stats.pipeline_overview(Project.objects.visible_to(request.user))
        return Response(OverviewSerializer(data).data)
