"""延链补链强链: which links of a chain to fill, extend to or strengthen, and whom to recruit.

Pure Python over the dataset and the scored link rows. A finding keeps its reason as a key
and the numbers behind it (`reason`, `rca`, `density`, `opportunity`); `wording` writes the
sentence in the reader's language when the finding is read. Rules: docs/fusion-scoring.md.
"""

from __future__ import annotations

from wulian.chains.services import MIN_MAIN, link_strength

from .scoring import DIMENSIONS, LEADER_OUTPUT_WAN, sat

WEAK_SHARE = 0.05  # 强链: a link under 5% of its chain's output …
WEAK_TOTAL = 40.0  # … or under 40 points in total is weak
STRONG_INDUSTRY = 50.0  # a neighbour this strong in 产业 supports 延链/补链
KIND_ORDER = {"fill": 0, "extend": 1, "strengthen": 2}


def rank_targets(link_id: int, chain_links: set[int], data: dict, gap_ids: set[int]) -> list:
    """Target companies able to fill `link_id`, ranked by fit (0–100), each with its reasons
    as keys and numbers."""
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
        ranked.append(
            {
                "id": target["id"],
                "name": target["name"],
                "headquarters": target["headquarters"],
                "revenue_wan": target["revenue_wan"],
                "is_synthetic": target["is_synthetic"],
                "fit": round(fit, 1),
                "local_ties": ties,
                "reason": {
                    "link": links[link_id]["name"],
                    "other_gaps": other_gaps,
                    "revenue_wan": target["revenue_wan"],
                    "ties": ties,
                    "chain_ties": chain_ties,
                },
            }
        )
    ranked.sort(key=lambda t: (-t["fit"], -t["revenue_wan"], t["id"]))
    return ranked


def _thin(link: dict, share: float, strong_preds: list, strong_succs: list, eci: dict):
    """补链 or 延链 for a link with fewer than MIN_MAIN main enterprises."""
    names = {
        "strong_preds": strong_preds,
        "strong_succs": strong_succs,
    }
    have = {
        "main": link["main"],
        "min_main": MIN_MAIN,
        "support": max(0, link["enterprises"] - link["main"]),
        "output_wan": link["output_wan"],
        "share": share,
    }
    at_end = not link["preds"] or not link["succs"]
    if at_end and (strong_preds or strong_succs):
        kind = "extend"
        key = "extend_down" if strong_preds else "extend_up"
    else:
        kind, key = "fill", "fill"
    neighbour = len(strong_preds) + len(strong_succs)
    priority = 100 * (
        0.4 * sat(neighbour, 1) + 0.3 * eci.get("density", 0) + 0.3 * (1 - sat(link["main"], 1))
    )
    return kind, {"key": key, "params": have, "links": names}, priority


def _weak(link: dict, share: float, row: dict) -> tuple[dict, float] | None:
    """强链 for a link that has enterprises but at least two of three weak signs."""
    signs = []
    if share < WEAK_SHARE:
        signs.append({"key": "small_share", "share": share, "limit": WEAK_SHARE})
    if link["top_output_wan"] < LEADER_OUTPUT_WAN and link["listed"] == 0:
        signs.append({"key": "no_leader", "top_wan": link["top_output_wan"]})
    total = row["total"]
    if total is not None and total < WEAK_TOTAL:
        weakest = min(
            (d for d in DIMENSIONS if row["scores"][d]["score"] is not None),
            key=lambda d: row["scores"][d]["score"],
        )
        signs.append(
            {
                "key": "low_total",
                "total": total,
                "limit": WEAK_TOTAL,
                "weakest": weakest,
                "weakest_score": row["scores"][weakest]["score"],
            }
        )
    # One weak sign alone is common; 强链 needs at least two of the three.
    if len(signs) < 2:
        return None
    priority = 100 * (0.5 * (1 - min(1.0, share / WEAK_SHARE)) + 0.5 * (1 - (total or 0) / 100))
    params = {"main": link["main"], "output_wan": link["output_wan"], "signs": signs}
    return {"key": "strengthen", "params": params, "links": {}}, priority


def _finding(i: int, code: str, link_rows: dict, data: dict, ec: dict, strong: set[int]):
    links = data["links"]
    link = links[i]
    ids = data["chains"][code]["links"]
    chain_output = sum(links[j]["output_wan"] for j in ids)
    share = link["output_wan"] / chain_output if chain_output else 0.0
    eci = ec.get(i, {})
    strong_preds = [p for p in link["preds"] if p in strong]
    strong_succs = [s for s in link["succs"] if s in strong]
    if link["main"] < MIN_MAIN:
        kind, reason, priority = _thin(link, share, strong_preds, strong_succs, eci)
    else:
        weak = _weak(link, share, link_rows[i])
        if weak is None:
            return None
        kind = "strengthen"
        reason, priority = weak
    reason["links"] = {k: [links[n]["name"] for n in v] for k, v in reason["links"].items()}
    return {
        "kind": kind,
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
        "reason": reason,
        "priority": round(priority, 1),
    }


def find_gaps(code: str, link_rows: dict[int, dict], data: dict, ec: dict) -> list[dict]:
    """补链 / 强链 / 延链 findings for one chain, most urgent first, with their targets."""
    ids = data["chains"][code]["links"]
    strong = {
        i for i in ids if (link_rows[i]["scores"]["industry"]["score"] or 0) >= STRONG_INDUSTRY
    }
    findings = [f for i in ids if (f := _finding(i, code, link_rows, data, ec, strong))]
    gap_ids = {f["link_id"] for f in findings if f["kind"] in ("fill", "extend")}
    for finding in findings:
        finding["targets"] = rank_targets(finding["link_id"], set(ids), data, gap_ids)[:5]
    findings.sort(key=lambda f: (KIND_ORDER[f["kind"]], -f["priority"], f["link_id"]))
    return findings
