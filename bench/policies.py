"""Benchmark: matching every policy against the whole registry (target < 2 s).

Runs against the database DATABASE_URL names (SQLite by default), which must hold the demo
(`make run` or `manage.py load_demo`: 15,000 enterprises, 24 months of monthly reports, 亩均
grades, tags, chain placements and the synthetic policies). It prints the size of what is
matched, then, over `--repeat` runs, the time to load the facts the policies' conditions need
(one query per group of fields), to match all policies in memory with their near misses, and
the two together; then one full refresh of the stored matches with reasons (what the nightly
job and a policy's save do), inside a transaction that is rolled back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wl_demo .venv/bin/python bench/policies.py
    .venv/bin/python bench/policies.py [--repeat 5] [--copies 1]

`--copies N` matches every policy N times over (as if the catalogue were N times larger).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 2.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from wulian.enterprises.models import Enterprise
    from wulian.policies.facts import load_facts
    from wulian.policies.matching import fields_of, match
    from wulian.policies.models import Policy
    from wulian.policies.services import refresh_all_matches

    policies = list(Policy.objects.filter(is_active=True)) * options.copies
    enterprises = Enterprise.objects.count()
    if not policies or enterprises < 1000:
        sys.exit("请先载入演示数据（manage.py load_demo）：需要企业库与合成政策。")
    names = set()
    for policy in policies:
        names |= fields_of(policy.conditions, policy.amount_rule)
    conditions = sum(len(p.conditions) for p in policies)
    print(f"database: {connection.vendor}; enterprises: {enterprises:,}; policies: {len(policies)}")
    print(f"conditions: {conditions}; fields read: {', '.join(sorted(names))}")
    loads, matches, totals = [], [], []
    # The ORM cache (django-cachalot, when on) would answer repeated reads from memory; these
    # numbers are for the database doing the work, as after any write to the tables read.
    from cachalot.api import cachalot_disabled

    with cachalot_disabled():
        for _ in range(options.repeat):
            start = time.perf_counter()
            facts = load_facts(names)
            loaded = time.perf_counter()
            results = [match(p.conditions, facts) for p in policies]
            done = time.perf_counter()
            loads.append(loaded - start)
            matches.append(done - loaded)
            totals.append(done - start)
    matched = sum(len(r.matched) for r in results)
    near = sum(len(r.near) for r in results)
    print(f"qualifying (enterprise, policy) pairs: {matched:,}; near misses: {near:,}")
    for label, times in (("load facts", loads), ("match all", matches), ("total", totals)):
        print(
            f"{label:<12} median {statistics.median(times) * 1000:8.1f} ms   "
            f"max {max(times) * 1000:8.1f} ms"
        )
    worst = max(totals)
    verdict = "OK" if worst < TARGET_S else "SLOWER THAN TARGET"
    print(f"target < {TARGET_S:.0f} s for all policies × the registry: {verdict}")
    with transaction.atomic():
        start = time.perf_counter()
        refreshed = refresh_all_matches()
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    print(
        f"refresh stored matches with reasons (rolled back): {elapsed * 1000:.0f} ms "
        f"for {refreshed['policies']} policies, {refreshed['matched']:,} matches"
    )


if __name__ == "__main__":
    main()
