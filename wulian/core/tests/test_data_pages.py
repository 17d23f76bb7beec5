"""The dataset registry and the one upload page every dataset shares."""

import io

import openpyxl
import pytest

from wulian.core.datasets import registry, template_xlsx
from wulian.core.tests.roundtrip import fill_template

pytestmark = pytest.mark.django_db

CONTRACT = {
    "enterprises",
    "enterprise-months",
    "enterprise-tags",
    "platforms",
    "talent-demand",
    "talent-supply",
    "funds",
    "financing",
    "peer-outputs",
    "target-companies",
    "indicators",
    "projects",
    "tasks",
    "staff-accounts",
}


def test_every_dataset_is_registered_with_a_template_and_notes():
    assert CONTRACT <= set(registry.names())
    for dataset in registry.all():
        book = openpyxl.load_workbook(io.BytesIO(template_xlsx(dataset)))
        main, notes = book.worksheets
        headers = [c.value for c in main[1]]
        assert headers == [c.header for c in dataset.columns], dataset.name
        assert main.max_row == 2, dataset.name  # one example row
        described = [row[0].value for row in notes.iter_rows(min_row=2)]
        for column in dataset.columns:
            assert column.header in described, (dataset.name, column.header)
        assert any(c.required for c in dataset.columns), dataset.name


def test_upload_preview_confirm_and_export(base_config, users, client):
    from wulian.enterprises.models import EnterpriseMonth
    from wulian.enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    dataset = registry.get("enterprise-months")
    client.force_login(users["econ"])
    home = client.get("/data/").content.decode()
    assert "企业月度数据" in home and "/data/enterprise-months/import/" in home
    upload = io.BytesIO(fill_template(dataset, [[enterprise.uscc, "2025-09", 10, 11, 1, 2, 3, 4]]))
    upload.name = "m.xlsx"
    preview = client.post("/data/enterprise-months/import/", {"file": upload})
    assert preview.status_code == 200 and "预检通过" in preview.content.decode()
    assert not EnterpriseMonth.objects.exists()
    job = preview.context["job"]
    done = client.post(f"/data/enterprise-months/import/{job.pk}/commit/")
    assert done.status_code == 302 and EnterpriseMonth.objects.count() == 1
    again = client.post(f"/data/enterprise-months/import/{job.pk}/commit/")
    assert again.status_code == 302 and EnterpriseMonth.objects.count() == 1
    exported = client.get("/data/enterprise-months/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [enterprise.uscc, "2025-09"]
    template = client.get("/data/enterprise-months/template.xlsx")
    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames[1] == "填写说明"


def test_bad_upload_shows_rows_and_columns(base_config, users, client):
    dataset = registry.get("enterprise-months")
    client.force_login(users["econ"])
    upload = io.BytesIO(fill_template(dataset, [["bad", "2025-09", 1, 1, 1, 1, 1, 1]]))
    upload.name = "m.xlsx"
    page = client.post("/data/enterprise-months/import/", {"file": upload}).content.decode()
    assert "预检未通过" in page and "第2行" in page and "统一社会信用代码" in page


def test_who_may_import(base_config, users, client):
    client.force_login(users["county_ly"])
    assert client.get("/data/enterprises/import/").status_code == 403
    assert client.get("/data/projects/import/").status_code == 200
    assert client.get("/data/no-such/import/").status_code == 404
    client.force_login(users["ent_demo"])
    assert client.get("/data/").status_code == 403
