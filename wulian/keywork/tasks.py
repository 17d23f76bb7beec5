"""Scheduled jobs of key work in the worker: late 四定 tasks."""

import datetime as dt

from django.utils import timezone

from wulian.worker.queue import crontab, scheduled_job

from .notices import remind_late_tasks


@scheduled_job(
    "keywork_late_tasks",
    every=dt.timedelta(hours=1),
    at=crontab(minute="7"),
    label="四定任务逾期提醒",
)
def late_tasks(*, now: dt.datetime) -> str:
    """Hourly: tell the departments of tasks that passed their deadline (once per deadline)."""
    return f"told={remind_late_tasks(today=timezone.localdate(now))}"
