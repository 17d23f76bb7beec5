"""The real worker in subprocesses: a routed request reaches the robot, a killed worker loses
nothing, two workers run a scheduled job once per period, a dead queue stops nothing."""

import json
import os
import re
import signal
import time

import pytest

from wulian.notifications.tests.robot_server import RobotServer

from .processes import SETUP, Stack, wait_for

ROUTE = """
import django; django.setup()
from wulian.core.models import User
from wulian.service.models import ServiceRequest
from wulian.service.workflow import transition
transition(request=ServiceRequest.objects.get(pk={pk}), action="route",
           actor=User.objects.get(username="dispatcher"))
"""
SEEN_BY_ECON = """
import django, json; django.setup()
from wulian.core.models import User
from wulian.notifications.models import Notification, Delivery
from wulian.workbench.services import workbench_for
bench = workbench_for(User.objects.get(username="econ"))
print(json.dumps({
    "workbench": [[s.key, t.url] for s, t in bench.items()],
    "centre": list(Notification.objects.filter(recipient__username="econ")
                   .values_list("message__title", flat=True)),
    "deliveries": list(Delivery.objects.values_list("channel", "status", "attempts")),
}))
"""


@pytest.fixture
def robot():
    server = RobotServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One migrated SQLite file per module; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("template")
    Stack(folder).migrate()
    return folder / "db.sqlite3"


@pytest.fixture
def stack(tmp_path, robot, migrated):
    stack = Stack(tmp_path, NOTIFY_WEBHOOK_URL=robot.url, NOTIFY_WEBHOOK_SECRET="SECtest")
    stack.migrate(template=migrated)
    yield stack
    stack.stop()


def test_routing_reaches_the_robot_once_within_a_minute(stack, robot):
    pk = stack.run(SETUP).splitlines()[-1]
    stack.start_worker("w1")
    routed_at = time.monotonic()
    stack.run(ROUTE.format(pk=pk))
    assert wait_for(lambda: robot.received, timeout=60), "no message within a minute"
    took = robot.received[0].at - routed_at
    time.sleep(3)  # nothing more arrives later
    assert len(robot.received) == 1
    got = robot.received[0]
    assert took < 60
    assert got.payload["msgtype"] == "markdown"
    assert got.payload["markdown"]["title"] == f"新派单：#{pk} 用地指标咨询"
    assert {"timestamp", "sign", "access_token"} <= set(got.query)
    seen = json.loads(stack.run(SEEN_BY_ECON))
    assert seen["centre"] == [f"新派单：#{pk} 用地指标咨询"]
    assert seen["deliveries"] == [["dingtalk", "sent", 1]]
    assert seen["workbench"] == [["service.answer", f"/service/requests/{pk}/"]]


MANY = """
import django; django.setup()
from django.db import transaction
from wulian.notifications.choices import Kind
from wulian.notifications.services import notify
with transaction.atomic():
    for i in range({n}):
        notify(kind=Kind.ROUTED, recipients=[], title=f"消息 {{i}}")
"""
KEYS = """
import django, json; django.setup()
from wulian.notifications.models import Delivery
print(json.dumps([[str(k), s, a] for k, s, a in Delivery.objects.order_by("id")
                  .values_list("key", "status", "attempts")]))
"""


def test_a_worker_killed_mid_delivery_loses_nothing_and_resends_only_what_was_in_flight(
    stack, robot
):
    stack.env["NOTIFY_LEASE_SECONDS"] = "3"
    stack.run(MANY.format(n=6))
    robot.delay = 1.0  # each message takes a second to be answered
    worker = stack.start_worker("doomed", "--threads", "1")
    assert wait_for(lambda: len(robot.received) >= 3, timeout=60)
    os.kill(worker.pid, signal.SIGKILL)  # while the third is waiting for its answer
    worker.wait()
    before_kill = [r.headers["X-Wulian-Delivery"] for r in robot.received]
    in_flight = before_kill[-1]
    answered_before_kill = before_kill[:-1]
    robot.delay = 0.0
    stack.start_worker("restarted", "--threads", "1")
    assert wait_for(
        lambda: all(s == "sent" for _k, s, _a in json.loads(stack.run(KEYS))), timeout=60
    ), stack.run(KEYS)
    rows = json.loads(stack.run(KEYS))
    received = [r.headers["X-Wulian-Delivery"] for r in robot.received]
    assert sorted(set(received)) == sorted(k for k, _s, _a in rows)  # nothing lost
    twice = {k for k in received if received.count(k) > 1}
    assert twice <= {in_flight}  # only the message in flight at the kill may arrive again
    for key in answered_before_kill:
        assert received.count(key) == 1
    attempts = {k: a for k, _s, a in rows}
    assert attempts[in_flight] == 2
    assert all(a == 1 for k, a in attempts.items() if k != in_flight)


RUNS = """
import django, json; django.setup()
from wulian.worker.models import JobRun
print(json.dumps([[r.name, r.period.isoformat(), r.worker] for r in JobRun.objects.all()]))
"""


def two_workers_run_each_period_once(stack):
    first = stack.start_worker("a")
    second = stack.start_worker("b")
    enqueued = "Enqueueing periodic task wulian.worker.queue.scheduled.heartbeat"
    executed = "Executing wulian.worker.queue.scheduled.heartbeat"

    def logs():
        return stack.log(first) + stack.log(second)

    # each worker's scheduler queues the job as it starts, and both tasks are run
    assert wait_for(
        lambda: enqueued in stack.log(first)
        and enqueued in stack.log(second)
        and len(re.findall(r"scheduled\.heartbeat: \S+ executed in", logs())) >= 2,
        timeout=60,
    ), logs()
    runs = json.loads(stack.run(RUNS))
    periods = [period for name, period, _w in runs if name == "heartbeat"]
    assert len(periods) == len(set(periods))  # never two runs for one period
    executions = logs().count(executed)
    skipped = logs().count("scheduled job heartbeat already ran for this period")
    assert executions >= 2
    assert executions == len(periods) + skipped and skipped >= 1, logs()


def test_two_workers_on_the_file_queue_run_a_scheduled_job_once_per_period(stack):
    stack.run(SETUP)
    two_workers_run_each_period_once(stack)


def redis_url() -> str:
    return os.environ.get("WULIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def test_two_workers_on_redis_run_a_scheduled_job_once_per_period(stack):
    import redis

    url = redis_url()
    client = redis.Redis.from_url(url)
    client.ping()  # no Redis: this test fails loudly (CI starts one, see .ci/run)
    client.flushdb()
    stack.env["WORKER_URL"] = url
    stack.run(SETUP)
    two_workers_run_each_period_once(stack)
    client.flushdb()
