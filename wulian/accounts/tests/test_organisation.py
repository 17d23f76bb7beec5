"""Departments and counties: administrators create, rename and mark the dispatcher, on the
page and through the API; audited; bad input refused in Chinese with nothing written."""

import pytest
from django.urls import reverse

from wulian.core.models import AuditEvent, Department, Region


def test_admin_creates_renames_and_marks_a_department_through_the_api(api_client, users):
    api_client.force_authenticate(users["admin"])
    # when an administrator creates a department in 龙游县
    created = api_client.post(
        "/api/v1/departments/",
        {"code": "ly-jxj", "name": "龙游县经信局", "region": "330825"},
        format="json",
    )
    # then it exists, audited
    assert created.status_code == 201, created.json()
    assert created.json() == {
        "code": "ly-jxj",
        "name": "龙游县经信局",
        "region": "330825",
        "is_dispatcher": False,
    }
    dept = Department.objects.get(code="ly-jxj")
    assert AuditEvent.objects.filter(model="core.department", object_id=str(dept.pk)).count() == 1
    # renamed and marked as a dispatcher
    changed = api_client.patch(
        "/api/v1/departments/ly-jxj/",
        {"name": "龙游县经济和信息化局", "is_dispatcher": True},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    dept.refresh_from_db()
    assert dept.name == "龙游县经济和信息化局" and dept.is_dispatcher
    event = AuditEvent.objects.filter(model="core.department", object_id=str(dept.pk)).first()
    assert event.before == {"name": "龙游县经信局", "is_dispatcher": False}
    assert event.after == {"name": "龙游县经济和信息化局", "is_dispatcher": True}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"code": "JX J", "name": "甲局"}, "code", "部门代码须为"),
        ({"code": "jxj", "name": "重复代码局"}, "code", "部门代码“jxj”已存在"),
        ({"code": "new-dept", "name": "市经信局"}, "name", "已有名为“市经信局”的部门"),
        ({"code": "new-dept", "name": "新局", "region": "330100"}, "region", "不是本市"),
        ({"code": "new-dept"}, "name", "请填写部门名称"),
    ],
)
def test_bad_departments_are_refused_in_chinese(api_client, users, body, field, message):
    api_client.force_authenticate(users["admin"])
    before = Department.objects.count()
    response = api_client.post("/api/v1/departments/", body, format="json")
    assert response.status_code == 400
    assert message in "".join(response.json()[field]), response.json()
    assert Department.objects.count() == before
    assert not AuditEvent.objects.filter(model="core.department").exists()


def test_the_last_dispatcher_cannot_be_unmarked_and_codes_do_not_change(api_client, users):
    api_client.force_authenticate(users["admin"])
    unmark = api_client.patch("/api/v1/departments/ysb/", {"is_dispatcher": False}, format="json")
    assert unmark.status_code == 400
    assert "至少要保留一个受理派单部门" in unmark.json()["is_dispatcher"][0]
    recode = api_client.patch("/api/v1/departments/ysb/", {"code": "ysb2"}, format="json")
    assert recode.status_code == 400 and "不能修改" in recode.json()["code"][0]
    assert Department.objects.get(code="ysb").is_dispatcher


def test_admin_adds_and_renames_a_county(api_client, users):
    api_client.force_authenticate(users["admin"])
    created = api_client.post(
        "/api/v1/regions/",
        {"code": "330899", "name": "衢州智造新城", "short_name": "智造新城", "sort": 9},
        format="json",
    )
    assert created.status_code == 201, created.json()
    county = Region.objects.get(code="330899")
    assert county.level == "county" and county.parent_id == "330800"
    renamed = api_client.patch("/api/v1/regions/330899/", {"name": "智造新城"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "智造新城"
    assert AuditEvent.objects.filter(model="core.region", object_id="330899").count() == 2
    # the new county can be given to a department and to county staff at once
    dept = api_client.post(
        "/api/v1/departments/", {"code": "zzxc", "name": "新城管委会", "region": "330899"}
    )
    assert dept.status_code == 201


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"code": "320101", "name": "外市区"}, "以 3308 开头"),
        ({"code": "330825", "name": "龙游县"}, "已存在"),
        ({"code": "3308", "name": "短码"}, "6 位"),
    ],
)
def test_bad_counties_are_refused(api_client, users, body, message):
    api_client.force_authenticate(users["admin"])
    response = api_client.post("/api/v1/regions/", body, format="json")
    assert response.status_code == 400
    assert message in "".join(response.json()["code"]), response.json()


def test_a_peer_city_is_not_a_county_to_rename(api_client, users):
    api_client.force_authenticate(users["admin"])
    response = api_client.patch("/api/v1/regions/330100/", {"name": "改名"}, format="json")
    assert response.status_code == 400
    assert Region.objects.get(code="330100").name != "改名"


@pytest.mark.parametrize("username", ["leader", "econ", "dispatcher", "county_ly", "ent_demo"])
def test_only_administrators_write(api_client, client, users, username):
    api_client.force_authenticate(users[username])
    assert api_client.get("/api/v1/departments/").status_code == 200
    body = {"code": "x-dept", "name": "某局"}
    assert api_client.post("/api/v1/departments/", body, format="json").status_code == 403
    patch = api_client.patch("/api/v1/departments/jxj/", {"name": "改名"}, format="json")
    assert patch.status_code == 403
    county = {"code": "330899", "name": "新区"}
    assert api_client.post("/api/v1/regions/", county, format="json").status_code == 403
    client.force_login(users[username])
    assert client.get(reverse("accounts:organisation")).status_code == 403
    page = client.post(reverse("accounts:department-edit", args=["jxj"]), {"name": "改名"})
    assert page.status_code == 403
    assert Department.objects.get(code="jxj").name == "市经信局"
    assert not Department.objects.filter(code="x-dept").exists()


def test_the_page_adds_a_department_and_renames_a_county(client, users):
    client.force_login(users["admin"])
    page = client.get(reverse("accounts:organisation")).content.decode()
    assert "营商办" in page and "龙游县" in page
    added = client.post(
        reverse("accounts:organisation"),
        {"kind": "department", "d-code": "kjj2", "d-name": "科技二局", "d-region": "330800"},
    )
    assert added.status_code == 302
    assert Department.objects.get(code="kjj2").name == "科技二局"
    refused = client.post(
        reverse("accounts:organisation"),
        {"kind": "county", "c-code": "12", "c-name": "坏", "c-sort": "0"},
    )
    assert refused.status_code == 400 and "6 位行政区划代码" in refused.content.decode()
    renamed = client.post(
        reverse("accounts:county-edit", args=["330825"]),
        {"name": "龙游县", "short_name": "龙游", "sort": "5"},
    )
    assert renamed.status_code == 302
    assert Region.objects.get(code="330825").short_name == "龙游"
    marked = client.post(
        reverse("accounts:department-edit", args=["jxj"]),
        {"name": "市经信局", "region": "330800", "is_dispatcher": "on"},
    )
    assert marked.status_code == 302 and Department.objects.get(code="jxj").is_dispatcher
