"""service.permissions: each predicate's answer for every demo account, pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.service import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}

EXPECTED = {
    p.is_dispatcher: {"dispatcher", "admin"},
    p.is_dispatch_staff: {"dispatcher"},
    p.sees_every_request: {"leader", "admin"},
    p.sees_city_stats: {"leader", "dispatcher", "admin"},
    p.sees_stats: {"leader", "econ", "dispatcher", "admin"},
    p.oversees_requests: {"leader", "chief_xcl", "county_ly", "admin"},
    p.may_file_request: {"ent_demo", "admin"},
    p.is_requester: {"ent_demo"},
}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert {name for name, user in users.items() if predicate(user)} == EXPECTED[predicate]
    assert not predicate(AnonymousUser())


def test_statistics_scope(users):
    econ = users["econ"]
    scopes = {name: p.stats_scope(user) for name, user in users.items()}
    assert scopes == {
        "leader": None,
        "dispatcher": None,
        "admin": None,
        "econ": {str(econ.department_id)},
        "chief_xcl": set(),
        "county_ly": set(),
        "ent_demo": set(),
    }
