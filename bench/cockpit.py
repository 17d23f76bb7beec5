"""Benchmark: the leader's cockpit on 15,000 enterprises × 60 months of monthly values.

For each database (SQLite, and PostgreSQL when one is available) a child process builds a
throwaway database: the whole demo, then 15,000 enterprises × 60 months of enterprise-level
monthly output (900,000 rows) and the rollup over them. It prints the cockpit page's p50/p95
(full request: queries and rendering), cold (cache cleared before every view, so every tile is
recomputed from the rollups) and warm, and beside it the same aggregates computed by DuckDB
over the same 900,000 rows in the same run — the reference floor — with the ratio. For
context it also times those aggregates straight over the raw rows in the database, which is
what the cockpit avoids.

PostgreSQL: BENCH_PG_URL=postgres://user@host:port/name (its tables are replaced), or, when
`initdb` and `pg_ctl` are on PATH, a throwaway cluster is started in a temporary directory.

    .venv/bin/python bench/cockpit.py [--enterprises 15000] [--months 60] [--repeat 40]
                                      [--only sqlite|postgresql]

With `--scale-db URL [URL …]` it builds nothing: it measures the cockpit on each existing
PostgreSQL database (e.g. the ×1/×10/×100 copies of bench/scale.py), computed afresh (every
cache emptied before each view, the query cache off), and DuckDB computing the same aggregates
over that database's own monthly rows (exported once with COPY and loaded into DuckDB), so
the ratio is taken at every scale:

    .venv/bin/python bench/cockpit.py --repeat 15 \
        --scale-db postgres://postgres@127.0.0.1:5432/wl_scale_x1 …/wl_scale_x10 …/wl_scale_x100
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 300.0


def pct(times: list[float], q: float) -> float:
    times = sorted(times)
    return times[max(0, int(round(q * len(times))) - 1)]


def summary(times: list[float]) -> dict:
    return {"p50": statistics.median(times), "p95": pct(times, 0.95), "max": max(times)}


def timed(fn, repeat: int, before=None) -> list[float]:
    if before:
        before()
    fn()  # warm up (templates, query plans)
    out = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


# ---- the child: one database -------------------------------------------------------------


def months_back(last: dt.date, count: int) -> list[dt.date]:
    index = last.year * 12 + last.month - 1
    return [dt.date((index - i) // 12, (index - i) % 12 + 1, 1) for i in reversed(range(count))]


def child(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    import duckdb
    import pandas as pd
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Max, Sum
    from django.test import Client

    from wulian.cockpit import services
    from wulian.core.models import User
    from wulian.enterprises.demo import CHAIN_INDUSTRY_CODES
    from wulian.enterprises.demo_profile import SEASON
    from wulian.enterprises.models import Enterprise, EnterpriseMonth
    from wulian.enterprises.months import rebuild_month_rollups

    settings.ALLOWED_HOSTS = ["*"]
    vendor = connection.vendor
    log = lambda *a: print(f"[{vendor}]", *a, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    log(f"demo loaded in {time.perf_counter() - started:.0f} s")

    enterprises = list(
        Enterprise.objects.order_by("uscc").values_list(
            "id", "region_id", "industry_code", "output_wan"
        )[: args.enterprises]
    )
    chain_of_industry = {c: chain for chain, codes in CHAIN_INDUSTRY_CODES.items() for c in codes}
    months = months_back(dt.date(2025, 10, 1), args.months)
    rng = random.Random(20251126)
    cols = {k: [] for k in ("enterprise_id", "month", "region_id", "chain_code", "output_wan")}
    for pk, region, industry, annual in enterprises:
        base = float(annual or 0) / 12 or rng.uniform(50, 500)
        chain = chain_of_industry.get(industry, "")
        for month in months:
            value = base * 1.07 ** (month.year - 2024) * SEASON[month.month - 1]
            cols["enterprise_id"].append(pk)
            cols["month"].append(month)
            cols["region_id"].append(region)
            cols["chain_code"].append(chain)
            cols["output_wan"].append(round(value * rng.uniform(0.9, 1.1), 2))
    n = len(cols["month"])
    started = time.perf_counter()
    EnterpriseMonth.objects.all().delete()
    # The rollup groups by the enterprise's county and main chain.
    by_chain: dict[str, list[int]] = {}
    for pk, _region, industry, _annual in enterprises:
        by_chain.setdefault(chain_of_industry.get(industry, ""), []).append(pk)
    for chain, ids in by_chain.items():
        for start in range(0, len(ids), 500):
            Enterprise.objects.filter(pk__in=ids[start : start + 500]).update(chain_code=chain)
    sql = (
        "INSERT INTO enterprises_enterprisemonth "
        "(enterprise_id, month, output_wan, tax_wan, is_synthetic, updated_at) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    now = dt.datetime.now(dt.UTC)
    batch = 20000
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, n, batch):
            rows = [
                (
                    cols["enterprise_id"][i],
                    cols["month"][i],
                    cols["output_wan"][i],
                    round(cols["output_wan"][i] * 0.035, 2),
                    True,
                    now,
                )
                for i in range(start, min(start + batch, n))
            ]
            cursor.executemany(sql, rows)
    insert_s = time.perf_counter() - started
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    rollup_rows = rebuild_month_rollups()
    rollup_s = time.perf_counter() - started
    log(f"{n:,} monthly rows in {insert_s:.0f} s; rollup {rollup_rows:,} rows in {rollup_s:.1f} s")

    client = Client()
    client.force_login(User.objects.get(username="leader"))

    def view():
        response = client.get("/cockpit/")
        assert response.status_code == 200, response.status_code

    cold = summary(timed(view, args.repeat, before=services.clear_cache))
    warm = summary(timed(view, args.repeat))
    latest = months[-1]
    since = months[-min(len(months), services.TREND_MONTHS)]
    year_start = dt.date(latest.year, 1, 1)

    def orm_raw():
        list(
            EnterpriseMonth.objects.filter(month__gte=since)
            .values("month", "enterprise__chain_code")
            .annotate(s=Sum("output_wan"))
        )
        list(
            EnterpriseMonth.objects.filter(month__gte=year_start)
            .values("enterprise__region_id")
            .annotate(s=Sum("output_wan"))
        )
        EnterpriseMonth.objects.aggregate(m=Max("month"))

    raw = summary(timed(orm_raw, max(5, args.repeat // 4)))

    frame = pd.DataFrame(cols)
    frame["month"] = pd.to_datetime(frame["month"])
    duck = duckdb.connect()
    duck.register("facts", frame)
    duck.execute("CREATE TABLE em AS SELECT * FROM facts")
    floor = duck_floor(duck, since, year_start, args.repeat)
    print(
        json.dumps(
            {
                "vendor": vendor,
                "rows": n,
                "enterprises": len(enterprises),
                "months": len(months),
                "insert_s": insert_s,
                "rollup_s": rollup_s,
                "rollup_rows": rollup_rows,
                "cold": cold,
                "warm": warm,
                "raw_orm": raw,
                "duckdb": floor,
            }
        )
    )


def duck_floor(duck, since: dt.date, year_start: dt.date, repeat: int) -> dict:
    """The cockpit's monthly aggregates in DuckDB over table `em` (month, region, chain,
    output): the trend by month and chain, the year so far by county, the latest month."""

    def aggregates():
        duck.execute(
            "SELECT month, chain_code, sum(output_wan) FROM em WHERE month >= ? GROUP BY 1, 2",
            [since],
        ).fetchall()
        duck.execute(
            "SELECT region_id, sum(output_wan) FROM em WHERE month >= ? GROUP BY 1", [year_start]
        ).fetchall()
        duck.execute("SELECT max(month) FROM em").fetchall()

    return summary(timed(aggregates, repeat))


def scale_child(args) -> None:
    """One existing database: the cockpit afresh, and DuckDB over the same monthly rows."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    import duckdb
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    from wulian.cockpit import services
    from wulian.core.models import User
    from wulian.enterprises import months
    from wulian.enterprises.models import EnterpriseMonth

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    client = Client()
    client.force_login(User.objects.get(username="leader"))

    def clear():
        for alias in settings.CACHES:
            caches[alias].clear()
        services.clear_cache()

    def view():
        response = client.get("/cockpit/", HTTP_CACHE_CONTROL="no-cache")
        assert response.status_code == 200, response.status_code

    cold = summary(timed(view, args.repeat, before=clear))
    rows = EnterpriseMonth.objects.count()
    latest = EnterpriseMonth.objects.order_by("-month").values_list("month", flat=True).first()

    def aggregates():
        # what DuckDB computes below, as the cockpit computes it: from the monthly rollup
        services._monthly()  # the latest month, and output by chain per month (the trend)
        months.month_totals(by="region_id", first=dt.date(latest.year, 1, 1))  # by county

    rollup = summary(timed(aggregates, args.repeat, before=clear))
    latest = EnterpriseMonth.objects.order_by("-month").values_list("month", flat=True).first()
    index = latest.year * 12 + latest.month - 1 - (services.TREND_MONTHS - 1)
    since = dt.date(index // 12, index % 12 + 1, 1)
    year_start = dt.date(latest.year, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "em.csv"
        started = time.perf_counter()
        # The rows the cockpit's rollup is built from: each month's figure with its
        # enterprise's county and main chain.
        with connection.cursor() as cursor, export.open("wb") as out:
            copy_sql = (
                "COPY (SELECT m.month, e.region_id, e.chain_code, m.output_wan"
                " FROM enterprises_enterprisemonth m"
                " JOIN enterprises_enterprise e ON e.id = m.enterprise_id) TO STDOUT WITH CSV"
            )
            with cursor.connection.cursor().copy(copy_sql) as copy:
                for data in copy:
                    out.write(data)
        duck = duckdb.connect()
        duck.execute(
            "CREATE TABLE em AS SELECT * FROM read_csv(?, header = false, columns = "
            "{'month': 'DATE', 'region_id': 'VARCHAR', 'chain_code': 'VARCHAR', "
            "'output_wan': 'DECIMAL(16,2)'})",
            [str(export)],
        )
        loaded = time.perf_counter() - started
    floor = duck_floor(duck, since, year_start, args.repeat)
    print(
        json.dumps(
            {
                "vendor": f"{connection.vendor} {connection.settings_dict['NAME']}",
                "rows": rows,
                "load_s": loaded,
                "cold": cold,
                "rollup": rollup,
                "duckdb": floor,
            }
        )
    )


def run_scale(urls: list[str], args) -> None:
    print(
        "| database | monthly rows | cockpit page afresh p50 / p95 ms | its monthly aggregates"
        " from the rollup p50 / p95 ms | DuckDB, same aggregates over the rows p50 / p95 ms"
        " | ratio page / DuckDB (p95) | ratio aggregates / DuckDB (p95) |"
    )
    print("|---|---|---|---|---|---|---|")
    for url in urls:
        env = dict(os.environ, DATABASE_URL=url, CACHE_URL="locmemcache://")
        env["CACHALOT_ENABLED"] = "off"
        cmd = [sys.executable, __file__, "--scale-child", "--repeat", str(args.repeat)]
        result = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
        if result.returncode != 0:
            print(f"| {url.rsplit('/', 1)[-1]} | failed (exit {result.returncode}) | | | |")
            continue
        r = json.loads(result.stdout.strip().splitlines()[-1])
        cold, rollup, duck = r["cold"], r["rollup"], r["duckdb"]
        print(
            f"| {url.rsplit('/', 1)[-1]} | {r['rows']:,} | {cold['p50']:.0f} / {cold['p95']:.0f}"
            f" | {rollup['p50']:.1f} / {rollup['p95']:.1f} | {duck['p50']:.1f} / {duck['p95']:.1f}"
            f" | {cold['p95'] / duck['p95']:.1f}× | {rollup['p95'] / duck['p95']:.1f}× |",
            flush=True,
        )


# ---- the parent: one child per database ----------------------------------------------------


def start_postgres() -> tuple[str | None, callable]:
    """A throwaway PostgreSQL cluster (as the postgres user when run as root)."""
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        return None, lambda: None
    data = tempfile.mkdtemp(prefix="wulian-bench-pg-")
    prefix = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = "55439"
    subprocess.run(
        [*prefix, "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *prefix, "pg_ctl", "-D", data, "-l", f"{data}/log", "-w", "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*prefix, "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "bench"],
        check=True,
        capture_output=True,
    )

    def stop():
        subprocess.run([*prefix, "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)

    return f"postgres://postgres@127.0.0.1:{port}/bench", stop


def run_child(url: str, args) -> dict | None:
    env = dict(os.environ, DATABASE_URL=url)
    cmd = [sys.executable, __file__, "--child", "--enterprises", str(args.enterprises)]
    cmd += ["--months", str(args.months), "--repeat", str(args.repeat)]
    result = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        print(f"benchmark on {url.split(':')[0]} failed (exit {result.returncode})")
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_result(r: dict) -> bool:
    ok = r["cold"]["p95"] < TARGET_P95_MS
    print(
        f"\n{r['vendor']}: {r['rows']:,} monthly rows ({r['enterprises']:,} enterprises × "
        f"{r['months']} months), inserted in {r['insert_s']:.0f} s; rollup of "
        f"{r['rollup_rows']:,} rows rebuilt in {r['rollup_s']:.1f} s"
    )
    for label, key in (
        ("GET /cockpit/ cold (own cache cleared each view)", "cold"),
        ("GET /cockpit/ warm", "warm"),
        ("same aggregates, raw rows via the ORM", "raw_orm"),
        ("same aggregates, DuckDB over the same rows", "duckdb"),
    ):
        s = r[key]
        print(
            f"  {label:<46} p50 {s['p50']:8.1f} ms  p95 {s['p95']:8.1f} ms  max {s['max']:8.1f} ms"
        )
    floor = r["duckdb"]["p95"] or 1e-9
    print(
        f"  ratio cockpit cold p95 / DuckDB p95: {r['cold']['p95'] / floor:.1f}×; "
        f"warm: {r['warm']['p95'] / floor:.1f}×  "
        f"{'OK' if ok else 'OVER'} (target cockpit p95 < {TARGET_P95_MS:.0f} ms)"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=15000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--scale-db", nargs="+", default=[], metavar="URL")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.scale_child:
        scale_child(args)
        return
    if args.scale_db:
        run_scale(args.scale_db, args)
        return
    results = []
    if args.only in (None, "sqlite"):
        tmp = tempfile.mkdtemp(prefix="wulian-bench-")
        results.append(run_child(f"sqlite:///{tmp}/bench.sqlite3", args))
        shutil.rmtree(tmp, ignore_errors=True)
    if args.only in (None, "postgresql"):
        url, stop = os.environ.get("BENCH_PG_URL"), lambda: None
        if not url:
            try:
                url, stop = start_postgres()
            except (OSError, subprocess.CalledProcessError) as exc:
                print(f"PostgreSQL not available ({exc}); skipped")
        try:
            if url:
                results.append(run_child(url, args))
            else:
                print("PostgreSQL: set BENCH_PG_URL or install initdb/pg_ctl; skipped")
        finally:
            stop()
    ok = all(print_result(r) for r in results if r)
    sys.exit(0 if ok and all(results) else 1)


if __name__ == "__main__":
    main()
