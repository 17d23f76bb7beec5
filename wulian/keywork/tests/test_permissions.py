"""keywork.permissions: each predicate's answer for every demo account, pinned."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.core.models import Department
from wulian.keywork import permissions as p

EVERYONE = {"leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"}

EXPECTED = {
    p.is_leader: {"leader", "admin"},
    p.sees_tasks: {"leader", "chief_xcl", "econ", "dispatcher", "admin"},
    p.can_create_tasks: {"leader", "econ", "dispatcher", "admin"},
    p.sees_every_meeting: {"leader", "econ", "dispatcher", "admin"},
}


def _answers(users, check):
    return {name for name, user in users.items() if check(user)}


@pytest.mark.parametrize("predicate", EXPECTED, ids=lambda f: f.__name__)
def test_each_predicate_for_every_demo_account(users, predicate):
    assert _answers(users, predicate) == EXPECTED[predicate]
    assert not predicate(AnonymousUser())


def test_task_rights_follow_the_lead_and_co_departments(users):
    # given: a task led by 经信局 with 营商办 as co-department
    jxj = Department.objects.get(code="jxj")
    task = SimpleNamespace(
        lead_department_id=jxj.pk, co_departments=Department.objects.filter(code="ysb")
    )
    # then
    assert _answers(users, lambda u: p.works_in(u, jxj.pk)) == {"econ"}
    assert _answers(users, lambda u: p.can_report(u, task)) == {
        "leader",
        "admin",
        "econ",
        "dispatcher",
    }
    assert _answers(users, lambda u: p.can_close(u, task)) == {"leader", "admin", "econ"}


def test_a_meeting_is_managed_by_its_chain_office_and_organiser(users):
    jxj = Department.objects.get(code="jxj")
    chain_series = SimpleNamespace(chain_code="xcl", organiser_id=jxj.pk)
    city_series = SimpleNamespace(chain_code="", organiser_id=None)
    assert _answers(users, lambda u: p.can_manage_meeting(u, chain_series)) == {
        "leader",
        "admin",
        "chief_xcl",
        "econ",
    }
    assert _answers(users, lambda u: p.can_manage_meeting(u, city_series)) == {"leader", "admin"}
