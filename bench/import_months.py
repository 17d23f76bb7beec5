"""Benchmark: 15,000 enterprises × 12 months of monthly figures, and 亩均 over 15,000 enterprises.

1. Import: an xlsx of 180,000 rows in the enterprise-months template (8 columns) goes through
   `import_data enterprise-months` (the dataset's `run`: every cell parsed and checked, the
   enterprises looked up, all rows written in one transaction, the monthly rollup rebuilt and
   the early-warning rules evaluated). Beside it, in the same run, a bare openpyxl read-only
   pass over the same file (the floor); the ratio's target is ≤ 3. A second import of the same
   file with one figure changed per row measures the replacement path (revisions kept).
2. 亩均论英雄: `evaluate_mujun` over 15,000 industrial enterprises with land and 12 months each
   (target < 5 s).

Runs against a throwaway SQLite database unless DATABASE_URL is set.

    .venv/bin/python bench/import_months.py [--enterprises 15000] [--months 12]
"""

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_file(usccs: list[str], months: list[dt.date], rng: random.Random, scale=1.0) -> bytes:
    import openpyxl

    from wulian.enterprises.datasets import MONTH_COLUMNS

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("企业月度数据")
    sheet.append([c.header for c in MONTH_COLUMNS])
    for uscc in usccs:
        base = rng.uniform(100, 5000)
        for month in months:
            output = round(base * rng.uniform(0.85, 1.15) * scale, 2)
            sheet.append(
                [
                    uscc,
                    f"{month:%Y-%m}",
                    output,
                    round(output * 1.05, 2),
                    round(output * 0.04, 2),
                    round(output * 0.08, 2),
                    int(base / 10) + 10,
                    round(output * 0.02, 2),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Clock:
    """Wall and CPU seconds of this process: on a shared machine the wall clock also counts
    the time other processes had the cores (SQLite runs in this process, so CPU is the work)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def bare_read(data: bytes) -> tuple[Clock, int]:
    import openpyxl

    with Clock() as clock:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        cells = sum(len(r) for r in book.worksheets[0].iter_rows(values_only=True))
    return clock, cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=15000)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="wulian-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from wulian.core import demo as core_demo
    from wulian.core.datasets import registry
    from wulian.enterprises.demo import generate
    from wulian.enterprises.models import Enterprise, EnterpriseMonth, EnterpriseMonthRevision
    from wulian.enterprises.mujun import evaluate_mujun

    call_command("migrate", verbosity=0)
    core_demo.load_regions()
    rng = random.Random(20251130)
    rows = generate()[: args.enterprises]
    # Every enterprise industrial with land, so that 亩均 evaluates all of them.
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                **{
                    **row,
                    "industry_code": row["industry_code"]
                    if row["industry_code"][0] in "CD"
                    else "C2614",
                    "land_area_mu": Decimal(f"{rng.uniform(10, 300):.2f}"),
                }
            )
            for row in rows
        ],
        batch_size=2000,
    )
    usccs = [row["uscc"] for row in rows]
    months = [dt.date(2024, m, 1) for m in range(1, args.months + 1)]
    data = build_file(usccs, months, rng)
    n_rows = len(usccs) * len(months)
    print(f"[{connection.vendor}] file: {n_rows:,} rows × 8 columns, {len(data) / 1e6:.1f} MB")

    read, cells = bare_read(data)
    dataset = registry.get("enterprise-months")
    with Clock() as clock:
        report = dataset.run(actor=None, data=data)
    assert report.ok, report.errors[:5]
    assert EnterpriseMonth.objects.count() == n_rows
    print(
        f"openpyxl read-only pass (floor): {read.wall:.2f} s, {read.cpu:.2f} s CPU "
        f"({cells:,} cells)"
    )
    print(
        f"import_data enterprise-months:  {clock.wall:.2f} s, {clock.cpu:.2f} s CPU "
        f"({report.created:,} created) — ratio {clock.wall / read.wall:.2f}, "
        f"CPU {clock.cpu / read.cpu:.2f} (target ≤ 3)"
    )

    again = build_file(usccs, months, random.Random(20251130), scale=1.01)
    read2, _cells = bare_read(again)
    with Clock() as clock:
        report = dataset.run(actor=None, data=again)
    assert report.ok
    print(
        f"re-import, every month replaced: {clock.wall:.2f} s, {clock.cpu:.2f} s CPU "
        f"({report.updated:,} replaced, {EnterpriseMonthRevision.objects.count():,} revisions)"
        f" — ratio {clock.wall / read2.wall:.2f}, CPU {clock.cpu / read2.cpu:.2f}"
    )

    # CPU seconds of this process beside the wall clock: on a shared machine the wall clock
    # also counts the time other processes had the cores (SQLite runs in this process).
    started, cpu = time.perf_counter(), time.process_time()
    counts = evaluate_mujun(actor=None, year=2024)
    mujun_s, mujun_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"evaluate_mujun 2024: {sum(counts.values()):,} enterprises in {mujun_s:.2f} s "
        f"({mujun_cpu:.2f} s CPU; target < 5 s); "
        + ", ".join(f"{g} {n}" for g, n in counts.items())
    )


if __name__ == "__main__":
    main()
