"""enterprises.permissions: each predicate's answer for every demo account, pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.enterprises import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}
GOVERNMENT = EVERYONE - {"ent_demo"}

EXPECTED = {
    p.can_import_enterprises: {"leader", "econ", "dispatcher", "admin"},
    p.can_edit_mujun: {"leader", "econ", "dispatcher", "admin"},
    p.may_visit: GOVERNMENT,
    p.sees_whole_registry: {"leader", "chief_xcl", "econ", "dispatcher", "admin"},
    p.sees_all_flags: {"leader", "econ", "dispatcher", "admin"},
    p.sees_analysis: GOVERNMENT,
}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert {name for name, user in users.items() if predicate(user)} == EXPECTED[predicate]
    assert not predicate(AnonymousUser())
