"""Who sees which enterprises, by page, API and export alike."""

import io

import openpyxl
import pytest

from .factories import EnterpriseFactory
from .helpers import xlsx_bytes


@pytest.fixture
def world(users):
    own = EnterpriseFactory(name="本企业甲", region_id="330803")
    other = EnterpriseFactory(name="别家乙", region_id="330825")
    third = EnterpriseFactory(
        name="别家丙", region_id="330802", is_listed=True, listing_board="star"
    )
    own.accounts.add(users["ent_demo"])
    return {"own": own, "other": other, "third": third}


def login(client, username):
    assert client.login(username=username, password="wulian-demo")
    return client


def api_names(api_client, users, username, query=""):
    api_client.force_authenticate(users[username])
    response = api_client.get(f"/api/v1/enterprises/{query}")
    assert response.status_code == 200
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("leader", {"本企业甲", "别家乙", "别家丙"}),
        ("admin", {"本企业甲", "别家乙", "别家丙"}),
        ("econ", {"本企业甲", "别家乙", "别家丙"}),
        ("chief_xcl", {"本企业甲", "别家乙", "别家丙"}),
        ("county_ly", {"别家乙"}),
        ("ent_demo", {"本企业甲"}),
    ],
)
def test_api_list_is_scoped_by_role(api_client, users, world, username, expected):
    assert api_names(api_client, users, username) == expected


def test_api_filters(api_client, users, world):
    assert api_names(api_client, users, "leader", "?region=330825") == {"别家乙"}
    assert api_names(api_client, users, "leader", "?region=330800") == {
        "本企业甲",
        "别家乙",
        "别家丙",
    }
    assert api_names(api_client, users, "leader", "?is_listed=true") == {"别家丙"}
    assert api_names(api_client, users, "leader", "?q=别家") == {"别家乙", "别家丙"}
    uscc = world["third"].uscc
    assert api_names(api_client, users, "leader", f"?q={uscc}") == {"别家丙"}


def test_api_page_size_up_to_1000(api_client, users, world):
    api_client.force_authenticate(users["leader"])
    body = api_client.get("/api/v1/enterprises/?page_size=5000").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3


def test_enterprise_user_gets_404_on_another_enterprise(client, api_client, users, world):
    other = world["other"]
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get(f"/api/v1/enterprises/{other.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/enterprises/{world['own'].pk}/").status_code == 200
    login(client, "ent_demo")
    assert client.get(f"/enterprises/{other.pk}/").status_code == 404
    assert client.get(f"/enterprises/{world['own'].pk}/").status_code == 200


def export_names(client, query=""):
    response = client.get(f"/enterprises/export.xlsx{query}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_export_is_scoped_and_filtered(client, users, world):
    login(client, "ent_demo")
    assert export_names(client) == {"本企业甲"}
    client.logout()
    login(client, "county_ly")
    assert export_names(client) == {"别家乙"}
    client.logout()
    login(client, "leader")
    assert export_names(client, "?q=别家") == {"别家乙", "别家丙"}


def test_export_reads_back_through_the_importer(client, users, world):
    from wulian.enterprises.services import import_enterprises

    login(client, "leader")
    data = client.get("/enterprises/export.xlsx").content
    report = import_enterprises(actor=users["leader"], data=data, dry_run=True)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)


def test_list_page_search_and_htmx_fragment(client, users, world):
    login(client, "leader")
    page = client.get("/enterprises/?q=别家乙").content.decode()
    assert "别家乙" in page and "本企业甲" not in page
    fragment = client.get("/enterprises/?region=330802", HTTP_HX_REQUEST="true").content.decode()
    assert "别家丙" in fragment and "<html" not in fragment


def test_list_page_query_count(client, users, django_assert_max_num_queries):
    for i in range(60):
        EnterpriseFactory(name=f"批量{i}")
    login(client, "leader")
    with django_assert_max_num_queries(10):
        assert client.get("/enterprises/").status_code == 200


def test_anonymous_pages_redirect_to_login(client, world):
    for url in [
        "/enterprises/",
        f"/enterprises/{world['own'].pk}/",
        "/enterprises/export.xlsx",
        "/enterprises/import/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ["ent_demo", "county_ly", "chief_xcl"])
def test_import_refused_for_roles_without_the_right(client, users, username):
    login(client, username)
    assert client.get("/enterprises/import/").status_code == 403
    response = client.post("/enterprises/import/", {"file": io.BytesIO(b"x")})
    assert response.status_code == 403


def test_upload_preview_then_commit(client, users):
    from .test_import import good_rows

    login(client, "econ")
    upload = io.BytesIO(xlsx_bytes(good_rows()))
    upload.name = "../../etc/passwd.xlsx"  # client file names never become paths
    response = client.post("/enterprises/import/", {"file": upload}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "预检通过" in body
    from wulian.core.models import ImportJob
    from wulian.enterprises.models import Enterprise

    job = ImportJob.objects.get()
    assert "passwd" not in job.file.name
    assert Enterprise.objects.count() == 0  # nothing before confirmation
    # Another user cannot confirm someone else's upload.
    client.logout()
    login(client, "leader")
    assert client.post(f"/enterprises/import/{job.pk}/commit/").status_code == 403
    client.logout()
    login(client, "econ")
    response = client.post(f"/enterprises/import/{job.pk}/commit/")
    assert response.status_code == 302
    assert Enterprise.objects.count() == 3
    # A second confirmation of the same job writes nothing more.
    client.post(f"/enterprises/import/{job.pk}/commit/")
    assert Enterprise.objects.count() == 3


def test_upload_with_errors_shows_them_and_offers_no_commit(client, users):
    from .test_import import good_rows

    rows = good_rows()
    rows[0][2] = "火星区"
    login(client, "econ")
    upload = io.BytesIO(xlsx_bytes(rows))
    upload.name = "bad.xlsx"
    body = client.post("/enterprises/import/", {"file": upload}).content.decode()
    assert "未知区县" in body and "第2行" in body
    assert "确认导入" not in body


def test_upload_over_limit_refused_before_parsing(client, users, settings):
    settings.MAX_UPLOAD_BYTES = 100
    login(client, "econ")
    upload = io.BytesIO(b"x" * 500)
    upload.name = "big.csv"
    response = client.post("/enterprises/import/", {"file": upload})
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()


def test_every_filter_of_the_list_has_an_index_in_the_list_order(client, users, world):
    """The list and the API order by output (largest first); for the unfiltered registry, a
    county, a chain and a county's part of a chain an index holds the rows in that order, so
    a page reads its 50 rows instead of sorting (or walking past) every matching row."""
    from wulian.enterprises.models import Enterprise

    orders = {tuple(index.fields) for index in Enterprise._meta.indexes}
    for prefix in ((), ("region",), ("chain_code",), ("region", "chain_code")):
        assert (*prefix, "-output_wan", "id") in orders
    EnterpriseFactory(region_id="330802", chain_code="xcl")
    login(client, "leader")
    page = client.get("/enterprises/?region=330802&chain=xcl").context["page"]
    listed = page.paginator.object_list
    assert tuple(listed.query.order_by) == ("-output_wan", "id")
    assert len(listed) == 1
