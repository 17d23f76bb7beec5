"""Helpers for the per-dataset round trip: template → filled → import → export equals input."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl

from wulian.core.datasets import export_xlsx, template_xlsx


def fill_template(dataset, rows: list[list[Any]]) -> bytes:
    """The dataset's own template with the example row replaced by `rows` (as Excel saves it)."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(dataset)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [c.header for c in dataset.columns]
    assert book.sheetnames[1] == "填写说明"
    sheet.delete_rows(2)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if value == "":
        return None
    return value


def sheet_rows(data: bytes, width: int) -> list[list[Any]]:
    """The first sheet's data rows with numbers, dates and blanks made comparable."""
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, max_col=width, values_only=True))
    return [
        [_plain(v) for v in (*row, *[None] * (width - len(row)))]
        for row in rows
        if any(v not in (None, "") for v in row)
    ]


def round_trip(dataset, rows: list[list[Any]], user) -> tuple[list, list]:
    """Import `rows` through the template, export as `user`; (input, exported) both sorted."""
    report = dataset.run(actor=user, data=fill_template(dataset, rows))
    assert report.ok, [(e.row, e.column, e.message) for e in report.errors]
    exported = sheet_rows(export_xlsx(dataset, user), len(dataset.columns))
    wanted = [
        [_plain(v) for v in (*row, *[None] * (len(dataset.columns) - len(row)))] for row in rows
    ]
    key = lambda r: [str(v) for v in r]  # noqa: E731
    return sorted(wanted, key=key), sorted(exported, key=key)
