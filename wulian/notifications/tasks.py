"""Worker tasks of notifications: deliver the outbox, at once after a commit and every minute."""

import datetime as dt

from wulian.worker.queue import crontab, db_task, scheduled_job

from .delivery import deliver_due


@db_task(name="notifications.deliver")
def deliver_outbox():
    """Queued when a transaction wrote outbox rows: send them now."""
    return deliver_due().__dict__


@scheduled_job(
    "outbox_sweep",
    every=dt.timedelta(minutes=1),
    at=crontab(minute="*"),
    label="发送待发通知（免打扰结束、重试、队列中断后补发）",
)
def sweep_outbox(*, now: dt.datetime) -> str:
    """Every minute: send what waited (quiet hours, retries, a queue that was down)."""
    report = deliver_due()
    return f"sent={report.sent} failed={report.failed} dead={report.dead}"
