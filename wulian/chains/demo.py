"""The chains demo: the taxonomy file, the seed's real chain figures, enterprises placed on
links (synthetic, deterministic), and synthetic target companies (招商目标).

Placement: an enterprise of a chain's industry codes (enterprises.demo.CHAIN_INDUSTRY_CODES)
goes, as 主营, to one of the links that list its code, chosen with fixed weights; some also
serve a downstream link (配套), and battery-material makers serve the 新能源 chain as 配套.
A few links are kept empty or thin on purpose, so the gap analysis has something to find.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.enterprises.demo import CHAIN_INDUSTRY_CODES
from wulian.enterprises.models import Enterprise

from .choices import LinkRole
from .models import Chain, ChainFigure, EnterpriseLink, Link, LinkEdge, TargetCompany
from .services import refresh_link_stats
from .taxonomy import load_taxonomy, read_taxonomy

SEED = 20251127
SOURCE = "seed 000_658fbe51475c9fa3"
_S1 = "2024年六大产业链产值超2000亿元，占全市规上工业比重从2021年的49%提升至68.4%。"
_S2 = "其中新材料产业链2025年将突破千亿元，成为首个千亿元级产业集群。"
_S3 = "基金集群规模从不足150亿元增长到超过1000亿元。"
_S4 = "5年来，衢州的上市公司从6家增加到22家。"
# key, chain code (None = six chains), label, value, unit, year, qualifier, sentence, prelim.
FIGURES = [
    ("six_output", None, "六大产业链产值", "2000", "亿元", 2024, "超", _S1, False),
    ("six_share", None, "六大产业链占规上工业比重", "49", "%", 2021, "", _S1, False),
    ("six_share", None, "六大产业链占规上工业比重", "68.4", "%", 2024, "", _S1, False),
    ("xcl_output", "xcl", "新材料产业链产值", "1000", "亿元", 2025, "将突破", _S2, True),
    ("fund_cluster", None, "基金集群规模", "150", "亿元", 2020, "不足", _S3, False),
    ("fund_cluster", None, "基金集群规模", "1000", "亿元", 2025, "超过", _S3, False),
    ("listed_companies", None, "上市公司数量", "6", "家", 2020, "", _S4, False),
    ("listed_companies", None, "上市公司数量", "22", "家", 2025, "", _S4, False),
]

# Relative weights for choosing the main link among the links that share an industry code;
# the small ones make thin links on purpose (illustrative gaps).
LINK_WEIGHTS = {
    ("xcl", "membrane"): 0.06,
    ("xcl", "ne_materials"): 0.12,
    ("xcl", "egas"): 0.12,
    ("xcl", "chloralkali"): 0.5,
    ("xny", "charging"): 0.1,
    ("xny", "ess"): 0.6,
    ("jcdl", "fab"): 0.04,
    ("jcdl", "industrial_ctrl"): 0.15,
    ("gdzb", "robot"): 0.08,
    ("gdzb", "integration"): 0.1,
    ("smjk", "intermediates"): 1.6,
    ("tzz", "medical_paper"): 0.1,
    ("tzz", "special_fiber"): 0.12,
}
# Enterprises of these codes also serve another chain's link as 配套 (chain, link, share).
CROSS_CHAIN = {
    "C2669": ("xny", "li_materials", 0.5),
    "C2661": ("xny", "li_materials", 0.3),
    "C3985": ("jcdl", "e_chem", 0.4),
}
SUPPORT_SHARE = 0.18  # share of enterprises that also serve a downstream link

TARGET_HQ = ["上海", "深圳", "苏州", "杭州", "合肥", "南京", "宁波", "无锡", "成都", "武汉", "广州"]
TARGET_WORDS = {
    "xcl": ["氟材料", "电子材料", "膜科技", "新材料", "特气"],
    "xny": ["新能源", "储能", "氢能", "动力", "光伏"],
    "jcdl": ["微电子", "半导体", "芯科技", "集成电路", "传感"],
    "gdzb": ["智能装备", "机器人", "精机", "数控", "传动"],
    "smjk": ["生物医药", "医疗科技", "制药", "生命科学", "康养"],
    "tzz": ["特种纸业", "纸基材料", "新材料纸业", "包装科技", "纤维"],
}
TARGET_BRANDS = list("瑞华拓远恒睿图灵启辰博联卓越中芯天合长风鼎新万象")
TARGETS_PER_CHAIN = 10


def load_figures() -> int:
    """The seed's chain figures, as real data with their source sentence."""
    chains = {c.code: c for c in Chain.objects.all()}
    created = 0
    for order, (key, chain, label, value, unit, year, qual, sentence, prelim) in enumerate(
        FIGURES, start=1
    ):
        _figure, new = ChainFigure.objects.get_or_create(
            key=key,
            year=year,
            defaults={
                "chain": chains.get(chain) if chain else None,
                "label": label,
                "value": Decimal(value),
                "unit": unit,
                "qualifier": qual,
                "source": f"{SOURCE}：“{sentence}”",
                "is_preliminary": prelim,
                "sort": order,
            },
        )
        created += new
    return created


def place_enterprises(rng: random.Random) -> int:
    """Synthetic enterprises onto links by industry code (only when none are placed yet)."""
    if EnterpriseLink.objects.filter(enterprise__is_synthetic=True).exists():
        return 0
    links = list(Link.objects.select_related("chain").order_by("chain__sort", "sort", "id"))
    by_code: dict[tuple[str, str], list[Link]] = {}
    by_key = {(link.chain.code, link.code): link for link in links}
    for link in links:
        for code in filter(None, link.industry_codes.split(",")):
            by_code.setdefault((link.chain.code, code), []).append(link)
    successors: dict[int, list[int]] = {}
    for source_id, target_id in LinkEdge.objects.values_list("source_id", "target_id"):
        successors.setdefault(source_id, []).append(target_id)
    link_codes = {link.pk: {c for c in link.industry_codes.split(",") if c} for link in links}
    chain_of_code = {code: chain for chain, codes in CHAIN_INDUSTRY_CODES.items() for code in codes}
    enterprises = (
        Enterprise.objects.filter(is_synthetic=True, industry_code__in=list(chain_of_code))
        .order_by("uscc")
        .values_list("id", "industry_code")
    )
    rows: list[EnterpriseLink] = []
    for enterprise_id, code in enterprises:
        chain = chain_of_code[code]
        candidates = by_code.get((chain, code))
        if not candidates:
            continue
        weights = [LINK_WEIGHTS.get((chain, c.code), 1.0) for c in candidates]
        main = rng.choices(candidates, weights=weights)[0]
        rows.append(EnterpriseLink(enterprise_id=enterprise_id, link=main, role=LinkRole.MAIN))
        if rng.random() < SUPPORT_SHARE and successors.get(main.pk):
            # A downstream link not of the enterprise's own trade: it supplies it.
            options = [t for t in successors[main.pk] if code not in link_codes[t]]
            if options:
                target = rng.choice(sorted(options))
                rows.append(
                    EnterpriseLink(
                        enterprise_id=enterprise_id, link_id=target, role=LinkRole.SUPPORT
                    )
                )
        cross = CROSS_CHAIN.get(code)
        if cross and rng.random() < cross[2] and (cross[0], cross[1]) in by_key:
            rows.append(
                EnterpriseLink(
                    enterprise_id=enterprise_id,
                    link=by_key[(cross[0], cross[1])],
                    role=LinkRole.SUPPORT,
                )
            )
    EnterpriseLink.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def load_targets(rng: random.Random) -> int:
    """Synthetic outside companies, each able to fill one or two links of one chain."""
    if TargetCompany.objects.filter(is_synthetic=True).exists():
        return 0
    created = 0
    names: set[str] = set()
    for chain in Chain.objects.order_by("sort"):
        links = list(chain.links.select_related("stat").order_by("sort", "id"))
        if not links:
            continue
        # Thin links are what a city recruits for: weight them up.
        weights = [
            4.0 if not getattr(link, "stat", None) or link.stat.main_enterprises < 3 else 1.0
            for link in links
        ]
        neighbours: dict[int, list[int]] = {}
        for s, t in chain.edges.values_list("source_id", "target_id"):
            neighbours.setdefault(s, []).append(t)
            neighbours.setdefault(t, []).append(s)
        for _i in range(TARGETS_PER_CHAIN):
            while True:
                hq = rng.choice(TARGET_HQ)
                name = (
                    f"{hq}{rng.choice(TARGET_BRANDS)}{rng.choice(TARGET_BRANDS)}"
                    f"{rng.choice(TARGET_WORDS[chain.code])}股份有限公司"
                )
                if name not in names:
                    names.add(name)
                    break
            chosen = {rng.choices(links, weights=weights)[0]}
            if rng.random() < 0.4:
                chosen.add(rng.choice(links))
            target = TargetCompany.objects.create(
                name=name,
                headquarters=hq,
                revenue_wan=Decimal(int(rng.lognormvariate(12.2, 0.9))),
                note="演示用合成招商目标",
                is_synthetic=True,
            )
            target.links.set(chosen)
            near = {n for link in chosen for n in neighbours.get(link.pk, [])}
            partner_ids = list(
                EnterpriseLink.objects.filter(link_id__in=near, role=LinkRole.MAIN)
                .order_by("enterprise__uscc")
                .values_list("enterprise_id", flat=True)[:40]
            )
            if partner_ids:
                target.partners.set(
                    rng.sample(partner_ids, k=min(len(partner_ids), rng.randint(0, 3)))
                )
            created += 1
    return created


@transaction.atomic
def load(stdout=None) -> None:
    """Load the chains part of the demo (idempotent, deterministic)."""
    taxonomy = read_taxonomy()
    created = load_taxonomy(actor=None, taxonomy=taxonomy)
    figures = load_figures()
    rng = random.Random(SEED)
    placed = place_enterprises(rng)
    refresh_link_stats()
    targets = load_targets(random.Random(SEED + 1))
    if placed or targets:
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            instance=Chain.objects.first(),
            note=f"演示数据：企业环节 {placed} 条，招商目标 {targets} 家",
        )
    if stdout:
        stdout.write(
            f"chains: 新增产业链 {created['chains']} 条、环节 {created['links']} 个、"
            f"供应关系 {created['edges']} 条、数据 {figures} 项、企业环节 {placed} 条、"
            f"招商目标 {targets} 家"
        )
        for warning in taxonomy.warnings:
            stdout.write(f"  提示：{warning}")
