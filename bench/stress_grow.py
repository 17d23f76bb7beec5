"""Grow a copy of the ×100 scale database towards issue 18's stress point, as far as disk allows.

    .venv/bin/python bench/stress_grow.py postgres://postgres@127.0.0.1:5432/wl_stress \\
        [--keep-free-gb 16] [--months-per-step 6] [--max-months 60] [--request-copies 9]

The stress point is 60 months for every enterprise (90 million monthly rows at ×100) and 10
million service requests. Run it on a copy of the ×100 database (`CREATE DATABASE … TEMPLATE`):

1. monthly figures, going back in time from the month before the earliest stored one, for
   every enterprise in the registry, `--months-per-step` months per statement, until every
   enterprise has `--max-months` months or the free disk falls under `--keep-free-gb`;
2. the service requests with their events, copied `--request-copies` times (ids offset by the
   table's largest id, the same statuses and times), while the disk allows.

Each step is one `INSERT … SELECT` inside the database, in its own transaction, so a stop
leaves whole steps. The figures are synthetic and deterministic (from the enterprise's output
and a hash of its id and the month). Afterwards the tables are analysed. It prints the rows
and the database size after each step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import time

import psycopg

MONTH_SQL = """
INSERT INTO enterprises_enterprisemonth
  (month, output_wan, revenue_wan, tax_wan, electricity_wkwh, employees, rd_wan,
   is_synthetic, enterprise_id, updated_at)
SELECT m.month, v.output, round(v.output * 1.05, 2), round(v.output * 0.04, 2),
       round(v.output * 0.02, 2), 20 + (e.id * 7 + m.n) %% 780, round(v.output * 0.02, 2),
       true, e.id, now()
FROM enterprises_enterprise AS e
CROSS JOIN LATERAL (
  SELECT (%(first)s::date - make_interval(months => n + 1))::date AS month, n
  FROM generate_series(0, %(count)s - 1) AS n
) AS m
CROSS JOIN LATERAL (
  SELECT round(coalesce(e.output_wan, 1000) / 12
               * (0.8 + ((e.id * 31 + m.n * 17) %% 41) / 100.0), 2) AS output
) AS v
ORDER BY e.id, m.month
"""


def size(cur) -> str:
    cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    return cur.fetchone()[0]


def free_gb() -> float:
    return shutil.disk_usage("/").free / 2**30


def columns(cur, table: str) -> list[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cur.fetchall()]


def copy_requests(cur, k: int, spans: dict[str, int]) -> int:
    """Copy k of every original request and its events (ids + k × the largest original id)."""
    added = 0
    for table, parent in (("service_servicerequest", None), ("service_serviceevent", "request_id")):
        cols = columns(cur, table)
        exprs = []
        for col in cols:
            if col == "id":
                exprs.append(f"s.id + {k * spans[table]}")
            elif col == parent:
                exprs.append(f"s.{col} + {k * spans['service_servicerequest']}")
            elif col == "is_synthetic":
                exprs.append("true")
            else:
                exprs.append(f"s.{col}")
        names = ", ".join(f'"{c}"' for c in cols)
        cur.execute(
            f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM {table} AS s"
            f" WHERE s.id <= {spans[table]} ORDER BY s.id"
        )
        added += cur.rowcount
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--keep-free-gb", type=float, default=16)
    parser.add_argument("--months-per-step", type=int, default=6)
    parser.add_argument("--max-months", type=int, default=60)
    parser.add_argument("--request-copies", type=int, default=9)
    parser.add_argument("--request-keep-free-gb", type=float, default=12)
    args = parser.parse_args()
    with psycopg.connect(args.url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM enterprises_enterprise")
        enterprises = cur.fetchone()[0]
        cur.execute("SELECT min(month), count(*) FROM enterprises_enterprisemonth")
        first, rows = cur.fetchone()
        print(f"start: {rows:,} monthly rows, {enterprises:,} enterprises, {size(cur)}", flush=True)
        grown = 0
        while grown + args.months_per_step <= args.max_months - 1:
            if free_gb() < args.keep_free_gb:
                print(f"stop: {free_gb():.1f} GB free", flush=True)
                break
            start = time.monotonic()
            cur.execute(
                MONTH_SQL,
                {"first": f"{first:%Y-%m-01}", "count": args.months_per_step},
            )
            added = cur.rowcount
            rows += added
            for _ in range(args.months_per_step):
                first = (first - dt.timedelta(days=1)).replace(day=1)
            grown += args.months_per_step
            print(
                f"months: +{added:,} in {time.monotonic() - start:.0f} s → {rows:,} rows,"
                f" first month {first:%Y-%m}, {size(cur)}, {free_gb():.1f} GB free",
                flush=True,
            )
        spans = {}
        for table in ("service_servicerequest", "service_serviceevent"):
            cur.execute(f"SELECT max(id) FROM {table}")
            spans[table] = cur.fetchone()[0]
        for k in range(1, args.request_copies + 1):
            if free_gb() < args.request_keep_free_gb:
                print(f"stop requests: {free_gb():.1f} GB free", flush=True)
                break
            start = time.monotonic()
            added = copy_requests(cur, k, spans)
            print(
                f"requests copy {k}: +{added:,} rows in {time.monotonic() - start:.0f} s,"
                f" {size(cur)}, {free_gb():.1f} GB free",
                flush=True,
            )
        start = time.monotonic()
        cur.execute("ANALYZE")
        print(f"analysed in {time.monotonic() - start:.0f} s; {size(cur)}", flush=True)


if __name__ == "__main__":
    main()
