"""One upload page for every dataset: the list of datasets, templates, upload → preview →
confirm, and the export of what the user may see (in the template's columns)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from . import import_jobs
from .choices import ImportStatus
from .datasets import can_import, export_xlsx, registry, template_xlsx
from .exports import stamp, xlsx_response
from .forms import ImportUploadForm
from .imports import commit_import, preview_from_request
from .models import ImportJob
from .permissions import GOVERNMENT_ROLES, RoleRequiredMixin
from .tabular import ImportReport


def _dataset(request, name: str, *, write: bool):
    dataset = registry.get(name)
    if dataset is None:
        raise Http404
    if write and not can_import(request.user, dataset):
        raise PermissionDenied
    return dataset


class DataHomeView(RoleRequiredMixin, View):
    """Every dataset: what it holds, its template, its export, and (if allowed) its import."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request):
        rows = [{"dataset": d, "can_import": can_import(request.user, d)} for d in registry.all()]
        return render(request, "core/data_home.html", {"rows": rows})


class TemplateView(RoleRequiredMixin, View):
    """The dataset's template: headers, one example row, a 填写说明 sheet."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, name):
        dataset = _dataset(request, name, write=False)
        return xlsx_response(template_xlsx(dataset), f"template-{dataset.name}.xlsx")


class ExportView(RoleRequiredMixin, View):
    """What the user may see of the dataset, in the template's columns (imports back)."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, name):
        dataset = _dataset(request, name, write=False)
        return xlsx_response(export_xlsx(dataset, request.user), f"{dataset.name}-{stamp()}.xlsx")


class UploadView(RoleRequiredMixin, View):
    """Upload a file: every row is checked and previewed before anything is written. A large
    file goes to the worker, and the page follows its progress (`core.import_jobs`)."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, name):
        dataset = _dataset(request, name, write=True)
        context = {"dataset": dataset, "form": ImportUploadForm()}
        return render(request, "core/data_import.html", context)

    def post(self, request, name):
        dataset = _dataset(request, name, write=True)
        upload = request.FILES.get("file")
        if upload is not None and import_jobs.in_background(upload):
            return self._queue(request, dataset, upload)
        context = preview_from_request(request, kind=dataset.name, runner=dataset.run)
        context["dataset"] = dataset
        template = "core/partials/data_preview.html" if request.htmx else "core/data_import.html"
        status = 400 if context["error"] and not request.htmx else 200
        return render(request, template, context, status=status)

    def _queue(self, request, dataset, upload):
        try:
            job = import_jobs.queue_import(actor=request.user, kind=dataset.name, upload=upload)
        except ValidationError as exc:
            context = {"dataset": dataset, "form": ImportUploadForm(), "job": None}
            context.update(report=None, error="；".join(exc.messages))
            if request.htmx:
                return render(request, "core/partials/data_preview.html", context)
            return render(request, "core/data_import.html", context, status=400)
        if request.htmx:
            return render(request, "core/partials/data_job.html", _job_context(dataset, job))
        return redirect("data-job", name=dataset.name, job_id=job.pk)


class CommitView(RoleRequiredMixin, View):
    """Confirm a previewed import: write every row (or, if anything changed, none)."""

    allowed_roles = GOVERNMENT_ROLES

    def post(self, request, name, job_id):
        dataset = _dataset(request, name, write=True)
        job = get_object_or_404(ImportJob, pk=job_id, kind=dataset.name)
        if job.background:
            try:
                import_jobs.confirm_import(actor=request.user, job=job)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            return redirect("data-job", name=dataset.name, job_id=job.pk)
        try:
            report = commit_import(actor=request.user, job=job, runner=dataset.run)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("data-import", name=dataset.name)
        except OperationalError:
            messages.error(request, _("数据库连接中断，未写入任何数据，请重新上传后再试。"))
            return redirect("data-import", name=dataset.name)
        if report.ok:
            messages.success(
                request,
                _("导入完成：新增 %(c)d %(u)s，更新 %(n)d %(u)s。")
                % {"c": report.created, "n": report.updated, "u": dataset.unit},
            )
            return redirect("data-import", name=dataset.name)
        context = {"dataset": dataset, "form": ImportUploadForm(), "job": None, "report": report}
        return render(request, "core/data_import.html", context, status=400)


STEPS = (
    ("queued", _("排队")),
    ("checking", _("逐行检查")),
    ("previewed", _("确认")),
    ("writing", _("写入")),
    ("done", _("完成")),
)
STEP_OF = {"confirmed": "writing", "failed": "previewed"}


def _job_context(dataset, job: ImportJob) -> dict:
    report = ImportReport.from_dict(job.report) if job.report else None
    running = job.status in import_jobs.IN_PROGRESS
    return {
        "dataset": dataset,
        "job": job,
        "report": report,
        "running": running,
        "rows_read": import_jobs.progress_of(job) if running else 0,
        "steps": [(key, str(label)) for key, label in STEPS],
        "step": STEP_OF.get(job.status, job.status),
        "commit_url": reverse("data-commit", args=[dataset.name, job.pk])
        if job.status == ImportStatus.PREVIEWED
        else "",
        "form": ImportUploadForm(),
    }


class JobView(RoleRequiredMixin, View):
    """A background import: its stage and progress (the page polls this while it runs), then
    its preview or outcome. Only its uploader sees it."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, name, job_id):
        dataset = _dataset(request, name, write=True)
        job = get_object_or_404(
            ImportJob, pk=job_id, kind=dataset.name, created_by=request.user, background=True
        )
        context = _job_context(dataset, job)
        template = "core/partials/data_job.html" if request.htmx else "core/data_job.html"
        return render(request, template, context)
