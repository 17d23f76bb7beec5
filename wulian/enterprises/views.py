"""Enterprise registry pages: list (with htmx filtering), detail, export, import."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.exports import stamp, xlsx_response
from wulian.core.forms import ImportUploadForm
from wulian.core.imports import commit_import, preview_from_request
from wulian.core.models import ImportJob
from wulian.core.permissions import ALL_ROLES, RoleRequiredMixin

from .choices import MujunGrade, TagKind
from .filtersets import EnterpriseFilterSet
from .forms import VisitForm
from .models import Enterprise
from .permissions import IMPORT_ROLES, can_import_enterprises, sees_analysis
from .profile import chain_choices
from .profile_page import profile_context
from .services import export_enterprises_xlsx, import_enterprises
from .visits import can_visit, record_visit


def filtered_enterprises(request):
    """The user's visible enterprises narrowed by the request's filters (page, export, API)."""
    base = Enterprise.objects.visible_to(request.user).select_related("region")
    return EnterpriseFilterSet(request.GET or None, queryset=base)


class EnterpriseListView(RoleRequiredMixin, View):
    """Search and filter the registry; htmx requests get only the results fragment."""

    allowed_roles = ALL_ROLES

    def get(self, request):
        filterset = filtered_enterprises(request)
        queryset = (
            filterset.qs if filterset.is_bound and filterset.is_valid() else (filterset.queryset)
        )
        totals = queryset.aggregate(n=Count("id"), output=Sum("output_wan"))
        paginator = Paginator(queryset.order_by("-output_wan", "id"), 50)
        # The totals above already counted the rows: the paginator need not count them again.
        paginator.count = totals["n"]
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filterset": filterset,
            "page": page,
            "totals": totals,
            "query": query.urlencode(),
            "counties": EnterpriseFilterSet.county_choices(),
            "can_import": can_import_enterprises(request.user),
            "chains": chain_choices(),
            "tag_choices": TagKind.choices,
            "grade_choices": MujunGrade.choices,
            "sees_analysis": sees_analysis(request.user),
        }
        template = "enterprises/partials/results.html" if request.htmx else "enterprises/list.html"
        return render(request, template, context)


class EnterpriseDetailView(RoleRequiredMixin, View):
    """一企一档: the profile a 链长 opens before a visit; 404 when the user may not see it."""

    allowed_roles = ALL_ROLES

    def get(self, request, pk):
        enterprise = get_object_or_404(
            Enterprise.objects.visible_to(request.user).select_related("region"), pk=pk
        )
        return render(request, "enterprises/detail.html", profile_context(request, enterprise))

    def post(self, request, pk):
        """Log a visit (走访记录) from the form on the profile."""
        enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
        if not can_visit(request.user, enterprise):
            raise PermissionDenied
        form = VisitForm(request.POST)
        if form.is_valid():
            record_visit(actor=request.user, enterprise=enterprise, **form.cleaned_data)
            messages.success(request, _("走访记录已保存。"))
            return redirect(f"{enterprise.get_absolute_url()}#visits")
        context = profile_context(request, enterprise, visit_form=form)
        return render(request, "enterprises/detail.html", context, status=400)


class EnterpriseExportView(RoleRequiredMixin, View):
    """The current filter as xlsx, scoped exactly like the list."""

    allowed_roles = ALL_ROLES

    def get(self, request):
        filterset = filtered_enterprises(request)
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponse(_("筛选条件无效。"), status=400)
        data = export_enterprises_xlsx(filterset.qs)
        return xlsx_response(data, f"enterprises-{stamp()}.xlsx")


class EnterpriseImportView(RoleRequiredMixin, View):
    """Upload a file; it is checked row by row and previewed before anything is written."""

    allowed_roles = IMPORT_ROLES

    def get(self, request):
        return render(request, "enterprises/import.html", {"form": ImportUploadForm()})

    def post(self, request):
        context = preview_from_request(request, kind="enterprises", runner=import_enterprises)
        error = context["error"]
        template = (
            "enterprises/partials/import_preview.html"
            if request.htmx
            else ("enterprises/import.html")
        )
        # htmx swaps only 2xx responses; the fragment itself shows the error.
        status = 400 if error and not request.htmx else 200
        return render(request, template, context, status=status)


class EnterpriseImportCommitView(RoleRequiredMixin, View):
    """Confirm a previewed import: write every row (or, if anything changed, none)."""

    allowed_roles = IMPORT_ROLES

    def post(self, request, job_id):
        job = get_object_or_404(ImportJob, pk=job_id, kind="enterprises")
        try:
            report = commit_import(actor=request.user, job=job, runner=import_enterprises)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("enterprises:import")
        except OperationalError:
            messages.error(request, _("数据库连接中断，未写入任何数据，请重新上传后再试。"))
            return redirect("enterprises:import")
        if report.ok:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 家，更新 %(u)d 家。")
                % {"c": report.created, "u": report.updated},
            )
            return redirect("enterprises:list")
        context = {"form": ImportUploadForm(), "job": None, "report": report, "error": None}
        return render(request, "enterprises/import.html", context, status=400)
