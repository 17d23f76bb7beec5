"""notifications.permissions: each predicate's answer for every demo account, pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.core.models import Department
from wulian.notifications import permissions as p

EXPECTED = {
    p.can_configure_channels: {"econ", "dispatcher", "admin"},
    p.sees_every_robot: {"admin"},
}


def _answers(users, check):
    return {name for name, user in users.items() if check(user)}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert _answers(users, predicate) == EXPECTED[predicate]
    assert not predicate(AnonymousUser())


def test_a_department_manages_its_own_robots(users):
    jxj = Department.objects.get(code="jxj")
    assert _answers(users, lambda u: p.can_manage_robot(u, jxj)) == {"econ", "admin"}
    assert _answers(users, lambda u: p.can_manage_robot(u, jxj.pk)) == {"econ", "admin"}
    assert _answers(users, lambda u: p.can_manage_robot(u, None)) == {"admin"}
