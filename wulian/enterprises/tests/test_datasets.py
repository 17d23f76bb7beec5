"""Enterprises, monthly figures and tags: round trip, refusal without writing, API writes."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wulian.core.datasets import registry, template_xlsx
from wulian.core.models import AuditEvent
from wulian.core.tests.roundtrip import fill_template, round_trip
from wulian.enterprises.models import (
    Enterprise,
    EnterpriseMonth,
    EnterpriseMonthRevision,
    EnterpriseTag,
)
from wulian.enterprises.tests.factories import EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(base_config):
    return [
        EnterpriseFactory(uscc=make_uscc("330825"), region_id="330825", output_wan=1200),
        EnterpriseFactory(uscc=make_uscc("330803"), region_id="330803", output_wan=800),
    ]


def test_template_has_headers_example_and_notes():
    dataset = registry.get("enterprise-months")
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(dataset)))
    main, notes = book.worksheets
    assert [c.value for c in main[1]] == [
        "统一社会信用代码",
        "月份",
        "工业总产值（万元）",
        "营业收入（万元）",
        "税收（万元）",
        "用电量（万千瓦时）",
        "从业人员（人）",
        "研发费用（万元）",
    ]
    assert main[2][1].value == "2025-03" and main.max_row == 2
    explained = {row[0].value: row for row in notes.iter_rows(min_row=2) if row[0].value}
    assert explained["用电量（万千瓦时）"][3].value == "万千瓦时"
    assert explained["月份"][5].value == "是"
    assert "YYYY-MM" in explained["月份"][4].value


def test_enterprise_months_round_trip(two, users):
    a, b = two
    rows = [
        [a.uscc, "2025-09", 1000.5, 1100, 35.2, 80.25, 120, 22],
        [a.uscc, "2025-10", 1200, 1250.75, 40, 90, 121, None],
        [b.uscc, "2025-10", 300, None, 9.5, 12, 45, 3.1],
    ]
    wanted, exported = round_trip(registry.get("enterprise-months"), rows, users["econ"])
    assert exported == wanted
    assert EnterpriseMonth.objects.get(enterprise=b, month=dt.date(2025, 10, 1)).revenue_wan is None


def test_enterprise_tags_round_trip(two, users):
    a, b = two
    rows = [
        [
            a.uscc,
            "专精特新",
            "省级",
            "浙江省经信厅 2024年第二批",
            dt.date(2024, 6, 1),
            dt.date(2027, 5, 31),
            None,
        ],
        [b.uscc, "链主企业", "市级", "衢州市链主名单", dt.date(2023, 3, 1), None, "新材料"],
    ]
    wanted, exported = round_trip(registry.get("enterprise-tags"), rows, users["leader"])
    assert exported == wanted
    assert EnterpriseTag.objects.get(enterprise=a).kind == "specialized"


def test_enterprises_round_trip(base_config, users):
    rows = [
        [
            make_uscc("330825"),
            "衢州甲新材料有限公司",
            "龙游县",
            "C2614",
            "是",
            "否",
            None,
            dt.date(2010, 5, 1),
            12000.5,
            420,
            310,
            86.5,
        ],
        [
            make_uscc("330802"),
            "衢州乙纸业有限公司",
            "柯城区",
            "C2221",
            "是",
            "是",
            "创业板",
            dt.date(2001, 1, 9),
            56000,
            2100.25,
            890,
            230,
        ],
    ]
    wanted, exported = round_trip(registry.get("enterprises"), rows, users["leader"])
    assert exported == wanted


def test_reimport_replaces_month_and_keeps_revision(two, users):
    a, _b = two
    dataset = registry.get("enterprise-months")
    first = [[a.uscc, "2025-10", 1000, 1000, 30, 50, 100, 10]]
    assert dataset.run(actor=users["econ"], data=fill_template(dataset, first)).ok
    second = [[a.uscc, "2025-10", 900, 1000, 25, 50, 100, 10]]
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, second))
    assert report.ok and (report.created, report.updated) == (0, 1)
    row = EnterpriseMonth.objects.get(enterprise=a, month=dt.date(2025, 10, 1))
    assert row.output_wan == Decimal(900) and row.tax_wan == Decimal(25)
    revision = EnterpriseMonthRevision.objects.get(enterprise=a)
    assert revision.changed_by == users["leader"]
    assert revision.before == {"output_wan": "1000.00", "tax_wan": "30.00"}
    assert revision.after == {"output_wan": "900.00", "tax_wan": "25.00"}
    # an identical re-import changes nothing and records nothing
    again = dataset.run(actor=users["leader"], data=fill_template(dataset, second))
    assert (again.created, again.updated) == (0, 0)
    assert EnterpriseMonthRevision.objects.count() == 1


def test_bad_file_refused_without_writing(two, users):
    a, _b = two
    dataset = registry.get("enterprise-months")
    rows = [
        [a.uscc, "2025-09", 1000, 1000, 30, 50, 100, 10],
        [a.uscc, "2025-13", 1000, 1000, 30, 50, 100, 10],
        [make_uscc("330822"), "2025-09", 1, 1, 1, 1, 1, 1],
        [a.uscc, "2025-09", -5, 1000, 30, 50, 100, 10],
    ]
    events = AuditEvent.objects.count()
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows))
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert (3, "月份") in found
    assert (4, "统一社会信用代码") in found
    assert (5, "工业总产值（万元）") in found
    messages = " ".join(e.message for e in report.errors)
    assert "企业库中没有" in messages and "金额不能为负数" in messages
    assert EnterpriseMonth.objects.count() == 0 and AuditEvent.objects.count() == events


def test_duplicate_month_in_file_is_refused(two, users):
    a, _b = two
    dataset = registry.get("enterprise-months")
    rows = [[a.uscc, "2025-09", 1, 1, 1, 1, 1, 1], [a.uscc, "2025/9", 2, 2, 2, 2, 2, 2]]
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows))
    assert [(e.row, e.message[:6]) for e in report.errors] == [(3, "与第2行重复")]
    assert not EnterpriseMonth.objects.exists()


def test_english_headers_and_csv_in_gbk(two, users):
    a, _b = two
    text = f"uscc,month,output_wan,tax,employees\n{a.uscc},2025年8月,3.2亿元,120万,88人\n"
    report = registry.get("enterprise-months").run(actor=None, data=text.encode("gb18030"))
    assert report.ok, report.errors
    row = EnterpriseMonth.objects.get(enterprise=a)
    assert (row.month, row.output_wan, row.tax_wan, row.employees) == (
        dt.date(2025, 8, 1),
        Decimal(32000),
        Decimal(120),
        88,
    )


def test_command_imports_and_fails_with_nonzero_status(two, tmp_path):
    a, _b = two
    dataset = registry.get("enterprise-months")
    template = tmp_path / "t.xlsx"
    call_command("import_data", "enterprise-months", "--template", str(template))
    assert openpyxl.load_workbook(template).sheetnames == ["企业月度数据", "填写说明"]
    good = tmp_path / "good.xlsx"
    good.write_bytes(fill_template(dataset, [[a.uscc, "2025-07", 10, 10, 1, 1, 1, 1]]))
    call_command("import_data", "enterprise-months", str(good), "--dry-run")
    assert not EnterpriseMonth.objects.exists()
    call_command("import_data", "enterprise-months", str(good))
    assert EnterpriseMonth.objects.count() == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(fill_template(dataset, [[a.uscc, "2025-06", "abc", 1, 1, 1, 1, 1]]))
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_data", "enterprise-months", str(bad))
    assert EnterpriseMonth.objects.count() == 1
    with pytest.raises(CommandError, match="未知数据集"):
        call_command("import_data", "no-such-thing", str(good))


def test_api_month_write_validates_like_the_import(two, users, api_client):
    a, _b = two
    api_client.force_authenticate(users["econ"])
    body = {"uscc": a.uscc, "month": "2025-10", "output_wan": "1500.5", "employees": 80}
    created = api_client.post("/api/v1/enterprise-months/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["month"] == "2025-10" and created.json()["output_wan"] == "1500.50"
    bad = api_client.post("/api/v1/enterprise-months/", {**body, "month": "2099-01"}, format="json")
    assert bad.status_code == 400 and "月份不能晚于本月" in str(bad.json())
    unknown = api_client.post(
        "/api/v1/enterprise-months/", {**body, "uscc": make_uscc("330824")}, format="json"
    )
    assert unknown.status_code == 400 and "企业库中没有" in str(unknown.json())
    pk = created.json()["id"]
    patched = api_client.patch(f"/api/v1/enterprise-months/{pk}/", {"tax_wan": 50}, format="json")
    assert patched.status_code == 200, patched.content
    row = EnterpriseMonth.objects.get(enterprise=a)
    assert (row.output_wan, row.tax_wan) == (Decimal("1500.50"), Decimal(50))
    assert EnterpriseMonthRevision.objects.get(enterprise=a).source == "api"
    moved = api_client.patch(f"/api/v1/enterprise-months/{row.pk}/", {"month": "2025-01"})
    assert moved.status_code == 400
    # a county user may read but not write
    api_client.force_authenticate(users["county_ly"])
    denied = api_client.post("/api/v1/enterprise-months/", body, format="json")
    assert denied.status_code == 403
    assert EnterpriseMonth.objects.count() == 1


def test_api_file_import_reports_by_cell(two, users, api_client):
    a, _b = two
    dataset = registry.get("enterprise-months")
    api_client.force_authenticate(users["econ"])
    bad = fill_template(dataset, [[a.uscc, "x", 1, 1, 1, 1, 1, 1]])
    response = api_client.post(
        "/api/v1/imports/enterprise-months/",
        {"file": io.BytesIO(bad)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 2
    assert response.json()["errors"][0]["column"] == "月份"
    good = io.BytesIO(fill_template(dataset, [[a.uscc, "2025-05", 1, 1, 1, 1, 1, 1]]))
    good.name = "m.xlsx"
    response = api_client.post(
        "/api/v1/imports/enterprise-months/", {"file": good}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["created"] == 1


def test_detail_has_tags_and_chains_and_months_series(two, users, api_client):
    a, _b = two
    EnterpriseTag.objects.create(enterprise=a, kind="high_tech", source="省科技厅")
    EnterpriseMonth.objects.create(enterprise=a, month=dt.date(2024, 10, 1), output_wan=100)
    EnterpriseMonth.objects.create(enterprise=a, month=dt.date(2025, 10, 1), output_wan=125)
    api_client.force_authenticate(users["leader"])
    detail = api_client.get(f"/api/v1/enterprises/{a.pk}/").json()
    assert detail["tags"][0]["kind"] == "high_tech" and detail["tags"][0]["current"]
    assert detail["chains"] == []
    series = api_client.get(f"/api/v1/enterprises/{a.pk}/months/").json()
    assert [p["month"] for p in series["results"]] == ["2024-10", "2025-10"]
    assert series["results"][1]["yoy"]["output_wan"] == 25.0
    assert series["results"][1]["output_wan"] == 125.0
    # scoped: another county's user cannot read it
    api_client.force_authenticate(users["county_ly"])
    other = Enterprise.objects.get(region_id="330803")
    assert api_client.get(f"/api/v1/enterprises/{other.pk}/months/").status_code == 404


def test_api_enterprise_write_goes_through_the_import(base_config, users, api_client):
    api_client.force_authenticate(users["econ"])
    code = make_uscc("330825")
    body = {
        "uscc": code,
        "name": "衢州测试材料有限公司",
        "region": "龙游县",
        "land_area_mu": "35.5",
    }
    created = api_client.post("/api/v1/enterprises/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["region"] == "330825" and created.json()["land_area_mu"] == "35.50"
    wrong_check = code[:-1] + ("1" if code[-1] == "0" else "0")  # never the right check character
    bad = api_client.post("/api/v1/enterprises/", {**body, "uscc": wrong_check}, format="json")
    assert bad.status_code == 400 and "校验位" in str(bad.json()["uscc"])
    pk = created.json()["id"]
    patched = api_client.patch(f"/api/v1/enterprises/{pk}/", {"employees": 120}, format="json")
    assert patched.status_code == 200 and patched.json()["employees"] == 120
    assert Enterprise.objects.get(pk=pk).name == "衢州测试材料有限公司"
    moved = api_client.patch(f"/api/v1/enterprises/{pk}/", {"uscc": make_uscc()}, format="json")
    assert moved.status_code == 400
    assert AuditEvent.objects.filter(model="enterprises.enterprise", object_id=str(pk)).count() == 2
    api_client.force_authenticate(users["chief_xcl"])
    assert api_client.post("/api/v1/enterprises/", body, format="json").status_code == 403
