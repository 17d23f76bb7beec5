"""Benchmark: how the cost of the main reads and jobs grows with the data (the demo × N).

    .venv/bin/python bench/scale.py --server postgres://postgres@127.0.0.1:5432 \\
        [--prefix wl_scale] [--factors 1 10] [--repeat 15] [--rebuild] [--skip-jobs]
        [--only cockpit 亩均]

For each factor it uses the PostgreSQL database `<prefix>_x<N>`: ×1 is migrated and loaded with
the Quzhou demo (`load_demo`), ×N is a copy of ×1 grown by `load_scale --factor N`. Existing
databases are reused unless --rebuild. Then, in a child process per factor:

- reads: each page and API read below, as the role that uses it, through Django's test client
  in one process (no network, no web server), every time computed afresh — the cache is
  emptied before each request and the query cache (cachalot) is off — so the numbers are the
  worst case, not the cached one. p50 and p95 over --repeat requests after one warm-up;
- jobs, each in its own process (seconds and peak memory): the monthly import of one new
  month for every enterprise (`import_data enterprise-months`, csv), the rollup rebuilds, the
  亩均 evaluation of a year and the backup (`manage.py backup`, cut off after --job-timeout);
- the database's size.

It prints one table with a column per factor (markdown, for docs/scale.md) and writes the raw
numbers to --json. Jobs change the database (a new month, new 亩均 results), so reads are
measured first; a second run measures a database that has been through the jobs once.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# (label, username, path); {enterprise}, {link}, {request} are filled from the database.
READS = [
    ("我的待办 workbench (leader)", "leader", "/"),
    ("驾驶舱 cockpit", "leader", "/cockpit/"),
    ("产业链图谱 chain map 新材料", "leader", "/chains/xcl/"),
    ("环节面板 link panel", "leader", "/chains/xcl/links/{link}/"),
    ("企业列表 page 1", "leader", "/enterprises/"),
    ("企业列表 filtered (county, chain)", "leader", "/enterprises/?region=330802&chain=xcl"),
    ("企业列表 page 200", "leader", "/enterprises/?page=200"),
    ("企业 API filtered", "leader", "/api/v1/enterprises/?region=330802&chain=xcl"),
    ("一企一档 profile", "leader", "/enterprises/{enterprise}/"),
    ("亩均论英雄 list", "leader", "/enterprises/mujun/"),
    ("预警 warnings", "leader", "/enterprises/warnings/"),
    ("诉求收件箱 inbox (经信局)", "econ", "/service/inbox/"),
    ("派单台 dispatch board", "dispatcher", "/service/board/"),
    ("诉求详情 request", "leader", "/service/requests/{request}/"),
    ("企呼我应统计 stats page", "leader", "/service/stats/"),
    ("企呼我应统计 API", "leader", "/api/v1/service-stats/"),
    ("诉求 API list", "leader", "/api/v1/service-requests/"),
    ("项目看板 project board", "leader", "/investment/"),
    ("项目列表 projects", "leader", "/investment/projects/"),
    ("四定任务 tasks", "leader", "/keywork/tasks/"),
    ("指标排名 ranking", "leader", "/indicators/ranking/"),
    ("五链融合 scorecard", "leader", "/fusion/"),
    # 政策体系: the catalogue with each policy's match count, one policy's matched enterprises
    # (stored matches with their reasons), and an enterprise's own matches over every policy
    ("政策列表 policies", "leader", "/policies/"),
    ("政策匹配 matches of a policy (API)", "leader", "/api/v1/policies/{policy}/matches/"),
    ("政策匹配 my matched policies (enterprise API)", "ent_demo", "/api/v1/policies/?matched=1"),
]
MONTH_HEADERS = [
    "统一社会信用代码",
    "月份",
    "工业总产值（万元）",
    "营业收入（万元）",
    "税收（万元）",
    "用电量（万千瓦时）",
    "从业人员（人）",
    "研发费用（万元）",
]


def pct(times: list[float], q: float) -> float:
    times = sorted(times)
    return times[max(0, int(round(q * len(times))) - 1)]


# --- the child process: reads -------------------------------------------------------------


def measure_reads(repeat: int, only: list[str], match_repeat: int = 0) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection, models
    from django.test import Client

    settings.DEBUG = False  # no query log in memory while timing
    from django.apps import apps

    user_model = apps.get_model("core.User")
    enterprise = apps.get_model("enterprises.Enterprise")
    link = apps.get_model("chains.Link")
    request = apps.get_model("service.ServiceRequest")
    ids = {
        "enterprise": enterprise.objects.filter(months__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
        .first(),
        "link": link.objects.filter(chain__code="xcl")
        .order_by("id")
        .values_list("id", flat=True)[3],
        "request": request.objects.order_by("-id").values_list("id", flat=True).first(),
        # the policy in force with the most matched enterprises
        "policy": apps.get_model("policies.PolicyMatch")
        .objects.filter(is_near=False)
        .values("policy")
        .annotate(n=models.Count("id"))
        .order_by("-n", "policy")
        .values_list("policy", flat=True)
        .first(),
    }
    clients = {}
    results = {}
    for label, username, path in READS:
        if only and not any(word in label for word in only):
            continue
        if "{policy}" in path and ids["policy"] is None:
            print(f"  {label}: no policy with matches, skipped", file=sys.stderr)
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(user_model.objects.get(username=username))
        client = clients[username]
        url = path.format(**ids)

        def once(client=client, url=url):
            for alias in settings.CACHES:
                caches[alias].clear()
            start = time.perf_counter()
            response = client.get(url, HTTP_CACHE_CONTROL="no-cache")
            took = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            return took

        if not repeat:
            continue
        once()  # warm-up: templates, query plans
        times = [once() for _ in range(repeat)]
        results[label] = {
            "url": url,
            "p50": statistics.median(times),
            "p95": pct(times, 0.95),
        }
        print(
            f"  {label}: p50 {results[label]['p50']:.0f} ms, p95 {results[label]['p95']:.0f} ms",
            file=sys.stderr,
            flush=True,
        )
    if only and not any(word in "政策匹配 matching all policies" for word in only):
        match_repeat = 0
    matching = measure_matching(match_repeat) if match_repeat else None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        counts = {}
        for label in (
            "enterprises.Enterprise",
            "enterprises.EnterpriseMonth",
            "service.ServiceRequest",
            "investment.Project",
            "keywork.Task",
            "indicators.Observation",
        ):
            table = apps.get_model(label)._meta.db_table
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[label] = cursor.fetchone()[0]
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "reads": results,
        "matching": matching,
        "db_bytes": size,
        "counts": counts,
        "reads_peak_bytes": peak,
    }


def measure_matching(repeat: int) -> dict | None:
    """Matching every policy in force against the whole registry, as the nightly re-match and
    a policy's save do before writing: the facts the conditions need, read for every
    enterprise, then each policy's matches and near misses (policies.matching)."""
    from wulian.policies.facts import load_facts
    from wulian.policies.matching import fields_of, match
    from wulian.policies.models import Policy

    policies = list(Policy.objects.filter(is_active=True))
    if not policies:
        return None
    names = set()
    for policy in policies:
        names |= fields_of(policy.conditions, policy.amount_rule)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        facts = load_facts(names)
        results = [match(p.conditions, facts) for p in policies]
        times.append((time.perf_counter() - start) * 1000)
    matched = sum(len(r.matched) for r in results)
    print(
        f"  政策匹配 all policies × registry: p50 {statistics.median(times):.0f} ms"
        f" ({len(policies)} policies, {matched:,} matches)",
        file=sys.stderr,
        flush=True,
    )
    return {"p50": statistics.median(times), "p95": pct(times, 0.95), "matched": matched}


def write_month_file(path: Path, month: str) -> int:
    """One month for every enterprise, figures near its latest (deterministic); an xlsx
    (openpyxl, write-only) when the path ends in .xlsx, else CSV."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from django.apps import apps

    enterprise = apps.get_model("enterprises.Enterprise")
    rng = random.Random(20251130)

    def rows():
        registry = enterprise.objects.order_by("id").values_list("uscc", "output_wan")
        for uscc, output in registry.iterator(chunk_size=10000):
            base = float(output or 1000) / 12
            value = round(base * rng.uniform(0.8, 1.2), 2)
            yield [
                uscc,
                month,
                value,
                round(value * 1.05, 2),
                round(value * 0.04, 2),
                round(value * 0.02, 2),
                rng.randint(20, 800),
                round(value * 0.02, 2),
            ]

    count = 0
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("企业月度数据")
        sheet.append(MONTH_HEADERS)
        for row in rows():
            sheet.append(row)
            count += 1
        book.save(path)
        return count
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(MONTH_HEADERS)
        for row in rows():
            out.writerow(row)
            count += 1
    return count


def timed(env: dict, command: list[str], timeout: float | None = None) -> dict:
    """Seconds and peak memory of a command that is not manage.py (pg_dump)."""
    start = time.monotonic()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return {
        "seconds": time.monotonic() - start,
        "peak_bytes": int(done.stderr.strip().splitlines()[-1]) * 1024,
    }


# --- the parent: databases, jobs, table ----------------------------------------------------


def psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qAtc", sql], check=True)


def exists(server: str, name: str) -> bool:
    out = subprocess.run(
        [
            "psql",
            f"{server}/postgres",
            "-qAtc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() == "1"


def manage(env: dict, *args: str, timeout: float | None = None) -> dict:
    """Run a manage.py command under /usr/bin/time: seconds and peak memory (or a timeout)."""
    start = time.monotonic()
    # Its own process group, so that a timeout stops the command and not only /usr/bin/time.
    process = subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate()
        return {"seconds": None, "timeout": timeout, "peak_bytes": None}
    seconds = time.monotonic() - start
    if process.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{err[-3000:]}")
    peak_kb = int(err.strip().splitlines()[-1])
    return {"seconds": seconds, "peak_bytes": peak_kb * 1024}


POLICY_TABLES = (
    "policies_policy",
    "policies_policy_chains",
    "policies_payoutbatch",
    "policies_payout",
    "policies_payoutevent",
)


REMATCH = "from wulian.policies.services import refresh_all_matches; refresh_all_matches()"


def has_policies(server: str, name: str) -> bool:
    out = subprocess.run(
        ["psql", f"{server}/{name}", "-qAtc", "SELECT count(*) FROM policies_policy"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() != "0"


def ensure_policies(server: str, base: str, name: str) -> None:
    """Databases grown before the policies module existed get the demo's catalogue: ×1 by the
    policies demo, a grown copy by copying ×1's policies and payouts (they point at the
    original enterprises, which every copy keeps under their ids), then one re-match of every
    policy against the grown registry."""
    if has_policies(server, name):
        return
    env = dict(os.environ, DATABASE_URL=f"{server}/{name}", CACHALOT_ENABLED="off")
    if name == base:
        code = "from wulian.policies.demo import load; load()"
        manage(env, "shell", "-c", code)
        return
    if not has_policies(server, base):
        ensure_policies(server, base, base)
    tables = [arg for table in POLICY_TABLES for arg in ("-t", table)]
    dump = subprocess.run(
        ["pg_dump", "--data-only", *tables, f"{server}/{base}"],
        check=True,
        capture_output=True,
    )
    subprocess.run(["psql", "-q", f"{server}/{name}"], input=dump.stdout, check=True)
    manage(env, "shell", "-c", REMATCH)


def prepare(server: str, prefix: str, factor: int, rebuild: bool) -> tuple[str, float | None]:
    base = f"{prefix}_x1"
    name = f"{prefix}_x{factor}"
    env = dict(os.environ, DATABASE_URL=f"{server}/{base}")
    if factor != 1 and not rebuild and exists(server, name):
        # A grown database made another way (bench/stress_grow.py) needs no ×1 beside it.
        env["DATABASE_URL"] = f"{server}/{name}"
        manage(env, "migrate", "--noinput", "-v0")
        return name, None
    if rebuild or not exists(server, base):
        psql(server, f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)')
        psql(server, f'CREATE DATABASE "{base}"')
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo")
    if factor == 1:
        manage(env, "migrate", "--noinput", "-v0")  # a reused database meets today's code
        ensure_policies(server, base, base)
        return base, None
    grow_seconds = None
    if rebuild or not exists(server, name):
        psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql(server, f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
        env["DATABASE_URL"] = f"{server}/{name}"
        manage(env, "migrate", "--noinput", "-v0")
        grow_seconds = manage(env, "load_scale", "--factor", str(factor))["seconds"]
        if has_policies(server, name):  # the copied catalogue, matched against the copies
            manage(env, "shell", "-c", REMATCH)
    env["DATABASE_URL"] = f"{server}/{name}"
    manage(env, "migrate", "--noinput", "-v0")  # a reused database meets today's code
    ensure_policies(server, base, name)
    return name, grow_seconds


def run_factor(args, factor: int) -> dict:
    name, grow_seconds = prepare(args.server, args.prefix, factor, args.rebuild)
    env = dict(
        os.environ,
        DATABASE_URL=f"{args.server}/{name}",
        CACHE_URL="locmemcache://",
        CACHALOT_ENABLED="off",
        PYTHONPATH=str(ROOT),
        # As in production: with DEBUG on, Django keeps the last 9,000 queries' SQL, which
        # for a bulk import is hundreds of megabytes of INSERT text in the peak memory.
        DEBUG="off",
        SECRET_KEY="bench-scale-only",
        ALLOWED_HOSTS="testserver,localhost",
    )
    print(f"== ×{factor} ({name})", file=sys.stderr, flush=True)
    child = subprocess.run(
        [
            PYTHON,
            __file__,
            "--measure-reads",
            "--repeat",
            str(args.repeat if args.reads else 0),
            *(["--only", *args.only] if args.only else []),
            "--match-repeat",
            str(args.match_repeat if args.reads else 0),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(child.stderr)
    if child.returncode != 0:
        raise SystemExit(f"reads failed at ×{factor}")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result["grow_seconds"] = grow_seconds
    if args.skip_jobs:
        return result
    jobs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for entry in args.month_files:
            kind, _, month = entry.partition(":")
            month = month or args.month
            months = Path(tmp) / f"months.{kind}"
            subprocess.run(
                [PYTHON, __file__, "--write-months", str(months), "--month", month],
                cwd=ROOT,
                env=env,
                check=True,
            )
            jobs[f"月度导入 one month, every enterprise ({kind}, {month})"] = manage(
                env, "import_data", "enterprise-months", str(months), timeout=args.job_timeout
            )
            months.unlink()
        jobs["月度汇总重建 month rollup rebuild"] = manage(
            env, "rebuild_cockpit_rollups", timeout=args.job_timeout
        )
        jobs["企呼我应汇总重建 service rollup rebuild"] = manage(
            env, "rebuild_service_rollups", timeout=args.job_timeout
        )
        jobs["亩均评价 mujun evaluation (2024)"] = manage(
            env, "evaluate_mujun", "2024", timeout=args.job_timeout
        )
        if args.backup:
            jobs["备份 backup"] = manage(
                env, "backup", str(Path(tmp) / "backup.tar.gz"), timeout=args.job_timeout
            )
        if args.pg_dump:
            dump = Path(tmp) / "db.dump"
            label = "pg_dump -Fc (the province-scale backup)"
            jobs[label] = timed(env, ["pg_dump", "-Fc", "-f", str(dump), f"{args.server}/{name}"])
            jobs[label]["bytes"] = dump.stat().st_size
        for label, job in jobs.items():
            shown = f"{job['seconds']:.1f} s" if job["seconds"] is not None else "timeout"
            print(f"  {label}: {shown}", file=sys.stderr, flush=True)
    result["jobs"] = jobs
    return result


def table(results: dict[int, dict]) -> str:
    factors = sorted(results)
    head = "| | " + " | ".join(f"×{f}" for f in factors) + " |"
    lines = [head, "|---|" + "---|" * len(factors)]

    def row(label, cells):
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    first = results[factors[0]]
    for label in first["counts"]:
        row(f"rows: {label}", [f"{results[f]['counts'][label]:,}" for f in factors])
    row("database size", [f"{results[f]['db_bytes'] / 2**20:,.0f} MB" for f in factors])
    for label in first["reads"]:
        row(
            f"{label} — p50 / p95 ms",
            [
                f"{results[f]['reads'][label]['p50']:.0f} / {results[f]['reads'][label]['p95']:.0f}"
                for f in factors
            ],
        )
    if any(results[f].get("matching") for f in factors):
        row(
            "政策匹配 matching all policies × the registry (load facts + match) — p50 / p95 ms",
            [
                f"{m['p50']:.0f} / {m['p95']:.0f}" if (m := results[f].get("matching")) else "—"
                for f in factors
            ],
        )
    row(
        "reads process, peak memory",
        [f"{results[f]['reads_peak_bytes'] / 2**20:.0f} MB" for f in factors],
    )
    for label in first.get("jobs", {}):
        cells = []
        for f in factors:
            job = results[f]["jobs"][label]
            if job["seconds"] is None:
                cells.append(f"> {job['timeout']:.0f} s (cut off)")
            else:
                cells.append(f"{job['seconds']:.1f} s, {job['peak_bytes'] / 2**20:.0f} MB")
                if "bytes" in job:
                    cells[-1] += f" ({job['bytes'] / 2**20:,.0f} MB file)"
        row(f"{label} — seconds, peak memory", cells)
    grown = [results[f]["grow_seconds"] for f in factors]
    row("load_scale (growing the copy)", [f"{g:.0f} s" if g else "—" for g in grown])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--prefix", default="wl_scale")
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-reads", dest="reads", action="store_false")
    parser.add_argument("--job-timeout", type=float, default=900)
    parser.add_argument("--month", default="2025-11", help="the imported month (YYYY-MM)")
    parser.add_argument(
        "--month-files",
        nargs="+",
        default=["csv"],
        help="the month files imported, csv or xlsx, each with its own month: csv:2025-12",
    )
    parser.add_argument(
        "--skip-backup", dest="backup", action="store_false", help="no manage.py backup"
    )
    parser.add_argument("--skip-pg-dump", dest="pg_dump", action="store_false")
    parser.add_argument("--json", default="")
    parser.add_argument(
        "--only", nargs="+", default=[], help="only the reads whose label contains one of these"
    )
    parser.add_argument(
        "--match-repeat",
        type=int,
        default=3,
        help="runs of matching all policies against the registry (0: not measured)",
    )
    parser.add_argument("--measure-reads", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write-months", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.measure_reads:
        print(json.dumps(measure_reads(args.repeat, args.only, args.match_repeat)))
        return
    if args.write_months:
        rows = write_month_file(Path(args.write_months), args.month)
        print(f"  {rows} rows in the month's file", file=sys.stderr)
        return
    results = {factor: run_factor(args, factor) for factor in args.factors}
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(table(results))


if __name__ == "__main__":
    main()
