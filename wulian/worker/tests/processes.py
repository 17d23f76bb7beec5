"""Helpers to run the real worker as subprocesses against a database of their own."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable

SETUP = """
import django; django.setup()
from wulian.core import demo
from wulian.core.models import Department
from wulian.enterprises.models import Enterprise
from wulian.service.demo import load_categories
from wulian.service.models import RoutingRule
from wulian.service.services import submit_request
from wulian.service.workflow import transition
from wulian.core.models import User
demo.load_regions(); demo.load_departments(); demo.load_users()
categories = load_categories()
jxj = Department.objects.get(code="jxj")
RoutingRule.objects.create(category=categories["policy"], department=jxj)
firm = Enterprise.objects.create(uscc="91330802MA2DXXXX0X", name="演示企业", region_id="330825")
firm.accounts.add(User.objects.get(username="ent_demo"))
request = submit_request(actor=User.objects.get(username="ent_demo"), category=categories["policy"],
                         title="用地指标咨询", description="请问何时落实？")
transition(request=request, action="accept", actor=User.objects.get(username="dispatcher"))
print(request.pk)
"""


class Stack:
    """A database and a queue file in `tmp`, and the environment to reach them."""

    def __init__(self, tmp: Path, **env):
        self.tmp = tmp
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "WORKER_URL": f"sqlite:///{tmp / 'queue.sqlite3'}",
            "CACHE_URL": f"filecache://{tmp / 'cache'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "wulian.settings",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.workers: list[subprocess.Popen] = []

    def migrate(self, template: Path | None = None) -> None:
        """A migrated database: a copy of `template` (migrated once per test module) if given."""
        if template is not None:
            shutil.copyfile(template, self.tmp / "db.sqlite3")
            return
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=self.env, check=True, timeout=300
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

    def start_worker(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "worker", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker.log_path = self.tmp / f"{name}.log"
        self.workers.append(worker)
        return worker

    def log(self, worker) -> str:
        return worker.log_path.read_text()

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
        for worker in self.workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def wait_for(condition, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()
