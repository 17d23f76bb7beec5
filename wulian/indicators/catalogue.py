"""The indicator catalogue Quzhou starts with, and every figure the seed report publishes.

Each published figure loads as real data with the sentence it came from as its source;
预计 values are marked preliminary and qualifiers (多, 超, 不足, 迈上) are kept.
"""

from __future__ import annotations

from .choices import Category as C
from .choices import Direction as D
from .choices import Frequency as F
from .choices import Qualifier as Q
from .choices import RankBasis as R

SEED_NAME = "《衢州之进 共富之景》"

# code, name, unit, frequency, direction, category, department, extra
INDICATORS: list[tuple] = [
    ("gdp", "地区生产总值", "亿元", F.YEAR, D.HIGHER, C.ECONOMY, "tjj", {"headline": True}),
    (
        "industrial_output",
        "规上工业总产值",
        "亿元",
        F.MONTH,
        D.HIGHER,
        C.INDUSTRY,
        "jxj",
        {"headline": True},
    ),
    (
        "chain_output",
        "六大产业链产值",
        "亿元",
        F.YEAR,
        D.HIGHER,
        C.INDUSTRY,
        "jxj",
        {"part_of": "industrial_output"},
    ),
    (
        "chain_share",
        "六大产业链占规上工业比重",
        "%",
        F.YEAR,
        D.HIGHER,
        C.INDUSTRY,
        "jxj",
        {
            "formula": ("chain_output", "industrial_output", 100),
            "min": 0,
            "max": 100,
            "headline": True,
        },
    ),
    (
        "xcl_output",
        "新材料产业链产值",
        "亿元",
        F.YEAR,
        D.HIGHER,
        C.INDUSTRY,
        "jxj",
        {"part_of": "chain_output"},
    ),
    (
        "major_projects",
        "百亿级制造业项目（“十四五”累计）",
        "个",
        F.YEAR,
        D.HIGHER,
        C.INDUSTRY,
        "fgw",
        {},
    ),
    (
        "mfg_investment",
        "制造业投资（“十四五”累计）",
        "亿元",
        F.YEAR,
        D.HIGHER,
        C.INDUSTRY,
        "fgw",
        {},
    ),
    ("above_scale_enterprises", "规模以上企业数", "家", F.YEAR, D.HIGHER, C.CAPITAL, "scjg", {}),
    (
        "new_chain_share",
        "新增企业中产业链上下游项目占比",
        "%",
        F.YEAR,
        D.HIGHER,
        C.INDUSTRY,
        "jxj",
        {"min": 0, "max": 100},
    ),
    (
        "listed_companies",
        "上市公司数",
        "家",
        F.YEAR,
        D.HIGHER,
        C.CAPITAL,
        "jrb",
        {"headline": True},
    ),
    ("fund_cluster", "基金集群规模", "亿元", F.YEAR, D.HIGHER, C.CAPITAL, "jrb", {}),
    (
        "rd_intensity",
        "全社会R&D经费投入强度",
        "%",
        F.YEAR,
        D.HIGHER,
        C.INNOVATION,
        "kjj",
        {"min": 0, "max": 100},
    ),
    (
        "innovation_rank",
        "全国城市创新能力百强榜位次",
        "位",
        F.YEAR,
        D.LOWER,
        C.INNOVATION,
        "kjj",
        {},
    ),
    ("talent_rank", "全国最具人才吸引力城市位次", "位", F.YEAR, D.LOWER, C.INNOVATION, "rsj", {}),
    ("research_institutes", "落地创新科研院所", "家", F.YEAR, D.HIGHER, C.INNOVATION, "kjj", {}),
    ("trade", "外贸进出口总额", "亿元", F.YEAR, D.HIGHER, C.OPENNESS, "swj", {"headline": True}),
    (
        "exports",
        "外贸出口额",
        "亿元",
        F.YEAR,
        D.HIGHER,
        C.OPENNESS,
        "swj",
        {"part_of": "trade", "headline": True},
    ),
    ("port_cargo_growth", "港口货物吞吐量同比增速", "%", F.MONTH, D.HIGHER, C.OPENNESS, "fgw", {}),
    ("airport_passengers", "机场旅客吞吐量", "万人次", F.YEAR, D.HIGHER, C.OPENNESS, "fgw", {}),
    (
        "airport_passenger_growth",
        "机场旅客吞吐量同比增速",
        "%",
        F.YEAR,
        D.HIGHER,
        C.OPENNESS,
        "fgw",
        {},
    ),
    (
        "tourists",
        "全域旅游游客人次",
        "万人次",
        F.YEAR,
        D.HIGHER,
        C.CULTURE,
        "swj",
        {"headline": True},
    ),
    ("tourism_revenue", "全域旅游总收入", "亿元", F.YEAR, D.HIGHER, C.CULTURE, "swj", {}),
    (
        "old_city_visitors",
        "衢州古城文化旅游区游客人数",
        "万人次",
        F.MONTH,
        D.HIGHER,
        C.CULTURE,
        "swj",
        {},
    ),
    ("safe_city_streak", "平安市考核连冠次数", "次", F.YEAR, D.HIGHER, C.CULTURE, "fgw", {}),
    (
        "income_ratio",
        "城乡居民收入倍差",
        "倍",
        F.YEAR,
        D.LOWER,
        C.PROSPERITY,
        "tjj",
        {"headline": True, "prosperity": True},
    ),
    ("urban_income", "城镇居民人均可支配收入", "元", F.YEAR, D.HIGHER, C.PROSPERITY, "tjj", {}),
    ("rural_income", "农村居民人均可支配收入", "元", F.YEAR, D.HIGHER, C.PROSPERITY, "tjj", {}),
    (
        "income_ratio_calc",
        "城乡居民收入倍差（测算）",
        "倍",
        F.YEAR,
        D.LOWER,
        C.PROSPERITY,
        "tjj",
        {"formula": ("urban_income", "rural_income", 1)},
    ),
    (
        "urbanization",
        "常住人口城镇化率",
        "%",
        F.YEAR,
        D.HIGHER,
        C.PROSPERITY,
        "fgw",
        {"min": 0, "max": 100, "prosperity": True},
    ),
    (
        "income_growth_rank",
        "全体居民收入年均增幅全省位次",
        "位",
        F.YEAR,
        D.LOWER,
        C.PROSPERITY,
        "tjj",
        {"prosperity": True},
    ),
    (
        "urbanization_growth_rank",
        "常住人口城镇化率增幅全省位次",
        "位",
        F.YEAR,
        D.LOWER,
        C.PROSPERITY,
        "fgw",
        {"prosperity": True},
    ),
    (
        "regional_gap",
        "县域人均GDP最高最低倍差（地区差距）",
        "倍",
        F.YEAR,
        D.LOWER,
        C.PROSPERITY,
        "fgw",
        {"prosperity": True},
    ),
    (
        "income_gap",
        "高低收入组人均收入倍差（收入差距）",
        "倍",
        F.YEAR,
        D.LOWER,
        C.PROSPERITY,
        "tjj",
        {"prosperity": True},
    ),
    (
        "relocation_people",
        "共富搬迁人数（2023年以来累计）",
        "万人",
        F.YEAR,
        D.HIGHER,
        C.PROSPERITY,
        "fgw",
        {"prosperity": True},
    ),
    (
        "relocation_villages",
        "自然村整村搬迁（2023年以来累计）",
        "个",
        F.YEAR,
        D.HIGHER,
        C.PROSPERITY,
        "fgw",
        {"prosperity": True},
    ),
    (
        "worker_citizenization",
        "产业工人市民化（2023年以来累计）",
        "万人",
        F.YEAR,
        D.HIGHER,
        C.PROSPERITY,
        "rsj",
        {"prosperity": True},
    ),
    (
        "workers_settled",
        "推动产业工人在衢安居就业（2024年以来）",
        "万人",
        F.YEAR,
        D.HIGHER,
        C.PROSPERITY,
        "rsj",
        {"prosperity": True},
    ),
]

# The sentences of the seed the figures come from.
S_GDP = "预计2025年全市生产总值将达到2400亿元，和2020年的1600多亿元相比，增长近800亿元。"
S_IND = (
    "规上工业总产值去年迈上3000亿元台阶，其中新材料产业链2025年将突破千亿元，"
    "成为首个千亿元级产业集群。"
)
S_CHAIN = "2024年六大产业链产值超2000亿元，占全市规上工业比重从2021年的49%提升至68.4%。"
S_PROJ = (
    "“十四五”以来，成功引进吉利“三电”、先导传感器等百亿级制造业项目15个，"
    "累计完成制造业投资超1500亿元。"
)
S_RANK = "列全国城市创新能力百强榜第58位，全国最具人才吸引力城市第49位。"
S_INST = (
    "近年来，衢州已先后落地浙江大学衢州研究院、电子科技大学长三角研究院、"
    "衢州复旦研究院等16家创新科研院所"
)
S_LIST = "5年来，衢州的上市公司从6家增加到22家"
S_FUND = "基金集群规模从不足150亿元增长到超过1000亿元。"
S_ENT = "目前，全市规模以上企业达到15000多家，新增企业中八成以上是产业链上下游“高大上”项目。"
S_PORT = "今年1至11月，港口货物吞吐量同比增长17.4%"
S_AIR = "去年，衢州机场旅客吞吐量突破百万大关，今年衢州机场旅客吞吐量同比再增7.2%。"
S_TRADE = "“十四五”以来，衢州外贸进出口总额从2020年的358.4亿元增长到2024年的785.6亿元，总额翻番。"
S_EXP = "去年，衢州的外贸出口额达539亿元，同比增长18.7%，增速位列全省第一，展现出强劲活力。"
S_OLD = "截至今年11月，衢州古城文化旅游区的游客人数已突破1600万人次，创历史新高。"
S_TOUR = (
    "据统计，2024年，衢州接待全域旅游游客3932.4万人次，全域旅游总收入429亿元，"
    "同比分别增长16.6%和17.7%，增速双双居于全省首位。"
)
S_GAP = (
    "2023年以来累计完成共富搬迁9.5万人、自然村整村搬迁405个、产业工人市民化2.2万人；"
    "全体居民收入年均增幅全省第一、常住人口城镇化率增幅全省第二，"
    "城乡居民收入倍差缩小至1.76"
)
S_WORK = "2024年至今，共推动2万名产业工人在衢安居就业"
S_SAFE = "平安衢州建设实现“十九连冠”。"

# code, period, cumulative, value, qualifier, source, extra
# extra: preliminary, yoy, rank (published rank, basis), note
SEED_FIGURES: list[tuple] = [
    ("gdp", "2020", False, "1600", Q.MORE, S_GDP, {}),
    ("gdp", "2025", False, "2400", Q.EXACT, S_GDP, {"preliminary": True}),
    ("industrial_output", "2024", False, "3000", Q.AT_LEAST, S_IND, {}),
    ("xcl_output", "2025", False, "1000", Q.OVER, S_IND, {"preliminary": True}),
    ("chain_output", "2024", False, "2000", Q.OVER, S_CHAIN, {}),
    ("chain_share", "2021", False, "49", Q.EXACT, S_CHAIN, {}),
    ("chain_share", "2024", False, "68.4", Q.EXACT, S_CHAIN, {}),
    (
        "major_projects",
        "2025",
        False,
        "15",
        Q.EXACT,
        S_PROJ,
        {"note": "“十四五”以来累计（2021年至报道时）"},
    ),
    (
        "mfg_investment",
        "2025",
        False,
        "1500",
        Q.OVER,
        S_PROJ,
        {"note": "“十四五”以来累计（2021年至报道时）"},
    ),
    ("innovation_rank", "2024", False, "58", Q.EXACT, S_RANK, {}),
    ("talent_rank", "2024", False, "49", Q.EXACT, S_RANK, {}),
    ("research_institutes", "2025", False, "16", Q.EXACT, S_INST, {"note": "截至报道时累计"}),
    ("listed_companies", "2020", False, "6", Q.EXACT, S_LIST, {}),
    ("listed_companies", "2025", False, "22", Q.EXACT, S_LIST, {"note": "截至报道时"}),
    ("fund_cluster", "2020", False, "150", Q.UNDER, S_FUND, {}),
    ("fund_cluster", "2025", False, "1000", Q.OVER, S_FUND, {"note": "截至报道时"}),
    ("above_scale_enterprises", "2025", False, "15000", Q.MORE, S_ENT, {"note": "截至报道时"}),
    ("new_chain_share", "2025", False, "80", Q.OVER, S_ENT, {"note": "原文“八成以上”"}),
    ("port_cargo_growth", "2025-11", True, "17.4", Q.EXACT, S_PORT, {}),
    ("airport_passengers", "2024", False, "100", Q.OVER, S_AIR, {"note": "原文“突破百万大关”"}),
    (
        "airport_passenger_growth",
        "2025",
        False,
        "7.2",
        Q.EXACT,
        S_AIR,
        {"preliminary": True, "note": "2025年截至报道时的累计同比"},
    ),
    ("trade", "2020", False, "358.4", Q.EXACT, S_TRADE, {}),
    ("trade", "2024", False, "785.6", Q.EXACT, S_TRADE, {}),
    ("exports", "2024", False, "539", Q.EXACT, S_EXP, {"yoy": "18.7", "rank": (1, R.GROWTH)}),
    ("old_city_visitors", "2025-11", True, "1600", Q.OVER, S_OLD, {}),
    ("tourists", "2024", False, "3932.4", Q.EXACT, S_TOUR, {"yoy": "16.6", "rank": (1, R.GROWTH)}),
    (
        "tourism_revenue",
        "2024",
        False,
        "429",
        Q.EXACT,
        S_TOUR,
        {"yoy": "17.7", "rank": (1, R.GROWTH)},
    ),
    ("relocation_people", "2025", False, "9.5", Q.EXACT, S_GAP, {"note": "2023年以来累计"}),
    ("relocation_villages", "2025", False, "405", Q.EXACT, S_GAP, {"note": "2023年以来累计"}),
    ("worker_citizenization", "2025", False, "2.2", Q.EXACT, S_GAP, {"note": "2023年以来累计"}),
    (
        "income_growth_rank",
        "2024",
        False,
        "1",
        Q.EXACT,
        S_GAP,
        {"note": "原文未注明年份，按最新年度统计（2024年）记"},
    ),
    (
        "urbanization_growth_rank",
        "2024",
        False,
        "2",
        Q.EXACT,
        S_GAP,
        {"note": "原文未注明年份，按最新年度统计（2024年）记"},
    ),
    (
        "income_ratio",
        "2024",
        False,
        "1.76",
        Q.EXACT,
        S_GAP,
        {"note": "原文“缩小至1.76”，未注明年份，按最新年度统计（2024年）记"},
    ),
    ("workers_settled", "2025", False, "2", Q.EXACT, S_WORK, {"note": "2024年至报道时"}),
    ("safe_city_streak", "2025", False, "19", Q.EXACT, S_SAFE, {}),
]
