"""Worker tasks of notifications: deliver the outbox, at once after a commit and every minute."""

from huey.contrib.djhuey import db_periodic_task

from wulian.worker.queue import crontab, db_task

from .delivery import deliver_due


@db_task(name="notifications.deliver")
def deliver_outbox():
    """Queued when a transaction wrote outbox rows: send them now."""
    return deliver_due().__dict__


@db_periodic_task(crontab(minute="*"), name="notifications.sweep")
def sweep_outbox():
    """Every minute: send what waited (quiet hours, retries, a queue that was down)."""
    return deliver_due().__dict__
