"""The chains demo: the taxonomy file, enterprises placed on links (synthetic,
deterministic), and synthetic target companies (招商目标). The report's chain figures are
quoted from wulian.core.seed (chains.figures), not stored.

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
from .models import Chain, EnterpriseLink, Link, LinkEdge, TargetCompany
from .services import refresh_link_stats
from .taxonomy import load_taxonomy, read_taxonomy

SEED = 20251127
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
# What a company filling each link calls itself, so a target's name fits the link it would
# fill (a fluorite miner for 萤石与氟资源, not a membrane maker).
LINK_WORDS = {
    "xcl": {
        "fluorite": "萤石矿业", "silicon": "硅业", "chloralkali": "氯碱化工", "ahf": "氟化学",
        "refrigerant": "制冷剂", "fluoropolymer": "氟塑料", "fluororubber": "氟橡胶",
        "silicone": "有机硅", "ehf": "电子化学", "egas": "特种气体", "wet_chem": "电子材料",
        "precursor": "锂电前驱体", "cathode": "锂电材料", "lipf6": "电解液",
        "fine_fluoro": "氟精细化工", "membrane": "膜科技", "semi_materials": "半导体材料",
        "ne_materials": "新能源材料",
    },
    "xny": {
        "li_materials": "锂电材料", "pv_silicon": "光伏科技", "power_semi": "功率半导体",
        "hydrogen": "氢能", "cell": "电池", "bms": "电池管理", "motor": "电机", "ecu": "电控",
        "pv_module": "光伏", "ess": "储能", "fuel_cell": "燃料电池", "generator": "风电装备",
        "nev": "新能源汽车", "ess_station": "储能电站", "charging": "充电科技",
        "pv_station": "光伏电力",
    },
    "jcdl": {
        "e_chem": "电子化学", "wafer": "硅材料", "target": "靶材", "equipment": "半导体装备",
        "design": "微电子", "fab": "集成电路", "packaging": "封测", "discrete": "半导体",
        "sensor": "传感", "optoelec": "光电", "display": "显示", "auto_elec": "汽车电子",
        "industrial_ctrl": "自动化", "consumer": "电子科技",
    },
    "gdzb": {
        "bearing": "轴承", "hydraulic": "液压", "cnc_system": "数控", "castings": "精密铸造",
        "servo": "传动", "machine_tool": "机床", "forming": "锻压机床", "robot": "机器人",
        "smart_equip": "智能装备", "switchgear": "电气", "auto_parts": "汽车部件",
        "integration": "重工", "smart_factory": "智能制造", "grid": "电力装备",
    },
    "smjk": {
        "intermediates": "医药化工", "api": "原料药", "excipient": "药用辅料",
        "bio_materials": "生物材料", "formulation": "制药", "biologics": "生物制药",
        "vaccine": "生物制品", "diagnostics": "诊断", "devices": "医疗器械",
        "health_food": "健康食品", "cro": "医药研发", "medical_service": "医疗管理",
        "elderly_care": "康养",
    },
    "tzz": {
        "wood_pulp": "浆业", "special_fiber": "特种纤维", "paper_chem": "造纸化学品",
        "decor_base": "装饰材料", "cig_paper": "卷烟材料", "capacitor_paper": "电容器纸",
        "thermal": "热敏材料", "medical_paper": "医用包装", "label_base": "标签材料",
        "xuan": "宣纸", "coated": "涂布纸业", "functional": "纸基材料", "packaging": "包装",
        "decor_board": "装饰板材",
    },
}  # fmt: skip
TARGET_BRANDS = list("瑞华拓远恒睿图灵启辰博联卓越中芯天合长风鼎新万象")
TARGETS_PER_CHAIN = 10


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
        words = LINK_WORDS.get(chain.code, {})
        for _i in range(TARGETS_PER_CHAIN):
            first = rng.choices(links, weights=weights)[0]
            while True:
                hq = rng.choice(TARGET_HQ)
                word = words.get(first.code, "科技")
                name = (
                    f"{hq}{rng.choice(TARGET_BRANDS)}{rng.choice(TARGET_BRANDS)}{word}股份有限公司"
                )
                if name not in names:
                    names.add(name)
                    break
            chosen = {first}
            # Some also make the next step up or down the chain (an integrated producer).
            adjacent = [link for link in links if link.pk in neighbours.get(first.pk, [])]
            if adjacent and rng.random() < 0.4:
                chosen.add(rng.choice(adjacent))
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
            f"供应关系 {created['edges']} 条、企业环节 {placed} 条、"
            f"招商目标 {targets} 家"
        )
        for warning in taxonomy.warnings:
            stdout.write(f"  提示：{warning}")
