"""Hostile and random import files: never a server error, never a partial write."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wulian.core.models import AuditEvent
from wulian.enterprises.models import Enterprise
from wulian.enterprises.services import import_enterprises

from .factories import make_uscc
from .helpers import HEADER, csv_bytes, xlsx_bytes

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
cell = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=40),
    st.sampled_from(["=1+1", '=HYPERLINK("x")', "是", "否", "1.2亿元", "2021年3月5日", "x" * 3000]),
)


def assert_nothing_or_everything(report, rows):
    if report.ok:
        assert Enterprise.objects.count() == len(rows)
    else:
        assert Enterprise.objects.count() == 0 and AuditEvent.objects.count() == 0
        assert all(e.message for e in report.errors)


@pytest.mark.django_db
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash(base_config, data):
    report = import_enterprises(actor=None, data=data)
    assert not report.ok
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=13), min_size=1, max_size=5))
def test_random_cells_in_xlsx_and_csv(base_config, rows):
    csv_rows = [[("" if c is None else c) for c in r] + ["a\x00b"] for r in rows]
    for data in (xlsx_bytes(rows), csv_bytes(csv_rows, encoding="gb18030")):
        report = import_enterprises(actor=None, data=data)
        assert_nothing_or_everything(report, rows)
        Enterprise.objects.all().delete()


@pytest.mark.django_db
@FUZZ
@given(bad_row=st.integers(0, 9))
def test_one_bad_row_among_good_ones_writes_nothing(base_config, bad_row):
    rows = [[make_uscc(), f"企业{i}", "柯城区"] for i in range(10)]
    rows[bad_row][2] = "不存在县"
    report = import_enterprises(actor=None, data=xlsx_bytes(rows, header=HEADER[:3]))
    assert [e.row for e in report.errors] == [bad_row + 2]
    assert Enterprise.objects.count() == 0


def _xlsx_with_sheet_xml(sheet_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([[make_uscc(), "甲", "柯城区"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.django_db
def test_xml_entity_expansion_is_refused(base_config):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    report = import_enterprises(actor=None, data=_xlsx_with_sheet_xml(bomb))
    assert not report.ok
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_zip_bomb_is_refused_before_parsing(base_config):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (450 * 1024 * 1024))
    report = import_enterprises(actor=None, data=out.getvalue())
    assert "解压后过大" in report.errors[0].message


@pytest.mark.django_db
def test_a_million_rows_stop_at_the_limit_with_a_chinese_report(base_config, settings):
    settings.MAX_IMPORT_ROWS = 500  # below the error cap: the repeated code is a duplicate
    line = f"{make_uscc()},甲,柯城区\n".encode()
    data = "统一社会信用代码,企业名称,所属区县\n".encode() + line * 1_000_000
    report = import_enterprises(actor=None, data=data)
    assert not report.ok
    assert "上限" in report.errors[-1].message
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_many_bad_rows_stop_after_a_thousand_errors(base_config):
    data = "统一社会信用代码,企业名称,所属区县\n".encode() + b"bad,x,y\n" * 5000
    report = import_enterprises(actor=None, data=data)
    assert len(report.errors) <= 1001 * 2
    assert "错误过多" in report.errors[-1].message
