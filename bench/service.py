"""Benchmark: 企呼我应 with 100,000 synthetic requests.

Times the statistics page's queries (rollup tables, overview, league, monthly, link summary),
the statistics and overview pages, and the inbox list (department, dispatcher, county; first
page, a later page, the overdue filter) and the API list. Prints p50/p95/max per item; the
target is p95 under 200 ms for the inbox list. Runs on a throwaway SQLite database unless
DATABASE_URL is set (e.g. postgres://user@host:5432/name — its tables are replaced).

    .venv/bin/python bench/service.py [--requests 100000] [--repeat 30] [--events]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call (SQLite runs in-process, so CPU time shows
    the work itself when other programs compete for the machine)."""
    fn()  # warm up (templates, query plans)
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(round(0.95 * len(values))) - 1)]


def report(name: str, times, target: float | None = None) -> bool:
    wall, cpu = times
    verdict = ""
    ok = True
    if target is not None:
        ok = p95(wall) < target
        verdict = f"  {'OK' if ok else 'OVER'} (target p95 < {target:.0f} ms)"
    print(
        f"{name:<40} p50 {statistics.median(wall):6.1f} ms  p95 {p95(wall):6.1f} ms  "
        f"max {max(wall):6.1f} ms  cpu p95 {p95(cpu):6.1f} ms{verdict}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--events", action="store_true", help="also write the event rows")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the requests already in DATABASE_URL"
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="wulian-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from wulian.core import demo as core_demo
    from wulian.service.models import ServiceRequest

    print(
        f"database: {connection.vendor}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    core_demo.load()
    if args.reuse and ServiceRequest.objects.count() == args.requests:
        print(f"reusing {args.requests:,} requests")
    else:
        generate(args)
    measure(args)


def generate(args) -> None:
    from wulian.enterprises.demo import generate as generate_enterprises
    from wulian.enterprises.models import Enterprise
    from wulian.service import demo as service_demo
    from wulian.service.models import ServiceEvent, ServiceRequest, ServiceRollup

    ServiceEvent.objects.all().delete()
    ServiceRequest.objects.all().delete()
    if not Enterprise.objects.exists():
        Enterprise.objects.bulk_create(
            [Enterprise(**row) for row in generate_enterprises()[:5000]], batch_size=1000
        )
    categories = service_demo.load_categories()
    service_demo.load_rules(categories)
    started = time.perf_counter()
    made = service_demo.synthesize(count=args.requests, with_events=args.events)
    print(
        f"generated {made:,} requests in {time.perf_counter() - started:.1f} s; "
        f"{ServiceRollup.objects.count():,} rollup rows; "
        f"{ServiceRequest.objects.open().count():,} open, "
        f"{ServiceRequest.objects.overdue().count():,} overdue"
    )


def measure(args) -> None:
    from django.db import connection
    from django.test import Client

    from wulian.core.models import User
    from wulian.service import stats

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    print("\nstatistics (service functions the pages call)")
    for dimension in ("department", "category", "region", "link"):
        report(f"stats.table({dimension})", timed(lambda d=dimension: stats.table(d), args.repeat))
    report("stats.overview()", timed(stats.overview, args.repeat))
    report("stats.league()", timed(stats.league, args.repeat))
    report("stats.monthly()", timed(stats.monthly, args.repeat))
    report("stats.link_service_summary()", timed(stats.link_service_summary, args.repeat))
    report("stats.overdue_requests(20)", timed(stats.overdue_requests, args.repeat))

    def page(username: str, url: str):
        client = Client()
        client.force_login(User.objects.get(username=username))

        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    print("\nstatistics pages (full request: queries and rendering)")
    report("GET /service/stats/ (leader)", timed(page("leader", "/service/stats/"), args.repeat))
    report(
        "GET /service/stats/?dimension=link",
        timed(page("leader", "/service/stats/?dimension=link"), args.repeat),
    )
    report(
        "GET /service/overview/ (leader)", timed(page("leader", "/service/overview/"), args.repeat)
    )

    print("\ninbox list (full request: queries and rendering, 50 rows a page)")
    ok = True
    for label, username, url in [
        ("econ (经信局) open", "econ", "/service/inbox/"),
        ("econ page 5", "econ", "/service/inbox/?status=open&page=5"),
        ("econ all states page 20", "econ", "/service/inbox/?status=&page=20"),
        ("dispatcher open", "dispatcher", "/service/inbox/"),
        ("dispatcher overdue", "dispatcher", "/service/inbox/?overdue=true"),
        ("dispatcher search", "dispatcher", "/service/inbox/?status=&q=%E7%94%A8%E7%94%B5"),
        ("county_ly open", "county_ly", "/service/inbox/"),
        ("dispatcher board", "dispatcher", "/service/board/"),
    ]:
        ok &= report(f"GET inbox: {label}", timed(page(username, url), args.repeat), 200)
    report(
        "GET /api/v1/service-requests/ (dispatcher)",
        timed(page("dispatcher", "/api/v1/service-requests/"), args.repeat),
    )
    print("\ninbox target met" if ok else "\ninbox target NOT met")


if __name__ == "__main__":
    main()
