"""core.permissions: each shared predicate's answer for every demo account, pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.core import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}
GOVERNMENT = EVERYONE - {"ent_demo"}

EXPECTED = {
    p.is_administrator: {"admin"},
    p.sees_whole_city: {"leader", "admin"},
    p.is_government_user: GOVERNMENT,
    p.is_enterprise_user: {"ent_demo"},
}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert {name for name, user in users.items() if predicate(user)} == EXPECTED[predicate]


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_nobody_signed_out_or_deactivated_passes(users, predicate):
    # given: every account deactivated (in memory only)
    for user in users.values():
        user.is_active = False
    # then
    assert not predicate(AnonymousUser())
    assert not predicate(None)
    assert not any(predicate(user) for user in users.values())


def test_role_allowed_reads_the_role_and_lets_administrators_through(users):
    assert {n for n, u in users.items() if p.role_allowed(u, {"county"})} == {"county_ly", "admin"}
    assert {n for n, u in users.items() if p.role_allowed(u, frozenset())} == {"admin"}
