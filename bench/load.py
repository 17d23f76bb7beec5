"""Load test: `make serve` on loopback with PostgreSQL and the large synthetic data, under locust.

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/load.py [--users 16] [--seconds 30] [--requests 100000]

Without DATABASE_URL it starts a throwaway PostgreSQL cluster of its own on a loopback port
(Debian's postgresql binaries) and removes it afterwards. Then: migrate, the Quzhou demo, enough
synthetic service requests to reach --requests, and `make serve` (gunicorn, DEBUG off,
`check --deploy` passing) on a free loopback port. Three phases run one after another, with no
think time, so each runs at the highest rate the machine sustains (the first two with --users
users):

1. floor — GET /api/v1/ping/: the framework's own floor (no database, no session);
2. api — token-authenticated API reads (enterprises, chains, service requests, cockpit), as
   one client (`leader`) sends them again and again;
3. mixed — leaders (cockpit, chain map), departments (inbox, answering requests), enterprises
   (filing requests, their list) and API clients together, once for each number of users in
   --mixed-users. Without think time, users beyond what the cores can serve only queue: the
   rate stops rising and latency grows. The highest rate reached with p95 under 300 ms is the
   rate the machine sustains.

It prints requests per second, p50/p95/p99 per kind and errors, and the ratio of the API
phase's rate to the floor's (p95 target < 300 ms at the sustained rate; zero errors). Reads by
many distinct users, uncached and with the ORM cache, are measured by `bench/reads.py`. A 409
on a transition (another user answered the same request first) is the designed conflict answer
and is counted apart from errors. Requests go to 127.0.0.1 only and every phase stops by itself.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import gevent  # noqa: I001 - locust patches the standard library on import; keep it first
from locust import HttpUser, constant, events, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "wulian-demo"
# nginx in front terminates HTTPS and says so; the app then treats requests as secure.
PROXY = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> tuple[str, callable]:
    """A throwaway PostgreSQL cluster on a loopback port; returns its URL and a stop function."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        sys.exit("no PostgreSQL server binaries: install postgresql or set DATABASE_URL")
    bindir = bins[-1].parent
    data = Path(tempfile.mkdtemp(prefix="wulian-load-pg-"))
    port = free_port()
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(data, "postgres")

    def run(*cmd):
        if as_postgres:
            cmd = ("su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(str, cmd)))
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    run(bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
    run(
        bindir / "pg_ctl",
        "-D",
        data,
        "-l",
        data / "log",
        "-w",
        "-o",
        f"'-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200'",
        "start",
    )
    run(bindir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "wulian")

    def stop():
        run(bindir / "pg_ctl", "-D", data, "-m", "fast", "stop")
        shutil.rmtree(data, ignore_errors=True)

    return f"postgres://postgres@127.0.0.1:{port}/wulian", stop


def prepare(env: dict, requests: int) -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    script = (
        "import django; django.setup()\n"
        "from wulian.service import demo\n"
        "from wulian.service.models import ServiceRequest\n"
        f"missing = {requests} - ServiceRequest.objects.count()\n"
        "if missing > 0: demo.synthesize(count=missing, with_events=False)\n"
        "print(ServiceRequest.objects.count())\n"
    )
    out = subprocess.run(
        [python, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    print(f"data: 15,000 enterprises, {int(out.stdout.split()[-1]):,} service requests")


def serve(env: dict, port: int) -> subprocess.Popen:
    log = open(Path(env["MEDIA_ROOT"]) / "serve.log", "w")  # noqa: SIM115 - lives with server
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600  # collectstatic compresses ~1,100 files first
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    log.close()
    sys.exit("make serve did not come up:\n" + Path(log.name).read_text()[-3000:])


# ---- users ---------------------------------------------------------------------------------


READY = {"count": 0}


def ready() -> None:
    READY["count"] += 1


class SessionUser(HttpUser):
    """Signs in through the login page like a browser behind nginx would."""

    abstract = True
    wait_time = constant(0)
    username = ""

    def on_start(self):
        self.client.headers.update(PROXY)
        page = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        csrf = self.client.cookies.get("csrftoken")
        origin = self.host.replace("http://", "https://")
        response = self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={
                "Cookie": f"csrftoken={csrf}",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
            },
            allow_redirects=False,
            name="login",
        )
        session = response.cookies.get("sessionid")
        # Secure cookies are not sent back over plain http by the client library; behind
        # nginx they would be, so send them explicitly.
        self.client.headers.update(
            {
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Origin": origin,
                "Referer": f"{origin}/",
            }
        )
        ready()


class LeaderUser(SessionUser):
    username = "leader"

    @task(3)
    def cockpit(self):
        self.client.get("/cockpit/", name="page: cockpit")

    @task(2)
    def chain_map(self):
        self.client.get("/chains/xcl/", name="page: chain map")
        self.client.get("/api/v1/chains/xcl/graph/", name="api: chain graph")


class DepartmentUser(SessionUser):
    username = "econ"

    @task(3)
    def inbox(self):
        self.client.get("/service/inbox/", name="page: inbox")

    @task(1)
    def answer(self):
        listing = self.client.get(
            "/api/v1/service-requests/?status=in_progress&page_size=5",
            name="api: my requests in progress",
        ).json()
        if not listing.get("results"):
            return
        pick = listing["results"][secrets.randbelow(len(listing["results"]))]["id"]
        with self.client.post(
            f"/api/v1/service-requests/{pick}/answer/",
            json={"answer": "已协调解决，详见答复。"},
            name="api: answer request",
            catch_response=True,
        ) as response:
            if response.status_code == 409:
                response.success()
                events.request.fire(
                    request_type="CONFLICT",
                    name="409 answer (lost race)",
                    response_time=0,
                    response_length=0,
                    exception=None,
                )


class EnterpriseUser(SessionUser):
    username = "ent_demo"

    @task(1)
    def file_request(self):
        self.client.post(
            "/api/v1/service-requests/",
            json={
                "title": "压力测试诉求",
                "description": "用于负载测试的合成诉求。",
                "category": "finance",
            },
            name="api: file request",
        )

    @task(3)
    def mine(self):
        self.client.get("/service/mine/", name="page: my requests")


class ApiUser(HttpUser):
    """An API client with a token."""

    wait_time = constant(0)
    extra_headers: dict = {}

    def on_start(self):
        self.client.headers.update(PROXY)
        self.client.headers.update(self.extra_headers)
        token = self.client.post(
            "/api/v1/auth/token/",
            json={"username": "leader", "password": PASSWORD},
            name="api: token",
        ).json()["token"]
        self.client.headers["Authorization"] = f"Token {token}"
        ready()

    @task
    def enterprises(self):
        self.client.get("/api/v1/enterprises/?page_size=50", name="api: enterprises")

    @task
    def chains(self):
        self.client.get("/api/v1/chains/", name="api: chains")

    @task
    def service_requests(self):
        self.client.get("/api/v1/service-requests/?page_size=50", name="api: service requests")

    @task
    def cockpit(self):
        self.client.get("/api/v1/cockpit/", name="api: cockpit")


class FloorUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers.update(PROXY)
        ready()

    @task
    def ping(self):
        self.client.get("/api/v1/ping/", name="floor: ping")


def run_phase(title, user_classes, host, users, seconds) -> dict:
    env = Environment(user_classes=user_classes, host=host, events=events)
    runner = env.create_local_runner()
    READY["count"] = 0
    runner.start(users, spawn_rate=users)
    # Measure only once every user has signed in (password hashing is deliberately slow).
    waited = 0.0
    while READY["count"] < users and waited < 120:
        gevent.sleep(0.2)
        waited += 0.2
    gevent.sleep(1)
    env.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    total = env.stats.total
    print(f"\n== {title}: {users} users, {seconds} s ==")
    print(f"{'kind':42} {'reqs':>7} {'rps':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
    for entry in sorted(env.stats.entries.values(), key=lambda e: e.name):
        if entry.method == "CONFLICT":
            print(f"{entry.name:42} {entry.num_requests:>7}")
            continue
        print(
            f"{entry.name:42} {entry.num_requests:>7} {entry.total_rps:7.1f} "
            f"{entry.get_response_time_percentile(0.5):6.0f} "
            f"{entry.get_response_time_percentile(0.95):6.0f} "
            f"{entry.get_response_time_percentile(0.99):6.0f} {entry.num_failures:>6}"
        )
    conflicts = sum(e.num_requests for e in env.stats.entries.values() if e.method == "CONFLICT")
    requests = total.num_requests - conflicts
    rps = requests / seconds
    errors = total.num_failures
    print(
        f"{'total':42} {requests:>7} {rps:7.1f} {total.get_response_time_percentile(0.5):6.0f} "
        f"{total.get_response_time_percentile(0.95):6.0f} "
        f"{total.get_response_time_percentile(0.99):6.0f} {errors:>6}"
    )
    for error in env.stats.errors.values():
        print(f"  error: {error.occurrences} × {error.method} {error.name}: {error.error}")
    return {"rps": rps, "p95": total.get_response_time_percentile(0.95), "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--mixed-users", default="4,8,16", help="user counts for the mixed phase")
    args = parser.parse_args()

    stop_pg = None
    url = os.environ.get("DATABASE_URL")
    if not url:
        url, stop_pg = start_postgres()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "off",
        "PORT": str(port),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="wulian-load-media-"),
        "CACHE_URL": "filecache://" + tempfile.mkdtemp(prefix="wulian-load-cache-"),
        "DJANGO_SETTINGS_MODULE": "wulian.settings",
    }
    server = None
    try:
        print(
            f"database: {url.split('@')[0].split(':')[0]}; {os.cpu_count()} CPUs; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        prepare(env, args.requests)
        server = serve(env, port)
        host = f"http://127.0.0.1:{port}"
        floor = run_phase("floor", [FloorUser], host, args.users, args.seconds)
        api = run_phase("api", [ApiUser], host, args.users, args.seconds)
        mixed = {
            users: run_phase(
                "mixed",
                [LeaderUser, DepartmentUser, EnterpriseUser, ApiUser],
                host,
                users,
                args.seconds,
            )
            for users in map(int, args.mixed_users.split(","))
        }
        within = [m for m in mixed.values() if m["p95"] < 300]
        best = max(within or mixed.values(), key=lambda m: m["rps"])
        print("\n== summary ==")
        print(f"floor rate           {floor['rps']:.1f} req/s")
        print(f"api rate             {api['rps']:.1f} req/s  ratio {api['rps'] / floor['rps']:.2f}")
        for users, m in mixed.items():
            print(f"mixed, {users:2} users      {m['rps']:.1f} req/s  p95 {m['p95']:.0f} ms")
        print(
            f"mixed, sustained     {best['rps']:.1f} req/s  p95 {best['p95']:.0f} ms "
            f"(target < 300 ms) — {'met' if within else 'not met at any user count'}; "
            f"best rate at any user count {max(m['rps'] for m in mixed.values()):.1f} req/s"
        )
        print(
            f"errors               floor {floor['errors']}, api {api['errors']}, "
            f"mixed {sum(m['errors'] for m in mixed.values())} (target 0)"
        )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if stop_pg:
            stop_pg()


if __name__ == "__main__":
    main()
