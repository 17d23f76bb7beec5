"""chains.permissions: each predicate's answer for every demo account, pinned."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.chains import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}
GOVERNMENT = EVERYONE - {"ent_demo"}

EXPECTED = {
    p.sees_every_chain: {"leader", "econ", "dispatcher", "county_ly", "admin"},
    p.can_import_chains: {"leader", "chief_xcl", "econ", "dispatcher", "admin"},
    p.sees_analysis: GOVERNMENT,
}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert {name for name, user in users.items() if predicate(user)} == EXPECTED[predicate]
    assert not predicate(AnonymousUser())


@pytest.mark.parametrize(
    "code, editors",
    [("xcl", {"leader", "chief_xcl", "admin"}), ("xny", {"leader", "admin"})],
)
def test_a_chain_office_edits_its_own_chain_only(users, code, editors):
    chain = SimpleNamespace(code=code)
    assert {name for name, user in users.items() if p.can_edit_chain(user, chain)} == editors
    assert not p.can_edit_chain(AnonymousUser(), chain)
