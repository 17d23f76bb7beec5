"""Statistics tables in, all rows or none, errors by row and column in Chinese."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wulian.core.models import AuditEvent
from wulian.indicators.importing import import_observations
from wulian.indicators.models import Observation

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_wide_table_as_a_bureau_publishes_it(seeded, users):
    data = xlsx(
        [
            ["指标", "区划", "2019年", "2024年1-11月", "2025年"],
            ["外贸进出口总额", "衢州市", 700, "720", "预计860"],
            ["rd_intensity", "龙游县", "2.6", None, "超3"],
        ]
    )
    report = import_observations(actor=users["econ"], data=data)
    assert report.ok, report.errors
    assert report.created == 5
    cum = Observation.objects.get(indicator__code="trade", period="2024-11", cumulative=True)
    assert cum.value == 720 and cum.source == "统计报表导入"
    pre = Observation.objects.get(indicator__code="trade", period="2025")
    assert pre.is_preliminary
    over = Observation.objects.get(indicator__code="rd_intensity", region="330825", period="2025")
    assert over.qualifier == "over"
    assert AuditEvent.objects.filter(model="indicators.observation").count() == 5


def test_long_table_updates_and_marks_revised(seeded, users):
    data = xlsx(
        [
            ["指标", "区划", "期间", "数值", "来源", "同比"],
            ["trade", "330800", "2024", "790.1", "市统计局年报", "14.5"],
        ]
    )
    report = import_observations(actor=users["econ"], data=data)
    assert report.ok and report.updated == 1
    obs = Observation.objects.get(indicator__code="trade", region="330800", period="2024")
    assert obs.is_revised and obs.source == "市统计局年报" and str(obs.yoy_pct) == "14.50"


def test_bad_rows_write_nothing_and_say_where(seeded, users):
    before = Observation.objects.count()
    data = xlsx(
        [
            ["指标", "区划", "期间", "数值"],
            ["trade", "衢州市", "2019", "300"],
            ["火星产值", "衢州市", "2024", "1"],
            ["gdp", "火星区", "2024", "1"],
            ["gdp", "衢州市", "2024-13", "1"],
            ["gdp", "衢州市", "2019", "abc"],
            ["trade", "衢州", "2019", "301"],
        ]
    )
    report = import_observations(actor=users["econ"], data=data)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert {(3, "指标"), (4, "区划"), (5, "期间"), (6, "数值"), (7, "期间")} <= found
    messages = " ".join(e.message for e in report.errors)
    assert "未知指标" in messages and "未知区划" in messages and "与第2行重复" in messages
    assert Observation.objects.count() == before


def test_missing_columns_and_warnings(seeded, users):
    report = import_observations(actor=users["econ"], data=xlsx([["名称", "数值"], ["gdp", 1]]))
    assert not report.ok and report.errors[0].row == 1 and "缺少必填列" in report.errors[0].message
    data = xlsx([["指标", "期间", "数值"], ["exports", "2024", "900"]])
    report = import_observations(actor=users["econ"], data=data, dry_run=True)
    assert report.ok and any("大于其总量" in w for w in report.warnings)
    assert (
        Observation.objects.get(indicator__code="exports", region="330800", period="2024").value
        == 539
    )


def test_command(seeded, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([["指标", "2019"], ["gdp", "1500"]]))
    call_command("import_indicators", str(good))
    assert Observation.objects.filter(indicator__code="gdp", period="2019").exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["指标", "2018"], ["无此指标", "1"]]))
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_indicators", str(bad))


def test_upload_preview_then_commit(seeded, users, client):
    client.force_login(users["econ"])
    data = xlsx([["指标", "2019"], ["gdp", "1500"]])
    upload = io.BytesIO(data)
    upload.name = "stats.xlsx"
    response = client.post("/indicators/import/", {"file": upload})
    assert response.status_code == 200 and "预检通过" in response.content.decode()
    job = response.context["job"]
    assert not Observation.objects.filter(indicator__code="gdp", period="2019").exists()
    response = client.post(f"/indicators/import/{job.pk}/commit/")
    assert response.status_code == 302
    assert Observation.objects.filter(indicator__code="gdp", period="2019").exists()


def test_part_and_whole_in_one_file_are_checked_against_each_other(seeded, users):
    data = xlsx([["指标", "2019"], ["外贸进出口总额", "300"], ["外贸出口额", "350"]])
    report = import_observations(actor=users["econ"], data=data, dry_run=True)
    assert report.ok
    assert any("外贸出口额（350）大于其总量" in w for w in report.warnings)
    assert any("小于其组成部分" in w for w in report.warnings)


def test_template_round_trip(seeded, users, client):
    client.force_login(users["econ"])
    response = client.get("/indicators/import/?template=1")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["指标", "区划", "来源"] and "2025年1-10月" in header
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "外贸进出口总额" in names and "六大产业链占规上工业比重" not in names  # formula
    trade_row = names.index("外贸进出口总额") + 2
    sheet.cell(row=trade_row, column=header.index("2025年1-10月") + 1, value="700")
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_observations(actor=users["econ"], data=buffer.getvalue())
    assert report.ok and report.created == 1
    obs = Observation.objects.get(indicator__code="trade", period="2025-10", cumulative=True)
    assert obs.value == 700


def test_a_statistic_or_growth_too_large_for_its_column_is_a_cell_problem(seeded, users):
    before = Observation.objects.count()
    data = xlsx(
        [
            ["指标", "区划", "期间", "数值", "同比"],
            ["trade", "330800", "2024", 1e30, "1"],
            ["trade", "330825", "2024", "790.1", "1" + "0" * 7],
        ]
    )
    report = import_observations(actor=users["econ"], data=data)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "数值", "数值过大：整数部分最多 16 位"),
        (3, "同比", "数值过大：整数部分最多 7 位"),
    ]
    assert Observation.objects.count() == before


def test_values_with_more_places_than_kept_are_rounded_half_up_on_every_database(seeded, users):
    data = xlsx(
        [
            ["指标", "区划", "期间", "数值", "同比"],
            ["trade", "330800", "2024", "790.12345", "14.125"],
        ]
    )
    report = import_observations(actor=users["econ"], data=data)
    assert report.ok, report.errors
    stored = Observation.objects.get(indicator__code="trade", region="330800", period="2024")
    assert (str(stored.value), str(stored.yoy_pct)) == ("790.1235", "14.13")
