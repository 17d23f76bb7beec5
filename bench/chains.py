"""Benchmark: the whole gap analysis and fusion scorecard for all six chains over the
15,000-enterprise demo, and the same computed by a plain pandas pass as the reference.

Prints, in one run:
- the platform's path from raw rows: link rollup (one grouped query over enterprises on
  links) + load_dataset (grouped queries) + analyse (pure Python) — target well under 1 s;
- the cockpit's path: chain_scorecards() reading the stored rollup;
- a plain pandas pass over the same tables computing link statistics, the four scored
  dimensions, chain totals and the 补链/延链/强链 classification, with the largest difference
  from the platform's numbers (should be 0, up to rounding) and whether the findings agree.

Runs against a throwaway SQLite database with the demo loaded unless DATABASE_URL is set.

    .venv/bin/python bench/chains.py [--repeat 5]
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


def setup() -> None:
    tmp = tempfile.mkdtemp(prefix="wulian-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from wulian.chains.models import LinkStat

    call_command("migrate", verbosity=0)
    if not LinkStat.objects.exists():
        from wulian.chains import demo as chains_demo
        from wulian.core import demo as core_demo
        from wulian.enterprises import demo as enterprises_demo
        from wulian.fusion import demo as fusion_demo

        started = time.perf_counter()
        for module in (core_demo, enterprises_demo, chains_demo, fusion_demo):
            module.load()
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")


def platform_pass(weights):
    from wulian.chains.services import refresh_link_stats
    from wulian.fusion.analysis import analyse, load_dataset

    refresh_link_stats()
    return analyse(load_dataset(), weights)


def pandas_pass(weights):
    """The reference: the same numbers from the raw tables, with pandas and no platform code."""
    import numpy as np
    import pandas as pd

    from wulian.chains.models import Chain, EnterpriseLink, Link, LinkEdge
    from wulian.fusion.models import (
        FinancingEvent,
        Fund,
        Platform,
        TalentDemand,
        TalentSupply,
    )

    def frame(queryset, columns):
        return pd.DataFrame.from_records(list(queryset.values_list(*columns)), columns=columns)

    links = frame(Link.objects.all(), ["id", "chain_id", "name"])
    chains = frame(Chain.objects.all(), ["id", "code"])
    links = links.merge(chains.rename(columns={"id": "chain_id"}), on="chain_id")
    placed = frame(
        EnterpriseLink.objects.all(),
        ["link_id", "role", "enterprise__output_wan", "enterprise__is_listed"],
    )
    placed["out"] = placed["enterprise__output_wan"].astype(float).fillna(0.0)
    placed["main_out"] = np.where(placed["role"] == "main", placed["out"], 0.0)
    stats = placed.groupby("link_id").agg(
        main=("role", lambda r: int((r == "main").sum())),
        listed=("enterprise__is_listed", "sum"),
        output=("main_out", "sum"),
        top=("out", "max"),
    )
    df = links.set_index("id").join(stats).fillna({"main": 0, "listed": 0, "output": 0, "top": 0})

    def s(x, k):
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, x / (x + k), 0.0)

    leader = ((df["top"] >= 100_000) | (df["listed"] > 0)).astype(float)
    df["industry"] = 100 * (0.5 * s(df["output"], 200_000) + 0.3 * s(df["main"], 5) + 0.2 * leader)

    plat = frame(
        Platform.links.through.objects.all(),
        ["link_id", "platform_id", "platform__level", "platform__rd_spend_wan"],
    )
    points = {"national": 3, "provincial": 2, "city": 1}
    plat["points"] = plat["platform__level"].map(points).fillna(1)
    plat["rd"] = plat["platform__rd_spend_wan"].astype(float).fillna(0.0) / plat.groupby(
        "platform_id"
    )["link_id"].transform("count")
    innov = plat.groupby("link_id").agg(points=("points", "sum"), rd=("rd", "sum"))
    df = df.join(innov).fillna({"points": 0, "rd": 0})
    df["innovation"] = 100 * (0.6 * s(df["points"], 3) + 0.4 * s(df["rd"], 5000))

    demand = frame(TalentDemand.objects.all(), ["link_id", "count"]).groupby("link_id")["count"]
    supply = frame(TalentSupply.objects.all(), ["link_id", "count"]).groupby("link_id")["count"]
    df["demand"] = demand.sum().reindex(df.index).fillna(0)
    df["supply"] = supply.sum().reindex(df.index).fillna(0)
    coverage = np.where(
        df["demand"] > 0,
        np.minimum(1.0, df["supply"] / df["demand"].where(df["demand"] > 0, 1)),
        (df["supply"] > 0).astype(float),
    )
    df["talent"] = 100 * (0.6 * coverage + 0.4 * s(df["supply"], 50))

    funds = frame(Fund.links.through.objects.all(), ["link_id", "fund_id", "fund__size_wan"])
    funds["share"] = funds["fund__size_wan"].astype(float) / funds.groupby("fund_id")[
        "link_id"
    ].transform("count")
    df["fund"] = funds.groupby("link_id")["share"].sum().reindex(df.index).fillna(0)
    fin = frame(FinancingEvent.objects.filter(link__isnull=False), ["link_id", "amount_wan"])
    fin["amount_wan"] = fin["amount_wan"].astype(float)
    df["financing"] = fin.groupby("link_id")["amount_wan"].sum().reindex(df.index).fillna(0)
    from wulian.investment.stats import link_project_summary

    projects = link_project_summary()
    planned = pd.Series({k: v["planned_wan"] for k, v in projects.items()}, dtype=float)
    capital_parts = [
        (0.35, s(df["fund"], 100_000)),
        (0.25, s(df["financing"], 20_000)),
        (0.2, s(df["listed"], 1)),
        (0.2, s(planned.reindex(df.index).fillna(0), 100_000)),
    ]
    weight = sum(w for w, _p in capital_parts)
    df["capital"] = 100 * sum(w * p for w, p in capital_parts) / weight
    for col in ("industry", "innovation", "talent", "capital"):
        df[col] = df[col].round(1)
    dims = ["industry", "innovation", "talent", "capital"]
    w = pd.Series({d: weights[d] for d in dims})
    df["total"] = (df[dims] * w).sum(axis=1) / w.sum()  # service has no data in the bench
    df["total"] = df["total"].round(1)
    chain_dims = df.groupby("code")[dims].mean().round(1)
    chain_total = ((chain_dims * w).sum(axis=1) / w.sum()).round(1)

    edges = frame(LinkEdge.objects.all(), ["source_id", "target_id"])
    strong = set(df.index[df["industry"] >= 50])
    thin = set(df.index[df["main"] < 3])
    preds = edges.groupby("target_id")["source_id"].apply(set).to_dict()
    succs = edges.groupby("source_id")["target_id"].apply(set).to_dict()
    chain_output = df.groupby("code")["output"].transform("sum")
    share = (df["output"] / chain_output.where(chain_output > 0, 1)).fillna(0)
    findings = set()
    for link_id in df.index:
        p, q = preds.get(link_id, set()), succs.get(link_id, set())
        if link_id in thin:
            at_end = not p or not q
            kind = "extend" if at_end and ((p | q) & strong) else "fill"
            findings.add((link_id, kind))
        elif (
            int(share[link_id] < 0.05)
            + int(df.at[link_id, "top"] < 100_000 and df.at[link_id, "listed"] == 0)
            + int(df.at[link_id, "total"] < 40)
            >= 2
        ):
            findings.add((link_id, "strengthen"))
    return df, chain_dims, chain_total, findings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup()
    from wulian.enterprises.models import Enterprise
    from wulian.fusion.models import ScoreWeights
    from wulian.fusion.services import chain_scorecards, refresh_scores

    weights = ScoreWeights.current().as_dict()
    print(f"enterprises: {Enterprise.objects.count():,}")

    platform_times, pandas_times, cockpit_times = [], [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = platform_pass(weights)
        platform_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        df, chain_dims, chain_total, reference_findings = pandas_pass(weights)
        pandas_times.append(time.perf_counter() - started)
    refresh_scores()
    for _ in range(args.repeat):
        started = time.perf_counter()
        chain_scorecards()
        cockpit_times.append(time.perf_counter() - started)

    worst = 0.0
    findings = set()
    for code, card in result.items():
        for row in card["link_scores"]:
            for dim in ("industry", "innovation", "talent", "capital"):
                worst = max(worst, abs(row["scores"][dim]["score"] - df.at[row["id"], dim]))
            worst = max(worst, abs(row["total"] - df.at[row["id"], "total"]))
        for dim in ("industry", "innovation", "talent", "capital"):
            worst = max(worst, abs(card[dim] - chain_dims.at[code, dim]))
        if card["service"] is None:
            worst = max(worst, abs(card["total"] - chain_total[code]))
        findings |= {(f["link_id"], f["kind"]) for f in card["findings"]}

    def ms(values):
        return f"median {statistics.median(values) * 1000:7.1f} ms  (min {min(values) * 1000:.1f})"

    print(f"platform (rollup + dataset + analysis, six chains): {ms(platform_times)}")
    print(f"pandas reference over the same tables:               {ms(pandas_times)}")
    print(f"cockpit chain_scorecards() from the stored rollup:   {ms(cockpit_times)}")
    counts = {
        k: sum(1 for _i, kind in findings if kind == k) for k in ("fill", "extend", "strengthen")
    }
    print(
        f"findings: 补链 {counts['fill']}, 延链 {counts['extend']}, 强链 {counts['strengthen']}; "
        f"agree with pandas: {findings == reference_findings}"
    )
    print(f"largest score difference from pandas: {worst:.2f} points")
    for code, card in result.items():
        print(
            f"  {card['name']:<4} total {card['total']:5.1f}  (pandas {chain_total[code]:5.1f})  "
            f"industry {card['industry']:5.1f} innovation {card['innovation']:5.1f} "
            f"talent {card['talent']:5.1f} capital {card['capital']:5.1f}"
        )


if __name__ == "__main__":
    main()
