"""The worker's side of the outbox: claim a due row, send it, record how it went.

Claiming takes one row at a time under a lease. On PostgreSQL the row is read with
`SELECT … FOR UPDATE SKIP LOCKED`, so workers never wait on each other; on SQLite every write
transaction starts with `BEGIN IMMEDIATE` (settings), which serialises claims. Either way the
claim is a conditional update that only succeeds while no live lease holds the row, and the
result is written under the claim's token, so a worker that lost its lease cannot overwrite
another's result.

A worker killed mid-delivery leaves a lease that expires (`NOTIFY_LEASE_SECONDS`); the row is
then claimed again. Only the one message in flight at the moment of the kill can reach its
receiver twice — the sender cannot know whether a request it never got an answer to was acted
on — and its retry carries the same `X-Wulian-Delivery` key so that a receiver can drop it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import channels
from .choices import DeliveryStatus
from .models import ChannelHealth, Delivery

logger = logging.getLogger("wulian.notifications")


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try: base × 2^(attempts−1), at most NOTIFY_RETRY_MAX_SECONDS."""
    seconds = settings.NOTIFY_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def claim_one(now: dt.datetime) -> tuple[Delivery, uuid.UUID] | None:
    """Take the next due delivery under a fresh lease, or None when nothing is due."""
    lease = dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    for _try in range(5):
        with transaction.atomic():
            due = Delivery.objects.due(now).order_by("next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            pk = due.values_list("pk", flat=True).first()
            if pk is None:
                return None
            token = uuid.uuid4()
            taken = (
                Delivery.objects.due(now)
                .filter(pk=pk)
                .update(lease_until=now + lease, lease_token=token, attempts=F("attempts") + 1)
            )
        if taken:
            row = Delivery.objects.select_related("message", "robot").get(pk=pk)
            return row, token
    return None


def _health(delivery: Delivery, now: dt.datetime, error: str = "") -> None:
    health, _created = ChannelHealth.objects.get_or_create(
        channel=delivery.channel, target=delivery.target
    )
    if error:
        ChannelHealth.objects.filter(pk=health.pk).update(
            consecutive_failures=F("consecutive_failures") + 1,
            last_error=error[:500],
            last_error_at=now,
        )
    else:
        ChannelHealth.objects.filter(pk=health.pk).update(
            consecutive_failures=0, last_success_at=now
        )


def attempt(delivery: Delivery, token: uuid.UUID, now: dt.datetime) -> str:
    """Send one claimed delivery and record the outcome; returns the new status."""
    try:
        channels.send(delivery)
    except channels.DeliveryError as exc:
        error = str(exc) or type(exc).__name__
        dead = delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk, lease_token=token).update(
            status=DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING,
            next_attempt_at=now + backoff(delivery.attempts),
            lease_until=None,
            last_error=error[:500],
        )
        _health(delivery, now, error)
        logger.warning("delivery %s via %s failed: %s", delivery.pk, delivery.channel, error)
        return DeliveryStatus.DEAD if dead else "retry"
    marked = Delivery.objects.filter(pk=delivery.pk, lease_token=token).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    if not marked:
        logger.warning("delivery %s sent after its lease ran out", delivery.pk)
    _health(delivery, now)
    return DeliveryStatus.SENT


def deliver_due(*, now: dt.datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Send what is due, one claimed row at a time, at most `limit` rows per call."""
    report = DeliveryReport()
    for _i in range(limit):
        claimed = claim_one(now or timezone.now())
        if claimed is None:
            break
        outcome = attempt(*claimed, now or timezone.now())
        if outcome == DeliveryStatus.SENT:
            report.sent += 1
        elif outcome == DeliveryStatus.DEAD:
            report.dead += 1
        else:
            report.failed += 1
    return report
