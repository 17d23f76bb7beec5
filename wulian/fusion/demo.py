"""The fusion demo: the seed's named platforms as real records (with their source sentence),
the rest synthetic: institutes, labs and R&D centres, talent demand and supply, funds and
financing events, and peer-city link output for the illustrative complexity analysis."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from wulian.chains.choices import LinkRole
from wulian.chains.models import EnterpriseLink, Link
from wulian.core import seed
from wulian.core.models import CITY_CODE, Region

from .choices import FinancingKind, PlatformKind, PlatformLevel, TalentLevel, TalentSupplyKind
from .models import (
    FinancingEvent,
    Fund,
    PeerLinkOutput,
    Platform,
    ScoreWeights,
    TalentDemand,
    TalentSupply,
)
from .services import refresh_scores

SEED = 20251128
SOURCE = seed.TITLE
_S_INST = (
    "近年来，衢州已先后落地浙江大学衢州研究院、电子科技大学长三角研究院、衢州复旦研究院等16家"
    "创新科研院所，实现了“一产业一研究院”“一县一研究院”的区域全覆盖。"
)
_S_PILOT = (
    "浙大衢州研究院高端化学品中试平台、巨化氟氯高性能合成树脂及特种单体中试平台入选工业和信息化部"
    "首批重点培育中试平台名单并成功创建国家级制造业中试平台，全国仅21个。"
)
LINK_NOTE = "（服务环节为演示设定）"
# name, kind, level, host, [chain/link], sentence
REAL_PLATFORMS = [
    (
        "浙江大学衢州研究院",
        PlatformKind.INSTITUTE,
        "",
        "浙江大学",
        ["xcl/fluoropolymer", "xcl/silicone", "xcl/fine_fluoro", "xcl/wet_chem"],
        _S_INST,
    ),
    (
        "电子科技大学长三角研究院",
        PlatformKind.INSTITUTE,
        "",
        "电子科技大学",
        ["jcdl/sensor", "jcdl/packaging", "jcdl/discrete", "xny/ecu"],
        _S_INST,
    ),
    (
        "衢州复旦研究院",
        PlatformKind.INSTITUTE,
        "",
        "复旦大学",
        ["xcl/membrane", "smjk/api", "smjk/formulation"],
        _S_INST,
    ),
    (
        "浙大衢州研究院高端化学品中试平台",
        PlatformKind.PILOT,
        PlatformLevel.NATIONAL,
        "浙江大学衢州研究院",
        ["xcl/fine_fluoro", "xcl/wet_chem", "xcl/ehf"],
        _S_PILOT,
    ),
    (
        "巨化氟氯高性能合成树脂及特种单体中试平台",
        PlatformKind.PILOT,
        PlatformLevel.NATIONAL,
        "巨化",
        ["xcl/fluoropolymer", "xcl/fluororubber", "xcl/refrigerant"],
        _S_PILOT,
    ),
]
# The other 13 of the seed's 16 institutes are synthetic: (name, [chain/link …]).
SYNTHETIC_INSTITUTES = [
    ("衢州锂电材料研究院", ["xcl/precursor", "xcl/cathode", "xcl/lipf6", "xny/cell"]),
    ("衢州氟硅新材料技术研究院", ["xcl/silicone", "xcl/fluororubber"]),
    ("衢州新能源装备研究院", ["xny/motor", "xny/generator", "xny/ess"]),
    ("衢州储能与氢能研究院", ["xny/ess", "xny/fuel_cell", "xny/ess_station"]),
    ("衢州光伏技术研究院", ["xny/pv_silicon", "xny/pv_module"]),
    ("衢州半导体材料研究院", ["jcdl/wafer", "xcl/semi_materials", "xcl/egas"]),
    ("衢州智能装备研究院", ["gdzb/smart_equip", "gdzb/robot", "gdzb/machine_tool"]),
    ("衢州精密轴承研究院", ["gdzb/bearing", "gdzb/hydraulic"]),
    ("衢州汽车零部件研究院", ["gdzb/auto_parts", "jcdl/auto_elec"]),
    ("衢州生物医药研究院", ["smjk/biologics", "smjk/vaccine", "smjk/api"]),
    ("衢州医疗器械研究院", ["smjk/devices", "smjk/diagnostics"]),
    ("衢州特种纸研究院", ["tzz/decor_base", "tzz/capacitor_paper", "tzz/thermal"]),
    ("衢州纸基功能材料研究院", ["tzz/functional", "tzz/label_base", "tzz/coated"]),
]
SYNTHETIC_LABS = 10
SYNTHETIC_RD_CENTRES = 24
POSITIONS = {
    "doctor": ["首席研究员", "材料研发工程师", "工艺研究员"],
    "master": ["研发工程师", "工艺工程师", "质量工程师"],
    "bachelor": ["生产技术员", "设备工程师", "销售工程师"],
    "skilled": ["操作工", "维修电工", "化工操作员", "数控技工"],
}
SUPPLY_SOURCES = {
    TalentSupplyKind.GRADUATES: [
        "衢州学院·化学工程与工艺",
        "衢州职业技术学院·机电一体化",
        "衢州学院·材料科学与工程",
        "衢州职业技术学院·药品生产技术",
        "衢州学院·电子信息工程",
    ],
    TalentSupplyKind.INTRODUCED: ["高层次人才引进计划", "“南孔精英”引才", "校地合作引才"],
    TalentSupplyKind.TRAINING: ["产业工人技能提升培训", "企业新型学徒制"],
}
# The fund sizes add up to 1036亿元: the seed's 基金集群 is “超过1000亿元”, not exactly 1000.
FUNDS = [
    ("衢州市产业发展基金", 3_360_000, None),
    ("衢州新材料产业基金", 1_500_000, "xcl"),
    ("衢州锂电新能源产业基金", 1_200_000, "xny"),
    ("衢州集成电路产业基金", 800_000, "jcdl"),
    ("衢州高端装备产业基金", 700_000, "gdzb"),
    ("衢州生命健康产业基金", 500_000, "smjk"),
    ("衢州特种纸产业基金", 300_000, "tzz"),
    ("衢州科创天使基金", 200_000, None),
    ("衢州上市公司并购基金", 1_000_000, None),
    ("衢州绿色低碳转型基金", 800_000, "xny"),
]
FINANCING_EVENTS = 480
PEER_YEAR = 2024


def _links() -> dict[str, Link]:
    return {f"{link.chain.code}/{link.code}": link for link in Link.objects.select_related("chain")}


def load_platforms(rng: random.Random, links: dict[str, Link]) -> int:
    created = 0
    for name, kind, level, host, served, sentence in REAL_PLATFORMS:
        platform, new = Platform.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "level": level,
                "host": host,
                "source": f"{SOURCE}：“{sentence}”{LINK_NOTE}",
                "is_synthetic": False,
            },
        )
        if new:
            platform.links.set([links[k] for k in served if k in links])
            created += 1
    if Platform.objects.filter(is_synthetic=True).exists():
        return created
    levels = [PlatformLevel.PROVINCIAL, PlatformLevel.CITY, PlatformLevel.CITY]
    for name, served in SYNTHETIC_INSTITUTES:
        platform = Platform.objects.create(
            name=name,
            kind=PlatformKind.INSTITUTE,
            level=rng.choice(levels),
            host="演示用合成",
            rd_spend_wan=Decimal(rng.randint(800, 6000)),
            is_synthetic=True,
        )
        platform.links.set([links[k] for k in served if k in links])
        created += 1
    # Labs and R&D centres sit with the biggest enterprises of a link.
    tops = list(
        EnterpriseLink.objects.filter(role=LinkRole.MAIN, enterprise__is_synthetic=True)
        .select_related("enterprise", "link")
        .order_by("-enterprise__output_wan", "enterprise__uscc")[:120]
    )
    picked = rng.sample(tops, k=min(len(tops), SYNTHETIC_LABS + SYNTHETIC_RD_CENTRES))
    for index, placed in enumerate(picked):
        lab = index < SYNTHETIC_LABS
        platform, new = Platform.objects.get_or_create(
            name=f"{placed.enterprise.name.removesuffix('有限公司').removesuffix('股份')}"
            + ("省级重点实验室" if lab else "企业研发中心"),
            defaults={
                "kind": PlatformKind.LAB if lab else PlatformKind.RD_CENTER,
                "level": PlatformLevel.PROVINCIAL
                if lab
                else rng.choice([PlatformLevel.PROVINCIAL, PlatformLevel.CITY]),
                "enterprise": placed.enterprise,
                "host": placed.enterprise.name,
                "rd_spend_wan": (placed.enterprise.output_wan or 0) * Decimal("0.03"),
                "is_synthetic": True,
            },
        )
        if new:
            platform.links.set([placed.link])
            created += 1
    return created


def load_talent(rng: random.Random) -> int:
    if TalentDemand.objects.filter(is_synthetic=True).exists():
        return 0
    demands, supplies = [], []
    placed = (
        EnterpriseLink.objects.filter(role=LinkRole.MAIN, enterprise__is_synthetic=True)
        .order_by("enterprise__uscc", "link_id")
        .values_list("enterprise_id", "link_id")
    )
    for enterprise_id, link_id in placed:
        if rng.random() < 0.35:
            level = rng.choice(["doctor", "master", "master", "bachelor", "skilled", "skilled"])
            demands.append(
                TalentDemand(
                    link_id=link_id,
                    enterprise_id=enterprise_id,
                    position=rng.choice(POSITIONS[level]),
                    count=rng.randint(1, 12 if level == "skilled" else 4),
                    level=level,
                    year=2025,
                    is_synthetic=True,
                )
            )
    # Supply: some links well supplied, some short (supply as a random share of demand).
    totals: dict[int, int] = {}
    for d in demands:
        totals[d.link_id] = totals.get(d.link_id, 0) + d.count
    for link_id in sorted(totals):
        share = rng.choice([0.2, 0.4, 0.6, 0.8, 1.0, 1.2])
        remaining = max(1, round(totals[link_id] * share))
        while remaining > 0:
            kind = rng.choice(list(SUPPLY_SOURCES))
            count = min(remaining, rng.randint(2, 15))
            supplies.append(
                TalentSupply(
                    link_id=link_id,
                    kind=kind,
                    source_name=rng.choice(SUPPLY_SOURCES[kind]),
                    count=count,
                    level=TalentLevel.SKILLED
                    if kind == TalentSupplyKind.TRAINING
                    else rng.choice([TalentLevel.BACHELOR, TalentLevel.MASTER, TalentLevel.DOCTOR]),
                    year=2025,
                    is_synthetic=True,
                )
            )
            remaining -= count
    TalentDemand.objects.bulk_create(demands, batch_size=1000)
    TalentSupply.objects.bulk_create(supplies, batch_size=1000)
    return len(demands) + len(supplies)


def load_capital(rng: random.Random, links: dict[str, Link]) -> int:
    if Fund.objects.filter(is_synthetic=True).exists():
        return 0
    by_chain: dict[str, list[Link]] = {}
    for key, link in links.items():
        by_chain.setdefault(key.split("/")[0], []).append(link)
    for chain_links in by_chain.values():
        chain_links.sort(key=lambda link: (link.sort, link.pk))
    all_links = sorted(links.values(), key=lambda link: link.pk)
    funds = []
    for name, size, chain in FUNDS:
        fund = Fund.objects.create(
            name=name,
            size_wan=Decimal(size),
            manager="演示用合成",
            founded_year=rng.randint(2019, 2024),
            is_synthetic=True,
        )
        pool = by_chain.get(chain, []) if chain else all_links
        fund.links.set(rng.sample(pool, k=min(len(pool), rng.randint(3, 7))))
        funds.append(fund)
    placed = list(
        EnterpriseLink.objects.filter(role=LinkRole.MAIN, enterprise__is_synthetic=True)
        .order_by("enterprise__uscc", "link_id")
        .values_list("enterprise_id", "link_id")
    )
    events = []
    for _i in range(FINANCING_EVENTS):
        enterprise_id, link_id = rng.choice(placed)
        kind = rng.choice(
            [FinancingKind.LOAN] * 5 + [FinancingKind.EQUITY] * 2 + [FinancingKind.BOND]
        )
        events.append(
            FinancingEvent(
                enterprise_id=enterprise_id,
                link_id=link_id,
                kind=kind,
                amount_wan=Decimal(int(rng.lognormvariate(7.5, 1.0))),
                date=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 650)),
                fund=rng.choice(funds) if kind == FinancingKind.EQUITY else None,
                is_synthetic=True,
            )
        )
    FinancingEvent.objects.bulk_create(events, batch_size=1000)
    return len(funds) + len(events)


def load_peers(rng: random.Random, links: dict[str, Link]) -> int:
    """Synthetic output of each link in the ten other cities (illustrative only).

    Each city gets a taste per chain and per segment; neighbouring links share it, so that
    proximity between links means something even in synthetic data.
    """
    if PeerLinkOutput.objects.filter(is_synthetic=True).exists():
        return 0
    peers = Region.objects.filter(is_peer_city=True).exclude(code=CITY_CODE).order_by("code")
    ordered = sorted(links.values(), key=lambda link: (link.chain_id, link.sort, link.pk))
    rows = []
    for city in peers:
        chain_taste = {link.chain_id: rng.lognormvariate(0, 1.0) for link in ordered}
        segment_taste = {s: rng.lognormvariate(0, 0.6) for s in ("up", "mid", "down")}
        for link in ordered:
            if rng.random() < 0.2:
                continue
            value = (
                200_000
                * chain_taste[link.chain_id]
                * segment_taste[link.segment]
                * rng.lognormvariate(0, 0.7)
            )
            rows.append(
                PeerLinkOutput(
                    region=city,
                    link=link,
                    output_wan=Decimal(int(value)),
                    year=PEER_YEAR,
                    is_synthetic=True,
                )
            )
    PeerLinkOutput.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def load(stdout=None) -> None:
    """Load the fusion part of the demo (idempotent, deterministic), then score the chains."""
    links = _links()
    rng = random.Random(SEED)
    platforms = load_platforms(rng, links)
    talent = load_talent(random.Random(SEED + 1))
    capital = load_capital(random.Random(SEED + 2), links)
    peers = load_peers(random.Random(SEED + 3), links)
    ScoreWeights.current()
    refresh_scores()
    if stdout:
        stdout.write(
            f"fusion: 新增创新平台 {platforms} 个、人才供需 {talent} 条、"
            f"基金与融资 {capital} 条、对标城市环节产值 {peers} 条；已计算融合评分"
        )
