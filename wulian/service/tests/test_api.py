"""The API contract: categories, filing, transitions as actions, 409 on conflicts, rules, stats."""

import pytest

from wulian.service.models import RoutingRule, ServiceRequest

from .factories import ANSWERED, file_request, setup_loop, walk


@pytest.fixture
def loop(users):
    setup_loop(users)
    return users


def as_user(api_client, users, name):
    api_client.force_authenticate(users[name])
    return api_client


def test_categories_list_codes_and_deadlines(api_client, loop):
    body = as_user(api_client, loop, "ent_demo").get("/api/v1/service-categories/").json()
    land = next(c for c in body if c["code"] == "land")
    assert land["name"] == "用地" and land["accept_days"] == 1 and land["answer_days"] == 15
    assert {c["code"] for c in body} >= {"land", "labor", "finance", "approval", "other"}


def test_file_then_walk_the_loop_through_the_api(api_client, loop):
    client = as_user(api_client, loop, "ent_demo")
    response = client.post(
        "/api/v1/service-requests/",
        {"title": "用电扩容", "description": "新产线需要扩容", "category": "utilities"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["due_at"] and body["id"]
    rid = body["id"]
    client = as_user(api_client, loop, "dispatcher")
    assert client.post(f"/api/v1/service-requests/{rid}/accept/").status_code == 200
    routed = client.post(
        f"/api/v1/service-requests/{rid}/route/", {"department": "jxj"}, format="json"
    ).json()
    assert routed["status"] == "routed" and routed["department"] == "jxj"
    client = as_user(api_client, loop, "econ")
    answered = client.post(
        f"/api/v1/service-requests/{rid}/answer/", {"answer": "已协调供电公司"}, format="json"
    ).json()
    assert answered["status"] == "answered"
    client = as_user(api_client, loop, "ent_demo")
    assert client.get(f"/api/v1/service-requests/{rid}/").json()["actions"] == [
        "confirm",
        "send-back",
    ]
    done = client.post(
        f"/api/v1/service-requests/{rid}/confirm/", {"rating": 5, "comment": "很快"}, format="json"
    ).json()
    assert done["status"] == "closed" and done["rating"] == 5
    detail = client.get(f"/api/v1/service-requests/{rid}/").json()
    assert [e["action"] for e in detail["events"]] == [
        "submit",
        "accept",
        "route",
        "answer",
        "confirm",
    ]


def test_repeated_or_illegal_step_is_409_and_wrong_owner_403(api_client, loop):
    request = file_request(loop)
    client = as_user(api_client, loop, "dispatcher")
    assert client.post(f"/api/v1/service-requests/{request.pk}/accept/").status_code == 200
    again = client.post(f"/api/v1/service-requests/{request.pk}/accept/")
    assert again.status_code == 409 and "不能执行" in again.json()["detail"]
    client = as_user(api_client, loop, "ent_demo")
    response = client.post(f"/api/v1/service-requests/{request.pk}/route/")
    assert response.status_code == 403


def test_missing_reason_is_400_in_chinese(api_client, loop):
    request = file_request(loop)
    client = as_user(api_client, loop, "dispatcher")
    response = client.post(f"/api/v1/service-requests/{request.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and "理由" in response.content.decode()


def test_bad_filing_input_is_400(api_client, loop):
    client = as_user(api_client, loop, "ent_demo")
    response = client.post(
        "/api/v1/service-requests/", {"title": "", "category": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert ServiceRequest.objects.count() == 0
    leader = as_user(api_client, loop, "leader")
    response = leader.post(
        "/api/v1/service-requests/",
        {"title": "x", "description": "y", "category": "land"},
        format="json",
    )
    assert response.status_code == 403


def test_enterprise_cannot_file_for_another_enterprise(api_client, loop):
    from wulian.enterprises.tests.factories import EnterpriseFactory

    other = EnterpriseFactory(name="别家")
    response = as_user(api_client, loop, "ent_demo").post(
        "/api/v1/service-requests/",
        {"title": "x", "description": "y", "category": "land", "enterprise": other.pk},
        format="json",
    )
    assert response.status_code == 403
    assert ServiceRequest.objects.count() == 0


def test_routing_rules_are_edited_only_by_the_dispatcher(api_client, loop):
    payload = {"category": "land", "region": "330825", "department": "zrzy", "priority": 10}
    response = as_user(api_client, loop, "econ").post(
        "/api/v1/service-routing-rules/", payload, format="json"
    )
    assert response.status_code == 403
    response = as_user(api_client, loop, "dispatcher").post(
        "/api/v1/service-routing-rules/", payload, format="json"
    )
    assert response.status_code == 201, response.content
    assert RoutingRule.objects.filter(region_id="330825", department__code="zrzy").exists()
    assert (
        as_user(api_client, loop, "ent_demo").get("/api/v1/service-routing-rules/").status_code
        == 403
    )


def test_more_specific_rule_wins_and_dispatcher_can_override(api_client, loop):
    from wulian.core.models import Department
    from wulian.service.models import ServiceCategory

    RoutingRule.objects.create(
        category=ServiceCategory.objects.get(code="policy"),
        region_id="330825",
        department=Department.objects.get(code="fgw"),
    )
    request = walk(
        file_request(loop), loop, [("accept", "dispatcher", {}), ("route", "dispatcher", {})]
    )
    assert request.department.code == "fgw"  # county-specific beats category-only
    client = as_user(api_client, loop, "dispatcher")
    body = client.post(
        f"/api/v1/service-requests/{request.pk}/route/", {"department": "kjj"}, format="json"
    ).json()
    assert body["department"] == "kjj"


def test_stats_api_city_for_leader_own_row_for_a_department(api_client, loop):
    walk(file_request(loop), loop, [*ANSWERED, ("confirm", "ent_demo", {"rating": 4})])
    body = as_user(api_client, loop, "leader").get("/api/v1/service-stats/?dimension=department")
    assert body.status_code == 200
    data = body.json()
    assert data["overview"]["total"] == 1 and data["overview"]["closed_rate"] == 1.0
    row = next(r for r in data["rows"] if r["label"] == "市经信局")
    assert row["closed"] == 1 and row["satisfaction"] == 4.0
    own = as_user(api_client, loop, "econ").get("/api/v1/service-stats/?dimension=region").json()
    assert own["dimension"] == "department" and [r["label"] for r in own["rows"]] == ["市经信局"]
    assert own["overview"]["closed"] == 1
    assert as_user(api_client, loop, "ent_demo").get("/api/v1/service-stats/").status_code == 403
    assert as_user(api_client, loop, "county_ly").get("/api/v1/service-stats/").status_code == 403


def test_list_query_count_does_not_grow_with_rows(api_client, loop, django_assert_max_num_queries):
    for i in range(30):
        walk(file_request(loop, title=f"诉求{i}"), loop, ANSWERED[: i % 4])
    client = as_user(api_client, loop, "dispatcher")
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/service-requests/?page_size=100")
    assert response.json()["count"] == 30
