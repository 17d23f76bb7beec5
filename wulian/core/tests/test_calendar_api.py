"""The working calendar API and what a change does to open requests' deadlines."""

import datetime as dt

import pytest
from django.utils import timezone

from wulian.core.models import AuditEvent, CalendarOverride
from wulian.service.models import ServiceRequest
from wulian.service.tests.factories import ANSWERED, aware, file_request, setup_loop, walk

URL = "/api/v1/calendar-days/"


@pytest.mark.django_db
def test_anonymous_gets_401(api_client):
    assert api_client.get(URL).status_code == 401
    response = api_client.post(URL, {"date": "2027-01-05", "is_workday": False}, format="json")
    assert response.status_code == 401
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize("username", ["leader", "econ", "dispatcher", "ent_demo"])
def test_users_without_the_right_are_refused(api_client, users, username):
    CalendarOverride.objects.create(date=dt.date(2027, 1, 5), is_workday=False)
    api_client.force_authenticate(users[username])
    assert api_client.get(URL).status_code == 403
    body = {"date": "2027-01-06", "is_workday": False}
    assert api_client.post(URL, body, format="json").status_code == 403
    assert api_client.delete(f"{URL}2027-01-05/").status_code == 403
    assert CalendarOverride.objects.count() == 1


def test_admin_upserts_lists_and_deletes_days(api_client, users):
    api_client.force_authenticate(users["admin"])
    body = {"date": "2027-01-05", "is_workday": False, "note": "测试"}
    assert api_client.post(URL, body, format="json").status_code == 201
    again = api_client.post(URL, {**body, "is_workday": True}, format="json")
    assert again.status_code == 200 and again.json()["is_workday"] is True
    assert CalendarOverride.objects.get().is_workday is True
    listed = api_client.get(URL, {"year": 2027}).json()
    assert listed["count"] == 1 and listed["results"][0]["date"] == "2027-01-05"
    assert api_client.delete(f"{URL}2027-01-05/").status_code == 204
    assert not CalendarOverride.objects.exists()
    assert api_client.delete(f"{URL}2027-01-05/").status_code == 404
    actions = list(
        AuditEvent.objects.filter(model="core.calendaroverride").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete", "update"]


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2027-02-30", "is_workday": False},
        {"date": "1999-01-01", "is_workday": False},
        {"date": "2027-01-05"},
        {"date": "2027-01-05", "is_workday": False, "note": "x" * 101},
    ],
)
def test_bad_days_are_refused_and_write_nothing(api_client, users, body):
    api_client.force_authenticate(users["admin"])
    assert api_client.post(URL, body, format="json").status_code == 400
    assert not CalendarOverride.objects.exists()


def test_three_holidays_move_a_new_requests_deadline_by_three_working_days(api_client, users):
    setup_loop(users)
    monday = aware(2025, 6, 9, 10)  # policy: accept within 1 working day
    baseline = file_request(users, when=monday).due_at
    assert timezone.localtime(baseline).date() == dt.date(2025, 6, 10)
    api_client.force_authenticate(users["admin"])
    for day in ("2025-06-10", "2025-06-11", "2025-06-12"):
        body = {"date": day, "is_workday": False, "note": "临时放假"}
        assert api_client.post(URL, body, format="json").status_code == 201
    moved = file_request(users, when=monday).due_at
    assert timezone.localtime(moved).date() == dt.date(2025, 6, 13)
    assert moved - baseline == dt.timedelta(days=3)


def test_a_change_moves_open_deadlines_and_leaves_closed_ones(api_client, users):
    setup_loop(users)
    monday = aware(2025, 6, 9, 10)
    open_request = file_request(users, when=monday)
    closed = walk(file_request(users, when=monday), users, ANSWERED, when=monday)
    closed = walk(closed, users, [("confirm", "ent_demo", {"rating": 5})], when=monday)
    closed_due = (closed.due_at, closed.answer_due_at)
    api_client.force_authenticate(users["admin"])
    api_client.post(URL, {"date": "2025-06-10", "is_workday": False}, format="json")
    open_request.refresh_from_db()
    assert timezone.localtime(open_request.due_at) == timezone.localtime(aware(2025, 6, 11, 10))
    closed.refresh_from_db()
    assert (closed.due_at, closed.answer_due_at) == closed_due
    moves = AuditEvent.objects.filter(
        model="service.servicerequest", note__startswith="工作日历调整"
    )
    assert [e.object_id for e in moves] == [str(open_request.pk)]
    # and deleting the day moves it back
    api_client.delete(f"{URL}2025-06-10/")
    open_request.refresh_from_db()
    assert timezone.localtime(open_request.due_at).date() == dt.date(2025, 6, 10)
    assert ServiceRequest.objects.count() == 2
