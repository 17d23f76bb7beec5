"""The shared ORM cache across processes, as `make serve` runs it.

Two gunicorn workers share one cache (a folder, or a Redis server); other processes (a
management shell, an import, another server) write. The next read from either worker must show
every write that went through Django at once, and a write that bypassed Django once
`manage.py invalidate_cachalot` has run. A dead cache server gives answers, not 500s; two
databases sharing one cache never see each other's rows.
"""

import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
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
ORM_RENAME = """
import django; django.setup()
from wulian.enterprises.models import Enterprise
Enterprise.objects.update(name={name!r})
"""
SQL_RENAME = """
import django; django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute({sql!r}, [{name!r}])
"""
READ_NAME = """
import django; django.setup()
from wulian.enterprises.models import Enterprise
print(Enterprise.objects.get(uscc="91330802MA2DXXXX0X").name)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    """One migrated database with the base data and a token, copied by each test."""
    folder = tmp_path_factory.mktemp("template")
    env = environment(folder / "db.sqlite3", f"filecache://{folder / 'cache'}", folder)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    token = run(env, SETUP).splitlines()[-1]
    return folder / "db.sqlite3", token


def environment(db: Path, cache_url: str, folder: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "CACHE_URL": cache_url,
        "MEDIA_ROOT": str(folder / "media"),
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "wulian.settings",
        "PYTHONPATH": str(ROOT),
        "CACHALOT_ENABLED": "on",
    }


def run(env, code) -> str:
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


@contextmanager
def serving(env, log: Path):
    port = free_port()
    with log.open("w") as errors:
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "wulian.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
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
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(base, token, path):
    request = urllib.request.Request(
        f"{base}{path}", headers={"Authorization": f"Token {token}", **PROXY}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


def seen(base, token) -> set[str]:
    """The enterprise's name as a dozen reads (both workers, list and detail) show it."""
    names = set()
    for _ in range(6):
        _status, page = get(base, token, "/api/v1/enterprises/")
        (row,) = page["results"]
        names.add(row["name"])
        names.add(get(base, token, f"/api/v1/enterprises/{row['id']}/")[1]["name"])
    return names


@pytest.fixture(params=["file", "redis"])
def served(request, template_db, tmp_path):
    db, token = template_db
    shutil.copy(db, tmp_path / "db.sqlite3")
    if request.param == "redis":
        cache_url = request.getfixturevalue("redis_url").rsplit("/", 1)[0] + "/2"
    else:
        cache_url = f"filecache://{tmp_path / 'cache'}"
    env = environment(tmp_path / "db.sqlite3", cache_url, tmp_path)
    with serving(env, tmp_path / "server.log") as base:
        yield base, token, env


TABLE = "enterprises_enterprise"


WRITES = {
    "orm": ORM_RENAME,
    "plain-sql": SQL_RENAME.replace("{sql!r}", repr(f"update {TABLE} set name = %s")),
    "with": SQL_RENAME.replace(
        "{sql!r}", repr(f"with t as (select 1) update {TABLE} set name = %s")
    ),
    "comment": SQL_RENAME.replace("{sql!r}", repr(f"-- 修数据\nupdate {TABLE} set name = %s")),
}


def test_a_write_through_django_from_another_process_is_seen_at_once(served):
    base, token, env = served
    assert seen(base, token) == {"跨进程甲"}
    for kind, write in WRITES.items():
        run(env, write.replace("{name!r}", repr(f"改名-{kind}")))
        assert seen(base, token) == {f"改名-{kind}"}, kind


def listed(base, token) -> set[tuple[str, int]]:
    """The list's names and count as a dozen reads from both workers show them."""
    seen_pages = set()
    for _ in range(12):
        _status, page = get(base, token, "/api/v1/enterprises/")
        seen_pages.add((tuple(sorted(row["name"] for row in page["results"])), page["count"]))
    return seen_pages


def test_a_write_bypassing_django_is_seen_after_invalidate_cachalot(served, tmp_path):
    # The list's rows are read by id in plain SQL (enterprises.api.reads), so a bypassing
    # change to a listed row shows at once; which rows are listed comes from the ORM's
    # statements, which the cache answers until the documented step.
    base, token, env = served
    assert listed(base, token) == {(("跨进程甲",), 1)}
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:  # as psql or a restore would
        db.execute(
            f"insert into {TABLE} (uscc, name, region_id, industry_code, is_above_scale,"
            " is_listed, listing_board, output_wan, chain_code, is_synthetic, created_at,"
            " updated_at) values ('91330802MA2DYYYY1Y', '库外新增', '330802', '', 0, 0, '',"
            " 50, '', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    assert listed(base, token) == {(("跨进程甲",), 1)}  # the cache does not know yet …
    subprocess.run(
        [PYTHON, "manage.py", "invalidate_cachalot", "-v0"], cwd=ROOT, env=env, check=True
    )
    assert listed(base, token) == {(("库外新增", "跨进程甲"), 2)}  # … until the documented step


def test_a_dead_cache_server_gives_answers_and_a_warning(template_db, tmp_path):
    db, token = template_db
    shutil.copy(db, tmp_path / "db.sqlite3")
    env = environment(tmp_path / "db.sqlite3", f"redis://127.0.0.1:{free_port()}/2", tmp_path)
    log = tmp_path / "server.log"
    with serving(env, log) as base:
        assert seen(base, token) == {"跨进程甲"}
        assert get(base, token, "/api/v1/cockpit/")[0] == 200
        run(env, ORM_RENAME.replace("{name!r}", repr("断缓存改名")))
        assert seen(base, token) == {"断缓存改名"}
    assert "缓存服务不可用" in log.read_text()


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_two_databases_sharing_a_cache_never_see_each_others_rows(
    template_db, tmp_path, request, backend
):
    db, _token = template_db
    if backend == "redis":
        cache_url = request.getfixturevalue("redis_url").rsplit("/", 1)[0] + "/2"
    else:
        cache_url = f"filecache://{tmp_path / 'cache'}"
    envs = {}
    for name in ("甲库", "乙库"):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(db, folder / "db.sqlite3")
        envs[name] = environment(folder / "db.sqlite3", cache_url, folder)
        with sqlite3.connect(folder / "db.sqlite3") as conn:
            conn.execute(f"update {TABLE} set name = ?", [name])
    # each reads twice (the second from the cache), one after the other, through one cache
    for name, env in envs.items():
        assert run(env, READ_NAME + READ_NAME.split("\n", 2)[2]).splitlines() == [name, name]
