"""GB/T 4754 codes are shown with their names, never claiming more than is known."""

import pytest

from wulian.chains.taxonomy import read_taxonomy
from wulian.core.industries import DIVISIONS, industry_label, industry_name
from wulian.core.validators import section_for_division
from wulian.enterprises.demo import (
    CHAIN_INDUSTRY_CODES,
    OTHER_INDUSTRIAL_CODES,
    SERVICE_CODES,
    generate,
)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("C2661", "C2661 化学试剂和助剂制造"),
        ("B1020", "B1020 化学矿开采"),
        ("C3973", "C3973 集成电路制造"),
        ("C2699", "C2699（属化学原料和化学制品制造业）"),  # class not listed: its division
        ("G5430", "G5430（属道路货物运输）"),  # a 2011 class: the nearest listed group
        ("G5431", "G5431 普通货物道路运输"),
        ("I6513", "I6513 应用软件开发"),
        ("C26", "C26 化学原料和化学制品制造业"),
        ("X9999", "X9999"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_code_reads_with_its_name(code, label):
    assert industry_label(code) == label


def test_every_division_is_named_and_in_its_section():
    assert len(DIVISIONS) == 97
    assert all(section_for_division(int(d)) for d in DIVISIONS)


def test_every_industry_code_of_the_demo_has_its_exact_name():
    """The codes the generated enterprises carry and the chain links list are GB/T 4754-2017
    classes, each read by its own name (not a group's or a division's)."""
    generated = [row["industry_code"] for row in generate()]
    links = [
        c for chain in read_taxonomy().chains for link in chain.links for c in link.industry_codes
    ]
    listed = [c for codes in CHAIN_INDUSTRY_CODES.values() for c in codes]
    listed += OTHER_INDUSTRIAL_CODES + SERVICE_CODES
    codes = set(generated) | set(links) | set(listed)
    assert set(listed) <= set(generated)  # every listed code is drawn at least once
    inexact = sorted(c for c in codes if not industry_name(c)[1])
    assert inexact == []
    assert all(industry_label(c) == f"{c} {industry_name(c)[0]}" for c in codes)
    # deterministic: the same codes for the same enterprises on every load
    assert [row["industry_code"] for row in generate()] == generated


def test_the_profile_and_the_list_show_the_name(client, users):
    from wulian.enterprises.tests.factories import EnterpriseFactory

    firm = EnterpriseFactory(name="氟化工测试企业", industry_code="C2661")
    client.force_login(users["leader"])
    assert "C2661 化学试剂和助剂制造" in client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert "C2661 化学试剂和助剂制造" in client.get("/enterprises/?q=氟化工测试").content.decode()
