"""Benchmark: import a generated 15,000-row xlsx of enterprises.

Prints the import time, the time merely to read the same file with openpyxl in read-only
mode (the reference, measured in the same run), their ratio (target < 3) and the peak memory
of the import (target < 500 MB). Runs against a throwaway SQLite database unless DATABASE_URL
is set.

    .venv/bin/python bench/import_enterprises.py [--rows 15000]
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=15000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="wulian-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    import openpyxl
    from django.core.management import call_command

    from wulian.core import demo as core_demo
    from wulian.enterprises.demo import generate
    from wulian.enterprises.models import Enterprise
    from wulian.enterprises.services import EXPORT_COLUMNS, import_enterprises

    call_command("migrate", verbosity=0)
    core_demo.load_regions()

    names = {
        "330802": "柯城区",
        "330803": "衢江区",
        "330881": "江山市",
        "330825": "龙游县",
        "330822": "常山县",
        "330824": "开化县",
    }
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("企业")
    sheet.append([label for _f, label in EXPORT_COLUMNS[:-1]])
    for row in generate()[: args.rows]:
        sheet.append(
            [
                row["uscc"],
                row["name"],
                names[row["region_id"]],
                row["industry_code"],
                "是" if row["is_above_scale"] else "否",
                "是" if row["is_listed"] else "否",
                "",
                row["founded_on"],
                row["output_wan"],
                row["tax_wan"],
                row["employees"],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    started = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = sum(len(r) for r in book.worksheets[0].iter_rows(values_only=True))
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = import_enterprises(actor=None, data=data)
    import_seconds = time.perf_counter() - started
    assert report.ok, report.errors[:5]
    assert Enterprise.objects.count() == args.rows

    # Memory is measured in a second, separate run (tracemalloc slows everything down).
    from wulian.core.models import AuditEvent

    Enterprise.objects.all().delete()
    AuditEvent.objects.all().delete()
    tracemalloc.start()
    report = import_enterprises(actor=None, data=data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.ok

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows                     {args.rows}")
    print(f"file size                {len(data) / 1048576:.1f} MB ({cells} cells)")
    print(f"openpyxl read-only read  {read_seconds:.2f} s   (reference)")
    print(f"import_enterprises       {import_seconds:.2f} s")
    print(f"ratio import/read        {import_seconds / read_seconds:.2f}   (target < 3)")
    print(f"peak Python allocations  {peak / 1048576:.0f} MB during the import (target < 500)")
    print(f"process max RSS          {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
