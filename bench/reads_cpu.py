"""CPU per uncached API read in the application process, in milliseconds (no HTTP server).

    .venv/bin/python bench/reads.py --modes uncached    # prepares the database and plans
    .venv/bin/python bench/reads_cpu.py                 # SQLite (var/bench/sqlite)
    DATABASE_URL=postgres://postgres@127.0.0.1/wl_bench_reads .venv/bin/python bench/reads_cpu.py
    .venv/bin/python bench/reads_cpu.py --only request_list --profile  # where the time goes

It replays the plans that bench/reads.py wrote (random (user, row) pairs over many users in
every role) through Django's request handler in this process, with the ORM cache off, and
prints the process CPU time per request: the minimum over --rounds rounds of --requests
requests (the least disturbed by other work on the machine) and the median. This is the
number the work on the uncached path changes; bench/reads.py measures the same endpoints
through gunicorn against the ping floor. `--profile` prints cProfile's top functions instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ["ping", "enterprise_detail", "request_detail", "enterprise_list", "request_list"]
PLANS += ["project_detail", "project_list"]


def setup() -> Path:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        plans = ROOT / "var" / "bench" / ("pg-" + url.rsplit("/", 1)[1])
    else:
        plans = ROOT / "var" / "bench" / "sqlite"
        os.environ["DATABASE_URL"] = f"sqlite:///{plans / 'db.sqlite3'}"
    if not (plans / "prepared").exists():
        sys.exit(f"no plans in {plans}: run bench/reads.py first (same DATABASE_URL)")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="wulian.settings",
        CACHALOT_ENABLED="off",
        DEBUG="off",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return plans


def replay(client, lines: list[tuple[str, str]], count: int, rng: random.Random) -> None:
    for _ in range(count):
        token, path = rng.choice(lines)
        headers = {"HTTP_X_FORWARDED_PROTO": "https"}
        if token != "-":
            headers["HTTP_AUTHORIZATION"] = f"Token {token}"
        response = client.get(path, secure=True, **headers)
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated plan names")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    plans = setup()
    from django.test import Client

    client = Client()
    names = [n for n in args.only.split(",") if n] or PLANS
    print("| endpoint | CPU ms/request (min) | median |")
    print("| --- | ---: | ---: |")
    for name in names:
        text = (plans / f"{name}.plan").read_text()
        lines = [tuple(x.split(" ", 1)) for x in text.split("\n") if x]
        rng = random.Random(5)
        replay(client, lines, 20, rng)  # imports, first connections
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            replay(client, lines, args.requests, rng)
            profile.disable()
            pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(60)
            continue
        times = []
        for _ in range(args.rounds):
            start = time.process_time()
            replay(client, lines, args.requests, rng)
            times.append((time.process_time() - start) / args.requests * 1000)
        times.sort()
        print(f"| {name} | {times[0]:.2f} | {times[len(times) // 2]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
