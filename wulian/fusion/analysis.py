"""The fusion scorecard and the 延链补链强链 gap analysis (formulas: docs/fusion-scoring.md).

`load_dataset()` reads everything in about a dozen grouped queries; `analyse()` is pure
Python over that dataset, so tests and the benchmark can check it on hand-built data.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum

from wulian.chains.models import Chain, EnterpriseLink, Link, LinkEdge, TargetCompany
from wulian.chains.services import MIN_MAIN, link_strength
from wulian.core.models import CITY_CODE
from wulian.investment import stats as investment_stats
from wulian.service import stats as service_stats

from .choices import Dimension
from .complexity import complexity
from .models import (
    LEVEL_POINTS,
    FinancingEvent,
    Fund,
    PeerLinkOutput,
    Platform,
    TalentDemand,
    TalentSupply,
)

DIMENSIONS = [d.value for d in Dimension]
DIMENSION_LABELS = {d.value: str(d.label) for d in Dimension}

# Half-saturation constants: s(x, k) = x / (x + k) is 0.5 when x = k. The same constants for
# every chain, so chains compare (see docs/fusion-scoring.md).
K = {
    "output_wan": 200_000,  # 20亿元 of 主营 output on a link
    "main": 5,  # enterprises
    "platform_points": 3,  # one national platform, or a provincial plus a city one
    "rd_wan": 5_000,
    "talent_supply": 50,
    "fund_wan": 100_000,  # 10亿元 of fund size allotted to the link
    "financing_wan": 20_000,
    "listed": 1,
    "planned_wan": 100_000,
}
LEADER_OUTPUT_WAN = 100_000  # 10亿元: a leading enterprise
WEAK_SHARE = 0.05  # 强链: a link under 5% of its chain's output …
WEAK_TOTAL = 40.0  # … or under 40 points in total is weak
STRONG_INDUSTRY = 50.0  # a neighbour this strong in 产业 supports 延链/补链


def sat(x: float, k: float) -> float:
    return x / (x + k) if x > 0 else 0.0


# ---- loading --------------------------------------------------------------------------------


def load_dataset() -> dict[str, Any]:
    """Everything the analysis needs, read with grouped queries (no per-link queries)."""
    chains = {
        code: {"id": pk, "code": code, "name": name, "links": []}
        for pk, code, name in Chain.objects.order_by("sort", "code").values_list(
            "id", "code", "name"
        )
    }
    chain_code = {c["id"]: code for code, c in chains.items()}
    links: dict[int, dict[str, Any]] = {}
    for row in Link.objects.order_by("chain__sort", "sort", "id").values(
        "id",
        "chain_id",
        "code",
        "name",
        "segment",
        "stat__enterprises",
        "stat__main_enterprises",
        "stat__listed",
        "stat__output_wan",
        "stat__top_output_wan",
    ):
        code = chain_code[row["chain_id"]]
        links[row["id"]] = {
            "id": row["id"],
            "chain": code,
            "code": row["code"],
            "name": row["name"],
            "segment": row["segment"],
            "enterprises": row["stat__enterprises"] or 0,
            "main": row["stat__main_enterprises"] or 0,
            "listed": row["stat__listed"] or 0,
            "output_wan": float(row["stat__output_wan"] or 0),
            "top_output_wan": float(row["stat__top_output_wan"] or 0),
            "preds": [],
            "succs": [],
            "platforms": [],
            "platform_points": 0,
            "rd_wan": 0.0,
            "talent_demand": 0,
            "talent_supply": 0,
            "fund_wan": 0.0,
            "funds": [],
            "financing_wan": 0.0,
            "financings": 0,
        }
        chains[code]["links"].append(row["id"])
    for source, target in LinkEdge.objects.values_list("source_id", "target_id"):
        links[source]["succs"].append(target)
        links[target]["preds"].append(source)

    through = Platform.links.through.objects.values_list(
        "link_id", "platform_id", "platform__name", "platform__level", "platform__rd_spend_wan"
    )
    platform_rows = list(through)
    served = defaultdict(int)
    for _l, pid, *_rest in platform_rows:
        served[pid] += 1
    for link_id, pid, name, level, rd in platform_rows:
        link = links[link_id]
        link["platforms"].append({"name": name, "level": level})
        link["platform_points"] += LEVEL_POINTS.get(level, 1)
        link["rd_wan"] += float(rd or 0) / served[pid]

    for link_id, n in (
        TalentDemand.objects.values("link_id").annotate(n=Sum("count")).values_list("link_id", "n")
    ):
        links[link_id]["talent_demand"] = n or 0
    for link_id, n in (
        TalentSupply.objects.values("link_id").annotate(n=Sum("count")).values_list("link_id", "n")
    ):
        links[link_id]["talent_supply"] = n or 0

    fund_rows = list(
        Fund.links.through.objects.values_list("link_id", "fund_id", "fund__name", "fund__size_wan")
    )
    invested = defaultdict(int)
    for _l, fid, *_rest in fund_rows:
        invested[fid] += 1
    for link_id, fid, name, size in fund_rows:
        links[link_id]["fund_wan"] += float(size or 0) / invested[fid]
        links[link_id]["funds"].append(name)

    for link_id, amount, n in (
        FinancingEvent.objects.filter(link__isnull=False)
        .values("link_id")
        .annotate(a=Sum("amount_wan"), n=Count("id"))
        .values_list("link_id", "a", "n")
    ):
        links[link_id]["financing_wan"] = float(amount or 0)
        links[link_id]["financings"] = n

    service = service_stats.link_service_summary()
    projects = investment_stats.link_project_summary()

    peers: dict[str, dict[int, float]] = defaultdict(dict)
    for region, link_id, output in PeerLinkOutput.objects.exclude(region_id=CITY_CODE).values_list(
        "region_id", "link_id", "output_wan"
    ):
        peers[region][link_id] = float(output)

    targets: dict[int, dict[str, Any]] = {
        pk: {
            "id": pk,
            "name": name,
            "headquarters": hq,
            "revenue_wan": float(rev or 0),
            "is_synthetic": synthetic,
            "links": [],
            "partner_links": [],
            "partners": 0,
        }
        for pk, name, hq, rev, synthetic in TargetCompany.objects.values_list(
            "id", "name", "headquarters", "revenue_wan", "is_synthetic"
        )
    }
    for tid, link_id in TargetCompany.links.through.objects.values_list(
        "targetcompany_id", "link_id"
    ):
        targets[tid]["links"].append(link_id)
    partner_rows = list(
        TargetCompany.partners.through.objects.values_list("targetcompany_id", "enterprise_id")
    )
    partner_links = defaultdict(list)
    if partner_rows:
        for enterprise_id, link_id in EnterpriseLink.objects.filter(
            enterprise_id__in={e for _t, e in partner_rows}
        ).values_list("enterprise_id", "link_id"):
            partner_links[enterprise_id].append(link_id)
    for tid, enterprise_id in partner_rows:
        targets[tid]["partners"] += 1
        targets[tid]["partner_links"].extend(partner_links[enterprise_id])

    return {
        "chains": chains,
        "links": links,
        "service": service,
        "projects": projects,
        "peers": dict(peers),
        "targets": targets,
    }


# ---- scoring --------------------------------------------------------------------------------


def _component(key, label, value, unit, formula, part, weight, note=""):
    return {
        "key": key,
        "label": label,
        "value": value,
        "unit": unit,
        "formula": formula,
        "part": None if part is None else round(part, 4),
        "weight": weight,
        "note": note,
    }


def _combine(components: list[dict]) -> float | None:
    present = [c for c in components if c["part"] is not None]
    weight = sum(c["weight"] for c in present)
    if not present or weight <= 0:
        return None
    return round(100 * sum(c["part"] * c["weight"] for c in present) / weight, 1)


def score_link(link: dict, data: dict) -> dict[str, dict]:
    """The five dimension scores of one link, each with the components behind it."""
    leader = 1.0 if (link["top_output_wan"] >= LEADER_OUTPUT_WAN or link["listed"] > 0) else 0.0
    industry = [
        _component(
            "output",
            "主营产值",
            round(link["output_wan"], 1),
            "万元",
            "s(产值, 200000)",
            sat(link["output_wan"], K["output_wan"]),
            0.5,
        ),
        _component(
            "main",
            "主营企业数",
            link["main"],
            "家",
            "s(企业数, 5)",
            sat(link["main"], K["main"]),
            0.3,
        ),
        _component(
            "leader",
            "龙头企业（产值≥10亿元或上市）",
            "有" if leader else "无",
            "",
            "有=1，无=0",
            leader,
            0.2,
        ),
    ]
    innovation = [
        _component(
            "platforms",
            "创新平台分（国家级3/省级2/市级1）",
            link["platform_points"],
            "分",
            "s(平台分, 3)",
            sat(link["platform_points"], K["platform_points"]),
            0.6,
            "、".join(p["name"] for p in link["platforms"][:5]),
        ),
        _component(
            "rd",
            "平台研发投入（按服务环节均摊）",
            round(link["rd_wan"], 1),
            "万元",
            "s(研发投入, 5000)",
            sat(link["rd_wan"], K["rd_wan"]),
            0.4,
        ),
    ]
    demand, supply = link["talent_demand"], link["talent_supply"]
    coverage = min(1.0, supply / demand) if demand else (1.0 if supply else 0.0)
    talent = [
        _component(
            "coverage",
            "人才供需匹配（供给/需求，封顶1）",
            f"{supply}/{demand}",
            "人",
            "min(1, 供给/需求)",
            coverage,
            0.6,
        ),
        _component(
            "supply", "人才供给", supply, "人", "s(供给, 50)", sat(supply, K["talent_supply"]), 0.4
        ),
    ]
    project_row = data["projects"].get(link["id"])
    planned = round(project_row["planned_wan"], 1) if project_row else 0.0
    project_part = sat(planned, K["planned_wan"])
    project_note = f"{project_row['projects'] if project_row else 0} 个项目"
    capital = [
        _component(
            "fund",
            "产业基金（按投资环节均摊）",
            round(link["fund_wan"], 1),
            "万元",
            "s(基金, 100000)",
            sat(link["fund_wan"], K["fund_wan"]),
            0.35,
            "、".join(link["funds"][:3]),
        ),
        _component(
            "financing",
            "融资事件金额",
            round(link["financing_wan"], 1),
            "万元",
            "s(融资, 20000)",
            sat(link["financing_wan"], K["financing_wan"]),
            0.25,
            f"{link['financings']} 笔",
        ),
        _component(
            "listed", "上市企业", link["listed"], "家", "s(上市, 1)", sat(link["listed"], 1), 0.2
        ),
        _component(
            "projects",
            "招商项目计划投资",
            planned,
            "万元",
            "s(计划投资, 100000)",
            project_part,
            0.2,
            project_note,
        ),
    ]
    row = data["service"].get(link["id"]) or {}
    total, closed, on_time = row.get("total", 0), row.get("closed", 0), row.get("on_time", 0)
    satisfaction = row.get("satisfaction")
    none = "本环节暂无企业诉求" if not total else ""
    service = [
        _component(
            "closed",
            "诉求办结率",
            f"{closed}/{total}",
            "件",
            "办结/受理",
            closed / total if total else None,
            0.4,
            none,
        ),
        _component(
            "on_time",
            "按期办结率",
            f"{on_time}/{closed}",
            "件",
            "按期/办结",
            on_time / closed if closed else None,
            0.3,
            none,
        ),
        _component(
            "satisfaction",
            "企业满意度（1–5）",
            None if satisfaction is None else round(float(satisfaction), 2),
            "分",
            "满意度/5",
            None if satisfaction is None else float(satisfaction) / 5,
            0.3,
            none,
        ),
    ]
    groups = {
        "industry": industry,
        "innovation": innovation,
        "talent": talent,
        "capital": capital,
        "service": service,
    }
    return {key: {"score": _combine(comps), "components": comps} for key, comps in groups.items()}


def total_score(scores: dict[str, float | None], weights: dict[str, float]) -> float | None:
    present = {k: v for k, v in scores.items() if v is not None and weights.get(k, 0) > 0}
    weight = sum(weights[k] for k in present)
    if not weight:
        return None
    return round(sum(v * weights[k] for k, v in present.items()) / weight, 1)


def _service_pooled(link_ids: list[int], data: dict) -> tuple[float | None, dict]:
    """Chain service score from pooled counts (a chain with 1 request is not 100 on 1 link)."""
    total = closed = on_time = 0
    sat_sum = sat_n = 0.0
    for link_id in link_ids:
        row = data["service"].get(link_id) or {}
        total += row.get("total", 0)
        closed += row.get("closed", 0)
        on_time += row.get("on_time", 0)
        if row.get("satisfaction") is not None and row.get("closed"):
            sat_sum += float(row["satisfaction"]) * row["closed"]
            sat_n += row["closed"]
    parts = []
    if total:
        parts.append((closed / total, 0.4))
    if closed:
        parts.append((on_time / closed, 0.3))
    if sat_n:
        parts.append((sat_sum / sat_n / 5, 0.3))
    evidence = {
        "total": total,
        "closed": closed,
        "on_time": on_time,
        "satisfaction": round(sat_sum / sat_n, 2) if sat_n else None,
    }
    if not parts:
        return None, {**evidence, "note": "本链暂无企业诉求"}
    weight = sum(w for _p, w in parts)
    return round(100 * sum(p * w for p, w in parts) / weight, 1), evidence


# ---- gap analysis ---------------------------------------------------------------------------


def _yi(wan: float) -> str:
    return f"{wan / 10000:.1f}亿元"


def _names(ids, links) -> str:
    return "、".join(f"「{links[i]['name']}」" for i in ids)


def _rank_targets(link_id: int, chain_links: set[int], data: dict, gap_ids: set[int]) -> list:
    """Target companies able to fill `link_id`, ranked by fit (0–100)."""
    links = data["links"]
    neighbours = set(links[link_id]["preds"]) | set(links[link_id]["succs"])
    ranked = []
    for target in data["targets"].values():
        if link_id not in target["links"]:
            continue
        other_gaps = len((set(target["links"]) & gap_ids) - {link_id})
        ties = sum(1 for p in target["partner_links"] if p in neighbours or p == link_id)
        chain_ties = sum(1 for p in target["partner_links"] if p in chain_links)
        fit = 100 * (
            0.5
            + 0.25 * sat(target["revenue_wan"], 300_000)
            + 0.15 * sat(ties, 2)
            + 0.10 * sat(other_gaps, 1)
        )
        reasons = [f"可填补「{links[link_id]['name']}」"]
        if other_gaps:
            reasons.append(f"另可填补本链 {other_gaps} 个缺口环节")
        reasons.append(f"营收 {_yi(target['revenue_wan'])}")
        if ties:
            reasons.append(f"与上下游本地企业已有 {ties} 处关联")
        elif chain_ties:
            reasons.append(f"与本链本地企业有 {chain_ties} 处关联")
        ranked.append(
            {
                "id": target["id"],
                "name": target["name"],
                "headquarters": target["headquarters"],
                "revenue_wan": target["revenue_wan"],
                "is_synthetic": target["is_synthetic"],
                "fit": round(fit, 1),
                "local_ties": ties,
                "why": "，".join(reasons),
            }
        )
    ranked.sort(key=lambda t: (-t["fit"], -t["revenue_wan"], t["id"]))
    return ranked


def find_gaps(code: str, link_rows: dict[int, dict], data: dict, ec: dict) -> list[dict]:
    """补链 / 强链 / 延链 findings for one chain, each with its reason in Chinese."""
    links = data["links"]
    ids = data["chains"][code]["links"]
    chain_output = sum(links[i]["output_wan"] for i in ids)
    strong = {
        i for i in ids if (link_rows[i]["scores"]["industry"]["score"] or 0) >= STRONG_INDUSTRY
    }
    thin = {i for i in ids if links[i]["main"] < MIN_MAIN}
    findings = []
    for i in ids:
        link = links[i]
        share = link["output_wan"] / chain_output if chain_output else 0.0
        eci = ec.get(i, {})
        illustrative = (
            f"对标测算（示意）：衢州该环节 RCA {eci.get('rca', 0):.2f}，"
            f"与本市已有优势环节的关联密度 {eci.get('density', 0):.2f}，"
            f"机会增益 {eci.get('opportunity', 0):.2f}。"
            if eci
            else ""
        )
        strong_preds = [p for p in link["preds"] if p in strong]
        strong_succs = [s for s in link["succs"] if s in strong]
        if i in thin:
            at_end = not link["preds"] or not link["succs"]
            have = (
                f"本地主营企业 {link['main']} 家（低于 {MIN_MAIN} 家）"
                + (
                    f"，另有配套企业 {link['enterprises'] - link['main']} 家"
                    if link["enterprises"] > link["main"]
                    else ""
                )
                + f"，主营产值 {_yi(link['output_wan'])}（占本链 {share:.1%}）"
            )
            if at_end and (strong_preds or strong_succs):
                kind = "extend"
                if strong_preds:
                    why = (
                        f"「{link['name']}」是本市较强环节{_names(strong_preds, links)}的下游延伸，"
                        f"{have}。向下游延链可把本地产能转化为终端产品。"
                    )
                else:
                    why = (
                        f"「{link['name']}」是本市较强环节{_names(strong_succs, links)}的上游来源，"
                        f"{have}。向上游延链可稳住原料与关键部件供应。"
                    )
            else:
                kind = "fill"
                around = []
                if strong_preds:
                    around.append(f"上游{_names(strong_preds, links)}")
                if strong_succs:
                    around.append(f"下游{_names(strong_succs, links)}")
                context = f"；其{'和'.join(around)}本地较强，缺口使产业链在此断开" if around else ""
                why = f"「{link['name']}」{have}{context}。"
            neighbour = len(strong_preds) + len(strong_succs)
            priority = 100 * (
                0.4 * sat(neighbour, 1)
                + 0.3 * eci.get("density", 0)
                + 0.3 * (1 - sat(link["main"], 1))
            )
        else:
            reasons = []
            if share < WEAK_SHARE:
                reasons.append(f"产值占本链仅 {share:.1%}（低于 {WEAK_SHARE:.0%}）")
            if link["top_output_wan"] < LEADER_OUTPUT_WAN and link["listed"] == 0:
                reasons.append(
                    f"无龙头企业（最大企业产值 {_yi(link['top_output_wan'])}，无上市企业）"
                )
            total = link_rows[i]["total"]
            if total is not None and total < WEAK_TOTAL:
                weakest = min(
                    (d for d in DIMENSIONS if link_rows[i]["scores"][d]["score"] is not None),
                    key=lambda d: link_rows[i]["scores"][d]["score"],
                )
                reasons.append(
                    f"融合总分 {total:.1f}（低于 {WEAK_TOTAL:.0f}），最弱为"
                    f"{DIMENSION_LABELS[weakest]} {link_rows[i]['scores'][weakest]['score']:.1f} 分"
                )
            # One weak sign alone is common; 强链 needs at least two of the three.
            if len(reasons) < 2:
                continue
            kind = "strengthen"
            why = (
                f"「{link['name']}」本地已有主营企业 {link['main']} 家、"
                f"产值 {_yi(link['output_wan'])}，但" + "；".join(reasons) + "。"
            )
            priority = 100 * (
                0.5 * (1 - min(1.0, share / WEAK_SHARE)) + 0.5 * (1 - (total or 0) / 100)
            )
        findings.append(
            {
                "kind": kind,
                "kind_label": {"fill": "补链", "extend": "延链", "strengthen": "强链"}[kind],
                "link_id": i,
                "link": link["name"],
                "segment": link["segment"],
                "main_enterprises": link["main"],
                "output_wan": round(link["output_wan"], 1),
                "output_share": round(share, 4),
                "strength": link_strength(
                    main=link["main"],
                    output_wan=link["output_wan"],
                    top_wan=link["top_output_wan"],
                    chain_output=chain_output,
                ),
                "rca": eci.get("rca"),
                "density": eci.get("density"),
                "opportunity": eci.get("opportunity"),
                "strong_neighbours": [links[n]["name"] for n in strong_preds + strong_succs],
                "why": why,
                "illustrative": illustrative,
                "priority": round(priority, 1),
            }
        )
    gap_ids = {f["link_id"] for f in findings if f["kind"] in ("fill", "extend")}
    chain_links = set(ids)
    for finding in findings:
        finding["targets"] = _rank_targets(finding["link_id"], chain_links, data, gap_ids)[:5]
    order = {"fill": 0, "extend": 1, "strengthen": 2}
    findings.sort(key=lambda f: (order[f["kind"]], -f["priority"], f["link_id"]))
    return findings


def analyse(data: dict, weights: dict[str, float]) -> dict[str, dict]:
    """Per chain: dimension scores, total, per-link scores with evidence, and findings."""
    links = data["links"]
    matrix = {region: dict(row) for region, row in data["peers"].items()}
    if matrix:
        matrix[CITY_CODE] = {i: link["output_wan"] for i, link in links.items()}
    ec = complexity(matrix, CITY_CODE) if matrix else {}
    result = {}
    for code, chain in data["chains"].items():
        ids = chain["links"]
        rows = {}
        for i in ids:
            scores = score_link(links[i], data)
            link = links[i]
            service_row = data["service"].get(i) or {}
            project_row = data["projects"].get(i) or {}
            rows[i] = {
                "id": i,
                "name": link["name"],
                "segment": link["segment"],
                "facts": {
                    "main": link["main"],
                    "enterprises": link["enterprises"],
                    "output_wan": round(link["output_wan"], 1),
                    "listed": link["listed"],
                    "platforms": len(link["platforms"]),
                    "platform_points": link["platform_points"],
                    "talent_demand": link["talent_demand"],
                    "talent_supply": link["talent_supply"],
                    "talent_gap": max(0, link["talent_demand"] - link["talent_supply"]),
                    "fund_wan": round(link["fund_wan"], 1),
                    "financing_wan": round(link["financing_wan"], 1),
                    "requests": service_row.get("total", 0),
                    "projects": project_row.get("projects", 0),
                },
                "scores": scores,
                "total": total_score({d: s["score"] for d, s in scores.items()}, weights),
            }
        dims: dict[str, float | None] = {}
        for d in ("industry", "innovation", "talent", "capital"):
            values = [rows[i]["scores"][d]["score"] for i in ids]
            values = [v for v in values if v is not None]
            dims[d] = round(sum(values) / len(values), 1) if values else None
        dims["service"], service_evidence = _service_pooled(ids, data)
        missing = []
        if not ids:
            missing.append("本链尚无环节")
        elif dims["service"] is None:
            missing.append("本链暂无企业诉求，服务链不计分，总分按其余四链计")
        total = total_score(dims, weights) if ids else None
        findings = find_gaps(code, rows, data, ec)
        result[code] = {
            "code": code,
            "name": chain["name"],
            "links": len(ids),
            "output_wan": round(sum(links[i]["output_wan"] for i in ids), 1),
            "enterprises_main": sum(links[i]["main"] for i in ids),
            "total": total,
            **{d: dims[d] for d in DIMENSIONS},
            "weights": weights,
            "service_evidence": service_evidence,
            "missing": missing,
            "link_scores": [rows[i] for i in ids],
            "findings": findings,
            "illustrative_note": (
                "关联密度与RCA基于对标城市环节产值计算；演示环境中对标城市数据为合成数据，结论仅作示意。"
                if ec
                else "无对标城市数据，未计算关联密度。"
            ),
        }
    return result
