"""Everything the fusion scorecard and the gap analysis read, in about a dozen grouped queries.

`load_dataset()` returns plain dicts (chains, links with their facts, service and project
summaries per link, the peer cities' link output, target companies); scoring and gaps are
pure Python over it, so tests and the benchmark can check them on hand-built data.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum

from wulian.chains.models import Chain, EnterpriseLink, Link, LinkEdge, TargetCompany
from wulian.core.models import CITY_CODE
from wulian.investment import stats as investment_stats
from wulian.service import stats as service_stats

from .models import (
    LEVEL_POINTS,
    FinancingEvent,
    Fund,
    PeerLinkOutput,
    Platform,
    TalentDemand,
    TalentSupply,
)

LINK_FIELDS = (
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
)


def _chains_and_links() -> tuple[dict[str, dict], dict[int, dict]]:
    """The chains in order with their link ids, and each link's facts from LinkStat."""
    chains = {
        code: {"id": pk, "code": code, "name": name, "links": []}
        for pk, code, name in Chain.objects.order_by("sort", "code").values_list(
            "id", "code", "name"
        )
    }
    chain_code = {c["id"]: code for code, c in chains.items()}
    links: dict[int, dict[str, Any]] = {}
    for row in Link.objects.order_by("chain__sort", "sort", "id").values(*LINK_FIELDS):
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
    return chains, links


def _add_platforms(links: dict[int, dict]) -> None:
    """Platform points per link; a platform's R&D spend is shared among the links it serves."""
    rows = list(
        Platform.links.through.objects.values_list(
            "link_id", "platform_id", "platform__name", "platform__level", "platform__rd_spend_wan"
        )
    )
    served: dict[int, int] = defaultdict(int)
    for _link, pid, *_rest in rows:
        served[pid] += 1
    for link_id, pid, name, level, rd in rows:
        link = links[link_id]
        link["platforms"].append({"name": name, "level": level})
        link["platform_points"] += LEVEL_POINTS.get(level, 1)
        link["rd_wan"] += float(rd or 0) / served[pid]


def _add_talent_and_capital(links: dict[int, dict]) -> None:
    """Talent demand and supply, fund size (shared among a fund's links) and financing."""
    for model, key in ((TalentDemand, "talent_demand"), (TalentSupply, "talent_supply")):
        for link_id, n in (
            model.objects.values("link_id").annotate(n=Sum("count")).values_list("link_id", "n")
        ):
            links[link_id][key] = n or 0
    fund_rows = list(
        Fund.links.through.objects.values_list("link_id", "fund_id", "fund__name", "fund__size_wan")
    )
    invested: dict[int, int] = defaultdict(int)
    for _link, fid, *_rest in fund_rows:
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


def _peers() -> dict[str, dict[int, float]]:
    """The other cities' output per link (the complexity matrix; synthetic in the demo)."""
    peers: dict[str, dict[int, float]] = defaultdict(dict)
    for region, link_id, output in PeerLinkOutput.objects.exclude(region_id=CITY_CODE).values_list(
        "region_id", "link_id", "output_wan"
    ):
        peers[region][link_id] = float(output)
    return dict(peers)


def _targets() -> dict[int, dict[str, Any]]:
    """Target companies with the links they could fill and their local partners' links."""
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
    return targets


def _synthetic_chains() -> set[str]:
    """Chains whose scores rest on synthetic records (enterprises on their links, platforms,
    talent, funds, financing): their scores are illustrative."""
    codes: set[str] = set()
    for query in (
        EnterpriseLink.objects.filter(enterprise__is_synthetic=True),
        Platform.links.through.objects.filter(platform__is_synthetic=True),
        TalentDemand.objects.filter(is_synthetic=True),
        TalentSupply.objects.filter(is_synthetic=True),
        Fund.links.through.objects.filter(fund__is_synthetic=True),
        FinancingEvent.objects.filter(is_synthetic=True, link__isnull=False),
    ):
        codes.update(query.values_list("link__chain__code", flat=True).distinct())
    return codes


def load_dataset() -> dict[str, Any]:
    """Everything the analysis needs, read with grouped queries (no per-link queries)."""
    chains, links = _chains_and_links()
    _add_platforms(links)
    _add_talent_and_capital(links)
    return {
        "chains": chains,
        "links": links,
        "service": service_stats.link_service_summary(),
        "projects": investment_stats.link_project_summary(),
        "peers": _peers(),
        "targets": _targets(),
        "synthetic_chains": _synthetic_chains(),
    }
