"""The request list and detail read in plain SQL (api/reads.py) answer what the serializers do.

The reference is the viewset's generic path (DRF's list and retrieve over the scoped ORM
queryset, the serializers on model instances), which the plain reads replace: for every role,
in both languages, over requests in every state, the bytes of the two answers are the same.
"""

import datetime as dt
import json

import pytest
from cachalot.api import cachalot_disabled
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework import mixins
from rest_framework.test import APIRequestFactory, force_authenticate

from wulian.chains.models import Chain, Link
from wulian.core.models import Department, User
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.service.api.views import ServiceRequestViewSet
from wulian.service.models import ServiceCategory, ServiceRequest
from wulian.service.services import submit_request, supply_material
from wulian.service.workflow import transition

from .factories import ANSWERED, ROUTED, setup_loop, walk

PDF = b"%PDF-1.4\n%test\n"
ROLES = ["leader", "admin", "dispatcher", "econ", "county_ly", "chief_xcl", "ent_demo", "nobody"]
LANGUAGES = ["zh-hans", "en"]
FILTERS = [
    "",
    "status=open",
    "status=closed",
    "status=awaiting_material",
    "category=policy",
    "department=jxj",
    "region=330825",
    "chain=xcl",
    "overdue=true",
    "overdue=false",
    "due=7d",
    "escalation=1",
    "escalation=3",
    "q=演示",
    "q=别家",
]


class ReferenceViewSet(ServiceRequestViewSet):
    """The serializers' own path: DRF's list and retrieve over model instances."""

    list = mixins.ListModelMixin.list
    retrieve = mixins.RetrieveModelMixin.retrieve


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def world(users, django_user_model):
    """Requests in every state, on and off the 新材料 chain, in two counties, with and without
    department, link, events by people and by the system, ratings and attachments."""
    categories, own_ent = setup_loop(users)
    chain = Chain.objects.create(code="xcl", name="新材料")
    link = Link.objects.create(chain=chain, code="f", name="含氟聚合物", segment="mid")
    other_ent = EnterpriseFactory(name="别家企业", region_id="330802")
    other_user = django_user_model.objects.create(username="other_ent", role="enterprise")
    other_ent.accounts.add(other_user)
    django_user_model.objects.create(username="nobody", role="county")  # no county: sees none
    fgw = {"department": Department.objects.get(code="fgw")}
    jxj = {"department": Department.objects.get(code="jxj")}
    ent, other = users["ent_demo"], other_user

    def file(actor, code="policy", days=0, **kwargs):
        return submit_request(
            actor=actor,
            category=categories[code],
            title=kwargs.pop("title", f"{code} 诉求"),
            description=kwargs.pop("description", "请协调解决"),
            now=days_ago(days) if days else None,
            **kwargs,
        )

    file(ent, link=link, title="演示企业新诉求")  # submitted
    file(other, days=30, title="别家逾期未受理")  # submitted, overdue
    walk(file(ent, days=3), users, ROUTED)  # routed to 经信局 by the rule
    walk(
        file(other, "land", days=60, title="别家用地", link=link),
        users,
        [("accept", "dispatcher", {}), ("route", "dispatcher", jxj), ("start", "econ", {})],
        when=days_ago(58),
    )  # in progress, long overdue
    paused = walk(file(ent, "finance", days=5), users, [*ROUTED[:1]])
    walk(paused, users, [("request_material", "dispatcher", {"reason": "请补充报表"})])
    resumed = walk(file(ent, link=link, days=8), users, ROUTED)
    resumed = transition(
        request=resumed, action="request_material", actor=users["econ"], reason="缺营业执照"
    )
    uploads = [SimpleUploadedFile("营业执照.pdf", PDF), SimpleUploadedFile("补充.pdf", PDF)]
    supply_material(actor=ent, request=resumed, note="已补充", files=uploads)
    walk(file(ent, days=12), users, ANSWERED)  # answered, awaiting the rating
    closed = walk(file(ent, days=20, title="演示已办结"), users, ANSWERED)
    walk(closed, users, [("confirm", "ent_demo", {"rating": 5, "comment": "很满意"})])
    silent = walk(file(ent, days=25), users, ANSWERED)
    walk(silent, users, [("auto_close", None, {})])  # closed by the system
    walk(file(other, "labor", days=2), users, [("reject", "dispatcher", {"reason": "不属实"})])
    walk(
        file(other, "approval", days=4, title="别家审批"),
        users,
        [("accept", "dispatcher", {}), ("route", "dispatcher", fgw)],
    )
    nowhere = file(ent, "other", days=1, title="无区县诉求")
    ServiceRequest.objects.filter(pk=nowhere.pk).update(region=None, link=None)
    assert ServiceRequest.objects.count() == 12
    return {"link": link}


def fresh(username):
    # A user as a request authenticates it: nothing cached on the instance from before.
    return User.objects.get(username=username)


def reference(path: str, username: str, language: str, **kwargs):
    request = APIRequestFactory().get(path, HTTP_ACCEPT_LANGUAGE=language)
    force_authenticate(request, user=fresh(username))
    actions = {"get": "retrieve" if kwargs else "list"}
    response = ReferenceViewSet.as_view(actions, detail=bool(kwargs))(request, **kwargs)
    response.render()
    return response


def fast(api_client, path: str, username: str, language: str):
    api_client.force_authenticate(fresh(username))
    return api_client.get(path, HTTP_ACCEPT_LANGUAGE=language)


def assert_same(got, want):
    assert got.status_code == want.status_code, (got.content, want.content)
    assert got.json() == json.loads(want.content)
    assert got.content == want.content


def visible_ids(username) -> list[int]:
    return list(
        ServiceRequest.objects.visible_to(fresh(username))
        .order_by("-submitted_at", "-id")
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ROLES)
def test_list_pages_answer_what_the_serializer_answers(
    api_client, world, username, language, orm_cache_on_and_off
):
    scope = visible_ids(username)
    seen = []
    for page in range(1, 7):
        path = f"/api/v1/service-requests/?page_size=3&page={page}"
        got = fast(api_client, path, username, language)
        assert_same(got, reference(path, username, language))
        if got.status_code == 404:  # past the last page, for both
            break
        body = got.json()
        assert body["count"] == len(scope)
        seen += [row["id"] for row in body["results"]]
    assert seen == scope
    if username == "nobody":
        assert scope == []
    else:
        assert scope, f"{username} should see some requests"


@pytest.mark.parametrize("username", ["leader", "dispatcher", "econ", "county_ly", "ent_demo"])
def test_filtered_lists_answer_what_the_serializer_answers(
    api_client, world, username, orm_cache_on_and_off
):
    counts = set()
    for query in FILTERS:
        path = f"/api/v1/service-requests/?{query}&page_size=4"
        got = fast(api_client, path, username, "zh-hans")
        assert_same(got, reference(path, username, "zh-hans"))
        counts.add(got.json()["count"])
    assert len(counts) > 2  # the filters did narrow the list


def test_a_bad_filter_is_the_same_400(api_client, world):
    for query in ["status=bogus", "escalation=9", "due=soon"]:
        path = f"/api/v1/service-requests/?{query}"
        got = fast(api_client, path, "leader", "zh-hans")
        assert got.status_code == 400, query
        assert_same(got, reference(path, "leader", "zh-hans"))


def test_a_request_by_its_number_and_the_whole_list_without_pages(api_client, world):
    pk = ServiceRequest.objects.get(title="别家审批").pk
    for query in [f"q=%23{pk}", f"q={pk}"]:
        path = f"/api/v1/service-requests/?{query}"
        got = fast(api_client, path, "dispatcher", "en")
        assert_same(got, reference(path, "dispatcher", "en"))
        assert [r["id"] for r in got.json()["results"]] == [pk]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ROLES)
def test_details_answer_what_the_serializer_answers(api_client, world, username, language):
    scope = set(visible_ids(username))
    every = ServiceRequest.objects.values_list("pk", flat=True)
    found = 0
    for pk in every:
        path = f"/api/v1/service-requests/{pk}/"
        got = fast(api_client, path, username, language)
        assert_same(got, reference(path, username, language, pk=str(pk)))
        assert (got.status_code == 200) == (pk in scope)
        found += got.status_code == 200
    assert found == len(scope)


def test_detail_shows_events_attachments_and_system_steps(api_client, world):
    resumed = ServiceRequest.objects.filter(attachments__isnull=False).distinct().get()
    body = fast(api_client, f"/api/v1/service-requests/{resumed.pk}/", "econ", "zh-hans").json()
    assert [a["original_name"] for a in body["attachments"]] == ["营业执照.pdf", "补充.pdf"]
    assert body["attachments"][0]["url"].startswith("/service/attachments/")
    assert [e["action"] for e in body["events"]][-2:] == ["request_material", "supply_material"]
    assert body["actions"] == ["start", "answer", "transfer", "request-material"]
    silent = ServiceRequest.objects.get(closed_by_silence=True)
    body = fast(api_client, f"/api/v1/service-requests/{silent.pk}/", "leader", "en").json()
    assert body["events"][-1]["actor_name"] == "System"
    assert body["status_display"] == "Closed"


@pytest.mark.parametrize("path", ["0", "999999", "abc", "9" * 40, "-1"])
def test_missing_or_malformed_ids_are_the_same_404(api_client, world, path):
    got = fast(api_client, f"/api/v1/service-requests/{path}/", "leader", "zh-hans")
    want = reference(f"/api/v1/service-requests/{path}/", "leader", "zh-hans", pk=path)
    assert_same(got, want)
    assert got.status_code in (400, 404)


def test_out_of_scope_detail_is_404(api_client, world):
    other = ServiceRequest.objects.get(title="别家审批")
    for username in ["econ", "county_ly", "chief_xcl", "ent_demo", "nobody"]:
        got = fast(api_client, f"/api/v1/service-requests/{other.pk}/", username, "zh-hans")
        assert got.status_code == 404, username
    assert fast(api_client, f"/api/v1/service-requests/{other.pk}/", "dispatcher", "en").json()[
        "department"
    ] == ("fgw")


@pytest.mark.parametrize(
    ("username", "attached", "statements"),
    # one statement for the request with its names and events, its scope's test and whether
    # it has attachments; its attachments only when it has some; an enterprise user's own
    # enterprises (the actions they may take)
    [
        ("leader", True, 2),
        ("county_ly", True, 2),
        ("ent_demo", True, 3),
        ("leader", False, 1),
        ("county_ly", False, 1),
        ("ent_demo", False, 2),
    ],
)
def test_detail_statements(
    api_client, world, username, attached, statements, django_assert_num_queries
):
    requests = ServiceRequest.objects.filter(enterprise__accounts__username="ent_demo")
    requests = requests.filter(attachments__isnull=not attached, region_id="330825")
    pk = requests.values("pk")[:1][0]["pk"]
    api_client.force_authenticate(fresh(username))
    api_client.get(f"/api/v1/service-requests/{pk}/")  # the calendar, read once per process
    api_client.force_authenticate(fresh(username))
    with cachalot_disabled(), django_assert_num_queries(statements):
        response = api_client.get(f"/api/v1/service-requests/{pk}/")
    assert response.status_code == 200
    assert bool(response.json()["attachments"]) is attached


@pytest.mark.parametrize(("username", "statements"), [("leader", 3), ("county_ly", 3)])
def test_list_statements_do_not_grow_with_rows(
    api_client, world, username, statements, django_assert_num_queries
):
    for i in range(20):
        submit_request(
            actor=fresh("ent_demo"),
            category=ServiceCategory.objects.get(code="policy"),
            title=f"批量{i}",
            description="x",
        )
    api_client.force_authenticate(fresh(username))
    api_client.get("/api/v1/service-requests/")
    api_client.force_authenticate(fresh(username))
    # the count, the page of ids, the rows with their names
    with cachalot_disabled(), django_assert_num_queries(statements):
        response = api_client.get("/api/v1/service-requests/?page_size=50")
    assert len(response.json()["results"]) >= 20


def test_the_plain_reads_of_who_a_user_is_agree_with_the_orm(world, django_assert_num_queries):
    from wulian.service.permissions import enterprise_ids, is_dispatcher

    for username in ["ent_demo", "other_ent", "econ", "leader"]:
        user = fresh(username)
        orm = set(user.enterprises.values_list("id", flat=True))
        with cachalot_disabled(), django_assert_num_queries(1):
            assert enterprise_ids(user) == orm
        assert len(enterprise_ids(user)) == (0 if username in ("econ", "leader") else 1)
    for username, expected in [("dispatcher", True), ("econ", False), ("county_ly", False)]:
        user = fresh(username)
        assert is_dispatcher(user) is expected
        with django_assert_num_queries(0):  # kept on the user for the request
            assert is_dispatcher(user) is expected
    # a user moved to another department is asked again
    user = fresh("econ")
    assert not is_dispatcher(user)
    user.department = Department.objects.get(code="ysb")
    assert is_dispatcher(user)
    user = fresh("econ")
    assert not is_dispatcher(user)
    user.department_id = Department.objects.get(code="ysb").pk
    assert is_dispatcher(user)


@pytest.mark.parametrize("username", ["leader", "dispatcher"])
def test_a_detail_read_with_a_token_takes_two_statements(
    client, world, username, django_assert_num_queries
):
    # given a request without attachments and a user signed in by API token (a department's
    # staff has its department loaded with the token: the dispatcher flag needs no statement)
    from rest_framework.authtoken.models import Token

    pk = ServiceRequest.objects.filter(attachments__isnull=True).values("pk")[:1][0]["pk"]
    token = Token.objects.create(user=fresh(username))
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    client.get(f"/api/v1/service-requests/{pk}/", **headers)  # the calendar, once per process
    # when the request is read, then: the token with its user, the request with its events
    with cachalot_disabled(), django_assert_num_queries(2):
        response = client.get(f"/api/v1/service-requests/{pk}/", **headers)
    assert response.status_code == 200
