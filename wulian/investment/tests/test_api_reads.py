"""The project API's plain-SQL reads (api/rows.py) answer what the serializers answer on the
ORM path (the view's get_queryset, ProjectSerializer / ProjectDetailSerializer), for every
role, in both languages, on lists with their filters, ordering and pages."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from wulian.chains.models import Chain, TargetCompany
from wulian.core.models import Department
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.investment.api.serializers import ProjectDetailSerializer, ProjectSerializer
from wulian.investment.api.views import ProjectViewSet
from wulian.investment.filtersets import ProjectFilterSet
from wulian.investment.models import MonthlyInvestment, Project, ProjectEvent
from wulian.investment.querysets import stalled_days

from .factories import LinkFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = ["leader", "chief_xcl", "econ", "county_ly", "dispatcher", "admin"]
LANGUAGES = ["zh-hans", "en"]


def ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def world(users):
    """Projects in every stage, with and without links, events, investor, department."""
    xcl = Chain.objects.create(code="xcl", name="新材料", sort=3)
    first = LinkFactory(chain=xcl, sort=2)
    second = LinkFactory(chain=xcl, sort=1)
    other = LinkFactory(chain=Chain.objects.create(code="xny", name="新能源", sort=1))
    tied = LinkFactory(chain=xcl, sort=2)  # orders as `first` does: the id breaks the tie
    fgw = Department.objects.get(code="fgw")
    investor = TargetCompany.objects.create(name="某新材料集团")
    cutoff = stalled_days()
    made = [
        ProjectFactory(
            name="甲", stage="lead", links=[tied, first, second, other], investor=investor
        ),
        ProjectFactory(
            name="乙",
            stage="negotiating",
            region_id="330802",
            lead_department=fgw,
            links=[other],
            stage_entered_on=ago(cutoff + 1),
        ),
        ProjectFactory(
            name="丙",
            stage="producing",
            stage_entered_on=ago(400),
            company_name="丙新材料有限公司",
            uscc="91330800MA2TEST01X",
            enterprise=EnterpriseFactory(),
        ),
        ProjectFactory(
            name="丁", stage="lost", lost_reason="外迁", lead_department=None, investor_name=""
        ),
        ProjectFactory(
            name="戊", stage="signed", planned_wan=Decimal("1000000"), is_synthetic=True
        ),
        ProjectFactory(name="己", stage="land", stage_entered_on=ago(cutoff), links=[second]),
        ProjectFactory(name="庚", stage="started", region_id="330881", lead_department=fgw),
        ProjectFactory(name="辛", stage="completed", planned_wan=Decimal("0.50"), links=[first]),
    ]
    for i in range(5):  # equal amounts: the id breaks the tie
        ProjectFactory(name=f"同额{i}", planned_wan=Decimal("88888.88"), region_id="330803")
    for month, amount in [(1, "0.10"), (2, "0.20"), (3, "1234.56")]:
        MonthlyInvestment.objects.create(
            project=made[0], month=dt.date(2025, month, 1), amount_wan=Decimal(amount)
        )
    MonthlyInvestment.objects.create(
        project=made[6], month=dt.date(2025, 1, 1), amount_wan=Decimal("99999999.99")
    )
    leader = users["leader"]
    for project, moves in [
        # several links and several events: one statement reads each event once
        (made[0], [("", "lead", 12), ("lead", "negotiating", 11), ("negotiating", "lead", 11)]),
        (made[1], [("", "lead", 30), ("lead", "negotiating", 20)]),
        (made[4], [("lead", "signed", 9), ("signed", "negotiating", 8)]),
        (made[4], [("negotiating", "signed", 3)]),
        (made[3], [("negotiating", "lost", 1)]),
    ]:
        for from_stage, to_stage, days in moves:
            ProjectEvent.objects.create(
                project=project,
                from_stage=from_stage,
                to_stage=to_stage,
                on=ago(days),
                actor=leader if days % 2 else None,
                note=f"{from_stage}→{to_stage}",
            )
    return made


def reference_view(user, action):
    request = APIRequestFactory().get("/api/v1/projects/")
    request.user = user
    view = ProjectViewSet(request=request, action=action, format_kwarg=None, kwargs={})
    return view


def rendered(data):
    """What the API's JSON renderer writes, parsed back (keys in their order)."""
    return json.loads(JSONRenderer().render(data))


def reference_detail(user, pk):
    found = reference_view(user, "retrieve").get_queryset().filter(pk=pk).first()
    return None if found is None else rendered(ProjectDetailSerializer(found).data)


def reference_list(user, params: dict, page_size: int, page: int):
    queryset = reference_view(user, "list").get_queryset()
    filterset = ProjectFilterSet(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    rows = list(filterset.qs)
    start = (page - 1) * page_size
    return len(rows), rendered(ProjectSerializer(rows[start : start + page_size], many=True).data)


def same(got, want):
    assert got == want
    assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ROLES)
def test_detail_answers_what_the_serializer_answers(api_client, users, world, username, language):
    user = users[username]
    api_client.force_authenticate(user)
    visible = set(Project.objects.visible_to(user).values_list("pk", flat=True))
    seen = 0
    for project in Project.objects.all():
        response = api_client.get(f"/api/v1/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE=language)
        if project.pk not in visible:
            assert response.status_code == 404
            assert reference_detail(user, project.pk) is None
            continue
        assert response.status_code == 200, response.content
        with translation.override(language):
            want = reference_detail(user, project.pk)
        same(response.json(), want)
        seen += 1
    assert seen == len(visible)
    if username == "leader":
        assert seen == Project.objects.count()


def test_detail_fields_are_the_ones_the_fixture_set(api_client, users, world):
    # the comparison above would pass on two empty answers: check some values outright
    api_client.force_authenticate(users["leader"])
    data = api_client.get(f"/api/v1/projects/{world[0].pk}/").json()
    assert data["completed_wan"] == "1234.86"
    assert data["investor_display"] == "某新材料集团" and data["stage_display"] == "线索"
    assert data["lead_department"] == "jxj" and data["region_name"]
    # links in the ORM's order: the chain's sort first (xny 1 before xcl 3), then the link's,
    # then the id; each of its three events once, though it has four links
    first, second, other, tied = (link.pk for link in world[0].links.order_by("pk"))
    assert data["links"] == [other, second, first, tied]
    assert [e["note"] for e in data["events"]] == [
        "→lead",
        "lead→negotiating",
        "negotiating→lead",
    ]
    stalled = api_client.get(f"/api/v1/projects/{world[1].pk}/").json()
    assert stalled["is_stalled"] is True and stalled["next_stage"] == "signed"
    assert [e["to_stage"] for e in stalled["events"]] == ["lead", "negotiating"]
    assert api_client.get(f"/api/v1/projects/{world[5].pk}/").json()["is_stalled"] is False
    reverted = api_client.get(f"/api/v1/projects/{world[4].pk}/").json()["events"]
    assert [e["is_revert"] for e in reverted] == [False, True, False]
    english = api_client.get(f"/api/v1/projects/{world[3].pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["stage_display"] == "Lost" and english["lead_department"] is None


@pytest.mark.parametrize("pk", ["0", "999999", "9" * 30, "-1", "abc"])
def test_a_missing_project_is_the_same_404(api_client, users, world, pk):
    api_client.force_authenticate(users["leader"])
    response = api_client.get(f"/api/v1/projects/{pk}/")
    assert response.status_code == 404
    hidden = api_client.get(f"/api/v1/projects/{world[1].pk}/")
    api_client.force_authenticate(users["county_ly"])
    out_of_scope = api_client.get(f"/api/v1/projects/{world[1].pk}/")
    assert hidden.status_code == 200 and out_of_scope.status_code == 404
    assert response.json() == out_of_scope.json()


def test_enterprise_users_are_refused_both_reads(api_client, users, world):
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get(f"/api/v1/projects/{world[0].pk}/").status_code == 403
    assert api_client.get("/api/v1/projects/").status_code == 403


LIST_QUERIES = [
    {},
    {"stage": "lead"},
    {"region": "330825"},
    {"region": "330800"},
    {"chain": "xcl"},
    {"lead_department": "fgw"},
    {"is_major": "true"},
    {"stalled": "true"},
    {"stalled": "false"},
    {"q": "新材料"},
    {"is_synthetic": "false", "region": "330803"},
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ROLES)
def test_list_pages_answer_what_the_serializer_answers(
    api_client, users, world, username, language, orm_cache_on_and_off
):
    user = users[username]
    api_client.force_authenticate(user)
    compared = 0
    for params in [*LIST_QUERIES, {"link": str(world[0].links.order_by("pk").first().pk)}]:
        for page_size in (3, 50):
            page = 1
            while True:
                query = {**params, "page_size": page_size, "page": page}
                response = api_client.get("/api/v1/projects/", query, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, (query, response.content)
                body = response.json()
                with translation.override(language):
                    count, want = reference_list(user, params, page_size, page)
                assert body["count"] == count
                same(body["results"], want)
                compared += len(want)
                if not body["next"]:
                    break
                page += 1
    if username in ("leader", "admin"):
        assert compared > 2 * Project.objects.count()
    if username == "dispatcher":
        assert compared == 0


def test_list_refusals_are_the_filterset_s(api_client, users, world):
    api_client.force_authenticate(users["leader"])
    assert api_client.get("/api/v1/projects/", {"stage": "bogus"}).status_code == 400
    assert api_client.get("/api/v1/projects/", {"link": "x"}).status_code == 400
    assert api_client.get("/api/v1/projects/", {"page": 99}).status_code == 404


def test_a_changed_stalled_setting_is_followed(api_client, users, world, settings):
    api_client.force_authenticate(users["leader"])
    url = f"/api/v1/projects/{world[5].pk}/"
    assert api_client.get(url).json()["is_stalled"] is False
    settings.INVESTMENT_STALLED_DAYS = stalled_days() - 1
    data = api_client.get(url).json()
    assert data["is_stalled"] is True
    same(data, reference_detail(users["leader"], world[5].pk))


def test_statements_per_read(api_client, users, world, django_assert_num_queries):
    # a leader's scope is the whole table: the row with its links and events in one
    api_client.force_authenticate(users["leader"])
    with django_assert_num_queries(1):
        assert api_client.get(f"/api/v1/projects/{world[1].pk}/").status_code == 200
    # any other scope is tested in that same statement
    api_client.force_authenticate(users["chief_xcl"])
    with django_assert_num_queries(1):
        assert api_client.get(f"/api/v1/projects/{world[0].pk}/").status_code == 200
    with django_assert_num_queries(1):
        assert api_client.get(f"/api/v1/projects/{world[1].pk}/").status_code == 404
    # a list: the count, the page's ids, the rows with their links (whatever the page size)
    for username in ("leader", "county_ly"):
        api_client.force_authenticate(users[username])
        with django_assert_num_queries(3):
            response = api_client.get("/api/v1/projects/", {"page_size": 50, "stage": "lead"})
            assert response.json()["results"]
        with django_assert_num_queries(3):
            assert len(api_client.get("/api/v1/projects/").json()["results"]) > 2
