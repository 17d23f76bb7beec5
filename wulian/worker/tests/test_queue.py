"""The queue in-process: periods, once per period, a queue that is down."""

import datetime as dt

import pytest
from huey import RedisHuey

from wulian.notifications import delivery
from wulian.notifications.choices import DeliveryStatus
from wulian.notifications.models import Delivery
from wulian.notifications.tasks import deliver_outbox
from wulian.service.tests.factories import ROUTED, aware, file_request, walk
from wulian.worker import queue
from wulian.worker.models import JobRun


def test_periods_are_in_the_citys_time():
    every5 = dt.timedelta(minutes=5)
    assert queue.period_start(aware(2025, 11, 4, 10, 7, 31), every5) == aware(2025, 11, 4, 10, 5)
    day = queue.period_start(aware(2025, 11, 4, 0, 30), dt.timedelta(days=1))
    assert day == aware(2025, 11, 4, 0, 0)


def test_a_scheduled_job_runs_once_per_period(db):
    calls = []
    queue.JOBS["probe"] = queue.Job(
        "probe", dt.timedelta(minutes=5), lambda now: calls.append(now), "probe"
    )
    try:
        assert queue.run_job("probe", now=aware(2025, 11, 4, 10, 1)) is None
        queue.run_job("probe", now=aware(2025, 11, 4, 10, 4))  # same period: skipped
        queue.run_job("probe", now=aware(2025, 11, 4, 10, 5))  # next period
    finally:
        del queue.JOBS["probe"]
    assert len(calls) == 2
    runs = JobRun.objects.filter(name="probe").order_by("period")
    assert [r.period for r in runs] == [aware(2025, 11, 4, 10, 0), aware(2025, 11, 4, 10, 5)]
    assert all(r.ok for r in runs)


def test_a_failing_job_is_recorded_with_its_error(db):
    def boom(now):
        raise ValueError("数据源不可用")

    queue.JOBS["boom"] = queue.Job("boom", dt.timedelta(minutes=5), boom, "boom")
    try:
        with pytest.raises(ValueError):
            queue.run_job("boom", now=aware(2025, 11, 4, 10, 1))
    finally:
        del queue.JOBS["boom"]
    run = JobRun.objects.get(name="boom")
    assert run.ok is False and "数据源不可用" in run.result


def test_every_app_job_is_registered():
    assert set(queue.JOBS) == {
        "heartbeat",
        "outbox_sweep",
        "service_clock",
        "keywork_late_tasks",
        "nightly_rollups",
        "daily_digest",
        "policy_payout_clock",
        "policy_rematch",
        "import_sweep",
    }


def test_jobs_can_be_run_by_hand_once_per_period(db):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("worker", run=["heartbeat", "outbox_sweep"], stdout=out)
    call_command("worker", run=["heartbeat"], stdout=out)
    assert "heartbeat: ok" in out.getvalue() and "本周期已执行过" in out.getvalue()
    assert JobRun.objects.filter(name="heartbeat").count() == 1
    with pytest.raises(CommandError, match="没有这个定时任务"):
        call_command("worker", run=["nope"])


def test_a_queue_that_is_down_stops_nothing_and_the_outbox_waits(
    loop, users, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    settings.NOTIFY_WEBHOOK_URL = ["http://127.0.0.1:9/robot"]
    dead = RedisHuey("dead", url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    monkeypatch.setattr(deliver_outbox, "huey", dead)
    with django_capture_on_commit_callbacks(execute=True):
        request = walk(file_request(users), users, ROUTED)
    assert request.status == "routed"
    assert "worker queue unavailable" in caplog.text
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2
    # the next sweep (any worker, once the queue is back) sends what waited
    delivery.deliver_due()
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 1  # the email


def test_pages_do_not_wait_for_the_worker(loop, users, client):
    request = walk(file_request(users), users, ROUTED)
    client.force_login(users["econ"])
    assert client.get(f"/service/requests/{request.pk}/").status_code == 200
