"""policies.permissions: each predicate's answer for every demo account, pinned."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.core.models import Department
from wulian.policies import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}

EXPECTED = {
    p.can_issue_policies: {"econ", "dispatcher", "admin"},
    p.is_department_staff: {"econ", "dispatcher"},
    p.sees_every_match: {"leader", "econ", "dispatcher", "admin"},
    p.sees_every_payout_overdue: {"leader", "admin"},
    p.oversees_payouts: {"leader", "chief_xcl", "county_ly", "admin"},
}


def _answers(users, check):
    return {name for name, user in users.items() if check(user)}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert _answers(users, predicate) == EXPECTED[predicate]
    assert not predicate(AnonymousUser())


def test_the_issuing_department_runs_its_policies(users):
    jxj = Department.objects.get(code="jxj")
    policy = SimpleNamespace(issuer_id=jxj.pk)
    assert _answers(users, lambda u: p.handles(u, policy)) == {"econ", "admin"}
    assert _answers(users, lambda u: p.may_issue(u, jxj)) == {"econ", "admin"}
    assert not p.handles(AnonymousUser(), policy)
