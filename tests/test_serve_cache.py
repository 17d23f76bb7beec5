"""The API read cache across processes, as `make serve` runs it.

Two gunicorn workers answer from their own memory; a third process (a management shell, an
import, another server) writes. The next read from either worker must show the write.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
PROXY = {"X-Forwarded-Proto": "https"}  # as nginx sends it; DEBUG off redirects plain http

SETUP = """
import django; django.setup()
from rest_framework.authtoken.models import Token
from wulian.core import demo
from wulian.core.models import User
from wulian.enterprises.models import Enterprise
demo.load_regions(); demo.load_departments(); demo.load_users()
Enterprise.objects.create(
    uscc="91330802MA2DXXXX0X", name="跨进程甲", region_id="330802", output_wan=100
)
print(Token.objects.get_or_create(user=User.objects.get(username="leader"))[0].key)
"""
RENAME = """
import django; django.setup()
from wulian.enterprises.models import Enterprise
Enterprise.objects.filter(name="跨进程甲").update(name="跨进程乙")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "wulian.settings",
        "PYTHONPATH": str(ROOT),
    }

    def run(code):
        out = subprocess.run(
            [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        return out.stdout.strip()

    subprocess.run(
        [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    token = run(SETUP).splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "wulian.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = urllib.request.Request(f"{base}/healthz", headers=PROXY)
                urllib.request.urlopen(health, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base, token, run
    finally:
        server.terminate()
        server.wait(timeout=30)


def read(base, token):
    request = urllib.request.Request(
        f"{base}/api/v1/enterprises/",
        headers={"Authorization": f"Token {token}", **PROXY},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        names = {row["name"] for row in json.load(response)["results"]}
        return names, response.headers.get("X-Cache")


def test_a_write_from_another_process_reaches_every_worker(served):
    base, token, run = served
    before = [read(base, token) for _ in range(12)]
    assert all(names == {"跨进程甲"} for names, _ in before)
    assert any(state == "hit" for _, state in before), "the workers never answered from memory"
    run(RENAME)
    after = [read(base, token) for _ in range(12)]
    assert all(names == {"跨进程乙"} for names, _ in after), after
