"""Every spreadsheet the platform hands out (xlsx and csv) is written here.

User text is written as text, never as a formula (OWASP, "CSV Injection"): a value that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what Excel and LibreOffice read
as the start of a formula. In xlsx such a value becomes a string cell with the "quote prefix"
style, so the file keeps exactly what the user typed, the program shows it as text and keeps
it text when someone edits the cell. In csv, which carries no types, it gets a leading single
quote. Numbers, dates and booleans stay what they are.

Views, reports and commands build their workbooks with `XlsxWorkbook` (or `csv_response`)
and no module writes a spreadsheet any other way (a test walks the code base for that).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# What a spreadsheet program takes as the start of a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_CHARS = 31  # Excel's limit


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read this text as (the start of) a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _plain(value: Any) -> Any:
    """A value openpyxl can store: numbers, dates and booleans as such, anything else as text.

    Characters XML cannot hold (control characters other than tab, CR, LF) become U+FFFD, so
    a stray byte in someone's text never breaks the whole export. Aware datetimes are written
    in the city's time (xlsx has no time zones).
    """
    if value is None or isinstance(value, (bool, int, Decimal, dt.date, dt.time)):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


class XlsxSheet:
    """One sheet of an `XlsxWorkbook`; `append` writes a row with every text cell made safe."""

    def __init__(self, worksheet) -> None:
        self._worksheet = worksheet

    def cell(self, value: Any, *, bold: bool = False) -> Any:
        value = _plain(value)
        if not bold and not (isinstance(value, str) and is_formula_like(value)):
            return value
        cell = WriteOnlyCell(self._worksheet, value=value)
        if isinstance(value, str) and is_formula_like(value):
            # openpyxl has typed it a formula; make it a string cell shown (and kept) as text.
            cell.data_type = "s"
            cell.quotePrefix = True
        if bold:
            cell.font = Font(bold=True)
        return cell

    def append(self, row: Iterable[Any]) -> None:
        self._worksheet.append([self.cell(value) for value in row])

    def header(self, labels: Iterable[Any]) -> None:
        """The header row, in bold."""
        self._worksheet.append([self.cell(str(label), bold=True) for label in labels])


class XlsxWorkbook:
    """A streamed (write-only) xlsx workbook made only of safe sheets."""

    def __init__(self) -> None:
        self._workbook = Workbook(write_only=True)

    def sheet(
        self,
        title: Any,
        header: Iterable[Any] | None = None,
        widths: Sequence[float] | None = None,
    ) -> XlsxSheet:
        """A new sheet; `widths` are column widths in characters, set before any row."""
        worksheet = self._workbook.create_sheet(_sheet_title(title))
        for index, width in enumerate(widths or (), start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        sheet = XlsxSheet(worksheet)
        if header is not None:
            sheet.header(header)
        return sheet

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()

    def response(self, filename: str) -> HttpResponse:
        return xlsx_response(self.to_bytes(), filename)


def _sheet_title(title: Any) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", str(title))
    for char in "[]:*?/\\":
        text = text.replace(char, "_")
    return text[:SHEET_TITLE_CHARS] or "Sheet"


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A download; `filename` is made by the server. A Chinese name is sent as RFC 5987
    `filename*=utf-8''…` (browsers save it as written); characters a file system refuses
    are replaced."""
    filename = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", filename).strip() or "download"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, XLSX_CONTENT_TYPE, filename)


def csv_value(value: Any) -> str:
    """One csv field: formula-like text gets a leading single quote (OWASP); numbers stay."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)


def csv_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with a BOM, so that Excel in a Chinese office opens it with the right encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(str(label)) for label in header])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_response(header: Iterable[Any], rows: Iterable[Iterable[Any]], filename: str):
    return attachment(csv_bytes(header, rows), CSV_CONTENT_TYPE, filename)


def stamp(fmt: str = "%Y%m%d-%H%M") -> str:
    """The local time for a download's file name."""
    return timezone.localtime().strftime(fmt)
