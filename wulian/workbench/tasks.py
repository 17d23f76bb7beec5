"""Scheduled job in the worker: the morning digest of each person's workbench."""

import datetime as dt

from wulian.worker.queue import crontab, scheduled_job

from .services import send_daily_digests


@scheduled_job(
    "daily_digest",
    every=dt.timedelta(days=1),
    at=crontab(hour="8", minute="0"),
    label="每日待办摘要",
)
def daily_digest(*, now: dt.datetime) -> str:
    return f"sent={send_daily_digests(now=now)}"
