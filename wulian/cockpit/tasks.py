"""Scheduled job in the worker: rebuild the derived tables every night from their facts.

The services that write facts keep these tables current as they go; the nightly rebuild
repairs whatever a write that bypassed them (a restore, a SQL fix) left behind.
"""

import datetime as dt

from wulian.chains.services import refresh_link_stats
from wulian.enterprises.months import rebuild_month_rollups
from wulian.fusion.services import refresh_scores
from wulian.worker.queue import crontab, scheduled_job


@scheduled_job(
    "nightly_rollups",
    every=dt.timedelta(days=1),
    at=crontab(hour="2", minute="30"),
    label="夜间重算统计汇总（驾驶舱、环节统计、五链评分）",
)
def nightly_rollups(*, now: dt.datetime) -> str:
    rows = rebuild_month_rollups()
    refresh_link_stats()
    scores = refresh_scores()
    return f"cockpit_rows={rows} chains={len(scores)}"
