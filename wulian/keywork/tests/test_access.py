"""Who sees which tasks and meetings; pages and API; query counts."""

import pytest

from wulian.keywork.models import Decision

from .factories import chain_series, days, make_task, meeting


@pytest.fixture
def world(users):
    chain_meeting = meeting(series=chain_series("xcl"), on=days(-3), status="held")
    return {
        "jxj": make_task(title="经信任务"),
        "co": make_task(title="发改牵头营商配合", dept="fgw", co=["ysb"]),
        "chain": make_task(title="链会任务", dept="swj", source_meeting=chain_meeting),
        "city_meeting": meeting(on=days(2), title="市级例会"),
        "chain_meeting": chain_meeting,
        "other_chain": meeting(series=chain_series("xny"), on=days(1), title="新能源例会"),
    }


def titles(api_client, user, url="/api/v1/tasks/"):
    api_client.force_authenticate(user)
    response = api_client.get(url)
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("leader", {"经信任务", "发改牵头营商配合", "链会任务"}),
        ("econ", {"经信任务"}),
        ("dispatcher", {"发改牵头营商配合"}),
        ("chief_xcl", {"链会任务"}),
    ],
)
def test_tasks_are_scoped_by_role(api_client, users, world, username, expected):
    assert titles(api_client, users[username]) == expected


def test_meetings_are_scoped_by_role(api_client, users, world):
    assert titles(api_client, users["chief_xcl"], "/api/v1/meetings/") == {"市级例会", "例会"}
    assert len(titles(api_client, users["econ"], "/api/v1/meetings/")) == 3
    assert titles(api_client, users["county_ly"], "/api/v1/meetings/") == {"市级例会"}


def test_enterprise_and_county_refused(client, api_client, users, world):
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get("/api/v1/tasks/").status_code == 403
    assert api_client.get("/api/v1/meetings/").status_code == 403
    api_client.force_authenticate(users["county_ly"])
    assert api_client.get("/api/v1/tasks/").status_code == 403
    assert client.login(username="ent_demo", password="wulian-demo")
    for url in ["/keywork/tasks/", "/keywork/meetings/", "/keywork/late/"]:
        assert client.get(url).status_code == 403
    client.logout()
    assert client.login(username="econ", password="wulian-demo")
    assert client.get("/keywork/late/").status_code == 403  # leaders only
    assert client.get(f"/keywork/tasks/{world['co'].pk}/").status_code == 404


def test_api_report_close_and_rag_filter(api_client, users, world):
    task = world["jxj"]
    api_client.force_authenticate(users["econ"])
    url = f"/api/v1/tasks/{task.pk}/"
    body = api_client.post(
        url + "report/", {"progress_pct": 50, "summary": "过半"}, format="json"
    ).json()
    assert body["progress"] == 50 and body["rag"] in ("green", "amber")
    response = api_client.post(
        url + "close/", {"standard_met": False, "evidence": ""}, format="json"
    )
    assert response.status_code == 400 and "完成标准" in str(response.json())
    body = api_client.post(
        url + "close/", {"standard_met": True, "evidence": "验收"}, format="json"
    ).json()
    assert body["status"] == "done" and body["rag"] == "done"
    api_client.force_authenticate(users["leader"])
    done = api_client.get("/api/v1/tasks/?rag=done").json()
    assert [r["title"] for r in done["results"]] == ["经信任务"]


def test_api_meeting_flow(api_client, users, world):
    held = meeting(on=days(0), title="今日例会")
    api_client.force_authenticate(users["leader"])
    url = f"/api/v1/meetings/{held.pk}/"
    assert api_client.post(url + "draft-agenda/").status_code == 200
    assert api_client.post(url + "hold/", {"minutes": "纪要"}, format="json").json()["status"] == (
        "held"
    )
    decision = api_client.post(
        url + "decisions/",
        {
            "text": "限期解决用地",
            "task": {
                "work_item": "five_chains",
                "target_text": "落实指标",
                "lead_department": "zrzy",
                "responsible_person": "王五",
                "deadline": str(days(10)),
                "done_standard": "指标到项目",
            },
        },
        format="json",
    )
    assert decision.status_code == 201, decision.json()
    assert decision.json()["task"] is not None
    plain = api_client.post(url + "decisions/", {"text": "另议"}, format="json").json()
    task = api_client.post(
        url + "decision-task/",
        {
            "decision": plain["id"],
            "work_item": "five_chains",
            "target_text": "x",
            "lead_department": "jxj",
            "responsible_person": "赵六",
            "deadline": str(days(5)),
            "done_standard": "y",
        },
        format="json",
    )
    assert task.status_code == 201 and task.json()["title"] == "另议"
    assert Decision.objects.filter(meeting=held, task__isnull=False).count() == 2
    api_client.force_authenticate(users["county_ly"])
    assert api_client.post(url + "decisions/", {"text": "x"}, format="json").status_code == 403


def test_pages_render_within_query_budget(client, users, world, django_assert_max_num_queries):
    for i in range(30):
        make_task(title=f"批量{i}", co=["fgw"])
    assert client.login(username="leader", password="wulian-demo")
    with django_assert_max_num_queries(10):
        assert client.get("/keywork/tasks/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/keywork/late/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/keywork/meetings/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"/keywork/meetings/{world['city_meeting'].pk}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"/keywork/tasks/{world['jxj'].pk}/").status_code == 200


def test_api_list_query_count(api_client, users, world, django_assert_max_num_queries):
    for i in range(30):
        make_task(title=f"批量{i}", co=["fgw"])
    api_client.force_authenticate(users["leader"])
    with django_assert_max_num_queries(8):
        body = api_client.get("/api/v1/tasks/?page_size=100").json()
    assert body["count"] == 33


def test_create_task_by_page_and_api(client, api_client, users, world):
    assert client.login(username="econ", password="wulian-demo")
    form = {
        "work_item": world["jxj"].work_item_id,
        "title": "页面布置的任务",
        "target_text": "目标",
        "lead_department": world["jxj"].lead_department_id,
        "responsible_person": "张三",
        "deadline": str(days(30)),
        "done_standard": "标准",
        "cadence": "weekly",
        "milestone_1": "方案",
        "milestone_1_on": str(days(10)),
    }
    response = client.post("/keywork/tasks/new/", form)
    assert response.status_code == 302
    from wulian.keywork.models import Task

    task = Task.objects.get(title="页面布置的任务")
    assert list(task.milestones.values_list("name", flat=True)) == ["方案"]
    # staff may not set tasks for another department
    from wulian.core.models import Department

    form["lead_department"] = Department.objects.get(code="fgw").pk
    form["title"] = "越权任务"
    response = client.post("/keywork/tasks/new/", form)
    assert response.status_code == 400 and "无权" in response.content.decode()
    api_client.force_authenticate(users["leader"])
    response = api_client.post(
        "/api/v1/tasks/",
        {
            "work_item": "five_chains",
            "title": "接口任务",
            "target_text": "目标",
            "lead_department": "fgw",
            "responsible_person": "李四",
            "deadline": str(days(20)),
            "done_standard": "标准",
            "milestones": [{"name": "节点", "due_on": str(days(5))}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["milestones"][0]["name"] == "节点"
    response = api_client.post(
        "/api/v1/tasks/",
        {
            "work_item": "five_chains",
            "title": "x",
            "target_text": "x",
            "lead_department": "fgw",
            "responsible_person": "x",
            "deadline": str(days(-400)),
            "done_standard": "x",
        },
        format="json",
    )
    assert response.status_code == 400 and "定时限" in str(response.json())
