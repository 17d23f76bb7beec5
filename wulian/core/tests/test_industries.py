"""GB/T 4754 codes are shown with their names, never claiming more than is known."""

import pytest

from wulian.core.industries import DIVISIONS, industry_label
from wulian.core.validators import section_for_division
from wulian.enterprises.demo import CHAIN_INDUSTRY_CODES, OTHER_INDUSTRIAL_CODES, SERVICE_CODES


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("C2661", "C2661 化学试剂和助剂制造"),
        ("B1020", "B1020 化学矿开采"),
        ("C3973", "C3973 集成电路制造"),
        ("C2699", "C2699（属化学原料和化学制品制造业）"),  # class not listed: its division
        ("G5430", "G5430（属道路货物运输）"),  # the nearest listed group
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


def test_every_code_the_demo_uses_has_its_own_name():
    codes = [c for codes in CHAIN_INDUSTRY_CODES.values() for c in codes]
    codes += OTHER_INDUSTRIAL_CODES + SERVICE_CODES
    unnamed = [c for c in codes if "（属" in industry_label(c) or industry_label(c) == c]
    # G5430 and I6510 are 2011 codes that the 2017 edition split; they read by their group
    assert set(unnamed) <= {"G5430", "I6510"}


def test_the_profile_and_the_list_show_the_name(client, users):
    from wulian.enterprises.tests.factories import EnterpriseFactory

    firm = EnterpriseFactory(name="氟化工测试企业", industry_code="C2661")
    client.force_login(users["leader"])
    assert "C2661 化学试剂和助剂制造" in client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert "C2661 化学试剂和助剂制造" in client.get("/enterprises/?q=氟化工测试").content.decode()
