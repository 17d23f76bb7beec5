"""indicators.permissions: each predicate's answer for every demo account, pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.indicators import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}
GOVERNMENT = EVERYONE - {"ent_demo"}

EXPECTED = {
    p.can_edit: {"leader", "econ", "dispatcher", "admin"},
    p.sees_every_region: {"leader", "chief_xcl", "econ", "dispatcher", "admin"},
}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert {name for name, user in users.items() if predicate(user)} == EXPECTED[predicate]
    assert not predicate(AnonymousUser())


@pytest.mark.parametrize(
    "region, seers",
    [
        ("330825", GOVERNMENT),  # 龙游县: county_ly's own
        ("330881", GOVERNMENT - {"county_ly"}),  # 江山市: another county
        ("330100", GOVERNMENT),  # 杭州: a peer city, for comparison
        ("330800", GOVERNMENT),  # 衢州市 itself, one of the province's cities
    ],
)
def test_regions_a_county_sees(users, region, seers):
    assert {n for n, u in users.items() if p.may_see_region(u, region)} == seers
    assert not p.may_see_region(AnonymousUser(), region)
