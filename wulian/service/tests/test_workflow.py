"""Every step from every state for every kind of user; locking; reopen; silence; rollups."""

import contextlib
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from wulian.core.choices import Role
from wulian.core.models import AuditEvent, Department, User
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.service import rollup
from wulian.service.choices import RequestStatus
from wulian.service.models import ServiceEvent, ServiceRequest, ServiceRollup
from wulian.service.workflow import (
    USER_ACTIONS,
    IllegalTransition,
    TransitionConflict,
    can_transition,
    transition,
)

from .factories import ANSWERED, ROUTED, file_request, setup_loop, walk

# Who may take which step, by state, written out by hand (the table under test).
EXPECTED = {
    "submitted": {"accept": "dispatcher", "reject": "dispatcher", "request_material": "dispatcher"},
    "accepted": {"reject": "dispatcher", "route": "dispatcher", "request_material": "dispatcher"},
    "routed": {
        "route": "dispatcher",
        "start": "econ",
        "answer": "econ",
        "transfer": "econ",
        "request_material": "econ",
    },
    "in_progress": {"answer": "econ", "transfer": "econ", "request_material": "econ"},
    "awaiting_material": {"supply_material": "ent_demo"},
    "answered": {"confirm": "ent_demo", "send_back": "ent_demo"},
    "closed": {},
    "rejected": {},
}
TO_STATE = {
    "submitted": [],
    "accepted": [("accept", "dispatcher", {})],
    "routed": ROUTED,
    "in_progress": [*ROUTED, ("start", "econ", {})],
    "awaiting_material": [*ROUTED, ("request_material", "econ", {"reason": "请补充营业执照"})],
    "answered": ANSWERED,
    "closed": [*ANSWERED, ("confirm", "ent_demo", {"rating": 5})],
    "rejected": [("reject", "dispatcher", {"reason": "不属于受理范围"})],
}
INPUT = {
    "reject": {"reason": "不属于受理范围"},
    "transfer": {"reason": "职责不符", "department": "fgw"},
    "request_material": {"reason": "请补充材料"},
    "send_back": {"reason": "没有解决问题"},
    "answer": {"answer": "已办理"},
    "confirm": {"rating": 4, "comment": "好"},
}
USERS = [
    "ent_demo",
    "other_ent",
    "dispatcher",
    "econ",
    "other_dept",
    "leader",
    "chief_xcl",
    "county_ly",
]


@pytest.fixture
def people(users):
    people = dict(users)
    people["other_dept"] = User.objects.create(
        username="fgw_staff", role=Role.DEPARTMENT, department=Department.objects.get(code="fgw")
    )
    other = EnterpriseFactory(name="别家企业")
    people["other_ent"] = User.objects.create(username="other_ent", role=Role.ENTERPRISE)
    other.accounts.add(people["other_ent"])
    setup_loop(users)
    return people


def _kwargs(action):
    values = dict(INPUT.get(action, {}))
    if "department" in values:
        values["department"] = Department.objects.get(code=values["department"])
    return values


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("username", USERS)
def test_every_step_from_every_state_for_every_user(people, state, username):
    request = walk(file_request(people), people, TO_STATE[state])
    assert request.status == state
    user = people[username]
    for action in USER_ACTIONS:
        legal = EXPECTED[state].get(action) == username
        assert can_transition(request, action, user) is legal, (state, action, username)
        if legal:
            fresh = walk(file_request(people), people, TO_STATE[state])
            moved = transition(request=fresh, action=action, actor=user, **_kwargs(action))
            assert moved.status != state or action in ("route", "transfer")
            assert moved.events.last().action == action
        else:
            events = ServiceEvent.objects.filter(request=request).count()
            with pytest.raises((IllegalTransition, PermissionDenied)):
                transition(request=request, action=action, actor=user, **_kwargs(action))
            request.refresh_from_db()
            assert request.status == state
            assert ServiceEvent.objects.filter(request=request).count() == events


def test_each_step_records_an_event_and_an_audit_row(people):
    request = walk(file_request(people), people, ANSWERED)
    events = list(
        request.events.values_list("action", "from_status", "to_status", "actor__username")
    )
    assert events == [
        ("submit", "submitted", "submitted", "ent_demo"),
        ("accept", "submitted", "accepted", "dispatcher"),
        ("route", "accepted", "routed", "dispatcher"),
        ("start", "routed", "in_progress", "econ"),
        ("answer", "in_progress", "answered", "econ"),
    ]
    assert request.department.code == "jxj"  # from the routing rule
    audits = AuditEvent.objects.filter(model="service.servicerequest", object_id=str(request.pk))
    assert audits.count() == 5


def test_reasons_are_required_and_nothing_is_half_written(people):
    request = file_request(people)
    with pytest.raises(ValidationError):
        transition(request=request, action="reject", actor=people["dispatcher"], reason="  ")
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert request.events.count() == 1


def test_stale_copy_gets_a_conflict_not_a_lost_update(people):
    request = file_request(people)
    first = ServiceRequest.objects.get(pk=request.pk)
    second = ServiceRequest.objects.get(pk=request.pk)
    transition(request=first, action="accept", actor=people["dispatcher"])
    with pytest.raises(TransitionConflict, match="已被他人处理"):
        transition(request=second, action="reject", actor=people["dispatcher"], reason="重复")
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert request.events.filter(action="reject").count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_threads_at_once_exactly_one_wins(users):
    setup_loop(users)
    request = file_request(users)
    barrier = threading.Barrier(2)
    results = []
    # PostgreSQL: both run truly at once and select_for_update makes one wait. The shared
    # in-memory SQLite test database raises "table is locked" instead of waiting as a file
    # database does with BEGIN IMMEDIATE, so there the writers take turns (the database's
    # single-writer lock, emulated); both still act on the same stale copy.
    writer = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def act(action, kwargs):
        try:
            stale = ServiceRequest.objects.get(pk=request.pk)
            barrier.wait(timeout=10)
            with writer:
                transition(request=stale, action=action, actor=users["dispatcher"], **kwargs)
            results.append("won")
        except TransitionConflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("accept", {})),
        threading.Thread(target=act, args=("reject", {"reason": "重复提交"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "won"]
    request.refresh_from_db()
    assert request.events.exclude(action="submit").count() == 1


def test_low_rating_reopens_and_counts_against_department(people):
    request = walk(file_request(people), people, ANSWERED)
    request = transition(request=request, action="confirm", actor=people["ent_demo"], rating=2)
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.reopen_count == 1
    assert request.events.last().action == "reopen"
    request = transition(request=request, action="answer", actor=people["econ"], answer="重新答复")
    request = transition(request=request, action="confirm", actor=people["ent_demo"], rating=5)
    assert request.status == RequestStatus.CLOSED and request.rating == 5


def test_send_back_then_confirm(people):
    request = walk(file_request(people), people, ANSWERED)
    request = transition(
        request=request, action="send_back", actor=people["ent_demo"], reason="未解决"
    )
    assert request.status == RequestStatus.IN_PROGRESS and request.reopen_count == 1
    request = transition(request=request, action="answer", actor=people["econ"], answer="再答复")
    request = transition(request=request, action="confirm", actor=people["ent_demo"], rating=4)
    assert request.status == RequestStatus.CLOSED


def test_rating_must_be_1_to_5(people):
    request = walk(file_request(people), people, ANSWERED)
    with pytest.raises(ValidationError):
        transition(request=request, action="confirm", actor=people["ent_demo"], rating=7)
    with pytest.raises(ValidationError):
        transition(request=request, action="confirm", actor=people["ent_demo"])


def test_rollup_kept_by_the_workflow_equals_a_rebuild(people):
    a = walk(file_request(people), people, ANSWERED)
    transition(request=a, action="confirm", actor=people["ent_demo"], rating=2)
    b = walk(file_request(people, "land"), people, [("accept", "dispatcher", {})])
    transition(
        request=b,
        action="route",
        actor=people["dispatcher"],
        department=Department.objects.get(code="zrzy"),
    )
    c = walk(file_request(people), people, [*ANSWERED, ("confirm", "ent_demo", {"rating": 5})])
    transition(
        request=file_request(people), action="reject", actor=people["dispatcher"], reason="x"
    )
    assert c.status == "closed"

    def snapshot():
        return sorted(
            (
                r.month,
                r.dimension,
                r.key,
                r.total,
                r.closed,
                r.closed_on_time,
                r.answered,
                r.answer_days_sum,
                r.rated,
                r.rating_sum,
                r.reopened,
                r.rejected,
                tuple(sorted((r.answer_hist or {}).items())),
            )
            for r in ServiceRollup.objects.all()
            if r.total
        )

    kept = snapshot()
    rollup.rebuild()
    assert snapshot() == kept
    city = ServiceRollup.objects.get(dimension="all")
    assert (city.total, city.closed, city.rejected, city.reopened) == (4, 1, 1, 1)


def test_available_actions_are_the_actions_can_transition_allows(users):
    # the list works out the user's roles once; it must answer what asking per action answers
    from wulian.service.workflow import available_actions

    setup_loop(users)
    request = walk(file_request(users), users, ROUTED)
    seen = set()
    for status in RequestStatus.values:
        request.status = status
        for user in [*users.values(), None]:
            expected = [a for a in USER_ACTIONS if can_transition(request, a, user)]
            assert available_actions(request, user) == expected, (status, user)
            seen.update(expected)
    assert len(seen) > 3  # several actions are open to someone
