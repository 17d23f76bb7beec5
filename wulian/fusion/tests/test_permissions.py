"""fusion.permissions: each predicate's answer for every demo account, pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.fusion import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}

EXPECTED = {
    p.can_weigh: {"leader", "admin"},
    p.sees_scores: EVERYONE - {"ent_demo"},
}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert {name for name, user in users.items() if predicate(user)} == EXPECTED[predicate]
    assert not predicate(AnonymousUser())
