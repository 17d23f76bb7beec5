"""A hand-built chain whose scores and gaps are known in advance."""

from decimal import Decimal

from wulian.chains.models import TargetCompany
from wulian.chains.tests.helpers import build_chain
from wulian.fusion.choices import PlatformKind, PlatformLevel, TalentLevel, TalentSupplyKind
from wulian.fusion.models import Fund, Platform, TalentDemand, TalentSupply
from wulian.investment import stats as investment_stats
from wulian.service import stats as service_stats

LINKS = [
    ("ore", "矿石", "up"),
    ("acid", "氢氟酸", "up"),
    ("gap", "中间体", "mid"),
    ("resin", "树脂", "mid"),
    ("tiny", "小环节", "mid"),
    ("film", "薄膜", "down"),
]
EDGES = [
    ("ore", "acid"),
    ("acid", "gap"),
    ("gap", "resin"),
    ("acid", "resin"),
    ("acid", "tiny"),
    ("resin", "film"),
]
FIRMS = [
    *[("acid", 80000, "main") for _ in range(4)],
    ("acid", 100000, "main"),  # a leader: 10亿元
    *[("resin", 80000, "main") for _ in range(4)],
    ("resin", 100000, "main"),
    ("gap", 5000, "main"),
    *[("tiny", 1000, "main") for _ in range(3)],
]


def link_summaries(monkeypatch, service=None, projects=None):
    """Let the service and investment modules answer these per-link summaries (None: leave
    the real function, which reads this test's database)."""
    if service is not None:
        monkeypatch.setattr(service_stats, "link_service_summary", lambda: service)
    if projects is not None:
        monkeypatch.setattr(investment_stats, "link_project_summary", lambda: projects)


def build_known_chain():
    chain, links = build_chain("xcl", "新材料", LINKS, EDGES, FIRMS)
    platform = Platform.objects.create(
        name="测试国家级中试平台", kind=PlatformKind.PILOT, level=PlatformLevel.NATIONAL
    )
    platform.links.set([links["acid"], links["resin"]])
    for code in ("acid", "resin"):
        TalentDemand.objects.create(
            link=links[code], position="工程师", count=10, level=TalentLevel.MASTER, year=2025
        )
        TalentSupply.objects.create(
            link=links[code],
            kind=TalentSupplyKind.GRADUATES,
            source_name="某学院·化工",
            count=10,
            level=TalentLevel.BACHELOR,
            year=2025,
        )
    fund = Fund.objects.create(name="测试基金", size_wan=Decimal(100000))
    fund.links.set([links["acid"], links["resin"]])
    big = TargetCompany.objects.create(name="大目标", headquarters="上海", revenue_wan=300000)
    big.links.set([links["film"]])
    partner = links["resin"].enterprise_links.first().enterprise
    big.partners.set([partner])
    small = TargetCompany.objects.create(name="小目标", headquarters="苏州", revenue_wan=1000)
    small.links.set([links["film"], links["ore"]])
    return chain, links
