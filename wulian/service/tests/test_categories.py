"""诉求类别与时限: 营商办 and administrators change deadlines on the page and through the API,
audited; other roles read only; the Django admin is
read-only."""

import pytest
from django.urls import reverse

from wulian.core.models import AuditEvent
from wulian.service.models import ServiceCategory
from wulian.service.tests.factories import setup_loop


@pytest.fixture
def loop(users):
    setup_loop(users)
    return users


def test_dispatcher_changes_a_deadline_through_the_api_audited(api_client, loop):
    api_client.force_authenticate(loop["dispatcher"])
    response = api_client.patch(
        "/api/v1/service-categories/land/", {"answer_days": 10}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["answer_days"] == 10
    land = ServiceCategory.objects.get(code="land")
    assert land.answer_days == 10
    event = AuditEvent.objects.get(model="service.servicecategory", object_id=str(land.pk))
    assert event.actor == loop["dispatcher"]
    assert event.before == {"answer_days": 15} and event.after == {"answer_days": 10}
    # the public list shows the new deadline at once
    listed = api_client.get("/api/v1/service-categories/").json()
    assert next(c for c in listed if c["code"] == "land")["answer_days"] == 10


def test_bad_deadlines_are_refused_and_nothing_changes(api_client, loop):
    api_client.force_authenticate(loop["admin"])
    zero = api_client.patch("/api/v1/service-categories/land/", {"answer_days": 0}, format="json")
    assert zero.status_code == 400
    recode = api_client.patch("/api/v1/service-categories/land/", {"code": "x"}, format="json")
    assert recode.status_code == 400 and "不能修改" in recode.json()["code"][0]
    assert ServiceCategory.objects.get(code="land").answer_days == 15
    assert not AuditEvent.objects.filter(model="service.servicecategory").exists()


@pytest.mark.parametrize("username", ["econ", "leader", "county_ly", "ent_demo"])
def test_other_roles_only_read(api_client, client, loop, username):
    api_client.force_authenticate(loop[username])
    patch = api_client.patch("/api/v1/service-categories/land/", {"answer_days": 3}, format="json")
    assert patch.status_code == 403
    new = {"code": "new", "name": "新类", "answer_days": 3}
    assert api_client.post("/api/v1/service-categories/", new, format="json").status_code == 403
    client.force_login(loop[username])
    edit = client.post(reverse("service:category-edit", args=["land"]), {"answer_days": 3})
    assert edit.status_code == 403
    assert ServiceCategory.objects.get(code="land").answer_days == 15


def test_the_page_adds_and_changes_categories(client, loop):
    client.force_login(loop["dispatcher"])
    page = client.get(reverse("service:categories")).content.decode()
    assert "用地" in page and "15 个工作日" in page
    added = client.post(
        reverse("service:categories"),
        {
            "code": "export",
            "name": "外贸",
            "accept_days": 1,
            "answer_days": 7,
            "sort": 9,
            "is_active": "on",
        },
    )
    assert added.status_code == 302
    assert ServiceCategory.objects.get(code="export").answer_days == 7
    changed = client.post(
        reverse("service:category-edit", args=["export"]),
        {"name": "外贸外资", "accept_days": 2, "answer_days": 8, "sort": 9},
    )
    assert changed.status_code == 302
    export = ServiceCategory.objects.get(code="export")
    assert (export.name, export.answer_days, export.is_active) == ("外贸外资", 8, False)
    assert AuditEvent.objects.filter(model="service.servicecategory").count() == 2


def test_the_django_admin_is_read_only(client, loop):
    client.force_login(loop["admin"])
    land = ServiceCategory.objects.get(code="land")
    url = f"/admin/service/servicecategory/{land.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"code": "land", "name": "改名", "accept_days": 1, "answer_days": 1})
    assert ServiceCategory.objects.get(code="land").name == "用地"
    assert client.get("/admin/service/routingrule/add/").status_code == 403
