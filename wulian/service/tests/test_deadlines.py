"""Deadlines across National Day, Spring Festival and a year end; pause/resume; escalation."""

import datetime as dt

import pytest
from django.utils import timezone

from wulian.core.models import CalendarOverride
from wulian.core.workdays import WorkdayCalendar
from wulian.service.choices import Escalation
from wulian.service.deadlines import clock_for, escalation_for, overdue_cutoff
from wulian.service.models import ServiceCategory, ServiceRequest
from wulian.service.workflow import transition

from .factories import ROUTED, aware, file_request, setup_loop, walk


@pytest.fixture
def loop(users):
    setup_loop(users)
    return users


def local(moment):
    return timezone.localtime(moment)


def test_accept_deadline_skips_national_day_and_counts_make_up_days(loop):
    # 2025: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are working days (调休).
    request = file_request(loop, when=aware(2025, 9, 30, 10, 0))
    assert local(request.due_at) == aware(2025, 10, 9, 10, 0)
    ServiceCategory.objects.filter(code="policy").update(accept_days=5)
    request = file_request(loop, when=aware(2025, 9, 26, 10, 0))
    # 28 Sep (Sun, 调休), 29, 30 Sep, 9, 10 Oct
    assert local(request.due_at) == aware(2025, 10, 10, 10, 0)
    ServiceCategory.objects.filter(code="policy").update(accept_days=3)
    request = file_request(loop, when=aware(2025, 9, 30, 10, 0))
    assert local(request.due_at) == aware(2025, 10, 11, 10, 0)  # Saturday 11 Oct works


def test_answer_deadline_across_spring_festival_2026(loop):
    # 2026: Sat 14 Feb works, 15–23 Feb off, Sat 28 Feb works.
    request = file_request(loop, when=aware(2026, 2, 13, 9, 0))
    request = transition(
        request=request, action="accept", actor=loop["dispatcher"], now=aware(2026, 2, 13, 9, 30)
    )
    # policy: 10 working days → 14, 24, 25, 26, 27, 28 Feb, 2, 3, 4, 5 Mar
    assert local(request.answer_due_at) == aware(2026, 3, 5, 9, 30)


def test_deadline_across_the_year_end(loop):
    # 31 Dec 2025 (Wed) works; 1–3 Jan 2026 off; Sun 4 Jan works.
    request = file_request(loop, when=aware(2025, 12, 31, 16, 0))
    assert local(request.due_at) == aware(2026, 1, 4, 16, 0)


def test_a_start_on_a_holiday_counts_from_the_next_working_day(loop):
    request = file_request(loop, when=aware(2025, 10, 3, 15, 0))
    # next working day is 9 Oct (counted from its beginning): one working day later is 10 Oct
    assert local(request.due_at) == aware(2025, 10, 10, 0, 0)


def test_override_table_wins_over_the_package(loop):
    CalendarOverride.objects.create(date=dt.date(2025, 10, 9), is_workday=False, note="本地调整")
    request = file_request(loop, when=aware(2025, 9, 30, 10, 0))
    assert local(request.due_at) == aware(2025, 10, 10, 10, 0)


def test_clock_pauses_for_material_and_deadlines_shift_by_the_days_waited(loop):
    start = aware(2025, 11, 3, 9, 0)  # Monday
    request = walk(file_request(loop, when=start), loop, ROUTED, when=start)
    due = local(request.answer_due_at)
    assert due == aware(2025, 11, 17, 9, 0)  # 10 working days
    request = transition(
        request=request,
        action="request_material",
        actor=loop["econ"],
        reason="请补充营业执照",
        now=aware(2025, 11, 5, 10, 0),
    )
    clock = clock_for(request, WorkdayCalendar(), now=aware(2025, 11, 28, 10, 0))
    assert clock.paused and not clock.overdue and "暂停" in clock.label
    assert not ServiceRequest.objects.overdue(aware(2025, 11, 28, 10, 0)).exists()
    # material arrives the next Monday: 6, 7, 10 Nov = 3 working days waited
    request = transition(
        request=request,
        action="supply_material",
        actor=loop["ent_demo"],
        now=aware(2025, 11, 10, 11, 0),
    )
    assert request.status == "routed"
    assert request.paused_workdays == 3
    assert local(request.answer_due_at) == aware(2025, 11, 20, 9, 0)
    assert local(request.due_at) == aware(2025, 11, 20, 9, 0)
    # the answer time excludes the waiting
    request = transition(
        request=request,
        action="answer",
        actor=loop["econ"],
        answer="已办",
        now=aware(2025, 11, 12, 9, 0),
    )
    assert request.answer_workdays == 7 - 3


def test_escalation_steps_up_with_working_days_overdue(loop):
    cal = WorkdayCalendar()
    due = aware(2025, 11, 3, 17, 0)  # Monday
    assert escalation_for(cal, due, aware(2025, 11, 3, 16, 0)) == Escalation.NONE
    assert escalation_for(cal, due, aware(2025, 11, 3, 18, 0)) == Escalation.DEPARTMENT_HEAD
    assert escalation_for(cal, due, aware(2025, 11, 5, 9, 0)) == Escalation.DEPARTMENT_HEAD
    assert escalation_for(cal, due, aware(2025, 11, 6, 9, 0)) == Escalation.CHAIN_OFFICE
    assert escalation_for(cal, due, aware(2025, 11, 10, 9, 0)) == Escalation.LEADER
    # a weekend does not count: Fri due, Mon is only one working day late
    assert escalation_for(cal, aware(2025, 11, 7, 17, 0), aware(2025, 11, 10, 9, 0)) == 1


def test_escalated_queryset_agrees_with_the_clock(loop):
    cal = WorkdayCalendar()
    now = aware(2025, 11, 14, 10, 0)  # Friday
    made = {}
    for days_late in (0, 1, 3, 5, 8):
        due = now - dt.timedelta(days=days_late, hours=1)
        request = file_request(loop, when=due - dt.timedelta(days=1))
        ServiceRequest.objects.filter(pk=request.pk).update(due_at=due)
        request.refresh_from_db()
        made[request.pk] = clock_for(request, cal, now).escalation
    for level in (1, 2, 3):
        expected = {pk for pk, esc in made.items() if esc >= level}
        found = set(
            ServiceRequest.objects.escalated(level, calendar=cal, now=now).values_list(
                "pk", flat=True
            )
        )
        assert found == expected, level
    assert overdue_cutoff(cal, now, 0) == now


def test_silence_closes_after_the_rating_deadline(loop, settings):
    from wulian.service.services import close_silent_requests

    settings.SERVICE_SILENCE_WORKDAYS = 5
    start = aware(2025, 11, 3, 9, 0)
    request = walk(
        file_request(loop, when=start),
        loop,
        [*ROUTED, ("answer", "econ", {"answer": "已办"})],
        when=start,
    )
    assert local(request.due_at) == aware(2025, 11, 10, 9, 0)
    assert close_silent_requests(now=aware(2025, 11, 10, 8, 0)) == 0
    assert close_silent_requests(now=aware(2025, 11, 10, 10, 0)) == 1
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_by_silence
    assert request.events.last().action == "auto_close" and request.events.last().actor is None


def test_service_calendar_counts_like_the_core_calendar():
    from wulian.service.deadlines import ServiceCalendar

    fast, slow = ServiceCalendar(overrides={}), WorkdayCalendar(overrides={})
    pairs = [
        (dt.date(2025, 9, 20), dt.date(2025, 10, 15)),
        (dt.date(2025, 12, 25), dt.date(2026, 1, 10)),
        (dt.date(2026, 2, 10), dt.date(2026, 3, 2)),
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1)),
        (dt.date(2026, 3, 2), dt.date(2026, 2, 10)),
        (dt.date(2024, 12, 30), dt.date(2025, 1, 3)),  # earlier than anything asked before
    ]
    for start, end in pairs:
        assert fast.workdays_between(start, end) == slow.workdays_between(start, end)


def test_a_deadline_in_a_year_without_its_schedule_is_flagged_provisional(users):
    from wulian.service.deadlines import ServiceCalendar, clock_for
    from wulian.service.tests.factories import aware, file_request, setup_loop

    setup_loop(users)
    request = file_request(users, when=aware(2026, 12, 31, 10))
    cal = ServiceCalendar()
    clock = clock_for(request, cal, now=aware(2026, 12, 31, 11))
    assert timezone.localtime(request.due_at).date() == dt.date(2027, 1, 4)
    assert clock.provisional and "暂按法定节假日" in clock.label
    early = file_request(users, when=aware(2026, 6, 1, 10))
    assert not clock_for(early, cal, now=aware(2026, 6, 1, 11)).provisional


def test_clock_agrees_with_the_step_by_step_functions_around_local_midnight(loop):
    # The clock puts each moment into local time once; the dates it counts from must be the
    # local ones (00:30 in Shanghai is the previous day in UTC) and agree with the functions
    # that count one question at a time.
    from wulian.service.deadlines import overdue_workdays

    cal = WorkdayCalendar()
    request = file_request(loop, when=aware(2025, 9, 20, 9, 0))
    request.status = "routed"
    dues = [aware(2025, 9, 30, 0, 30), aware(2025, 9, 30, 23, 30), aware(2025, 10, 9, 0, 10)]
    nows = [aware(2025, 9, 29, 23, 50), aware(2025, 10, 1, 0, 20), aware(2025, 10, 13, 0, 5)]
    for due in dues:
        request.due_at = due
        for now in nows:
            clock = clock_for(request, cal, now)
            assert clock.overdue == (now > due)
            assert clock.escalation == escalation_for(cal, due, now)
            assert clock.overdue_workdays == (overdue_workdays(cal, due, now) if now > due else 0)
            if now <= due:
                left = cal.workdays_between(local(now).date(), local(due).date())
                assert clock.workdays_left == left
    # a paused request has no time left and never escalates
    request.status = "awaiting_material"
    clock = clock_for(request, cal, nows[-1])
    assert clock.paused and clock.escalation == Escalation.NONE and clock.workdays_left == 0


def test_the_deadline_index_holds_exactly_the_requests_on_the_clock():
    """The overdue and escalated lists (on_the_clock() by due_at) read the partial index
    only while its condition is the same set of statuses; a status added to the clock and
    not to the index would send every such list back to sorting all overdue requests."""
    from wulian.service.deadlines import CLOCK_STATUSES
    from wulian.service.models import ServiceRequest

    (index,) = [i for i in ServiceRequest._meta.indexes if i.name == "service_req_clock_due"]
    (lookup, statuses) = index.condition.children[0]
    assert lookup == "status__in" and set(statuses) == set(CLOCK_STATUSES)
    assert index.fields == ["due_at", "id"]


def test_a_clocks_label_is_decided_by_its_label_key():
    # Lists work each label out once per Clock.label_key: two clocks with the same key must
    # say the same, whatever else differs (another due time, another escalation).
    from itertools import product

    from wulian.service.deadlines import Clock

    moments = [None, aware(2026, 3, 2, 9), aware(2026, 3, 9, 17)]
    clocks = [
        Clock(
            due_at=due,
            paused=paused,
            overdue=overdue,
            workdays_left=left,
            overdue_workdays=late,
            escalation=escalation,
            awaiting_rating=awaiting,
            provisional=provisional,
        )
        for due, paused, overdue, left, late, escalation, awaiting, provisional in product(
            moments,
            [False, True],
            [False, True],
            [0, 3],
            [0, 2],
            list(Escalation)[:2],
            [False, True],
            [False, True],
        )
    ]
    labels: dict = {}
    for clock in clocks:
        assert labels.setdefault(clock.label_key, clock.label) == clock.label, clock
    assert len(labels) > 20
