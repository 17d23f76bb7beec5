"""Scheduled jobs of the 政策体系: overdue payouts told, every policy re-matched nightly."""

import datetime as dt

from django.db import transaction

from wulian.worker.queue import crontab, scheduled_job

from .notices import remind_overdue
from .services import refresh_all_matches


@scheduled_job(
    "policy_payout_clock",
    every=dt.timedelta(minutes=30),
    at=crontab(minute="*/30"),
    label="政策兑现时限：超期督办、市领导关注",
)
def policy_payout_clock(*, now: dt.datetime) -> str:
    with transaction.atomic():
        told = remind_overdue(now=now)
    return f"overdue={told['overdue']} leader={told['leader']}"


@scheduled_job(
    "policy_rematch",
    every=dt.timedelta(days=1),
    at=crontab(minute="20", hour="2"),
    label="政策匹配：每晚按最新企业数据重新匹配，新符合条件的企业收到通知",
)
def policy_rematch(*, now: dt.datetime) -> str:
    totals = refresh_all_matches(now=now)
    return f"policies={totals['policies']} matched={totals['matched']} new={totals['new']}"
