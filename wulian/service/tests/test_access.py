"""Who sees which requests — pages, API and exports alike; attachments (Open311: test_open311)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wulian.chains.models import Chain, Link
from wulian.core.models import Department
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.service.models import ServiceCategory, ServiceRequest
from wulian.service.services import submit_request
from wulian.service.workflow import transition

from .factories import setup_loop

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def world(users, django_user_model):
    """Own request (龙游, 新材料 link, routed to 经信局); another in 柯城 routed to 发改委."""
    setup_loop(users)
    chain = Chain.objects.create(code="xcl", name="新材料")
    link = Link.objects.create(chain=chain, code="f", name="含氟聚合物", segment="mid")
    other_ent = EnterpriseFactory(name="别家企业", region_id="330802")
    other_user = django_user_model.objects.create(username="other_ent", role="enterprise")
    other_ent.accounts.add(other_user)
    category = ServiceCategory.objects.get(code="policy")
    own = submit_request(
        actor=users["ent_demo"], category=category, title="本企业诉求", description="甲", link=link
    )
    other = submit_request(actor=other_user, category=category, title="别家诉求", description="乙")
    for request, dept in ((own, "jxj"), (other, "fgw")):
        request = transition(request=request, action="accept", actor=users["dispatcher"])
        transition(
            request=request,
            action="route",
            actor=users["dispatcher"],
            department=Department.objects.get(code=dept),
        )
    return {"own": own, "other": other, "other_user": other_user}


EXPECTED = [
    ("leader", {"本企业诉求", "别家诉求"}),
    ("admin", {"本企业诉求", "别家诉求"}),
    ("dispatcher", {"本企业诉求", "别家诉求"}),
    ("econ", {"本企业诉求"}),
    ("county_ly", {"本企业诉求"}),
    ("chief_xcl", {"本企业诉求"}),
    ("ent_demo", {"本企业诉求"}),
]


@pytest.mark.parametrize(("username", "expected"), EXPECTED)
def test_api_list_is_scoped(api_client, users, world, username, expected):
    api_client.force_authenticate(users[username])
    body = api_client.get("/api/v1/service-requests/").json()
    assert {r["title"] for r in body["results"]} == expected


@pytest.mark.parametrize(
    ("username", "expected"),
    [(u, e) for u, e in EXPECTED if u not in ("ent_demo",)],
)
def test_inbox_page_and_export_are_scoped(client, users, world, username, expected):
    client.force_login(users[username])
    page = client.get("/service/inbox/").content.decode()
    assert {t for t in ("本企业诉求", "别家诉求") if t in page} == expected
    response = client.get("/service/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == expected


def test_enterprise_pages(client, users, world):
    client.force_login(users["ent_demo"])
    page = client.get("/service/mine/").content.decode()
    assert "本企业诉求" in page and "别家诉求" not in page
    assert client.get(f"/service/requests/{world['other'].pk}/").status_code == 404
    assert client.get(f"/service/requests/{world['own'].pk}/").status_code == 200
    assert client.get("/service/inbox/").status_code == 403
    assert client.get("/service/export.xlsx").status_code == 403
    assert client.get("/service/stats/").status_code == 403


def test_stats_pages_city_for_leaders_and_dispatcher_own_row_for_departments(client, users, world):
    for username in ("leader", "dispatcher"):
        client.force_login(users[username])
        page = client.get("/service/stats/").content.decode()
        assert "市经信局" in page and "市发改委" in page, username
        assert client.get("/service/overview/").status_code == 200
        assert client.get("/service/stats/export.xlsx").status_code == 200
    client.force_login(users["econ"])
    page = client.get("/service/stats/").content.decode()
    assert "市经信局" in page and "市发改委" not in page and "scoped-note" in page
    assert client.get("/service/overview/").status_code == 302
    book = openpyxl.load_workbook(io.BytesIO(client.get("/service/stats/export.xlsx").content))
    assert book.sheetnames == ["部门"]
    assert [r[0] for r in book["部门"].iter_rows(min_row=2, values_only=True)] == ["市经信局"]
    for username in ("county_ly", "chief_xcl", "ent_demo"):
        client.force_login(users[username])
        assert client.get("/service/stats/").status_code == 403, username
    client.force_login(users["econ"])
    assert client.get("/service/board/").status_code == 302
    client.force_login(users["dispatcher"])
    assert client.get("/service/board/").status_code == 200


def test_step_through_the_pages(client, users, world):
    own = world["own"]
    client.force_login(users["econ"])
    response = client.post(f"/service/requests/{own.pk}/answer/", {"answer": "已答复企业"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "answered"
    client.force_login(users["ent_demo"])
    client.post(f"/service/requests/{own.pk}/send-back/", {"reason": "不满意"})
    own.refresh_from_db()
    assert own.status == "in_progress" and own.reopen_count == 1
    # an enterprise user cannot act on someone else's request: 404, not a hint
    assert (
        client.post(f"/service/requests/{world['other'].pk}/confirm/", {"rating": 5}).status_code
        == 404
    )


def test_attachment_type_size_storage_and_download(client, users, world, settings):
    own = world["own"]
    client.force_login(users["ent_demo"])
    fake = SimpleUploadedFile(
        "evil.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )
    client.post(f"/service/requests/{own.pk}/attach/", {"files": fake})
    assert own.attachments.count() == 0
    settings.SERVICE_MAX_ATTACHMENT_BYTES = 100
    big = SimpleUploadedFile("big.pdf", PDF + b"x" * 200)
    client.post(f"/service/requests/{own.pk}/attach/", {"files": big})
    assert own.attachments.count() == 0
    good = SimpleUploadedFile("../../营业执照.png", PNG, content_type="text/html")
    client.post(f"/service/requests/{own.pk}/attach/", {"files": good})
    attachment = own.attachments.get()
    assert attachment.extension == "png" and attachment.content_type == "image/png"
    assert "营业执照" not in attachment.file.name and ".." not in attachment.file.name
    response = client.get(f"/service/attachments/{attachment.uuid}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    for username, code in (("econ", 200), ("dispatcher", 200), ("county_ly", 200)):
        client.force_login(users[username])
        assert client.get(f"/service/attachments/{attachment.uuid}/").status_code == code
    client.force_login(world["other_user"])
    assert client.get(f"/service/attachments/{attachment.uuid}/").status_code == 404
    client.force_login(users["chief_xcl"])
    assert client.get(f"/service/attachments/{attachment.uuid}/").status_code == 200


def test_supply_material_resumes_with_files(api_client, users, world):
    own = ServiceRequest.objects.get(pk=world["own"].pk)
    transition(request=own, action="request_material", actor=users["econ"], reason="请补充")
    api_client.force_authenticate(users["ent_demo"])
    upload = SimpleUploadedFile("材料.pdf", PDF)
    response = api_client.post(
        f"/api/v1/service-requests/{own.pk}/supply-material/",
        {"reason": "已补充", "files": [upload]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "routed"
    assert ServiceRequest.objects.get(pk=own.pk).attachments.get().extension == "pdf"


def test_inbox_query_count_is_bounded(client, users, world, django_assert_max_num_queries):
    category = ServiceCategory.objects.get(code="land")
    for i in range(40):
        submit_request(
            actor=users["ent_demo"], category=category, title=f"批量{i}", description="x"
        )
    client.force_login(users["dispatcher"])
    with django_assert_max_num_queries(20):
        response = client.get("/service/inbox/")
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/service/board/").status_code == 200
    client.force_login(users["ent_demo"])
    with django_assert_max_num_queries(20):
        assert client.get("/service/mine/").status_code == 200


def test_inbox_htmx_request_gets_only_the_table(client, users, world):
    client.force_login(users["dispatcher"])
    response = client.get("/service/inbox/?status=open", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'data-testid="request-table"' in body
    assert "本企业诉求" in body and "别家诉求" in body
