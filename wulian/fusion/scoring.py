"""The five-dimension fusion scorecard (formulas: docs/fusion-scoring.md).

Pure Python over `dataset.load_dataset()`. Every score keeps the components behind it as
keys and numbers only; `wording` turns them into sentences in the reader's language when
they are read.
"""

from __future__ import annotations

from typing import Any

from .choices import Dimension

DIMENSIONS = [d.value for d in Dimension]
DIMENSION_LABELS = {d.value: d.label for d in Dimension}
# The stored layout of a chain's analysis (ChainScore.detail); a stored detail of another
# version is recomputed before it is read.
DETAIL_VERSION = 2

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


def sat(x: float, k: float) -> float:
    return x / (x + k) if x > 0 else 0.0


def component(key: str, value, part: float | None, weight: float, note: dict | None = None):
    """One measured part of a score: its key (label, unit and formula are looked up by key
    when read), the raw value, its 0–1 part (None: no data), weight and an optional note
    ({"key", "params"})."""
    return {
        "key": key,
        "value": value,
        "part": None if part is None else round(part, 4),
        "weight": weight,
        "note": note,
    }


def combine(components: list[dict]) -> float | None:
    present = [c for c in components if c["part"] is not None]
    weight = sum(c["weight"] for c in present)
    if not present or weight <= 0:
        return None
    return round(100 * sum(c["part"] * c["weight"] for c in present) / weight, 1)


def _industry(link: dict) -> list[dict]:
    leader = link["top_output_wan"] >= LEADER_OUTPUT_WAN or link["listed"] > 0
    return [
        component(
            "output", round(link["output_wan"], 1), sat(link["output_wan"], K["output_wan"]), 0.5
        ),
        component("main", link["main"], sat(link["main"], K["main"]), 0.3),
        component("leader", leader, 1.0 if leader else 0.0, 0.2),
    ]


def _innovation(link: dict) -> list[dict]:
    names = [p["name"] for p in link["platforms"][:5]]
    points = link["platform_points"]
    return [
        component(
            "platforms",
            points,
            sat(points, K["platform_points"]),
            0.6,
            {"key": "names", "params": {"names": names}} if names else None,
        ),
        component("rd", round(link["rd_wan"], 1), sat(link["rd_wan"], K["rd_wan"]), 0.4),
    ]


def _talent(link: dict) -> list[dict]:
    demand, supply = link["talent_demand"], link["talent_supply"]
    coverage = min(1.0, supply / demand) if demand else (1.0 if supply else 0.0)
    return [
        component("coverage", f"{supply}/{demand}", coverage, 0.6),
        component("supply", supply, sat(supply, K["talent_supply"]), 0.4),
    ]


def _capital(link: dict, data: dict) -> list[dict]:
    project_row = data["projects"].get(link["id"])
    planned = round(project_row["planned_wan"], 1) if project_row else 0.0
    funds = link["funds"][:3]
    return [
        component(
            "fund",
            round(link["fund_wan"], 1),
            sat(link["fund_wan"], K["fund_wan"]),
            0.35,
            {"key": "names", "params": {"names": funds}} if funds else None,
        ),
        component(
            "financing",
            round(link["financing_wan"], 1),
            sat(link["financing_wan"], K["financing_wan"]),
            0.25,
            {"key": "financings", "params": {"n": link["financings"]}},
        ),
        component("listed", link["listed"], sat(link["listed"], K["listed"]), 0.2),
        component(
            "projects",
            planned,
            sat(planned, K["planned_wan"]),
            0.2,
            {"key": "projects", "params": {"n": project_row["projects"] if project_row else 0}},
        ),
    ]


def _service(link: dict, data: dict) -> list[dict]:
    row = data["service"].get(link["id"]) or {}
    total, closed, on_time = row.get("total", 0), row.get("closed", 0), row.get("on_time", 0)
    satisfaction = row.get("satisfaction")
    none = None if total else {"key": "no_requests", "params": {}}
    return [
        component("closed", f"{closed}/{total}", closed / total if total else None, 0.4, none),
        component(
            "on_time", f"{on_time}/{closed}", on_time / closed if closed else None, 0.3, none
        ),
        component(
            "satisfaction",
            None if satisfaction is None else round(float(satisfaction), 2),
            None if satisfaction is None else float(satisfaction) / 5,
            0.3,
            none,
        ),
    ]


def score_link(link: dict, data: dict) -> dict[str, dict]:
    """The five dimension scores of one link, each with the components behind it."""
    groups = {
        "industry": _industry(link),
        "innovation": _innovation(link),
        "talent": _talent(link),
        "capital": _capital(link, data),
        "service": _service(link, data),
    }
    return {key: {"score": combine(comps), "components": comps} for key, comps in groups.items()}


def total_score(scores: dict[str, float | None], weights: dict[str, float]) -> float | None:
    present = {k: v for k, v in scores.items() if v is not None and weights.get(k, 0) > 0}
    weight = sum(weights[k] for k in present)
    if not weight:
        return None
    return round(sum(v * weights[k] for k, v in present.items()) / weight, 1)


def service_pooled(link_ids: list[int], data: dict) -> tuple[float | None, dict]:
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
    parts = [
        (part, weight)
        for part, weight, present in (
            (closed / total if total else 0, 0.4, total),
            (on_time / closed if closed else 0, 0.3, closed),
            (sat_sum / sat_n / 5 if sat_n else 0, 0.3, sat_n),
        )
        if present
    ]
    evidence = {
        "total": total,
        "closed": closed,
        "on_time": on_time,
        "satisfaction": round(sat_sum / sat_n, 2) if sat_n else None,
        "no_requests": not parts,
    }
    if not parts:
        return None, evidence
    weight = sum(w for _p, w in parts)
    return round(100 * sum(p * w for p, w in parts) / weight, 1), evidence


def link_row(link: dict, data: dict, weights: dict[str, float]) -> dict[str, Any]:
    """One link's facts, five scores with their components, and total."""
    scores = score_link(link, data)
    service_row = data["service"].get(link["id"]) or {}
    project_row = data["projects"].get(link["id"]) or {}
    return {
        "id": link["id"],
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


def chain_card(code: str, data: dict, weights: dict[str, float]) -> dict[str, Any]:
    """A chain's scores (each dimension the mean over its links, service pooled) and its
    links' rows; notes as keys, rendered when read."""
    chain, links = data["chains"][code], data["links"]
    ids = chain["links"]
    rows = {i: link_row(links[i], data, weights) for i in ids}
    dims: dict[str, float | None] = {}
    for d in ("industry", "innovation", "talent", "capital"):
        values = [v for v in (rows[i]["scores"][d]["score"] for i in ids) if v is not None]
        dims[d] = round(sum(values) / len(values), 1) if values else None
    dims["service"], service_evidence = service_pooled(ids, data)
    missing = []
    if not ids:
        missing.append("no_links")
    elif dims["service"] is None:
        missing.append("no_requests")
    return {
        "version": DETAIL_VERSION,
        "code": code,
        "name": chain["name"],
        "links": len(ids),
        "output_wan": round(sum(links[i]["output_wan"] for i in ids), 1),
        "enterprises_main": sum(links[i]["main"] for i in ids),
        "total": total_score(dims, weights) if ids else None,
        **{d: dims[d] for d in DIMENSIONS},
        "weights": weights,
        "service_evidence": service_evidence,
        "missing": missing,
        "is_synthetic": code in data.get("synthetic_chains", ()),
        "link_scores": [rows[i] for i in ids],
    }
