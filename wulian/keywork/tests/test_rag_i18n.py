"""The reasons behind a red or amber task read in the user's language."""

import datetime as dt

from django.utils import translation

from wulian.keywork.choices import Cadence, Rag, TaskStatus
from wulian.keywork.rag import derive_rag


def late_task():
    return derive_rag(
        status=TaskStatus.OPEN,
        today=dt.date(2026, 6, 30),
        start_on=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 6, 1),
        cadence=Cadence.MONTHLY,
        progress=40,
        last_report_on=dt.date(2026, 1, 5),
        overdue_milestones=2,
    )


def test_reasons_in_chinese_by_default():
    result = late_task()
    assert result.rag == Rag.RED
    assert "已超过完成时限29天" in result.reasons
    assert "2个节点逾期未完成" in result.reasons


def test_reasons_in_english():
    with translation.override("en"):
        result = late_task()
    assert "29 days past the deadline" in result.reasons
    assert "2 milestones overdue" in result.reasons
