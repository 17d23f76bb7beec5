"""The seed report, 《衢州之进 共富之景》: the one place its published figures are written.

Every module reads the report's numbers from here: the indicators load them as real
observations (the only database copy), the chain, investment and fusion pages quote them, and
the synthetic demo data is generated to agree with them (15,000 规上 enterprises whose
industrial output adds up to 3000亿元, 68.4% of it in the six chains, 22 listed companies, 16
institutes). `wulian/core/tests/test_seed_figures.py` cross-checks every path.

Qualifiers keep how exact a figure is (1600多 is not 1600): "" exact, "more" 多, "over" 超,
"at_least" 迈上, "under" 不足, "nearly" 近 — the values of `indicators.choices.Qualifier`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

TITLE = "《衢州之进 共富之景》"

# The sentences the figures come from, as the report words them.
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
S_LIST = (
    "5年来，衢州的上市公司从6家增加到22家，上市公司在六个县(市、区)、沪深北交易所、"
    "交易所各板块、六大标志性产业链“四个全覆盖”。"
)
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

# How a qualified number reads (%(n)s is the number), in the reader's language.
_QUALIFIED = {
    "more": gettext_lazy("%(n)s多"),
    "over": gettext_lazy("超%(n)s"),
    "at_least": gettext_lazy("迈上%(n)s"),
    "under": gettext_lazy("不足%(n)s"),
    "nearly": gettext_lazy("近%(n)s"),
}
UNDATED = "原文未注明年份，按最新年度统计（2024年）记"
SINCE_2021 = "“十四五”以来累计（2021年至报道时）"


def cite(sentence: str) -> str:
    """A source label as readers know it: the report's title and the sentence."""
    return f"{TITLE}：{sentence}"


@dataclass(frozen=True)
class SeedFigure:
    """One figure the report publishes, keyed by the indicator code it belongs to."""

    code: str
    period: str
    value: Decimal
    unit: str
    label: str
    sentence: str
    qualifier: str = ""
    cumulative: bool = False
    preliminary: bool = False
    yoy: Decimal | None = None
    rank: int | None = None
    rank_basis: str = ""
    note: str = ""
    examples: str = ""

    @property
    def source(self) -> str:
        return cite(self.sentence)

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def display(self) -> str:
        """The value as the report words it: 超1000, 1600多, 不足150 (no trailing .0)."""
        number = f"{self.value.normalize():f}"
        pattern = _QUALIFIED.get(self.qualifier)
        return str(pattern) % {"n": number} if pattern else number


def _f(code, period, value, unit, label, sentence, qualifier="", **extra) -> SeedFigure:
    for key in ("yoy",):
        if key in extra:
            extra[key] = Decimal(extra[key])
    return SeedFigure(code, period, Decimal(value), unit, label, sentence, qualifier, **extra)


FIGURES: tuple[SeedFigure, ...] = (
    _f("gdp", "2020", "1600", "亿元", "地区生产总值", S_GDP, "more"),
    _f("gdp", "2025", "2400", "亿元", "地区生产总值", S_GDP, preliminary=True),
    _f("industrial_output", "2024", "3000", "亿元", "规上工业总产值", S_IND, "at_least"),
    _f("xcl_output", "2025", "1000", "亿元", "新材料产业链产值", S_IND, "over", preliminary=True),
    _f("chain_output", "2024", "2000", "亿元", "六大产业链产值", S_CHAIN, "over"),
    _f("chain_share", "2021", "49", "%", "六大产业链占规上工业比重", S_CHAIN),
    _f("chain_share", "2024", "68.4", "%", "六大产业链占规上工业比重", S_CHAIN),
    _f(
        "major_projects", "2025", "15", "个", "引进百亿级制造业项目", S_PROJ,
        note=SINCE_2021, examples="吉利“三电”、先导传感器",
    ),
    _f(
        "mfg_investment", "2025", "1500", "亿元", "累计完成制造业投资", S_PROJ, "over",
        note=SINCE_2021,
    ),
    _f("innovation_rank", "2024", "58", "位", "全国城市创新能力百强榜位次", S_RANK),
    _f("talent_rank", "2024", "49", "位", "全国最具人才吸引力城市位次", S_RANK),
    _f(
        "research_institutes", "2025", "16", "家", "落地创新科研院所", S_INST,
        note="截至报道时累计",
    ),
    _f("listed_companies", "2020", "6", "家", "上市公司", S_LIST),
    _f("listed_companies", "2025", "22", "家", "上市公司", S_LIST, note="截至报道时"),
    _f("fund_cluster", "2020", "150", "亿元", "基金集群规模", S_FUND, "under"),
    _f("fund_cluster", "2025", "1000", "亿元", "基金集群规模", S_FUND, "over", note="截至报道时"),
    _f(
        "above_scale_enterprises", "2025", "15000", "家", "规模以上企业", S_ENT, "more",
        note="截至报道时",
    ),
    _f(
        "new_chain_share", "2025", "80", "%", "新增企业中产业链上下游项目占比", S_ENT, "over",
        note="原文“八成以上”",
    ),
    _f(
        "port_cargo_growth", "2025-11", "17.4", "%", "港口货物吞吐量同比增速", S_PORT,
        cumulative=True,
    ),
    _f(
        "airport_passengers", "2024", "100", "万人次", "机场旅客吞吐量", S_AIR, "over",
        note="原文“突破百万大关”",
    ),
    _f(
        "airport_passenger_growth", "2025", "7.2", "%", "机场旅客吞吐量同比增速", S_AIR,
        preliminary=True, note="2025年截至报道时的累计同比",
    ),
    _f("trade", "2020", "358.4", "亿元", "外贸进出口总额", S_TRADE),
    _f("trade", "2024", "785.6", "亿元", "外贸进出口总额", S_TRADE),
    _f(
        "exports", "2024", "539", "亿元", "外贸出口额", S_EXP,
        yoy="18.7", rank=1, rank_basis="growth",
    ),
    _f(
        "old_city_visitors", "2025-11", "1600", "万人次", "衢州古城文化旅游区游客人数", S_OLD,
        "over", cumulative=True,
    ),
    _f(
        "tourists", "2024", "3932.4", "万人次", "全域旅游游客人次", S_TOUR,
        yoy="16.6", rank=1, rank_basis="growth",
    ),
    _f(
        "tourism_revenue", "2024", "429", "亿元", "全域旅游总收入", S_TOUR,
        yoy="17.7", rank=1, rank_basis="growth",
    ),
    _f("relocation_people", "2025", "9.5", "万人", "共富搬迁", S_GAP, note="2023年以来累计"),
    _f(
        "relocation_villages", "2025", "405", "个", "自然村整村搬迁", S_GAP,
        note="2023年以来累计",
    ),
    _f(
        "worker_citizenization", "2025", "2.2", "万人", "产业工人市民化", S_GAP,
        note="2023年以来累计",
    ),
    _f(
        "income_growth_rank", "2024", "1", "位", "全体居民收入年均增幅全省位次", S_GAP,
        note=UNDATED,
    ),
    _f(
        "urbanization_growth_rank", "2024", "2", "位", "常住人口城镇化率增幅全省位次", S_GAP,
        note=UNDATED,
    ),
    _f(
        "income_ratio", "2024", "1.76", "倍", "城乡居民收入倍差", S_GAP,
        note="原文“缩小至1.76”，未注明年份，按最新年度统计（2024年）记",
    ),
    _f(
        "workers_settled", "2025", "2", "万人", "推动产业工人在衢安居就业", S_WORK,
        note="2024年至报道时",
    ),
    _f("safe_city_streak", "2025", "19", "次", "平安市考核连冠次数", S_SAFE),
)  # fmt: skip


def figures(*codes: str) -> list[SeedFigure]:
    """The report's figures for these indicator codes, in the order asked, oldest first."""
    return [f for code in codes for f in FIGURES if f.code == code]


def figure(code: str, period: str | None = None) -> SeedFigure:
    """One figure: for that period, or the latest the report gives for the code."""
    found = figures(code)
    if period is not None:
        found = [f for f in found if f.period == period]
    if not found:
        raise KeyError(f"the seed publishes no {code} {period or ''}".strip())
    return found[-1]
