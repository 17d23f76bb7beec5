"""Investment pipeline pages: the board, the table, a project with its timeline, totals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.chains.models import Chain, Link, TargetCompany
from wulian.core.models import CITY_CODE, Department, Region
from wulian.core.permissions import GOVERNMENT_ROLES, RoleRequiredMixin

from . import services, stats
from .choices import PIPELINE, ProjectStage
from .filtersets import ProjectFilterSet
from .forms import CompanyForm, DocumentForm, MonthlyInvestmentForm, ProjectForm, TransitionForm
from .models import Project, ProjectDocument
from .permissions import CREATE_ROLES, OPEN_LEAD_ROLES, can_create_project
from .querysets import stalled_days

VIEW_ROLES = GOVERNMENT_ROLES
BOARD_COLUMN_LIMIT = 30


def visible_projects(user):
    return Project.objects.visible_to(user)


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def board_context(user, error: str = "", error_project: int | None = None) -> dict:
    base = visible_projects(user).with_flags().select_related("region", "investor")
    counts = dict(base.values_list("stage").annotate(n=Count("id")).order_by())
    columns = []
    for stage in PIPELINE:
        projects = list(
            base.filter(stage=stage).order_by("stage_entered_on", "id")[:BOARD_COLUMN_LIMIT]
        )
        columns.append(
            {
                "stage": stage,
                "label": ProjectStage(stage).label,
                "count": counts.get(stage, 0),
                "projects": projects,
            }
        )
    return {
        "columns": columns,
        "lost_count": counts.get(ProjectStage.LOST, 0),
        "limit": BOARD_COLUMN_LIMIT,
        "stalled_days": stalled_days(),
        "error": error,
        "error_project": error_project,
    }


class BoardView(RoleRequiredMixin, View):
    """The kanban board: one column per stage, a button on each card to move it on."""

    allowed_roles = VIEW_ROLES

    def get(self, request):
        context = board_context(request.user)
        context["overview"] = stats.pipeline_overview(visible_projects(request.user))
        template = "investment/partials/board.html" if request.htmx else "investment/board.html"
        return render(request, template, context)


class AdvanceView(RoleRequiredMixin, View):
    """Move a project to its next stage (the board's button); htmx gets the board back."""

    allowed_roles = VIEW_ROLES

    def post(self, request, pk):
        project = get_object_or_404(visible_projects(request.user), pk=pk)
        error = ""
        try:
            project = services.advance_project(
                actor=request.user,
                project=project,
                expected_stage=request.POST.get("from_stage") or None,
            )
        except ValidationError as exc:
            error = _errors(exc)
        if request.htmx:
            context = board_context(request.user, error, project.pk if error else None)
            return render(request, "investment/partials/board.html", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("已推进至“%(s)s”。") % {"s": project.get_stage_display()})
        return redirect(request.POST.get("next") or project.get_absolute_url())


class ProjectListView(RoleRequiredMixin, View):
    """The filterable table of projects; htmx requests get only the results fragment."""

    allowed_roles = VIEW_ROLES

    def get(self, request):
        base = (
            visible_projects(request.user)
            .with_flags()
            .select_related("region", "investor", "lead_department")
        )
        filterset = ProjectFilterSet(request.GET or None, queryset=base)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        page = Paginator(queryset.order_by("-planned_wan", "id"), 50).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page": page,
            "count": page.paginator.count,
            "query": query.urlencode(),
            "stages": ProjectStage.choices,
            "counties": Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name"),
            "chains": Chain.objects.values_list("code", "name"),
            "departments": Department.objects.values_list("code", "name"),
            "stalled_days": stalled_days(),
            "can_create": can_create_project(request.user),
        }
        template = (
            "investment/partials/table.html" if request.htmx else "investment/project_list.html"
        )
        return render(request, template, context)


class ProjectCreateView(RoleRequiredMixin, View):
    """Open a new lead."""

    allowed_roles = CREATE_ROLES

    def get(self, request):
        initial = {"region": request.user.region_id or CITY_CODE}
        if request.user.department_id:
            initial["lead_department"] = request.user.department_id
        return render(
            request, "investment/project_form.html", {"form": ProjectForm(initial=initial)}
        )

    def post(self, request):
        form = ProjectForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = services.create_project(
                    actor=request.user,
                    name=data["name"],
                    investor=data["investor"],
                    investor_name=data["investor_name"],
                    region=data["region"],
                    planned_wan=data["planned_wan"],
                    links=data["links"],
                    lead_department=data["lead_department"],
                    responsible_leader=data["responsible_leader"],
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                if not visible_projects(request.user).filter(pk=project.pk).exists():
                    messages.info(request, _("项目已登记，但不在您的可见范围内。"))
                    return redirect("investment:list")
                return redirect(project)
        return render(request, "investment/project_form.html", {"form": form}, status=400)


class ProjectEditView(RoleRequiredMixin, View):
    """Edit a project's facts (what the stage checklists ask for), not its stage."""

    allowed_roles = VIEW_ROLES

    def project(self, request, pk) -> Project:
        return get_object_or_404(visible_projects(request.user), pk=pk)

    def get(self, request, pk):
        project = self.project(request, pk)
        form = ProjectForm(
            initial={
                "name": project.name,
                "investor": project.investor_id,
                "investor_name": project.investor_name,
                "region": project.region_id,
                "planned_wan": project.planned_wan,
                "links": list(project.links.values_list("pk", flat=True)),
                "lead_department": project.lead_department_id,
                "responsible_leader": project.responsible_leader,
            }
        )
        context = {"form": form, "project": project}
        return render(request, "investment/project_form.html", context)

    def post(self, request, pk):
        project = self.project(request, pk)
        form = ProjectForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            links = data.pop("links")
            try:
                project = services.update_project(
                    actor=request.user, project=project, links=links, **data
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("项目信息已保存。"))
                return redirect(project)
        context = {"form": form, "project": project}
        return render(request, "investment/project_form.html", context, status=400)


class ProjectDetailView(RoleRequiredMixin, View):
    """One project: stage steps, timeline, next-stage checklist, documents, investment."""

    allowed_roles = VIEW_ROLES

    def get(self, request, pk):
        project = get_object_or_404(
            visible_projects(request.user)
            .with_flags()
            .select_related("region", "investor", "lead_department", "enterprise"),
            pk=pk,
        )
        events = project.events.select_related("actor").order_by("on", "id")
        reached = {}
        for event in events:
            if event.is_revert:
                reached.pop(event.from_stage, None)
            reached[event.to_stage] = event.on
        steps = [
            {"stage": s, "label": ProjectStage(s).label, "on": reached.get(s)} for s in PIPELINE
        ]
        current_index = PIPELINE.index(project.stage) if project.stage in PIPELINE else -1
        monthly = list(project.monthly.all())
        context = {
            "project": project,
            "events": events,
            "steps": steps,
            "current_index": current_index,
            "checklist": services.checklist(project),
            "documents": project.documents.select_related("uploaded_by"),
            "monthly": monthly,
            "monthly_total": sum((m.amount_wan for m in monthly), 0),
            "links": project.links.select_related("chain"),
            "targets": services.allowed_targets(project.stage),
            "can_lose": (project.stage, ProjectStage.LOST) in services.TRANSITIONS,
            "can_revert": services.can_revert(project, request.user),
            "previous_stage_label": ProjectStage(services.previous_stage(project.stage)).label
            if services.previous_stage(project.stage)
            else "",
            "can_reopen": services.can_transition(project, ProjectStage.LEAD, request.user)
            and project.stage == ProjectStage.LOST,
            "document_form": DocumentForm(),
            "monthly_form": MonthlyInvestmentForm(),
            "company_form": CompanyForm(
                initial={"company_name": project.company_name, "uscc": project.uscc}
            ),
            "stalled_days": stalled_days(),
        }
        return render(request, "investment/project_detail.html", context)


class _ProjectActionView(RoleRequiredMixin, View):
    allowed_roles = VIEW_ROLES

    def project(self, request, pk) -> Project:
        return get_object_or_404(visible_projects(request.user), pk=pk)

    def done(self, request, project, error: str = "", success: str = ""):
        if error:
            messages.error(request, error)
        elif success:
            messages.success(request, success)
        return redirect(project)


class TransitionView(_ProjectActionView):
    """Move a project to a given stage (e.g. 已流失 with its reason, or back to 线索)."""

    def post(self, request, pk):
        project = self.project(request, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return self.done(request, project, _("请检查日期格式。"))
        data = form.cleaned_data
        try:
            project = services.transition_project(
                actor=request.user,
                project=project,
                to_stage=data["stage"],
                on=data["on"],
                reason=data["reason"],
                note=data["reason"],
            )
        except ValidationError as exc:
            return self.done(request, project, _errors(exc))
        except PermissionDenied as exc:
            return self.done(request, project, str(exc))
        return self.done(
            request, project, success=_("已转为“%(s)s”。") % {"s": project.get_stage_display()}
        )


class RevertView(_ProjectActionView):
    """回退: take the project back one stage, with a reason (shown on the timeline)."""

    def post(self, request, pk):
        project = self.project(request, pk)
        try:
            project = services.revert_project(
                actor=request.user,
                project=project,
                reason=request.POST.get("reason", ""),
                expected_stage=request.POST.get("from_stage") or None,
            )
        except ValidationError as exc:
            return self.done(request, project, _errors(exc))
        except PermissionDenied as exc:
            return self.done(request, project, str(exc))
        return self.done(
            request, project, success=_("已回退至“%(s)s”。") % {"s": project.get_stage_display()}
        )


class DocumentUploadView(_ProjectActionView):
    def post(self, request, pk):
        project = self.project(request, pk)
        form = DocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.done(request, project, _("请选择材料类型和文件。"))
        try:
            services.upload_document(
                actor=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            return self.done(request, project, _errors(exc))
        return self.done(request, project, success=_("材料已上传。"))


class DocumentDownloadView(RoleRequiredMixin, View):
    """A document, only for users who may see its project; always as a download."""

    allowed_roles = VIEW_ROLES

    def get(self, request, uid):
        document = get_object_or_404(
            ProjectDocument.objects.filter(project__in=visible_projects(request.user).values("pk")),
            uid=uid,
        )
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{document.get_kind_display()}{document.extension}",
            content_type=document.content_type,
        )
        return response


class MonthlyInvestmentView(_ProjectActionView):
    def post(self, request, pk):
        project = self.project(request, pk)
        form = MonthlyInvestmentForm(request.POST)
        if not form.is_valid():
            return self.done(request, project, _("请填写月份（如 2026-05）和完成投资（万元）。"))
        try:
            services.record_monthly_investment(
                actor=request.user,
                project=project,
                month=form.cleaned_data["month"],
                amount_wan=form.cleaned_data["amount_wan"],
            )
        except ValidationError as exc:
            return self.done(request, project, _errors(exc))
        return self.done(request, project, success=_("已填报完成投资。"))


class CompanyView(_ProjectActionView):
    def post(self, request, pk):
        project = self.project(request, pk)
        form = CompanyForm(request.POST)
        if not form.is_valid():
            return self.done(request, project, _("请检查填写内容。"))
        try:
            services.update_project_company(
                actor=request.user,
                project=project,
                company_name=form.cleaned_data["company_name"],
                uscc=form.cleaned_data["uscc"],
            )
        except ValidationError as exc:
            return self.done(request, project, _errors(exc))
        return self.done(request, project, success=_("项目公司信息已保存。"))


class OpenLeadView(RoleRequiredMixin, View):
    """POST: open a lead for a target company (the chains' gap finding links here).

    Optional `links` (ids) narrow the links the lead is meant to fill.
    """

    allowed_roles = OPEN_LEAD_ROLES

    def post(self, request, target_id):
        target = get_object_or_404(TargetCompany, pk=target_id)
        link_ids = [i for i in request.POST.getlist("links") if i.isdigit()]
        links = list(Link.objects.filter(pk__in=link_ids)) if link_ids else None
        project = services.open_lead_for_target(actor=request.user, target=target, links=links)
        messages.success(request, _("已为“%(t)s”建立招商线索。") % {"t": target.name})
        if visible_projects(request.user).filter(pk=project.pk).exists():
            return redirect(project)
        return redirect("investment:board")


class TotalsView(RoleRequiredMixin, View):
    """The pipeline's totals by chain, by county and by year, with the published figures."""

    allowed_roles = VIEW_ROLES

    def get(self, request):
        projects = visible_projects(request.user)
        overview = stats.pipeline_overview(projects)
        by_year = stats.totals_by_year(projects)
        context = {
            "overview": overview,
            "by_chain": stats.totals_by_chain(projects),
            "by_county": stats.totals_by_county(projects),
            "by_year": by_year,
            "chart": {
                "stages": [s["label"] for s in overview["stages"]],
                "counts": [s["count"] for s in overview["stages"]],
                "planned_yi": [round(s["planned_wan"] / 10000, 2) for s in overview["stages"]],
                "years": [str(r["year"]) for r in by_year],
                "completed_yi": [round(float(r["completed_wan"]) / 10000, 2) for r in by_year],
                "signed": [r["signed"] for r in by_year],
            },
        }
        return render(request, "investment/totals.html", context)
