"""Long imports in the worker: a large upload is checked and written there, not in the request.

A file larger than `IMPORT_BACKGROUND_BYTES` is stored as an `ImportJob` in the state 排队预检
(`queued`) and the worker is asked to look at it. The worker takes the job with a conditional
update (two workers cannot both take it), runs the dataset's dry run — the same check as the
page's own preview — and leaves the report: 预检通过 (`previewed`) or 预检未通过 (`failed`). On
confirmation the job waits as `confirmed`, and the worker writes every row or none (the
importer's own transaction), so a worker killed half-way leaves nothing half-written. The page
polls the job (htmx) and shows the stage and the rows read so far; the person who uploaded it
is told when it finishes.

Core sits below the worker and the notifications, so they plug in here from their
`AppConfig.ready()`: the worker registers how a job is queued (`register_queue`), the
notifications who is told (`register_listener`). Without a queue every import runs in the
request as before.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ImportStatus
from .datasets import registry
from .imports import check_upload_size
from .models import ImportJob
from .tabular import ImportReport, RowProblem

logger = logging.getLogger("wulian.imports")
S = ImportStatus
WAITING = (S.QUEUED, S.CONFIRMED)
RUNNING = (S.CHECKING, S.WRITING)
IN_PROGRESS = frozenset({*WAITING, *RUNNING})
# A job that waits this long was never picked up (a queue that was down): queue it again.
LOST_AFTER = dt.timedelta(minutes=2)

Listener = Callable[..., None]
_queue: Callable[[str], None] | None = None
_listeners: list[Listener] = []


def register_queue(queue: Callable[[str], None]) -> None:
    """The worker says how to ask it to look at a job (called once the transaction commits)."""
    global _queue
    _queue = queue


def register_listener(listener: Listener) -> None:
    """`listener(job=, stage=, ok=, label=, summary=, url=)` runs when a stage finishes, in the
    transaction that records it (notifications write their outbox there)."""
    if listener not in _listeners:
        _listeners.append(listener)


def in_background(upload) -> bool:
    """Whether this upload goes to the worker: a queue exists and the file is large."""
    return _queue is not None and upload.size > settings.IMPORT_BACKGROUND_BYTES


def _ask_worker(job: ImportJob) -> None:
    queue = _queue
    if queue is not None:
        transaction.on_commit(lambda: queue(str(job.pk)))


@transaction.atomic
def queue_import(*, actor, kind: str, upload) -> ImportJob:
    """Store a large upload and ask the worker to check it (the dry run)."""
    check_upload_size(upload)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        original_name=str(upload.name)[:255],
        status=S.QUEUED,
        background=True,
        report={},
    )
    job.file.save(f"{job.pk}.upload", ContentFile(upload.read()), save=False)
    job.save()
    _ask_worker(job)
    return job


@transaction.atomic
def confirm_import(*, actor, job: ImportJob) -> ImportJob:
    """The uploader confirms a previewed background import: the worker writes it."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("只能确认自己上传的导入。"))
    taken = ImportJob.objects.filter(pk=job.pk, status=S.PREVIEWED).update(
        status=S.CONFIRMED, updated_at=timezone.now()
    )
    if not taken:
        raise ValidationError(_("该导入已处理或预检未通过，请重新上传。"))
    job.refresh_from_db()
    _ask_worker(job)
    return job


# ---------------------------------------------------------------- progress


def _progress_key(job_id) -> str:
    return f"import-progress:{job_id}"


def progress_of(job: ImportJob) -> int:
    """Rows read so far by the running stage (0 when unknown: not started, or no cache)."""
    return int(cache.get(_progress_key(job.pk)) or 0)


def _report_progress(job_id) -> Callable[[int, int], None]:
    # Kept in the shared cache, not the job's row: the write stage holds that row in its one
    # long transaction, and a page reading the row would only see the end.
    def report(done: int, total: int) -> None:
        cache.set(_progress_key(job_id), done, timeout=6 * 3600)

    return report


# ---------------------------------------------------------------- the worker's side


def _take(job_id: str) -> tuple[ImportJob, str] | None:
    """Move a waiting job to its running state; None if another worker took it, or done."""
    now = timezone.now()
    stages = ((S.QUEUED, S.CHECKING, "preview"), (S.CONFIRMED, S.WRITING, "commit"))
    for waiting, running, stage in stages:
        if ImportJob.objects.filter(pk=job_id, status=waiting).update(
            status=running, updated_at=now
        ):
            return ImportJob.objects.select_related("created_by").get(pk=job_id), stage
    return None


def _summary(report: ImportReport, label: str, unit: str, stage: str) -> str:
    if not report.ok:
        return _("%(n)d 处问题，未写入任何数据。") % {"n": len(report.errors)}
    if stage == "preview":
        return _("共 %(t)d 行，将新增 %(c)d %(u)s、更新 %(n)d %(u)s，请确认导入。") % {
            "t": report.total_rows,
            "c": report.created,
            "n": report.updated,
            "u": unit,
        }
    return _("%(l)s：新增 %(c)d %(u)s，更新 %(n)d %(u)s。") % {
        "l": label,
        "c": report.created,
        "n": report.updated,
        "u": unit,
    }


def _finish(job: ImportJob, report: ImportReport, stage: str) -> None:
    """Record the stage's report and tell the listeners (inside the caller's transaction)."""
    dataset = registry.get(job.kind)
    label = str(dataset.label) if dataset else job.kind
    unit = str(dataset.unit) if dataset else ""
    if stage == "preview":
        job.status = S.PREVIEWED if report.ok else S.FAILED
    else:
        job.status = S.DONE if report.ok else S.FAILED
    job.report = report.to_dict()
    job.updated_at = timezone.now()
    job.save(update_fields=["status", "report", "updated_at"])
    url = reverse("data-job", args=[job.kind, job.pk])
    for listener in _listeners:
        listener(
            job=job,
            stage=stage,
            ok=report.ok,
            label=label,
            summary=_summary(report, label, unit, stage),
            url=url,
        )
    if job.status in (S.FAILED, S.DONE):
        name = job.file.name
        if name:
            transaction.on_commit(lambda: job.file.storage.delete(name))


def _crashed(exc: Exception) -> ImportReport:
    report = ImportReport(dry_run=True)
    report.errors.append(
        RowProblem(0, "", _("导入过程中出错，未写入任何数据：%(e)s") % {"e": str(exc)[:200]})
    )
    return report


def run_import_job(job_id: str) -> str:
    """The worker's task: take the job if it waits, run its stage, record the outcome.

    A task for a job that is not waiting (done, taken by another worker) does nothing, so a
    repeated or duplicated task is harmless.
    """
    taken = _take(job_id)
    if taken is None:
        return "nothing to do"
    job, stage = taken
    dataset = registry.get(job.kind)
    progress = _report_progress(job.pk)
    try:
        if dataset is None:
            raise ValueError(job.kind)
        with job.file.open("rb") as handle:
            data = handle.read()
        # No transaction around the run: SQLite takes its write lock when a transaction
        # begins (IMMEDIATE), and the web would wait for the whole check. The importer writes
        # every row or none in its own transaction.
        report = dataset.run(
            actor=job.created_by, data=data, dry_run=stage == "preview", progress=progress
        )
    except Exception as exc:
        logger.exception("import job %s failed in stage %s", job_id, stage)
        report = _crashed(exc)
    finally:
        cache.delete(_progress_key(job.pk))
    with transaction.atomic():
        _finish(job, report, stage)
    return f"{stage} {job.status}"


def requeue_lost(*, now: dt.datetime | None = None) -> int:
    """Scheduled: ask again about jobs that have waited too long (their task was lost), and
    take up jobs whose worker died: a check is run again; a write, which may or may not have
    committed before the worker died, goes back to its uploader to confirm again."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    dead = ImportJob.objects.filter(status=S.CHECKING, updated_at__lt=stale)
    ids = [str(pk) for pk in dead.values_list("pk", flat=True)]
    ImportJob.objects.filter(pk__in=ids, status=S.CHECKING).update(status=S.QUEUED, updated_at=now)
    ImportJob.objects.filter(status=S.WRITING, updated_at__lt=stale).update(
        status=S.PREVIEWED, updated_at=now
    )
    lost = ImportJob.objects.filter(status__in=WAITING, updated_at__lt=now - LOST_AFTER)
    ids += [str(pk) for pk in lost.values_list("pk", flat=True)]
    queue = _queue
    if queue is not None:
        for job_id in ids:
            queue(job_id)
    return len(ids)
