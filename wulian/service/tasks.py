"""Scheduled jobs of 企呼我应 in the worker: closing by silence, reminders and escalation."""

import datetime as dt

from wulian.worker.queue import crontab, scheduled_job

from .notices import remind
from .services import close_silent_requests


@scheduled_job(
    "service_clock",
    every=dt.timedelta(minutes=5),
    at=crontab(minute="*/5"),
    label="诉求时限：默认办结、到期提醒、超期督办",
)
def service_clock(*, now: dt.datetime) -> str:
    """Every five minutes: close silent requests, then tell who is due, overdue, escalated."""
    closed = close_silent_requests(now=now)
    told = remind(now=now)
    return f"closed={closed} due_soon={told['due_soon']} overdue={told['overdue_or_escalated']}"
