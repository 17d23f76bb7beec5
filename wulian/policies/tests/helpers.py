"""A small registry for policy tests: enterprises across counties, two chains, 亩均 grades."""

import random
from decimal import Decimal

from wulian.chains.models import Chain, EnterpriseLink, Link
from wulian.enterprises.models import EnterpriseTag, MujunResult
from wulian.enterprises.tests.factories import EnterpriseFactory

COUNTIES = ["330802", "330803", "330822", "330824", "330825", "330881"]
GRADES = ["A", "B", "C", "D", None]


def build_registry(n: int = 80, seed: int = 3, year: int = 2025) -> list:
    """n enterprises with a random county, 0–2 chain placements, a grade (or none), tags."""
    rng = random.Random(seed)
    chains = {}
    for code, name in (("xcl", "新材料"), ("xny", "新能源")):
        chain, _ = Chain.objects.get_or_create(code=code, defaults={"name": name})
        chains[code] = [
            Link.objects.get_or_create(
                chain=chain, code=f"{code}-{i}", defaults={"name": f"{name}{i}", "segment": "mid"}
            )[0]
            for i in range(2)
        ]
    made = []
    for i in range(n):
        region = rng.choice(COUNTIES)
        ent = EnterpriseFactory(
            region_id=region,
            output_wan=Decimal(rng.randint(100, 50000)),
            employees=rng.randint(5, 900),
        )
        for code in rng.sample(["xcl", "xny"], rng.randint(0, 2)):
            EnterpriseLink.objects.create(enterprise=ent, link=rng.choice(chains[code]))
        grade = rng.choice(GRADES)
        if grade:
            MujunResult.objects.create(
                enterprise=ent,
                year=year,
                region_id=region,
                score=Decimal("80.00"),
                grade=grade,
                rank=i + 1,
                of=n,
                land_area_mu=Decimal("10.00"),
                months=12,
                metrics={},
            )
        if rng.random() < 0.3:
            EnterpriseTag.objects.create(enterprise=ent, kind="specialized", source="测试")
        made.append(ent)
    # An older year with other grades must not count: matching reads the latest year only.
    for ent in made[:10]:
        MujunResult.objects.create(
            enterprise=ent,
            year=year - 1,
            region_id=ent.region_id,
            score=Decimal("50.00"),
            grade="A",
            rank=1,
            of=n,
            land_area_mu=Decimal("10.00"),
            months=12,
            metrics={},
        )
    return made


def policy_payload(**extra) -> dict:
    data = {
        "title": "新材料产业链亩均A、B类企业奖励（测试）",
        "issuer": "jxj",
        "mode": "no_application",
        "conditions": [
            {"field": "region", "op": "in", "value": ["330825", "330881"]},
            {"field": "chain", "op": "in", "value": ["xcl"]},
            {"field": "mujun_grade", "op": "in", "value": ["A", "B"]},
        ],
        "amount_rule": {"kind": "fixed", "amount_wan": 20},
        "chains": ["xcl"],
        "stages": ["growth"],
    }
    data.update(extra)
    return data
