"""API read speed against the framework's floor, with many distinct users (wrk on loopback).

    apt-get install wrk
    .venv/bin/python bench/reads.py                      # SQLite, ORM cache off and on
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wl_bench_reads .venv/bin/python bench/reads.py
    .venv/bin/python bench/reads.py --modes uncached --seconds 10 --users 300

The first run migrates a database of its own (a file under var/bench/, or the DATABASE_URL
database, which it creates), loads the Quzhou demo (15,000 enterprises, 3,000 service
requests) and adds --users accounts in every role (leaders, departments, counties, chain
offices, enterprises), each with an API token. Later runs reuse it (--fresh starts again).

For each mode it serves the app with gunicorn (--workers, DEBUG off) on a loopback port and
drives it with wrk (--connections, no think time), one endpoint after another, each request a
random (user, row) pair from a plan written for that endpoint: /api/v1/ping/ (no database, no
session: the floor), then detail and 50-row list endpoints. Each endpoint is run --rounds
times, every run between two runs of the floor, and its rate divided by the mean of those two:
on a shared machine, other work slows the floor and the endpoint alike when they run a few
seconds apart, and by up to 45 % between runs a minute apart. The median run is printed,
with the range of its ratio.

Modes: `uncached` (CACHALOT_ENABLED=off: every read queries the database), `file` (the ORM
cache in a folder, as one server runs it) and `redis` (--redis-url, as several servers run it).
Targets (issue 13): uncached detail ≥ 0.50 of the floor, uncached 50-row lists ≥ 0.20.
Prints one Markdown table per run, ready for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
VAR = ROOT / "var" / "bench"
ENDPOINTS = [
    ("enterprise detail", "enterprise_detail", "detail"),
    ("service request detail", "request_detail", "detail"),
    ("enterprises, 50 rows", "enterprise_list", "list"),
    ("service requests, 50 rows", "request_list", "list"),
    ("project detail", "project_detail", "detail"),
    ("projects, 50 rows", "project_list", "list"),
]
TARGET = {"detail": 0.5, "list": 0.2}

USERS_SCRIPT = r"""
import django, random, sys
django.setup()
from rest_framework.authtoken.models import Token
from wulian.core.models import Department, Region, User
from wulian.core.choices import Role
from wulian.chains.models import Chain
from wulian.enterprises.models import Enterprise
from wulian.investment.models import Project
from wulian.service.models import ServiceRequest

want, seed = int(sys.argv[1]), 13
rng = random.Random(seed)
counties = list(Region.objects.filter(parent_id="330800").values_list("code", flat=True))
departments = list(Department.objects.values_list("pk", flat=True))
chains = list(Chain.objects.values_list("code", flat=True))
with_requests = list(
    Enterprise.objects.filter(service_requests__isnull=False)
    .distinct()
    .values_list("pk", flat=True)
)
have = User.objects.filter(username__startswith="bench").count()
for i in range(have, want):
    kind = i % 20
    user = User(username=f"bench{i:04d}", display_name=f"压测用户{i}")
    if kind < 2:
        user.role = Role.LEADER
    elif kind < 6:
        user.role, user.department_id = Role.DEPARTMENT, rng.choice(departments)
    elif kind < 10:
        user.role, user.region_id = Role.COUNTY, rng.choice(counties)
    elif kind < 13:
        user.role, user.chain_code = Role.CHAIN, rng.choice(chains)
    else:
        user.role = Role.ENTERPRISE
    user.set_unusable_password()
    user.save()
    if user.role == Role.ENTERPRISE:
        Enterprise.objects.get(pk=rng.choice(with_requests)).accounts.add(user)
    Token.objects.get_or_create(user=user)

plans = {name: [] for name in (
    "ping", "enterprise_detail", "request_detail", "enterprise_list", "request_list",
    "project_detail", "project_list",
)}
for user in User.objects.filter(username__startswith="bench")[:want]:
    token = Token.objects.get(user=user).key
    plans["ping"].append(f"- /api/v1/ping/")
    ents = list(Enterprise.objects.visible_to(user).values_list("pk", flat=True)[:2000])
    reqs = list(ServiceRequest.objects.visible_to(user).values_list("pk", flat=True)[:2000])
    projects = list(Project.objects.visible_to(user).values_list("pk", flat=True)[:500])
    for pk in rng.sample(ents, min(5, len(ents))):
        plans["enterprise_detail"].append(f"{token} /api/v1/enterprises/{pk}/")
    for pk in rng.sample(reqs, min(5, len(reqs))):
        plans["request_detail"].append(f"{token} /api/v1/service-requests/{pk}/")
    for pk in rng.sample(projects, min(5, len(projects))):
        plans["project_detail"].append(f"{token} /api/v1/projects/{pk}/")
    if projects:  # the demo has 48 projects: one page (all of a leader's, a county's few)
        plans["project_list"].append(f"{token} /api/v1/projects/?page_size=50")
    for page in range(1, min(3, len(ents) // 50) + 1):
        plans["enterprise_list"].append(f"{token} /api/v1/enterprises/?page_size=50&page={page}")
    for page in range(1, min(3, len(reqs) // 50) + 1):
        plans["request_list"].append(
            f"{token} /api/v1/service-requests/?page_size=50&page={page}"
        )
out = sys.argv[2]
for name, lines in plans.items():
    with open(f"{out}/{name}.plan", "w") as fh:
        fh.write("\n".join(lines) + "\n")
print({k: len(v) for k, v in plans.items()})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(database_url: str, media: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "wulian.settings",
        "CACHALOT_ENABLED": "off",
    }


def ensure_postgres_database(url: str, fresh: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'drop database "{name}" with (force)')
            exists = None
        if not exists:
            conn.execute(f'create database "{name}"')


def prepare(env: dict, plans: Path, users: int) -> None:
    marker = plans / "prepared"
    if marker.exists() and marker.read_text() == str(users):
        return
    plans.mkdir(parents=True, exist_ok=True)
    print("preparing the database (migrate, demo, users) …", flush=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    out = subprocess.run(
        [PYTHON, "-c", USERS_SCRIPT, str(users), str(plans)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    print("users and plans:", out.stdout.strip().splitlines()[-1], flush=True)
    marker.write_text(str(users))


def serve(env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "wulian.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            request = urllib.request.Request(
                f"{base}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            urllib.request.urlopen(request, timeout=2)
            return server, base
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("gunicorn did not come up:\n" + log.read_text()[-3000:])
            time.sleep(0.2)


def wrk(base: str, plan: Path, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "plan.lua"),
            base,
            "--",
            str(plan),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    return {
        "rate": rate,
        "p50": p50,
        "p99": p99,
        "bad": int(bad.group(1)) if bad else 0,
        "socket": errors.group(0) if errors else "",
    }


def warm(base: str, plan: Path, count: int = 40) -> None:
    """A few requests first, so that workers have imported everything (and, cached modes,
    so that the run measures a cache in use rather than its first fill only)."""
    lines = plan.read_text().split("\n")
    for line in random.Random(1).sample([x for x in lines if x], min(count, len(lines) - 1)):
        token, path = line.split(" ", 1)
        headers = {"X-Forwarded-Proto": "https"}
        if token != "-":
            headers["Authorization"] = f"Token {token}"
        try:
            urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=30)
        except OSError:
            pass


def run_mode(mode: str, args, env: dict, plans: Path, work: Path) -> list[tuple]:
    env = dict(env)
    if mode == "uncached":
        env["CACHALOT_ENABLED"] = "off"
        env["CACHE_URL"] = f"filecache://{work / 'cache-uncached'}"
    elif mode == "file":
        env["CACHALOT_ENABLED"] = "on"
        shutil.rmtree(work / "cache-file", ignore_errors=True)
        env["CACHE_URL"] = f"filecache://{work / 'cache-file'}"
    else:
        env["CACHALOT_ENABLED"] = "on"
        env["CACHE_URL"] = args.redis_url
    server, base = serve(env, args.workers, work / f"gunicorn-{mode}.log")
    chosen = [e for e in ENDPOINTS if not args.only or e[1] in args.only]
    try:
        warm(base, plans / "ping.plan")
        for _label, plan, _kind in chosen:
            warm(base, plans / f"{plan}.plan")
        # Each endpoint's run lies between two runs of the floor, and is divided by their
        # mean: what other work on a shared machine does to both is taken out of the ratio.
        floors = [wrk(base, plans / "ping.plan", args.seconds, args.connections)]
        samples: dict[str, list] = {label: [] for label, _plan, _kind in chosen}
        for _round in range(args.rounds):
            for label, plan, _kind in chosen:
                result = wrk(base, plans / f"{plan}.plan", args.seconds, args.connections)
                floors.append(wrk(base, plans / "ping.plan", args.seconds, args.connections))
                result["ratio"] = result["rate"] * 2 / (floors[-2]["rate"] + floors[-1]["rate"])
                samples[label].append(result)
    finally:
        server.terminate()
        server.wait(timeout=30)
    middle = sorted(floors, key=lambda f: f["rate"])[len(floors) // 2]
    rates = [f["rate"] for f in floors]
    table = [(mode, "ping (floor)", "", middle["rate"], 1.0, _range(rates, "{:,.0f}"), middle, 0)]
    for label, _plan, kind in chosen:
        runs = sorted(samples[label], key=lambda r: r["ratio"])
        median = runs[len(runs) // 2]
        target = f"≥ {TARGET[kind]:.2f}" if mode == "uncached" else ""
        spread = _range([r["ratio"] for r in runs], "{:.2f}")
        bad = sum(r["bad"] for r in runs)
        table.append((mode, label, target, median["rate"], median["ratio"], spread, median, bad))
        for result in runs:
            if result["socket"]:
                print(f"  {label}: {result['socket']}", flush=True)
    return table


def _range(values: list, form: str) -> str:
    if len(values) < 2:
        return ""
    return f"{form.format(min(values))}–{form.format(max(values))}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of each endpoint, each between two floors"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", default="uncached,file,redis")
    parser.add_argument("--only", default="", help="comma-separated plan names")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--fresh", action="store_true", help="prepare the database again")
    args = parser.parse_args()
    args.only = [x for x in args.only.split(",") if x]
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = os.environ.get("DATABASE_URL", "")
    work = Path(tempfile.mkdtemp(prefix="wulian-reads-"))
    if url.startswith("postgres"):
        ensure_postgres_database(url, args.fresh)
        plans = VAR / ("pg-" + url.rsplit("/", 1)[1])
        if args.fresh:
            shutil.rmtree(plans, ignore_errors=True)
    else:
        plans = VAR / "sqlite"
        if args.fresh:
            shutil.rmtree(plans, ignore_errors=True)
        plans.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{plans / 'db.sqlite3'}"
    env = base_env(url, work / "media")
    prepare(env, plans, args.users)
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"\n{vendor}, gunicorn {args.workers} workers, wrk {args.connections} connections, "
        f"{args.seconds} s a run, {args.rounds} runs of each endpoint, each between two runs of"
        f" the floor; {args.users} distinct users in every role, {os.cpu_count()} cores\n"
        "The median run of each endpoint, its ratio to the mean of the floors around it, and"
        " the range of that ratio over the runs.\n"
    )
    print("| mode | endpoint | target | req/s | ÷ floor | range | p50 | p99 | non-2xx |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mode in [m for m in args.modes.split(",") if m]:
        for row in run_mode(mode, args, env, plans, work):
            mode_, label, target, rate, ratio, spread, run, bad = row
            print(
                f"| {mode_} | {label} | {target} | {rate:,.0f} | {ratio:.2f} | {spread} "
                f"| {run['p50']} | {run['p99']} | {bad} |",
                flush=True,
            )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
