"""Open311 GeoReport v2 with our own client: public reads, redaction, XML, filing, errors.

`test_open311_client.py` reads the same endpoints with a client library from PyPI.
"""

import io

import pytest
import xmltodict
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from wulian.chains.models import Chain, Link
from wulian.core.models import AuditEvent, Department
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.service.models import Open311Key, ServiceCategory, ServiceEvent, ServiceRequest
from wulian.service.open311_services import issue_open311_key, revoke_open311_key
from wulian.service.services import add_attachment, submit_request
from wulian.service.workflow import transition

from .factories import setup_loop

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(users, django_user_model):
    """Own request (龙游, 新材料, routed to 经信局, with an attachment and the enterprise's name
    in its text); another enterprise's 融资 request (a private category) in 柯城."""
    _categories, enterprise = setup_loop(users)
    chain = Chain.objects.create(code="xcl", name="新材料")
    link = Link.objects.create(chain=chain, code="f", name="含氟聚合物", segment="mid")
    other_ent = EnterpriseFactory(name="浙江别家化工有限公司", region_id="330802")
    other_user = django_user_model.objects.create(username="other_ent", role="enterprise")
    other_ent.accounts.add(other_user)
    own = submit_request(
        actor=users["ent_demo"],
        category=ServiceCategory.objects.get(code="policy"),
        title="本企业诉求",
        description=f"{enterprise.name}申请亩均效益奖励，联系人在演示企业办公室。",
        link=link,
    )
    add_attachment(
        actor=users["ent_demo"],
        request=own,
        upload=SimpleUploadedFile("证明.png", PNG, content_type="image/png"),
    )
    other = submit_request(
        actor=other_user,
        category=ServiceCategory.objects.get(code="finance"),
        title="别家诉求",
        description="流动资金贷款 3000 万元，抵押物为厂房。",
    )
    for request, dept in ((own, "jxj"), (other, "jrb")):
        request = transition(request=request, action="accept", actor=users["dispatcher"])
        transition(
            request=request,
            action="route",
            actor=users["dispatcher"],
            department=Department.objects.get(code=dept),
        )
    return {"own": own, "other": other, "enterprise": enterprise, "other_ent": other_ent}


def _xml(response):
    assert response["Content-Type"].startswith("application/xml")
    return xmltodict.parse(response.content, force_list=("service", "request", "error"))


def test_services_are_public_in_json_and_xml(client, users, world):
    body = client.get("/open311/v2/services.json")
    assert body.status_code == 200
    rows = {s["service_code"]: s for s in body.json()}
    assert rows["land"]["service_name"] == "用地"
    assert rows["land"]["metadata"] is True and rows["policy"]["metadata"] is False
    assert "答复 15 个工作日内" in rows["land"]["description"]
    doc = _xml(client.get("/open311/v2/services.xml"))
    codes = [s["service_code"] for s in doc["services"]["service"]]
    assert codes == list(rows)
    land = next(s for s in doc["services"]["service"] if s["service_code"] == "land")
    assert land["metadata"] == "true" and land["group"] == "企呼我应"


def test_service_definition_lists_the_category_attributes(client, world):
    body = client.get("/open311/v2/services/land.json").json()
    assert body["service_code"] == "land"
    area, use = body["attributes"]
    assert (area["code"], area["datatype"], area["required"], area["order"]) == (
        "area_mu",
        "number",
        True,
        1,
    )
    assert area["variable"] is True and area["description"] == "拟用地面积（亩）"
    assert {"key": "industrial", "name": "工业用地"} in use["values"]
    doc = _xml(client.get("/open311/v2/services/land.xml"))["service_definition"]
    assert doc["service_code"] == "land"
    attrs = doc["attributes"]["attribute"]
    assert [a["code"] for a in attrs] == ["area_mu", "land_use"]
    assert [v["name"] for v in attrs[1]["values"]["value"]] == ["工业用地", "仓储用地", "其他"]
    assert client.get("/open311/v2/services/policy.json").json()["attributes"] == []


def test_anonymous_requests_are_redacted(client, world):
    rows = {r["service_request_id"]: r for r in client.get("/open311/v2/requests.json").json()}
    own, other = rows[str(world["own"].pk)], rows[str(world["other"].pk)]
    # category, status, county, dates and department are public
    assert (own["service_code"], own["status"], own["address"], own["address_id"]) == (
        "policy",
        "open",
        "龙游县",
        "330825",
    )
    assert own["agency_responsible"] == "市经信局" and own["requested_datetime"]
    # never the enterprise, nor attachments, nor the text of a private category
    assert own["description"] == "某企业申请亩均效益奖励，联系人在某企业办公室。"
    assert own["media_url"] == ""
    assert other["description"] == "" and other["service_code"] == "finance"
    text = str(rows)
    for secret in ("演示企业", "别家化工", world["enterprise"].uscc, "本企业诉求", "3000 万元"):
        assert secret not in text
    assert not {"account_id", "enterprise_name", "title"} & set(own)


def test_anonymous_xml_is_redacted_too(client, world):
    doc = _xml(client.get("/open311/v2/requests.xml"))
    rows = doc["service_requests"]["request"]
    assert {r["service_request_id"] for r in rows} == {str(world["own"].pk), str(world["other"].pk)}
    assert "演示企业" not in client.get("/open311/v2/requests.xml").content.decode()
    one = _xml(client.get(f"/open311/v2/requests/{world['other'].pk}.xml"))
    (row,) = one["service_requests"]["request"]
    assert row["description"] is None and row["agency_responsible"] == "市金融办"


FULL = [
    ("leader", {"own", "other"}),
    ("dispatcher", {"own", "other"}),
    ("econ", {"own"}),
    ("county_ly", {"own"}),
    ("chief_xcl", {"own"}),
    ("ent_demo", {"own"}),
]


@pytest.mark.parametrize(("username", "full"), FULL)
def test_signed_in_users_get_full_detail_within_their_scope(
    api_client, users, world, username, full
):
    api_client.force_authenticate(users[username])
    rows = {r["service_request_id"]: r for r in api_client.get("/open311/v2/requests.json").json()}
    assert set(rows) == {str(world["own"].pk), str(world["other"].pk)}
    shown = {name for name in ("own", "other") if "account_id" in rows[str(world[name].pk)]}
    assert shown == full
    own = rows[str(world["own"].pk)]
    if "own" in full:
        assert own["enterprise_name"] == "演示企业" and own["title"] == "本企业诉求"
        assert own["account_id"] == world["enterprise"].uscc
        assert own["description"].startswith("演示企业申请")
        assert own["media_url"].startswith("http://testserver/service/attachments/")
    if "other" not in full:
        assert rows[str(world["other"].pk)]["description"] == ""


def test_single_request_and_filters(client, world):
    own = world["own"].pk
    (row,) = client.get(f"/open311/v2/requests/{own}.json").json()
    assert row["service_request_id"] == str(own)
    missing = client.get("/open311/v2/requests/999999.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "没有编号为 999999 的诉求。"}]
    assert client.get("/open311/v2/requests.json?service_code=land").json() == []
    assert len(client.get("/open311/v2/requests.json?service_code=policy,finance").json()) == 2
    assert client.get("/open311/v2/requests.json?status=closed").json() == []
    assert len(client.get("/open311/v2/requests.json?status=open,closed").json()) == 2
    ids = f"{own},{world['other'].pk}"
    assert len(client.get(f"/open311/v2/requests.json?service_request_id={ids}").json()) == 2
    old = client.get("/open311/v2/requests.json?end_date=2000-01-01T00:00:00Z").json()
    assert old == []


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/open311/v2/requests.json?start_date=yesterday", 400, "W3C 日期时间"),
        ("/open311/v2/requests.json?service_request_id=1;drop", 400, "数字编号"),
        ("/open311/v2/requests.json?status=pending", 400, "open 或 closed"),
        ("/open311/v2/services/nope.json", 404, "没有代码为 nope 的诉求类别"),
        ("/open311/v2/services.json?jurisdiction_id=330100", 404, "jurisdiction_id"),
    ],
)
def test_errors_use_the_standard_format_in_chinese(client, world, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    (error,) = response.json()
    assert error["code"] == status and words in error["description"]
    doc = _xml(client.get(url.replace(".json", ".xml")))
    (error,) = doc["errors"]["error"]
    assert error["code"] == str(status) and words in error["description"]


def test_jurisdiction_of_the_city_is_accepted(client, world):
    assert client.get("/open311/v2/services.json?jurisdiction_id=330800").status_code == 200
    assert client.get("/open311/v2/requests.xml?jurisdiction_id=330800").status_code == 200


def test_unknown_format_is_not_served(client, world):
    assert client.get("/open311/v2/services.csv").status_code == 404


def test_list_query_count_is_bounded(client, users, world, django_assert_max_num_queries):
    category = ServiceCategory.objects.get(code="land")
    for i in range(30):
        submit_request(
            actor=users["ent_demo"], category=category, title=f"批量{i}", description="x"
        )
    client.force_login(users["econ"])
    with django_assert_max_num_queries(8):
        rows = client.get("/open311/v2/requests.json").json()
    assert len(rows) == 32


# ---------------------------------------------------------------- filing


@pytest.fixture
def hotline(users):
    key, raw = issue_open311_key(actor=users["admin"], name="12345热线")
    return key, raw


def _form(raw, enterprise, **extra):
    data = {
        "api_key": raw,
        "service_code": "land",
        "account_id": enterprise.uscc,
        "description": "扩建二期厂房，需新增工业用地。\n希望尽快安排踏勘。",
        "attribute[area_mu]": "50",
        "attribute[land_use]": "industrial",
        "last_name": "王",
        "first_name": "经理",
        "phone": "0570-1234567",
        "jurisdiction_id": "330800",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_filing_with_an_api_key_goes_through_the_platform(client, users, world, hotline):
    key, raw = hotline
    enterprise = world["enterprise"]
    response = client.post("/open311/v2/requests.json", _form(raw, enterprise))
    assert response.status_code == 201, response.content
    (body,) = response.json()
    assert set(body) == {"service_request_id", "service_notice", "account_id"}
    assert body["account_id"] == enterprise.uscc and "营商办将于" in body["service_notice"]
    obj = ServiceRequest.objects.get(pk=body["service_request_id"])
    assert (obj.enterprise, obj.category.code, obj.status) == (enterprise, "land", "submitted")
    assert obj.title == "扩建二期厂房，需新增工业用地。" and obj.region_id == "330825"
    assert "拟用地面积（亩）：50" in obj.description and "用地类型：工业用地" in obj.description
    assert "联系人：王经理" in obj.description and "电话：0570-1234567" in obj.description
    assert obj.due_at is not None and obj.created_by is None
    event = ServiceEvent.objects.get(request=obj)
    assert event.action == "submit" and "12345热线" in event.reason
    audit = AuditEvent.objects.get(model="service.servicerequest", object_id=str(obj.pk))
    assert "12345热线" in audit.note
    key.refresh_from_db()
    assert key.use_count == 1 and key.last_used_at == obj.submitted_at
    # the dispatcher sees it on the board, and can accept it as any other
    client.force_login(users["dispatcher"])
    assert obj.title in client.get("/service/board/").content.decode()
    transition(request=obj, action="accept", actor=users["dispatcher"])


def test_filing_answers_xml_when_asked(client, world, hotline):
    _key, raw = hotline
    form = _form(raw, world["enterprise"], service_code="policy")
    form = {k: v for k, v in form.items() if not k.startswith("attribute[")}
    response = client.post("/open311/v2/requests.xml", form)
    assert response.status_code == 201
    doc = xmltodict.parse(response.content)
    assert doc["service_requests"]["request"]["account_id"] == world["enterprise"].uscc


def test_filing_ignores_a_session_and_needs_no_csrf(users, world, hotline):
    from django.test import Client

    _key, raw = hotline
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["dispatcher"])
    response = browser.post("/open311/v2/requests.json", _form(raw, world["enterprise"]))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": "wrong"}, 403, "api_key 无效"),
        ({"api_key": None}, 403, "api_key 无效"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "nope"}, 400, "未知或已停用的诉求类别"),
        ({"account_id": None}, 400, "统一社会信用代码"),
        ({"account_id": "91330800MA2XXXXXX0"}, 400, "企业库中没有"),
        ({"description": "  "}, 400, "诉求内容"),
        ({"attribute[area_mu]": None}, 400, "请填写拟用地面积（亩）"),
        ({"attribute[area_mu]": "五十"}, 400, "拟用地面积（亩）应为数字"),
        ({"attribute[land_use]": "farm"}, 400, "不在可选项"),
        ({"attribute[colour]": "red"}, 400, "没有补充信息项“colour”"),
        ({"jurisdiction_id": "330100"}, 404, "jurisdiction_id"),
    ],
)
def test_bad_filings_write_nothing_and_say_why(client, world, hotline, change, status, words):
    key, raw = hotline
    before = ServiceRequest.objects.count()
    response = client.post("/open311/v2/requests.json", _form(raw, world["enterprise"], **change))
    assert response.status_code == status, response.content
    (error,) = response.json()
    assert error["code"] == status and words in error["description"], error
    assert ServiceRequest.objects.count() == before
    key.refresh_from_db()
    assert key.use_count == 0


def test_multivalue_attribute_and_json_body_refused(client, world, hotline):
    _key, raw = hotline
    form = _form(raw, world["enterprise"], service_code="labor")
    form = {k: v for k, v in form.items() if not k.startswith("attribute[")}
    form["attribute[headcount]"] = "20"
    form["attribute[positions][]"] = ["operator", "technician"]
    response = client.post("/open311/v2/requests.json", form)
    assert response.status_code == 201, response.content
    obj = ServiceRequest.objects.get(pk=response.json()[0]["service_request_id"])
    assert "岗位类型：普工、技术工人" in obj.description
    refused = client.post(
        "/open311/v2/requests.json", {"api_key": raw}, content_type="application/json"
    )
    assert (
        refused.status_code == 415 and "x-www-form-urlencoded" in refused.json()[0]["description"]
    )


def test_a_revoked_key_files_nothing(client, users, world, hotline):
    key, raw = hotline
    revoke_open311_key(actor=users["admin"], key=key)
    response = client.post("/open311/v2/requests.json", _form(raw, world["enterprise"]))
    assert response.status_code == 403


def test_the_command_prints_a_key_and_stores_only_its_hash(client, world):
    out, err = io.StringIO(), io.StringIO()
    call_command("open311_key", "浙里办接入", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    key = Open311Key.objects.get(name="浙里办接入")
    assert len(raw) >= 40 and raw not in key.key_hash and key.prefix == raw[:8]
    assert "浙里办接入" in err.getvalue()
    response = client.post("/open311/v2/requests.json", _form(raw, world["enterprise"]))
    assert response.status_code == 201
