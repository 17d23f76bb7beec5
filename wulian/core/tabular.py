"""Reading spreadsheets as Chinese offices write them, for every import in Wulian.

- The file type is decided by content, not by name: an xlsx is a zip; anything else is CSV.
- CSV in UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Excel saves it.
- Values: full-width characters, spaces, thousands separators, amounts with units
  (元/万元/亿元), dates as Excel serials or 2021-03-05 / 2021/3/5 / 2021年3月5日, 是/否.
- Rows are numbered as the spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .validators import normalize_text

# An xlsx expands; refuse archives whose content would be absurdly large (zip bombs).
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_CELL_CHARS = 2000


class TableError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, empty …); message in Chinese."""


@dataclass
class RowProblem:
    """One problem in one cell (or a whole row when column is empty)."""

    row: int
    column: str
    message: str
    value: str = ""


@dataclass
class ImportReport:
    """What an import found and did; errors mean nothing was written."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = False
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        errors = [RowProblem(**e) for e in data.get("errors", [])]
        return cls(
            total_rows=data.get("total_rows", 0),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            dry_run=data.get("dry_run", False),
            errors=errors,
            warnings=data.get("warnings", []),
        )


def sniff_kind(data: bytes) -> str:
    """'xlsx' or 'csv' by the file's first bytes; raises TableError for other formats."""
    if not data.strip():
        raise TableError(_("文件为空。"))
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError(_("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入。"))
    if b"\x00" in data[:4096]:
        raise TableError(_("无法识别的文件类型：请上传 .xlsx 或 .csv 文件。"))
    return "csv"


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not), then GB18030 (a superset of GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("无法识别文件编码：请以 UTF-8 或 GBK 编码保存 CSV 文件。"))


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise TableError(_("xlsx 文件已损坏，无法打开。")) from exc
    if total > MAX_UNZIPPED_BYTES:
        raise TableError(_("xlsx 文件解压后过大，已拒绝处理。"))
    if "xl/workbook.xml" not in names:
        raise TableError(_("这不是有效的 xlsx 工作簿。"))


def read_table(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Header cells and an iterator of (row number, cells) for the first sheet or the CSV.

    Completely empty rows are skipped but keep their numbers, so reports match the sheet.
    """
    kind = sniff_kind(data)
    if kind == "xlsx":
        _check_zip(data)
        import openpyxl  # defusedxml, when installed, makes openpyxl parse XML safely

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise TableError(_("xlsx 文件无法读取：%(e)s") % {"e": str(exc)[:100]}) from exc
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
    else:
        text = decode_csv(data)
        rows = csv.reader(io.StringIO(text, newline=""))
    iterator = enumerate(rows, start=1)
    header: list[str] | None = None
    for number, cells in iterator:
        if any(c not in (None, "") for c in cells):
            header = ["" if c is None else normalize_text(str(c)) for c in cells]
            if number != 1:
                raise TableError(_("第1行应为表头，但表头出现在第%(n)d行。") % {"n": number})
            break
    if header is None:
        raise TableError(_("文件中没有数据。"))

    def body() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in iterator:
            cells = list(cells)
            if any(
                c not in (None, "") and not (isinstance(c, str) and not c.strip()) for c in cells
            ):
                yield number, cells

    return header, body()


# ---- header matching -------------------------------------------------------------------

_UNIT_FACTORS_WAN = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}
_HEADER_UNIT = re.compile(r"^(.*?)[(（\[]\s*(元|千元|万元|万|亿元|亿|人)\s*[)）\]]$")


def split_header(header: str) -> tuple[str, str | None]:
    """'年产值（万元）' → ('年产值', '万元'); other parentheses stay part of the name."""
    text = normalize_text(header).replace(" ", "")
    match = _HEADER_UNIT.match(text)
    if match:
        return match.group(1), match.group(2)
    return text, None


def map_headers(
    header: list[str], aliases: dict[str, tuple[str, ...]]
) -> tuple[dict[str, tuple[int, str | None]], list[RowProblem], list[str]]:
    """Match header cells to field names via Chinese/English aliases.

    Returns {field: (column index, unit)}, errors (row 1) and warnings (ignored columns).
    """
    lookup = {}
    for name, names in aliases.items():
        for alias in (name, *names):
            lookup[normalize_text(alias).replace(" ", "").lower()] = name
    mapping: dict[str, tuple[int, str | None]] = {}
    errors: list[RowProblem] = []
    warnings: list[str] = []
    for index, cell in enumerate(header):
        if not cell:
            continue
        base, unit = split_header(cell)
        name = lookup.get(base.lower())
        if name is None:
            warnings.append(_("已忽略无法识别的列“%(c)s”") % {"c": cell})
            continue
        if name in mapping:
            errors.append(RowProblem(1, cell, _("列“%(c)s”重复出现") % {"c": cell}))
            continue
        mapping[name] = (index, unit)
    return mapping, errors, warnings


# ---- values ----------------------------------------------------------------------------


class ValueProblem(ValueError):
    """A cell value that cannot be read; the message is Chinese and shown to the user."""


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_text(str(value))
    if len(text) > MAX_CELL_CHARS:
        raise ValueProblem(_("内容过长（超过%(n)d个字符）") % {"n": MAX_CELL_CHARS})
    if "\x00" in text:
        raise ValueProblem(_("含有不允许的空字符"))
    return text


_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)(.*)$")


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueProblem(_("应为数字"))
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = cell_text(value).replace(",", "").replace(" ", "")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueProblem(_("“%(v)s”不是数字") % {"v": text}) from exc


def parse_amount_wan(value: Any, default_unit: str | None = None) -> Decimal:
    """An amount in 万元: '1,234.5', '3.2亿元', '800万', '12000000元' (unit beats header)."""
    factor = _UNIT_FACTORS_WAN.get(default_unit or "万元", Decimal(1))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        amount = Decimal(str(value)) * factor
    else:
        text = cell_text(value).replace(",", "").replace(" ", "")
        match = _NUMBER.match(text)
        if not match:
            raise ValueProblem(_("“%(v)s”不是金额") % {"v": text})
        number, unit = match.groups()
        if unit:
            if unit not in _UNIT_FACTORS_WAN:
                raise ValueProblem(_("无法识别的金额单位“%(u)s”") % {"u": unit})
            factor = _UNIT_FACTORS_WAN[unit]
        amount = Decimal(number) * factor
    if amount < 0:
        raise ValueProblem(_("金额不能为负数"))
    return amount.quantize(Decimal("0.01"))


def parse_int(value: Any, suffixes: tuple[str, ...] = ("人", "个", "家")) -> int:
    if isinstance(value, bool):
        raise ValueProblem(_("应为整数"))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = cell_text(value).replace(",", "").replace(" ", "")
        for suffix in suffixes:
            text = text.removesuffix(suffix)
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueProblem(_("“%(v)s”不是整数") % {"v": text}) from exc
    if number != number.to_integral_value():
        raise ValueProblem(_("应为整数"))
    if number < 0:
        raise ValueProblem(_("不能为负数"))
    return int(number)


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "x", "无", "f", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = cell_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueProblem(_("“%(v)s”应为“是”或“否”") % {"v": text})


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y%m%d")


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if not 1 <= value <= 2958465:
            raise ValueProblem(_("“%(v)s”不是有效的日期") % {"v": value})
        result = from_excel(value)
        return result.date() if isinstance(result, dt.datetime) else result
    text = cell_text(value).replace(" ", "")
    if text.isdigit() and len(text) != 8:
        return parse_date(int(text))
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
        return parsed
    raise ValueProblem(
        _("“%(v)s”不是有效的日期，请写作 2021-03-05、2021/3/5 或 2021年3月5日") % {"v": text}
    )
