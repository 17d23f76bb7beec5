"""Who sees which projects (pages and API), the API actions, and query counts."""

import pytest

from wulian.chains.models import Chain
from wulian.core.models import Department

from .factories import LinkFactory, ProjectFactory, pdf_upload


@pytest.fixture
def world(users):
    xcl = LinkFactory(chain__code="xcl", chain__name="新材料")
    other_chain = Chain.objects.create(code="xny", name="新能源")
    xny = LinkFactory(chain=other_chain)
    fgw = Department.objects.get(code="fgw")
    return {
        "jxj_ly": ProjectFactory(name="经信龙游", region_id="330825", links=[xcl]),
        "fgw_kc": ProjectFactory(
            name="发改柯城", region_id="330802", lead_department=fgw, links=[xny]
        ),
        "fgw_ly": ProjectFactory(
            name="发改龙游", region_id="330825", lead_department=fgw, links=[xcl, xny]
        ),
    }


def names(api_client, user):
    api_client.force_authenticate(user)
    response = api_client.get("/api/v1/projects/")
    assert response.status_code == 200
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("leader", {"经信龙游", "发改柯城", "发改龙游"}),
        ("admin", {"经信龙游", "发改柯城", "发改龙游"}),
        ("econ", {"经信龙游"}),
        ("chief_xcl", {"经信龙游", "发改龙游"}),
        ("county_ly", {"经信龙游", "发改龙游"}),
        ("dispatcher", set()),
    ],
)
def test_api_is_scoped_by_role(api_client, users, world, username, expected):
    assert names(api_client, users[username]) == expected


def test_enterprise_users_and_anonymous_are_refused(client, api_client, users, world):
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get("/api/v1/projects/").status_code == 403
    assert client.login(username="ent_demo", password="wulian-demo")
    for url in ["/investment/", "/investment/projects/", "/investment/totals/"]:
        assert client.get(url).status_code == 403
    client.logout()
    response = client.get("/investment/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/projects/").status_code in (401, 403)


def test_invisible_project_is_404(client, api_client, users, world):
    pk = world["fgw_kc"].pk
    api_client.force_authenticate(users["county_ly"])
    assert api_client.get(f"/api/v1/projects/{pk}/").status_code == 404
    assert api_client.post(f"/api/v1/projects/{pk}/advance/").status_code == 404
    assert client.login(username="county_ly", password="wulian-demo")
    assert client.get(f"/investment/projects/{pk}/").status_code == 404


def test_api_transition_actions(api_client, users, world):
    project = world["jxj_ly"]
    api_client.force_authenticate(users["econ"])
    url = f"/api/v1/projects/{project.pk}/"
    body = api_client.post(url + "advance/").json()
    assert body["stage"] == "negotiating" and body["events"][-1]["to_stage"] == "negotiating"
    response = api_client.post(url + "transition/", {"stage": "producing"}, format="json")
    assert response.status_code == 400
    assert "不能从“洽谈”转为“投产/达产”" in str(response.json())
    response = api_client.post(url + "advance/")
    assert response.status_code == 400 and "投资协议" in str(response.json())
    upload = api_client.post(
        url + "documents/", {"kind": "agreement", "file": pdf_upload()}, format="multipart"
    )
    assert upload.status_code == 201
    assert api_client.post(url + "advance/").json()["stage"] == "signed"
    lost = api_client.post(url + "transition/", {"stage": "lost", "reason": "x"}, format="json")
    assert lost.json()["stage"] == "lost" and lost.json()["lost_reason"] == "x"


def test_api_create_and_from_target(api_client, users, world):
    from wulian.chains.models import TargetCompany

    api_client.force_authenticate(users["econ"])
    response = api_client.post(
        "/api/v1/projects/",
        {"name": "新线索", "investor_name": "甲集团", "region": "330825", "planned_wan": "800"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "lead"
    target = TargetCompany.objects.create(name="乙集团")
    response = api_client.post("/api/v1/projects/from-target/", {"target": target.pk})
    assert response.status_code == 201 and response.json()["investor"] == target.pk
    api_client.force_authenticate(users["county_ly"])
    response = api_client.post("/api/v1/projects/from-target/", {"target": target.pk})
    assert response.status_code == 403


def test_board_button_moves_a_project_with_htmx(client, users, world):
    project = world["jxj_ly"]
    assert client.login(username="econ", password="wulian-demo")
    response = client.post(f"/investment/projects/{project.pk}/advance/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    project.refresh_from_db()
    assert project.stage == "negotiating"
    response = client.post(f"/investment/projects/{project.pk}/advance/", HTTP_HX_REQUEST="true")
    assert "投资协议" in response.content.decode()


def test_open_lead_page_endpoint(client, users):
    from wulian.chains.models import TargetCompany

    target = TargetCompany.objects.create(name="丙集团")
    assert client.login(username="leader", password="wulian-demo")
    response = client.post(f"/investment/targets/{target.pk}/open-lead/")
    assert response.status_code == 302 and "/investment/projects/" in response["Location"]


def test_pages_render_and_query_counts(client, users, world, django_assert_max_num_queries):
    for i in range(40):
        ProjectFactory(name=f"批量{i}", stage=["lead", "signed", "started"][i % 3])
    assert client.login(username="leader", password="wulian-demo")
    with django_assert_max_num_queries(20):
        assert client.get("/investment/").status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get("/investment/projects/?stage=signed")
        assert page.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/investment/totals/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/investment/projects/{world['jxj_ly'].pk}/").status_code == 200


def test_api_list_query_count(api_client, users, world, django_assert_max_num_queries):
    for i in range(40):
        ProjectFactory(name=f"批量{i}", links=[LinkFactory()])
    api_client.force_authenticate(users["leader"])
    with django_assert_max_num_queries(8):
        body = api_client.get("/api/v1/projects/?page_size=100").json()
    assert body["count"] == 43
    overview = api_client.get("/api/v1/projects/overview/").json()
    assert overview["total"]["count"] == 43


def test_edit_fills_what_the_checklist_asks_for(client, api_client, users, world):
    from wulian.chains.models import TargetCompany
    from wulian.investment import services

    target = TargetCompany.objects.create(name="远方集团")
    lead = services.open_lead_for_target(actor=users["leader"], target=target, links=[])
    assert lead.region_id == "330800"
    api_client.force_authenticate(users["leader"])
    url = f"/api/v1/projects/{lead.pk}/"
    body = api_client.patch(
        url, {"region": "330825", "responsible_leader": "王副市长"}, format="json"
    ).json()
    assert body["region"] == "330825" and body["responsible_leader"] == "王副市长"
    assert body["stage"] == "lead"
    bad = api_client.patch(url, {"uscc": "123"}, format="json")
    assert bad.status_code == 400 and "18位" in str(bad.json())
    assert client.login(username="leader", password="wulian-demo")
    link = world["jxj_ly"].links.first()
    response = client.post(
        f"/investment/projects/{lead.pk}/edit/",
        {
            "name": "改名项目",
            "investor": target.pk,
            "region": "330825",
            "planned_wan_0": "0.12",  # entered in 亿元, as the pages show it
            "planned_wan_1": "yi",
            "links": [link.pk],
            "responsible_leader": "王副市长",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.name == "改名项目" and list(lead.links.all()) == [link]
    assert lead.planned_wan == 1200  # 0.12 亿元 is stored as 1,200 万元
    assert client.get(f"/investment/projects/{lead.pk}/edit/").status_code == 200
    api_client.force_authenticate(users["county_ly"])
    other = world["fgw_kc"]
    assert api_client.patch(f"/api/v1/projects/{other.pk}/", {"name": "x"}).status_code == 404
