"""Benchmark: working-day arithmetic (core.workdays), per call and per table build.

Prints microseconds per call of is_workday, workdays_between (over spans up to three years),
add_workdays (1–20 working days) and nth_workday_back, and the milliseconds to build the
per-date table for a new calendar state. Every call is an index into that table, so the cost
per call does not grow with the span. Needs no database.

    .venv/bin/python bench/workdays.py [--calls 200000]
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def per_call(label: str, fn, args: list) -> None:
    start = time.perf_counter()
    for a in args:
        fn(*a)
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {elapsed / len(args) * 1e6:8.2f} µs/call  ({len(args)} calls)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200_000)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from wulian.core import workdays

    rng = random.Random(1)
    start = time.perf_counter()
    cal = workdays.WorkdayCalendar(overrides={dt.date(2026, 3, 3): False})
    print(
        f"{'table build (2004–' + str(cal._table.end.year) + ')':<34} "
        f"{(time.perf_counter() - start) * 1000:8.1f} ms"
    )
    base = dt.date(2024, 1, 1)
    days = [base + dt.timedelta(days=rng.randrange(1100)) for _ in range(options.calls)]
    tz = dt.timezone(dt.timedelta(hours=8))
    per_call("is_workday", cal.is_workday, [(d,) for d in days])
    spans = [(d, d + dt.timedelta(days=rng.randrange(1, 1100))) for d in days]
    per_call("workdays_between (≤ 3 years)", cal.workdays_between, spans)
    moments = [(dt.datetime.combine(d, dt.time(10), tz), rng.randrange(1, 21)) for d in days]
    per_call("add_workdays (1–20 days)", cal.add_workdays, moments)
    per_call(
        "nth_workday_back (1–5)", cal.nth_workday_back, [(d, rng.randrange(1, 6)) for d in days]
    )


if __name__ == "__main__":
    main()
