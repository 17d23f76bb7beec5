"""Hostile and broken xlsx files: refused before parsing, or reported in Chinese — never a 500.

The files are small: the limits follow from settings.MAX_IMPORT_ROWS, which the tests lower,
so that a shared-string or cell bomb can be shown with a few hundred kilobytes. The refusal
time of the real attack (20 million shared strings) is measured by bench/xlsx_bomb.py.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.reader import excel as openpyxl_excel

from wulian.core import tabular
from wulian.core.tabular import TableError, read_table

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
CJK = re.compile(r"[\u4e00-\u9fff]")


def base_workbook(rows=(("统一社会信用代码", "企业名称", "所属区县"), ("x", "甲", "柯城区"))):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_parts(data: bytes, **changes) -> bytes:
    """The workbook with parts replaced (bytes), added or removed (None), by part name."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = changes.pop(item.filename, source.read(item.filename))
            if content is not None:
                target.writestr(item.filename, content)
        for name, content in changes.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows: str, dimension: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN.decode()}>{dimension}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def strings_xml(count: int, text: bytes = b"a") -> bytes:
    entries = (b"<si><t>" + text + b"</t></si>") * count
    return b'<?xml version="1.0" encoding="UTF-8"?><sst ' + MAIN + b">" + entries + b"</sst>"


def read_all(data: bytes):
    header, rows = read_table(data)
    return header, list(rows)


def refused(data: bytes) -> str:
    with pytest.raises(TableError) as caught:
        read_all(data)
    message = str(caught.value)
    assert CJK.search(message), message
    return message


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if openpyxl starts to read the workbook at all."""

    def forbidden(*args, **kwargs):
        raise AssertionError("the workbook was parsed before it was refused")

    monkeypatch.setattr(openpyxl_excel.ExcelReader, "read", forbidden)


def test_a_plain_workbook_reads_as_before():
    header, rows = read_all(base_workbook())
    assert header == ["统一社会信用代码", "企业名称", "所属区县"]
    assert rows == [(2, ["x", "甲", "柯城区"])]


def test_twenty_thousand_shared_strings_are_refused_before_parsing(settings, no_parsing):
    # The review's attack in small: far more shared strings than the rows allowed can use.
    settings.MAX_IMPORT_ROWS = 100
    bomb = with_parts(base_workbook(), **{STRINGS: strings_xml(20_000)})
    assert len(bomb) < 100_000
    message = refused(bomb)
    assert "共享字符串" in message and "拆分" in message


def test_a_part_unpacking_past_its_limit_is_refused_by_its_declared_size(monkeypatch, no_parsing):
    monkeypatch.setattr(tabular, "MAX_STRINGS_BYTES", 1024 * 1024)
    bomb = with_parts(base_workbook(), **{STRINGS: strings_xml(70_000)})  # 1.2 MB unpacked
    message = refused(bomb)
    assert STRINGS in message and "MB" in message and "上限" in message


def test_a_sheet_of_empty_cells_past_the_cell_limit_is_refused(settings, no_parsing):
    settings.MAX_IMPORT_ROWS = 10
    cells = "<c/>" * 20_000
    bomb = with_parts(base_workbook(), **{SHEET: sheet_xml(f'<row r="1">{cells}</row>')})
    assert "单元格" in refused(bomb)


def test_a_dimension_that_claims_the_whole_sheet_costs_nothing(settings):
    settings.MAX_IMPORT_ROWS = 10
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>'
    rows += '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    dimension = '<dimension ref="A1:XFD1048576"/>'
    data = with_parts(base_workbook(), **{SHEET: sheet_xml(rows, dimension)})
    header, body = read_table(data)
    assert header == ["名称"]
    assert list(body) == [(1048576, [1])]


def test_rows_beyond_the_import_limit_stop_the_read(settings):
    settings.MAX_IMPORT_ROWS = 5
    data = base_workbook([("名称",), *[(f"企业{i}",) for i in range(8)]])
    assert "5 行的上限" in refused(data)


def test_data_beyond_the_column_limit_is_refused():
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="KZ1"><v>2</v></c></row>'
    data = with_parts(base_workbook(), **{SHEET: sheet_xml(rows)})
    assert "列" in refused(data)


def test_missing_rows_keep_the_numbers_the_sheet_shows():
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>甲</t></is></c></row>'
    )
    header, body = read_all(with_parts(base_workbook(), **{SHEET: sheet_xml(rows)}))
    assert body == [(4, ["甲"])]


@pytest.mark.parametrize(
    ("cell", "where"),
    [
        ('<c r="B1" t="s"><v>99</v></c>', "第1行第B列"),  # a shared string that does not exist
        ('<c r="B1" t="s"><v>x</v></c>', "第1行第B列"),
        ('<c r="C1"><v>abc</v></c>', "第1行第C列"),  # a number that is not one
        ('<c r="C1" t="d"><v>2024-13-45</v></c>', "第1行第C列"),  # an ISO date that is not one
        ('<c r="C1" t="b"><v>yes</v></c>', "第1行第C列"),
        ('<c r="ZZZZ1"><v>1</v></c>', "第1行"),
    ],
)
def test_a_bad_cell_is_a_chinese_error_that_says_where(cell, where):
    rows = f'<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c>{cell}</row>'
    data = with_parts(base_workbook(), **{SHEET: sheet_xml(rows)})
    assert where in refused(data)


def test_a_date_cell_with_an_impossible_serial_is_a_row_error_not_a_crash(base_config):
    from wulian.enterprises.services import import_enterprises

    workbook = openpyxl.load_workbook(io.BytesIO(base_workbook()))
    sheet = workbook.active
    sheet["D1"] = "成立日期"
    sheet["D2"] = 10**9
    sheet["D2"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.warns(UserWarning, match="outside the limits for dates"):
        report = import_enterprises(actor=None, data=buffer.getvalue())
    assert not report.ok
    assert any(e.row == 2 and e.column == "成立日期" for e in report.errors), report.errors


BROKEN = {
    "not a zip": b"PK\x03\x04 this is not a zip archive at all",
    "no sheet part": with_parts(base_workbook(), **{SHEET: None}),
    "no content types": with_parts(base_workbook(), **{"[Content_Types].xml": None}),
    "no workbook part": with_parts(base_workbook(), **{"xl/workbook.xml": None}),
    "no shared strings part": with_parts(
        base_workbook(), **{SHEET: sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}
    ).replace(b"sharedStrings", b"sharedStrungs"),
    "broken sheet xml": with_parts(base_workbook(), **{SHEET: b"<worksheet><sheetData><row>"}),
    "broken workbook xml": with_parts(base_workbook(), **{"xl/workbook.xml": b"<workbook"}),
    "entities": with_parts(
        base_workbook(),
        **{
            SHEET: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet '
            + MAIN
            + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
            b"</sheetData></worksheet>"
        },
    ),
    "a docx": with_parts(
        base_workbook(), **{"xl/workbook.xml": None, "word/document.xml": b"<w:document/>"}
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_every_malformed_workbook_is_a_clear_chinese_error(name):
    refused(BROKEN[name])


@pytest.mark.parametrize("name", list(BROKEN))
@pytest.mark.parametrize("importer", ["enterprises", "indicators", "targets"])
def test_every_importer_reports_a_malformed_workbook(users, importer, name):
    from wulian.chains.targets import import_target_companies
    from wulian.enterprises.services import import_enterprises
    from wulian.indicators.importing import import_observations

    run = {
        "enterprises": import_enterprises,
        "indicators": import_observations,
        "targets": import_target_companies,
    }[importer]
    report = run(actor=users["leader"], data=BROKEN[name], dry_run=True)
    assert not report.ok
    assert CJK.search(report.errors[0].message)


def test_the_upload_page_answers_a_bomb_with_a_message(client, users, settings):
    settings.MAX_IMPORT_ROWS = 100
    bomb = with_parts(base_workbook(), **{STRINGS: strings_xml(20_000)})
    client.force_login(users["leader"])
    upload = io.BytesIO(bomb)
    upload.name = "bomb.xlsx"
    response = client.post("/enterprises/import/", {"file": upload})
    assert response.status_code in (200, 400)
    assert "共享字符串" in response.content.decode()
