"""A deterministic synthetic population of 15,000 enterprises for the Quzhou demo.

The seed says 全市规模以上企业达到15000多家 and 规上工业总产值 2024 迈上3000亿元台阶, with the six
chains at 68.4% of 规上工业. So: 15,000 规上 enterprises, of which the industrial ones' output
adds up to exactly 3000亿元 (30,000,000 万元) and the six chains' codes hold 68.4% of it; the
22 listed companies cover the six chains, the six counties and every board of the 沪深北
exchanges (the seed's “四个全覆盖”). The numbers are read from wulian.core.seed. Every record is
marked is_synthetic and shown with a 合成 badge. Same seed, same data, every run.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from wulian.core import audit, seed
from wulian.core.choices import AuditAction
from wulian.core.models import User
from wulian.core.validators import USCC_CHARSET, uscc_check_char

from .choices import ListingBoard
from .models import Enterprise

SEED = 20251126
TOTAL = int(seed.figure("above_scale_enterprises").value)  # 15000多家
INDUSTRIAL_OUTPUT_WAN = seed.figure("industrial_output", "2024").value * 10000  # 3000亿元
CHAIN_SHARE = seed.figure("chain_share", "2024").value / 100  # 68.4%

# GB/T 4754-2017 codes typical of each chain (used by the chains demo to place enterprises).
CHAIN_INDUSTRY_CODES = {
    "xcl": [
        "B1020",  # 化学矿开采: 萤石（氟石）
        "C3218",  # 硅冶炼: 工业硅
        "C2613",
        "C2614",
        "C2651",
        "C2652",
        "C2661",
        "C2662",
        "C2669",
        "C3985",
    ],
    "xny": ["C3841", "C3825", "C3811", "C3849", "C3824", "C3812"],
    "jcdl": ["C3973", "C3971", "C3972", "C3974", "C3976", "C3979"],
    "gdzb": ["C3451", "C3444", "C3421", "C3422", "C3823", "C3670", "C3491", "C3499"],
    "smjk": ["C2710", "C2720", "C2761", "C2762", "C3581", "C3589", "C1491"],
    "tzz": ["C2211", "C2221", "C2222", "C2223", "C2239"],
}
# Codes that are rarer than their chain's others: a few fluorite mines and silicon smelters.
CODE_WEIGHTS = {"B1020": 0.25, "C3218": 0.3}
# chain: (number of enterprises, share of the chains' output)
CHAIN_MIX = {
    "xcl": (520, Decimal("0.44")),
    "xny": (300, Decimal("0.21")),
    "jcdl": (160, Decimal("0.09")),
    "gdzb": (460, Decimal("0.13")),
    "smjk": (260, Decimal("0.06")),
    "tzz": (200, Decimal("0.07")),
}
OTHER_INDUSTRIAL_CODES = [
    "C3311",
    "C1713",
    "C2110",
    "C3021",
    "C1391",
    "C2439",
    "C3360",
    "D4411",
    "C2929",
    "C1524",
]
OTHER_INDUSTRIAL_COUNT = 1400
SERVICE_CODES = [
    "F5123",
    "F5212",
    "E4710",
    "E4813",
    "K7010",
    "L7212",
    "M7520",
    "G5431",
    "I6513",
    "H6210",
    "R8810",
    "N7721",
    "F5191",
    "L7221",
    "M7320",
]

COUNTY_WEIGHTS = [
    ("330802", 22),
    ("330803", 20),
    ("330881", 18),
    ("330825", 17),
    ("330822", 12),
    ("330824", 11),
]
COUNTY_SHORT = {
    "330802": "柯城",
    "330803": "衢江",
    "330881": "江山",
    "330825": "龙游",
    "330822": "常山",
    "330824": "开化",
}
BRANDS = list(
    "华鑫宏达恒信博瑞天盛东方金源永盛新越嘉禾中科远航汇丰明德正泰联创凯旋锦程振兴"
    "润和安康启明星辰晨光衢江钱塘"
)
INDUSTRY_WORDS = {
    "B10": "矿业",
    "C32": "硅业",
    "C26": "化工",
    "C39": "电子",
    "C38": "新能源",
    "C34": "机械",
    "C35": "装备",
    "C36": "汽车部件",
    "C27": "药业",
    "C22": "纸业",
    "C33": "金属制品",
    "C13": "食品",
    "C17": "纺织",
    "C21": "家居",
    "C30": "建材",
    "C29": "塑胶",
    "C14": "生物科技",
    "C15": "酒业",
    "C24": "工艺品",
    "D44": "电力",
    "F51": "贸易",
    "F52": "商贸",
    "E47": "建设",
    "E48": "建工",
    "K70": "置业",
    "L72": "企业管理",
    "M75": "科技",
    "G54": "物流",
    "I65": "信息技术",
    "H62": "餐饮管理",
    "R88": "文化传媒",
    "N77": "环境",
    "M73": "研究",
}
SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "科技有限公司"]
LISTED_COUNT = int(seed.figure("listed_companies").value)  # 上市公司从6家增加到22家
# 沪深北交易所、交易所各板块 (Hong Kong and overseas listings are not among them)
LISTING_BOARDS = [
    ListingBoard.SH_MAIN,
    ListingBoard.STAR,
    ListingBoard.SZ_MAIN,
    ListingBoard.CHINEXT,
    ListingBoard.BSE,
]
CHAIN_OF_CODE = {code: chain for chain, codes in CHAIN_INDUSTRY_CODES.items() for code in codes}


def _uscc(rng: random.Random, region_code: str) -> str:
    body = "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    first17 = "91" + region_code + body
    return first17 + uscc_check_char(first17)


def _spread(total: Decimal, count: int, rng: random.Random) -> list[Decimal]:
    """Split `total` into `count` skewed (log-normal) amounts that add up exactly."""
    weights = [rng.lognormvariate(0, 1.4) for _ in range(count)]
    scale = total / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale).quantize(Decimal("0.01")) for w in weights]
    amounts[max(range(count), key=lambda i: amounts[i])] += total - sum(amounts)
    return amounts


def generate() -> list[dict]:
    """The synthetic population as field dicts (deterministic)."""
    rng = random.Random(SEED)
    counties = [c for c, w in COUNTY_WEIGHTS for _ in range(w)]
    chain_total = (INDUSTRIAL_OUTPUT_WAN * CHAIN_SHARE).quantize(Decimal("0.01"))
    plan: list[tuple[str, Decimal | None]] = []
    for chain, (count, share) in CHAIN_MIX.items():
        amounts = _spread((chain_total * share).quantize(Decimal("0.01")), count, rng)
        codes = CHAIN_INDUSTRY_CODES[chain]
        weights = [CODE_WEIGHTS.get(code, 1.0) for code in codes]
        plan += [(rng.choices(codes, weights)[0], a) for a in amounts]
    # Rounding of the shares is absorbed by the other industries so the total is exact.
    rest = INDUSTRIAL_OUTPUT_WAN - sum(a for _c, a in plan)
    plan += [
        (rng.choice(OTHER_INDUSTRIAL_CODES), a) for a in _spread(rest, OTHER_INDUSTRIAL_COUNT, rng)
    ]
    plan += [(rng.choice(SERVICE_CODES), None) for _ in range(TOTAL - len(plan))]

    seen_names: set[str] = set()
    seen_codes: set[str] = set()
    rows = []
    for code, output in plan:
        region = rng.choice(counties)
        uscc = _uscc(rng, region)
        while uscc in seen_codes:
            uscc = _uscc(rng, region)
        seen_codes.add(uscc)
        word = INDUSTRY_WORDS.get(code[:3], "实业")
        while True:
            prefix = rng.choice(["衢州", "浙江", COUNTY_SHORT[region]])
            name = f"{prefix}{rng.choice(BRANDS)}{rng.choice(BRANDS)}{word}{rng.choice(SUFFIXES)}"
            if name not in seen_names:
                break
        seen_names.add(name)
        industrial = output is not None
        employees = (
            max(20, int(float(output) / rng.uniform(80, 200)))
            if industrial
            else rng.randint(10, 400)
        )
        rows.append(
            {
                "uscc": uscc,
                "name": name,
                "region_id": region,
                "industry_code": code,
                "is_above_scale": True,
                "is_listed": False,
                "listing_board": "",
                "founded_on": dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 12500)),
                "output_wan": output,
                "tax_wan": (output * Decimal(str(rng.uniform(0.02, 0.06)))).quantize(
                    Decimal("0.01")
                )
                if industrial
                else Decimal(rng.randint(20, 3000)),
                "employees": employees,
                "is_synthetic": True,
            }
        )
    for i, row in enumerate(listed_rows(rows)):
        row["is_listed"] = True
        row["listing_board"] = LISTING_BOARDS[i % len(LISTING_BOARDS)]
    return rows


def listed_rows(rows: list[dict]) -> list[dict]:
    """The listed companies: the largest of each chain and of each county first (四个全覆盖:
    every chain, every county), then the largest remaining industrial ones up to 22."""
    industrial = sorted(
        (r for r in rows if r["output_wan"] is not None), key=lambda r: -r["output_wan"]
    )
    chosen: list[dict] = []
    for chain in CHAIN_INDUSTRY_CODES:
        chosen.append(next(r for r in industrial if CHAIN_OF_CODE.get(r["industry_code"]) == chain))
    for county, _weight in COUNTY_WEIGHTS:
        if not any(r["region_id"] == county for r in chosen):
            chosen.append(next(r for r in industrial if r["region_id"] == county))
    for row in industrial:
        if len(chosen) >= LISTED_COUNT:
            break
        if row not in chosen:
            chosen.append(row)
    return chosen


@transaction.atomic
def load(stdout=None) -> None:
    rows = generate()
    existing = set(Enterprise.objects.filter(is_synthetic=True).values_list("uscc", flat=True))
    new = [Enterprise(**row) for row in rows if row["uscc"] not in existing]
    Enterprise.objects.bulk_create(new, batch_size=1000)
    audit.record_many(
        actor=None,
        changes=[(AuditAction.CREATE, e, None, audit.snapshot(e)) for e in new],
        note="演示数据生成",
    )
    # ent_demo represents the first synthetic 新材料 enterprise.
    demo_user = User.objects.filter(username="ent_demo").first()
    if demo_user is not None:
        first = Enterprise.objects.get(uscc=rows[0]["uscc"])
        first.accounts.add(demo_user)
    if stdout:
        stdout.write(f"enterprises: 新增合成企业 {len(new)} 家（共 {len(rows)} 家）")
    from . import demo_profile

    demo_profile.load(stdout=stdout)
