"""investment.permissions: each predicate's answer for every demo account, pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.investment import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}
GOVERNMENT = EVERYONE - {"ent_demo"}

EXPECTED = {
    p.can_create_project: GOVERNMENT,
    p.can_open_lead: {"leader", "chief_xcl", "econ", "dispatcher", "admin"},
    p.can_edit_project: GOVERNMENT,
    p.sees_every_project: {"leader", "admin"},
}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert {name for name, user in users.items() if predicate(user)} == EXPECTED[predicate]
    assert not predicate(AnonymousUser())
