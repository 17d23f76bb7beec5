"""Two servers behind one PostgreSQL and one Redis, with two workers (`make test-cluster`).

Everything is checked over HTTP against real gunicorn and worker processes (tests/cluster/
cluster.py): a write through one server is read at once through the other, sessions and
tokens cross servers, the sign-in lockout counts across both, uploads are shared, a routed
request is announced once, scheduled jobs run once per period, and with Redis stopped both
servers keep serving while notifications wait in the database. The tests share one cluster
and run in file order (the last one stops the workers and counts their runs).
"""

from __future__ import annotations

import time

import pytest
import redis

from wulian.notifications.tests.robot_server import RobotServer

from .cluster import Client, Cluster, wait_for

pytestmark = pytest.mark.cluster

PASSWORD = "wulian-demo"
ROUTED = "新派单：#{pk} {title}"


@pytest.fixture(scope="module")
def robot():
    server = RobotServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, robot):
    cluster = Cluster(
        tmp_path_factory.mktemp("cluster"),
        NOTIFY_WEBHOOK_URL=robot.url,
        LOGIN_FAILURE_LIMIT="5",
    )
    try:
        cluster.prepare()
        servers = [cluster.start_server("a"), cluster.start_server("b")]
        cluster.start_worker("1")
        cluster.start_worker("2")
        for server in servers:
            cluster.wait_until_serving(server)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def a(cluster):
    return cluster.servers[0]


@pytest.fixture(scope="module")
def b(cluster):
    return cluster.servers[1]


@pytest.fixture(scope="module")
def api(a):
    """API clients by username, each holding a token that server A issued."""
    clients = {}
    for username in ("leader", "dispatcher", "ent_demo", "admin", "econ"):
        client = Client()
        assert client.obtain_token(a, username, PASSWORD).status_code == 200
        clients[username] = client
    return clients


@pytest.fixture(scope="module")
def browser(a):
    """The leader in a browser, signed in through server A."""
    client = Client()
    assert client.sign_in_page(a, "leader", PASSWORD).status_code == 302
    return client


def submit(api, server, title: str) -> int:
    answer = api["ent_demo"].post(
        server,
        "/api/v1/service-requests/",
        json={"title": title, "description": "集群测试诉求", "category": "policy"},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def step(api, server, pk: int, action: str, **data) -> dict:
    who = "ent_demo" if action == "supply-material" else "dispatcher"
    answer = api[who].post(server, f"/api/v1/service-requests/{pk}/{action}/", **data)
    assert answer.status_code == 200, answer.text
    return answer.json()


def listed_ids(answer) -> set[int]:
    assert answer.status_code == 200, answer.text
    return {row["id"] for row in answer.json()["results"]}


def test_a_write_through_a_is_read_at_once_through_b(api, browser, cluster, a, b):
    # given: server B has read the request list, and the query cache (django-cachalot) keeps
    # its results in the shared Redis
    shared = redis.Redis.from_url(cluster.redis.url(0))
    shared.flushdb()
    before = [api["leader"].get(b, "/api/v1/service-requests/") for _ in range(8)]
    assert all(listed_ids(r) == set() for r in before)
    assert shared.dbsize() > 0, "B cached nothing in the shared Redis"
    # when: the enterprise files a request through server A
    pk = submit(api, a, "跨服务器写入")
    # then: every following read through B shows it, in the API and on the pages
    for _ in range(8):
        assert pk in listed_ids(api["leader"].get(b, "/api/v1/service-requests/"))
    detail = api["leader"].get(b, f"/api/v1/service-requests/{pk}/")
    assert detail.json()["title"] == "跨服务器写入"
    page = browser.get(b, f"/service/requests/{pk}/")
    assert page.status_code == 200 and "跨服务器写入" in page.text
    inbox = browser.get(b, "/service/inbox/")
    assert inbox.status_code == 200 and "跨服务器写入" in inbox.text


def test_a_session_and_a_token_from_a_work_on_b_and_end_on_both_at_once(api, a, b):
    browser = Client()
    assert browser.sign_in_page(a, "econ", PASSWORD).status_code == 302
    assert browser.get(b, "/").status_code == 200  # the session signed on A, read on B
    me = api["econ"].get(b, "/api/v1/me/")  # the token issued by A, checked by B
    assert me.status_code == 200 and me.json()["username"] == "econ"
    # B has the token in its memory now; an administrator deactivates the account through A
    users = api["admin"].get(a, "/api/v1/users/", params={"page_size": 1000}).json()["results"]
    econ = next(u for u in users if u["username"] == "econ")
    off = api["admin"].patch(a, f"/api/v1/users/{econ['id']}/", json={"is_active": False})
    assert off.status_code == 200, off.text
    assert api["econ"].get(b, "/api/v1/me/").status_code == 401
    assert browser.get(b, "/").status_code == 302  # back to the sign-in page
    assert browser.get(a, "/").status_code == 302


def test_the_sign_in_lockout_counts_failures_on_both_servers(a, b):
    client = Client()
    for attempt in range(5):  # A, B, A, B, A: five failures in all, under five on each
        server = a if attempt % 2 == 0 else b
        assert client.obtain_token(server, "county_ly", "wrong-password").status_code == 400
    # the right password is now refused through either server, as a lockout
    locked = client.obtain_token(b, "county_ly", PASSWORD)
    assert locked.status_code == 429 and "锁定" in locked.text
    page = client.sign_in_page(a, "county_ly", PASSWORD)
    assert page.status_code == 200 and "锁定" in page.text
    # another account is not affected
    assert Client().obtain_token(b, "leader", PASSWORD).status_code == 200


def test_a_file_uploaded_through_a_is_served_through_b(api, a, b):
    pk = submit(api, a, "附件跨服务器")
    step(api, b, pk, "accept")
    step(api, a, pk, "request-material", json={"reason": "请补充营业执照"})
    content = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    step(
        api,
        a,
        pk,
        "supply-material",
        files={"files": ("执照.pdf", content, "application/pdf")},
        data={"reason": "已补充"},
    )
    detail = api["ent_demo"].get(b, f"/api/v1/service-requests/{pk}/").json()
    (attachment,) = detail["attachments"]
    enterprise = Client()
    assert enterprise.sign_in_page(b, "ent_demo", PASSWORD).status_code == 302
    for server in (b, a):
        served = enterprise.get(server, attachment["url"])
        assert served.status_code == 200, served.text[:300]
        assert served.content == content


def sweeps_after(cluster, moment: float) -> int:
    """Finished runs of the outbox sweep that started after `moment` (a time.time())."""
    return cluster.sql(
        "SELECT count(*) FROM worker_jobrun WHERE name = 'outbox_sweep' AND ok"
        " AND started_at > to_timestamp(%s)",
        moment,
    )[0][0]


def announcements(robot, pk: int, title: str) -> list:
    return [
        r
        for r in robot.received
        if r.payload["markdown"]["title"] == ROUTED.format(pk=pk, title=title)
    ]


def test_routed_requests_are_announced_once_with_two_workers(api, cluster, robot, a, b):
    titles = {}
    for n in range(4):
        pk = submit(api, a if n % 2 else b, f"派单通知 {n}")
        titles[pk] = f"派单通知 {n}"
        step(api, b, pk, "accept")
    routed_at = time.time()
    for pk in titles:
        step(api, a, pk, "route", json={})
    assert wait_for(
        lambda: all(announcements(robot, pk, t) for pk, t in titles.items()), timeout=90
    ), [r.payload["markdown"]["title"] for r in robot.received]
    # both workers' sweeps have looked at the outbox since, and found nothing left to send
    assert wait_for(lambda: sweeps_after(cluster, routed_at) >= 1, timeout=90)
    time.sleep(2)
    for pk, title in titles.items():
        assert len(announcements(robot, pk, title)) == 1
    keys = [r.headers["X-Wulian-Delivery"] for r in robot.received]
    assert len(keys) == len(set(keys))
    rows = cluster.sql(
        "SELECT d.status, d.attempts FROM notifications_delivery d"
        " JOIN notifications_message m ON m.id = d.message_id WHERE m.title LIKE '新派单%%'"
    )
    assert sorted(rows) == [("sent", 1)] * len(titles)


def test_with_redis_stopped_both_servers_serve_and_notifications_wait(
    api, browser, cluster, robot, a, b
):
    cluster.redis.stop()
    try:
        for server in (a, b):
            for path in ("/", "/service/inbox/", "/service/stats/", "/cockpit/", "/chains/"):
                page = browser.get(server, path)
                assert page.status_code == 200, (server.name, path, page.status_code)
            assert api["leader"].get(server, "/api/v1/service-requests/").status_code == 200
        # a request is filed, accepted and routed while the queue is gone
        pk = submit(api, a, "Redis 停止时派单")
        step(api, b, pk, "accept")
        step(api, a, pk, "route", json={})
        time.sleep(3)
        assert not announcements(robot, pk, "Redis 停止时派单")
        waiting = cluster.sql(
            "SELECT d.status FROM notifications_delivery d JOIN notifications_message m"
            " ON m.id = d.message_id WHERE m.title = %s",
            ROUTED.format(pk=pk, title="Redis 停止时派单"),
        )
        assert waiting == [("pending",)]
    finally:
        cluster.redis.start()
    # Redis is back: the next sweep sends what waited, once
    assert wait_for(lambda: announcements(robot, pk, "Redis 停止时派单"), timeout=150)
    back_at = time.time()
    assert wait_for(lambda: sweeps_after(cluster, back_at) >= 1, timeout=90)
    assert len(announcements(robot, pk, "Redis 停止时派单")) == 1
    assert all(worker.poll() is None for worker in cluster.workers), cluster.worker_logs()[-3000:]


def test_each_scheduled_job_ran_once_per_period(cluster):
    enqueued = "Enqueueing periodic task wulian.worker.queue.scheduled.heartbeat"
    skipped = "scheduled job heartbeat already ran for this period"
    # Both schedulers queue the heartbeat every minute; wait until one run found its period
    # already taken by the other worker, then stop both (running tasks finish) and count.
    assert wait_for(
        lambda: all(enqueued in w.log_path.read_text() for w in cluster.workers)
        and skipped in cluster.worker_logs(),
        timeout=150,
    ), cluster.worker_logs()[-3000:]
    cluster.stop_workers()
    logs = cluster.worker_logs()
    for job in ("heartbeat", "outbox_sweep"):
        periods = [
            p for (p,) in cluster.sql("SELECT period FROM worker_jobrun WHERE name = %s", job)
        ]
        executed = logs.count(f"Executing wulian.worker.queue.scheduled.{job}")
        skips = logs.count(f"scheduled job {job} already ran for this period")
        assert len(periods) == len(set(periods)) >= 2
        assert executed == len(periods) + skips, job  # every other run did nothing
        assert skips >= 1, job  # both workers queued the job for some period
