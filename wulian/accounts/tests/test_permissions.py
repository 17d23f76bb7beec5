"""accounts.permissions: each predicate's answer for every demo account, pinned."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.accounts import permissions as p

EXPECTED = {
    p.may_review_claims: {"county_ly", "admin"},
    p.sees_every_claim: {"admin"},
}


def _answers(users, check):
    return {name for name, user in users.items() if check(user)}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert _answers(users, predicate) == EXPECTED[predicate]
    assert not predicate(AnonymousUser())


@pytest.mark.parametrize(
    "region, deciders", [("330825", {"county_ly", "admin"}), ("330881", {"admin"})]
)
def test_a_county_decides_its_own_enterprises_claims(users, region, deciders):
    claim = SimpleNamespace(enterprise=SimpleNamespace(region_id=region))
    assert _answers(users, lambda u: p.can_decide(claim, u)) == deciders
