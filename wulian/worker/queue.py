"""The task queue and the scheduled jobs of `manage.py worker` (docs/adr/0005-worker.md).

Huey underneath: its queue lives in a SQLite file on one machine and in Redis when several
workers share it (`WORKER_URL`). Two rules make the worker safe to run more than once and to
lose: what must happen is written to the database first (an outbox row, a job's period), and
a task only says "look at the database now" — so a lost or duplicated task changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from .models import JobRun

__all__ = ["HUEY", "crontab", "db_task", "enqueue_on_commit", "scheduled_job"]

logger = logging.getLogger("wulian.worker")


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name, its period and the function it runs."""

    name: str
    every: dt.timedelta
    run: Callable
    label: str


JOBS: dict[str, Job] = {}


def enqueue(task, *args) -> bool:
    """Put `task` on the queue; a broker that is down is logged, never raised.

    Callers only use tasks whose work is also found by a scheduled sweep of the database, so
    a task that could not be queued is done a minute later instead.
    """
    try:
        task(*args)
    except Exception as exc:  # noqa: BLE001 - any broker failure (Redis down, file locked)
        logger.warning("worker queue unavailable, left to the next sweep: %s", exc)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Queue `task` once the current transaction commits (never for a rolled-back change)."""
    transaction.on_commit(lambda: enqueue(task, *args))


def period_start(now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    """The start of the period of length `every` that contains `now`, in the city's time."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    step = int(every.total_seconds())
    if step >= 86400:
        return midnight
    elapsed = int((local - midnight).total_seconds())
    return midnight + dt.timedelta(seconds=elapsed - elapsed % step)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def claim_period(name: str, every: dt.timedelta, now: dt.datetime) -> JobRun | None:
    """The run record for this period, if we are first to take it; None if someone was."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                name=name,
                period=period_start(now, every),
                started_at=now,
                worker=worker_name(),
            )
    except IntegrityError:
        return None


def run_job(name: str, now: dt.datetime | None = None):
    """Run the scheduled job `name` for the period containing `now`, unless it already ran."""
    job = JOBS[name]
    now = now or timezone.now()
    run = claim_period(name, job.every, now)
    if run is None:
        logger.info("scheduled job %s already ran for this period", name)
        return None
    try:
        result = job.run(now=now)
    except Exception as exc:
        run.ok, run.result, run.finished_at = False, repr(exc)[:300], timezone.now()
        run.save(update_fields=["ok", "result", "finished_at"])
        raise
    run.ok, run.result, run.finished_at = True, str(result)[:300], timezone.now()
    run.save(update_fields=["ok", "result", "finished_at"])
    return result


def scheduled_job(name: str, *, every: dt.timedelta, at: crontab, label: str = ""):
    """Make `fn(now=...)` a job of the worker's scheduler, run once per period `every`.

    `at` says when the scheduler enqueues it (a Huey crontab, in the city's time); every
    running worker enqueues it, and `run_job` lets only the first run of a period through.
    """

    def decorator(fn):
        JOBS[name] = Job(name=name, every=every, run=fn, label=label or name)

        @db_periodic_task(at, name=f"scheduled.{name}")
        def periodic():
            run_job(name)

        fn.periodic = periodic
        return fn

    return decorator
