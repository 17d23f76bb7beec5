"""python manage.py load_scale --factor N: the Quzhou demo grown N times, for measuring cost.

Run it on a PostgreSQL database that holds the demo (`load_demo`) and nothing grown yet. Every
enterprise is copied N-1 times with everything that hangs off it — its monthly figures, tags,
chain links, 亩均 results, warnings and visits — and so are the service requests with their
events, the projects with their links, events and monthly investment, the 四定 tasks with
their progress reports and milestones, and the indicator values (the copies of a series go
back in time, so each indicator has N times the periods). Copy k of a row points at copy k
of what the original pointed at, so the shapes stay the demo's: the same mix of chains,
counties, statuses and months, N times over.

It is written as one INSERT … SELECT per table inside the database (no row passes through
Python): ids are the original's plus k × the table's largest id, so the same demo and factor
give the same rows every time. Copies are synthetic (合成), named “…（规模测试 k）” and carry a
valid USCC of their own. Afterwards the rollups are rebuilt and the tables analysed.
"""

from __future__ import annotations

import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# What grows, parents before children (model labels; auto-created M2M tables by field).
GROWN = [
    "enterprises.Enterprise",
    "enterprises.EnterpriseMonth",
    "enterprises.EnterpriseTag",
    "enterprises.MujunResult",
    "enterprises.WarningFlag",
    "enterprises.Visit",
    "chains.EnterpriseLink",
    "service.ServiceRequest",
    "service.ServiceEvent",
    "investment.Project",
    ("investment.Project", "links"),
    "investment.ProjectEvent",
    "investment.MonthlyInvestment",
    "keywork.Task",
    ("keywork.Task", "co_departments"),
    "keywork.ProgressReport",
    "keywork.Milestone",
    "indicators.Observation",
]
MARK = "（规模测试"

# GB 32100 check character of a USCC's first 17 characters, and a copy's own organisation
# code: "Y" and its new id in base 31 (the charset of the code), unique since ids are.
FUNCTIONS = """
CREATE FUNCTION pg_temp.uscc_check(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr(cs, ((31 - sum((strpos(cs, substr(s, i, 1)) - 1) * (w[i])) % 31) % 31)::int + 1, 1)
  FROM generate_series(1, 17) AS i,
       (SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY'::text AS cs,
               ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28] AS w) AS c
  GROUP BY cs
$$;
CREATE FUNCTION pg_temp.base31(n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT string_agg(substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                           ((n / (31::bigint ^ p)::bigint) % 31)::int + 1, 1), '' ORDER BY p DESC)
  FROM generate_series(0, 7) AS p
$$;
"""


def _table(entry) -> str:
    if isinstance(entry, tuple):
        label, field = entry
        return apps.get_model(label)._meta.get_field(field).remote_field.through._meta.db_table
    return apps.get_model(entry)._meta.db_table


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def _foreign_keys(cursor, table: str) -> dict[str, str]:
    """column → the table it references."""
    cursor.execute(
        """
        SELECT kcu.column_name, ccu.table_name
        FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage kcu
          ON tc.constraint_name = kcu.constraint_name AND tc.table_name = kcu.table_name
        JOIN information_schema.constraint_column_usage ccu
          ON tc.constraint_name = ccu.constraint_name
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = %s
        """,
        [table],
    )
    return dict(cursor.fetchall())


def _copy_sql(table: str, columns, fks, spans, year_span: int) -> str:
    exprs = []
    for col in columns:
        if col == "id":
            expr = f"s.id + k * {spans[table]}"
        elif fks.get(col) in spans:
            expr = f"s.{col} + k * {spans[fks[col]]}"
        elif col == "is_synthetic":
            expr = "true"
        elif table == _table("enterprises.Enterprise") and col == "uscc":
            first17 = f"substr(s.uscc, 1, 8) || 'Y' || pg_temp.base31(s.id + k * {spans[table]})"
            expr = f"{first17} || pg_temp.uscc_check({first17})"
        elif table == _table("enterprises.Enterprise") and col == "name":
            expr = f"left(s.name, 180) || '{MARK} ' || k || '）'"
        elif table == _table("indicators.Observation") and col == "period":
            expr = f"(left(s.period, 4)::int - k * {year_span})::text || substr(s.period, 5)"
        else:
            expr = f"s.{col}"
        exprs.append(expr)
    cols = ", ".join(f'"{c}"' for c in columns)
    return (
        f'INSERT INTO "{table}" ({cols}) SELECT {", ".join(exprs)} FROM "{table}" AS s'
        f" CROSS JOIN generate_series(1, %(copies)s) AS k WHERE s.id <= {spans[table]}"
        # In the order of the new ids: each index grows at its right edge instead of taking
        # random inserts (at ×100 the monthly table's unique index outgrew the buffers).
        " ORDER BY k, s.id"
    )


class Command(BaseCommand):
    help = "把演示数据按倍数扩容（PostgreSQL，确定性），用于规模测试。"

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, required=True, help="倍数（≥2）")

    def handle(self, *args, factor: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("load_scale 只支持 PostgreSQL（DATABASE_URL=postgres://…）。")
        if factor < 2:
            raise CommandError("--factor 至少为 2（1 倍即演示数据本身）。")
        enterprise = apps.get_model("enterprises.Enterprise")
        if not enterprise.objects.exists():
            raise CommandError("数据库中没有演示数据：请先运行 load_demo。")
        if enterprise.objects.filter(name__contains=MARK).exists():
            raise CommandError("数据库已扩容过：请在只有演示数据的数据库上运行。")
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            self._grow(cursor, factor)
        self.stdout.write(f"扩容完成，用时 {time.monotonic() - started:.1f} 秒；重建汇总……")
        for command in ("rebuild_cockpit_rollups", "rebuild_service_rollups", "refresh_fusion"):
            call_command(command, stdout=self.stdout)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"完成，共 {time.monotonic() - started:.1f} 秒。"))

    def _grow(self, cursor, factor: int) -> None:
        cursor.execute(FUNCTIONS)
        tables = [_table(entry) for entry in GROWN]
        spans = {}
        for table in tables:
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            spans[table] = cursor.fetchone()[0] or 1
        cursor.execute(
            f'SELECT min(left(period, 4)::int), max(left(period, 4)::int) FROM "{tables[-1]}"'
        )
        low, high = cursor.fetchone()
        year_span = (high - low + 1) if low else 1
        for table in tables:
            sql = _copy_sql(
                table, _columns(cursor, table), _foreign_keys(cursor, table), spans, year_span
            )
            begun = time.monotonic()
            cursor.execute(sql, {"copies": factor - 1})
            self.stdout.write(
                f"  {table}: +{cursor.rowcount} 行（{time.monotonic() - begun:.1f} 秒）"
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT max(id) FROM "{table}"))'
            )
