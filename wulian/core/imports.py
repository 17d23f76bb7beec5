"""Two-step imports for the web: upload → preview (dry run) → confirm → write.

The uploaded file waits in MEDIA_ROOT/imports/ under a UUID (never the client's file name)
until the user confirms or it is replaced; the write re-validates everything.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import ImportStatus
from .models import ImportJob
from .tabular import ImportReport

Runner = Callable[..., ImportReport]


def check_upload_size(upload) -> None:
    """Refuse files over the limit before reading a byte of them."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件过大（%(got).1f MB），上限为 %(max)d MB。")
            % {"got": upload.size / 1048576, "max": settings.MAX_UPLOAD_BYTES // 1048576}
        )


def preview_import(*, actor, kind: str, upload, runner: Runner) -> ImportJob:
    """Store the upload and run the importer as a dry run; the report says what would happen."""
    check_upload_size(upload)
    data = upload.read()
    report = runner(actor=actor, data=data, dry_run=True)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        original_name=str(upload.name)[:255],
        status=ImportStatus.PREVIEWED if report.ok else ImportStatus.FAILED,
        report=report.to_dict(),
    )
    if report.ok:
        job.file.save(f"{job.pk}.upload", ContentFile(data), save=False)
    job.save()
    return job


def commit_import(*, actor, job: ImportJob, runner: Runner) -> ImportReport:
    """Write a previewed import. Only its uploader may; each job is written at most once."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("只能确认自己上传的导入。"))
    with transaction.atomic():
        # Lock the job so that a double click or two tabs cannot write the file twice.
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.PREVIEWED:
            raise ValidationError(_("该导入已处理或预检未通过，请重新上传。"))
        with job.file.open("rb") as handle:
            data = handle.read()
        report = runner(actor=actor, data=data, dry_run=False)
        job.report = report.to_dict()
        job.status = ImportStatus.DONE if report.ok else ImportStatus.FAILED
        job.save(update_fields=["report", "status"])
        if report.ok:
            name = job.file.name
            transaction.on_commit(lambda: job.file.storage.delete(name))
    return report


def preview_from_request(request, *, kind: str, runner: Runner) -> dict:
    """Validate the upload form and preview it; the template context of every import page.

    Returns form, job (None when refused), report and error (a Chinese message or None).
    """
    from .forms import ImportUploadForm

    form = ImportUploadForm(request.POST, request.FILES)
    job = error = None
    if form.is_valid():
        try:
            job = preview_import(
                actor=request.user, kind=kind, upload=form.cleaned_data["file"], runner=runner
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
    else:
        error = _("请选择要上传的 .xlsx 或 .csv 文件。")
    return {
        "form": form,
        "job": job,
        "report": ImportReport.from_dict(job.report) if job else None,
        "error": error,
    }
