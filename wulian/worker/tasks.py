"""The worker's own scheduled job: a heartbeat each minute, so administrators see it runs."""

import datetime as dt

from django.utils import timezone

from .models import JobRun
from .queue import crontab, scheduled_job

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
