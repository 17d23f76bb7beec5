"""The worker's own jobs: a heartbeat each minute, so administrators see it runs, and the
background imports (`core.import_jobs`)."""

import datetime as dt

from django.utils import timezone

from wulian.core import import_jobs

from .models import JobRun
from .queue import crontab, db_task, scheduled_job

KEEP_RUNS = dt.timedelta(days=14)


@scheduled_job(
    "heartbeat", every=dt.timedelta(minutes=1), at=crontab(minute="*"), label="后台任务心跳"
)
def heartbeat(*, now: dt.datetime) -> str:
    """Record that a worker's scheduler is alive; drop run records older than two weeks."""
    JobRun.objects.filter(period__lt=now - KEEP_RUNS).delete()
    return "ok"


def last_heartbeat() -> dt.datetime | None:
    """When a worker last ran its scheduler (None: no worker has run)."""
    return (
        JobRun.objects.filter(name="heartbeat").order_by("-period").values_list("period", flat=True)
    ).first()


def worker_alive(now: dt.datetime | None = None) -> bool:
    seen = last_heartbeat()
    return seen is not None and (now or timezone.now()) - seen < dt.timedelta(minutes=3)


@db_task(name="imports.run")
def run_import(job_id: str) -> str:
    """Queued when a large upload is stored or confirmed: check or write it now."""
    return import_jobs.run_import_job(job_id)


@scheduled_job(
    "import_sweep",
    every=dt.timedelta(minutes=1),
    at=crontab(minute="*"),
    label="后台导入：补排丢失的任务，接手中断的任务",
)
def sweep_imports(*, now: dt.datetime) -> str:
    """Every minute: background imports whose task was lost or whose worker died."""
    return f"requeued={import_jobs.requeue_lost(now=now)}"
