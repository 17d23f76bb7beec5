"""Two application servers, two workers, one PostgreSQL and one Redis, as real processes.

`Cluster` stands for a two-machine installation (docs/deploy.md, "Two servers"): gunicorn A and
gunicorn B on two loopback ports, two `manage.py worker` processes sharing one queue, and what
they share — one PostgreSQL database (a fresh one beside the server in DATABASE_URL), one Redis
(started here, on a port of its own, so that the test may stop it and start it again) for the
cache and the queue, and one MEDIA_ROOT directory (the shared file storage). The settings are
the production ones (DEBUG off, collected static files, persistent database connections); only
HTTPS is left to nginx, which is not part of the test.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

SETUP = """
import django; django.setup()
from wulian.core import demo
from wulian.core.models import Department, User
from wulian.enterprises.models import Enterprise
from wulian.service.demo import load_categories
from wulian.service.models import RoutingRule
demo.load_regions(); demo.load_departments(); demo.load_users()
categories = load_categories()
jxj = Department.objects.get(code="jxj")
RoutingRule.objects.create(category=categories["policy"], department=jxj)
firm = Enterprise.objects.create(uscc="91330802MA2DXXXX0X", name="集群演示企业", region_id="330825")
firm.accounts.add(User.objects.get(username="ent_demo"))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float, step: float = 0.2):
    """Poll `condition` until it is truthy or `timeout` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def cluster_database_url() -> str:
    """A database of the cluster's own on the PostgreSQL server that DATABASE_URL names."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise RuntimeError(
            "the cluster test runs on PostgreSQL: set DATABASE_URL=postgres://user@host:port/name"
        )
    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "wulian") + "_cluster"
    return urlunsplit(parts._replace(path="/" + name))


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


class Redis:
    """A private redis-server on a free loopback port, stopped and started at will."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is missing (apt-get install -y redis-server)")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for(self.answers, timeout=10):
            raise RuntimeError("redis-server did not start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Server:
    """One application server: gunicorn on its own port."""

    def __init__(self, name: str, process: subprocess.Popen, port: int, log: Path):
        self.name, self.process, self.port, self.log_path = name, process, port, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class Cluster:
    """The two-server installation; see the module docstring."""

    def __init__(self, tmp: Path, **env: str):
        self.tmp = tmp
        self.redis = Redis(tmp)
        self.database_url = cluster_database_url()
        self.env = {
            **os.environ,
            "DEBUG": "off",
            # Both machines carry the same secret: sessions and signed values cross servers.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            # nginx terminates HTTPS in front of the real servers; here they speak plain HTTP.
            "SECURE_SSL_REDIRECT": "off",
            "SECURE_COOKIES": "off",
            "DATABASE_URL": self.database_url,
            "CACHE_URL": self.redis.url(0),
            "WORKER_URL": self.redis.url(1),
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "DJANGO_SETTINGS_MODULE": "wulian.settings",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.servers: list[Server] = []
        self.workers: list[subprocess.Popen] = []

    # set-up -----------------------------------------------------------------------------
    def manage(self, *args: str) -> None:
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=300
        )

    def run(self, code: str) -> str:
        done = subprocess.run(
            [PYTHON, "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip()

    def prepare(self) -> None:
        recreate_database(self.database_url)
        self.redis.start()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.run(SETUP)

    def start_server(self, name: str) -> Server:
        port = free_port()
        log = self.tmp / f"server-{name}.log"
        process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "wulian.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        server = Server(name, process, port, log)
        self.servers.append(server)
        return server

    def wait_until_serving(self, server: Server) -> None:
        def healthy():
            try:
                return requests.get(server.url("/healthz"), timeout=2).status_code == 200
            except requests.RequestException:
                return False

        if not wait_for(healthy, timeout=60) or server.process.poll() is not None:
            raise RuntimeError(f"server {server.name} did not start:\n{server.log()[-3000:]}")

    def start_worker(self, name: str) -> subprocess.Popen:
        log = self.tmp / f"worker-{name}.log"
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "worker", "--threads", "2"],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        worker.log_path = log
        self.workers.append(worker)
        return worker

    def worker_logs(self) -> str:
        return "".join(w.log_path.read_text(errors="replace") for w in self.workers)

    def stop_workers(self) -> None:
        """SIGINT, as systemd stops them: running tasks finish first."""
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def stop(self) -> None:
        self.stop_workers()
        for process in [s.process for s in self.servers]:
            if process.poll() is None:
                process.terminate()
        for process in [s.process for s in self.servers]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.redis.stop()

    # reading the shared database directly (what a second look at the truth needs) -------
    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()


class Client:
    """A browser or API client that talks to whichever server the balancer picks."""

    def __init__(self):
        self.http = requests.Session()
        self.token: str | None = None

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Token {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, server: Server, path: str, **kw) -> requests.Response:
        return self.http.get(
            server.url(path),
            headers=self.headers(kw.pop("headers", None)),
            timeout=30,
            allow_redirects=False,
            **kw,
        )

    def post(self, server: Server, path: str, **kw) -> requests.Response:
        return self.http.post(
            server.url(path),
            headers=self.headers(kw.pop("headers", None)),
            timeout=30,
            allow_redirects=False,
            **kw,
        )

    def patch(self, server: Server, path: str, **kw) -> requests.Response:
        return self.http.patch(
            server.url(path),
            headers=self.headers(kw.pop("headers", None)),
            timeout=30,
            allow_redirects=False,
            **kw,
        )

    def sign_in_page(self, server: Server, username: str, password: str) -> requests.Response:
        """The login form, as a browser fills it in (CSRF cookie and field included)."""
        self.http.get(server.url("/accounts/login/"), timeout=30)
        return self.http.post(
            server.url("/accounts/login/"),
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
            },
            timeout=30,
            allow_redirects=False,
        )

    def obtain_token(self, server: Server, username: str, password: str) -> requests.Response:
        answer = requests.post(
            server.url("/api/v1/auth/token/"),
            json={"username": username, "password": password},
            timeout=30,
        )
        if answer.status_code == 200:
            self.token = answer.json()["token"]
        return answer
