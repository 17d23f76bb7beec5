"""营商办 accepts and routes in one step, one request or a batch (page and API), all or none;
the inbox filters by state and deadline and remembers the choice."""

import pytest
from django.core.exceptions import ValidationError

from wulian.service.models import ServiceRequest
from wulian.service.workflow import dispatch

from .factories import file_request, setup_loop, walk


@pytest.fixture
def loop(users):
    return setup_loop(users)


def test_dispatch_accepts_and_routes_a_batch_to_one_department(users, loop):
    from wulian.core.models import Department

    first = file_request(users, title="用地指标")
    second = walk(file_request(users, title="技改补助"), users, [("accept", "dispatcher", {})])
    zrzy = Department.objects.get(code="zrzy")

    done = dispatch(actor=users["dispatcher"], requests=[first, second], department=zrzy)

    assert [(r.status, r.department.code) for r in done] == [("routed", "zrzy")] * 2
    events = list(first.events.values_list("action", flat=True))
    assert events == ["submit", "accept", "route"]


def test_a_batch_with_one_bad_request_dispatches_none(users, loop):
    # given one request the rule can route (policy → 经信局) and one no rule matches
    routable = file_request(users, title="政策兑现")
    orphan = file_request(users, category_code="land", title="用地指标")

    # when both are sent by rule, the batch is refused naming the one that failed
    with pytest.raises(ValidationError) as exc:
        dispatch(actor=users["dispatcher"], requests=[routable, orphan])
    assert f"#{orphan.pk}“用地指标”" in exc.value.messages[0]
    assert "本批诉求均未派单" in exc.value.messages[0]

    # then nothing was written, not even the first one's acceptance
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {"submitted"}
    assert routable.events.count() == 1


def test_board_page_and_api_dispatch(client, api_client, users, loop):
    a = file_request(users, title="甲")
    b = file_request(users, title="乙")
    c = file_request(users, title="丙")
    client.force_login(users["dispatcher"])
    page = client.get("/service/board/").content.decode()
    assert f'data-testid="pick-{a.pk}"' in page and "受理并派单所选" in page

    # the page: two selected, by rule (经信局)
    response = client.post("/service/board/", {"ids": [a.pk, b.pk], "department": ""})
    assert response.status_code == 302
    assert ServiceRequest.objects.get(pk=a.pk).department.code == "jxj"
    assert ServiceRequest.objects.get(pk=b.pk).status == "routed"
    # a double click: the second post finds them routed and does nothing more
    client.post("/service/board/", {"ids": [a.pk, b.pk], "department": ""})
    assert ServiceRequest.objects.get(pk=a.pk).events.count() == 3

    # a department other than 营商办 may not
    client.force_login(users["econ"])
    assert client.post("/service/board/", {"ids": [c.pk]}).status_code == 403

    # the API: one request to a named department
    api_client.force_authenticate(users["dispatcher"])
    response = api_client.post(
        "/api/v1/service-requests/dispatch/", {"ids": [c.pk], "department": "zrzy"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [(r["id"], r["status"]) for r in response.json()] == [(c.pk, "routed")]
    again = api_client.post(
        "/api/v1/service-requests/dispatch/", {"ids": [c.pk], "department": "zrzy"}, format="json"
    )
    assert again.status_code == 400
    api_client.force_authenticate(users["econ"])
    response = api_client.post("/api/v1/service-requests/dispatch/", {"ids": [c.pk]})
    assert response.status_code in (403, 400)
    assert ServiceRequest.objects.get(pk=c.pk).department.code == "zrzy"


def test_inbox_filters_by_deadline_and_remembers_the_choice(client, users, loop):
    import datetime as dt

    from django.utils import timezone

    soon = walk(file_request(users, title="政策兑现"), users, [("accept", "dispatcher", {})])
    later = walk(file_request(users, title="人才公寓"), users, [("accept", "dispatcher", {})])
    ServiceRequest.objects.filter(pk=soon.pk).update(due_at=timezone.now() + dt.timedelta(days=2))
    ServiceRequest.objects.filter(pk=later.pk).update(due_at=timezone.now() + dt.timedelta(days=20))
    client.force_login(users["dispatcher"])

    # due within 3 days: the one due in two days, not the one due in twenty
    page = client.get("/service/inbox/", {"status": "accepted", "due": "3d"}).content.decode()
    assert "政策兑现" in page and "人才公寓" not in page
    page = client.get("/service/inbox/", {"status": "closed"}).content.decode()
    assert "政策兑现" not in page

    # the next visit without filters gets the last choice back
    page = client.get("/service/inbox/").content.decode()
    assert '<option value="closed" selected>' in page
    assert "政策兑现" not in page
    # 重置 forgets it
    page = client.get("/service/inbox/", {"reset": "1"}).content.decode()
    assert '<option value="closed" selected>' not in page
    assert "政策兑现" in page


def test_a_request_form_sent_twice_files_one_request(client, users, loop):
    client.force_login(users["ent_demo"])
    page = client.get("/service/mine/").content.decode()
    token = page.split('name="once" value="')[1].split('"')[0]
    form = {"once": token, "category": "policy", "title": "技改补助", "description": "何时申报？"}

    first = client.post("/service/mine/", form)
    second = client.post("/service/mine/", form)

    assert ServiceRequest.objects.filter(title="技改补助").count() == 1
    assert first["Location"] == second["Location"]
