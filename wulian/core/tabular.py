"""Reading spreadsheets as Chinese offices write them, for every import in Wulian.

- The file type is decided by content, not by name: an xlsx is a zip; anything else is CSV.
- CSV in UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Excel saves it.
- Values: full-width characters, spaces, thousands separators, amounts with units
  (元/万元/亿元), dates as Excel serials or 2021-03-05 / 2021/3/5 / 2021年3月5日, 是/否.
- Rows are numbered as the spreadsheet shows them: the header is row 1.

An xlsx is a zip of XML parts, and a small upload can unpack to hundreds of megabytes or to
millions of shared strings (a "zip bomb"). Before anything is parsed, every part's unpacked
size is checked and the parts are scanned (as bytes, at memory speed) for how many XML tags,
shared strings and hence cells they hold; the limits follow from the rows an import may
have (settings.MAX_IMPORT_ROWS). The first sheet is then streamed row by row, counting cells
and columns as it goes. Whatever is wrong with a workbook (not a zip, a missing part, broken
XML, a cell pointing at a shared string that does not exist, a number or date that is not
one) ends as a TableError with a Chinese message, never as a server error.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .validators import normalize_text

# An xlsx expands; refuse archives whose content would be absurdly large (zip bombs).
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_CELL_CHARS = 2000
MB = 1024 * 1024
# Unpacked size allowed per part: the sheets, the shared-string table, anything else.
MAX_SHEET_BYTES = 256 * MB
MAX_STRINGS_BYTES = 64 * MB
MAX_OTHER_PART_BYTES = 16 * MB
MAX_PARTS = 2000
# What one row of an import may hold: columns read, cells and distinct texts on average, and
# the XML tags a cell (or a shared string, with rich-text runs) may take.
MAX_IMPORT_COLUMNS = 200
CELLS_PER_ROW = 20
STRINGS_PER_ROW = 4
TAGS_PER_CELL = 8
TAGS_PER_STRING = 16
OTHER_PARTS_TAGS = 2_000_000
# The byte limits above are sized for this many rows; a dataset allowed more (monthly
# figures: millions) has them scaled in proportion.
LIMITS_SIZED_FOR_ROWS = 200_000


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


@dataclass(frozen=True)
class XlsxLimits:
    """How much of an xlsx an import reads, from the rows it may have (plus the header).

    The unpacked sizes allowed grow in proportion past LIMITS_SIZED_FOR_ROWS rows (a month
    for 1.5 million enterprises is a sheet of some 500 MB); the scan that checks them reads
    in chunks, and the cell and shared-string counts still follow the rows.
    """

    rows: int
    cells: int
    strings: int

    @classmethod
    def for_rows(cls, data_rows: int) -> XlsxLimits:
        rows = data_rows + 1
        return cls(rows=rows, cells=rows * CELLS_PER_ROW, strings=rows * STRINGS_PER_ROW + 1000)

    @property
    def _scale(self) -> float:
        return max(1.0, self.rows / LIMITS_SIZED_FOR_ROWS)

    @property
    def sheet_bytes(self) -> int:
        return int(MAX_SHEET_BYTES * self._scale)

    @property
    def strings_bytes(self) -> int:
        return int(MAX_STRINGS_BYTES * self._scale)

    @property
    def unzipped_bytes(self) -> int:
        return int(MAX_UNZIPPED_BYTES * self._scale)


_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_STRINGS_PART = "xl/sharedStrings.xml"
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
# What zipfile and openpyxl raise for a broken archive, part or XML (ParseError and defusedxml's
# refusals are SyntaxError and ValueError).
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    OverflowError,
    SyntaxError,
    AttributeError,
    NotImplementedError,
    RuntimeError,
)


def _too_big(part: str, size: int, limit: int) -> TableError:
    return TableError(
        _("xlsx 文件中的 %(part)s 解压后为 %(size).1f MB，超过 %(max)d MB 的上限，已拒绝处理。")
        % {"part": part, "size": size / MB, "max": limit // MB}
    )


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_tags: int, max_strings: int):
    """(XML tags, shared strings) in one part, read in chunks; stops as soon as either passes
    its maximum (`max_strings` 0: strings are not counted).

    Every element starts with "<", so counting that byte bounds the work a parser would do.
    """
    tags = strings = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(MB):
            tags += chunk.count(b"<")
            if max_strings:
                window = tail + chunk
                strings += len(_SHARED_STRING.findall(window)) - len(_SHARED_STRING.findall(tail))
                tail = window[-16:]
            if tags > max_tags or strings > max_strings:
                break
    return tags, strings


def check_xlsx(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    """Refuse a workbook whose parts are too large, or hold more tags, shared strings or cells
    than `limits` allow, before any XML is parsed."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(infos) > MAX_PARTS:
        raise TableError(_("xlsx 文件包含的部件过多，已拒绝处理。"))
    if sum(info.file_size for info in infos) > limits.unzipped_bytes:
        raise TableError(_("xlsx 文件解压后过大，已拒绝处理。"))
    for required in ("[Content_Types].xml", "xl/workbook.xml"):
        if required not in names:
            raise TableError(
                _("这不是有效的 xlsx 工作簿（缺少 %(part)s），请在 Excel 中另存为 .xlsx 后再导入。")
                % {"part": required}
            )
    sheet_tags = limits.cells * TAGS_PER_CELL + limits.rows * 4 + 1000
    string_tags = limits.strings * TAGS_PER_STRING
    budget = {"sheet": sheet_tags, "strings": string_tags, "other": OTHER_PARTS_TAGS}
    for info in infos:
        if info.is_dir():
            continue
        if _SHEET_PART.match(info.filename):
            kind, limit = "sheet", limits.sheet_bytes
        elif info.filename == _STRINGS_PART:
            kind, limit = "strings", limits.strings_bytes
        else:
            kind, limit = "other", MAX_OTHER_PART_BYTES
        if info.file_size > limit:
            raise _too_big(info.filename, info.file_size, limit)
        if not info.filename.endswith((".xml", ".rels")):
            continue  # images and other binaries are never parsed
        tags, strings = _scan(
            archive, info, budget[kind], limits.strings if kind == "strings" else 0
        )
        budget[kind] -= tags
        if strings > limits.strings:
            raise TableError(
                _(
                    "xlsx 文件中的共享字符串超过 %(max)d 条（本系统一次最多导入 %(rows)d 行），"
                    "已拒绝处理；请拆分文件后分批导入。"
                )
                % {"max": limits.strings, "rows": limits.rows - 1}
            )
        if budget[kind] < 0:
            raise TableError(
                _(
                    "xlsx 文件内容过多（超过 %(rows)d 行数据所允许的单元格数），已拒绝处理；"
                    "请拆分文件后分批导入。"
                )
                % {"rows": limits.rows - 1}
            )


def _broken(exc: BaseException) -> str:
    """What is wrong with a workbook, in Chinese, from what openpyxl or zipfile raised."""
    if isinstance(exc, KeyError):
        name = str(exc.args[0]) if exc.args else ""
        match = re.search(r"named '([^']+)'", name)
        return _("缺少部件 %(part)s") % {"part": match.group(1) if match else name[:60]}
    if isinstance(exc, SyntaxError):
        return _("XML 格式错误")
    if isinstance(exc, IndexError):
        return _("引用了不存在的共享字符串")
    if isinstance(exc, RuntimeError) and "encrypt" in str(exc):
        return _("文件已加密")
    return _("内容无效")


def _open_xlsx(data: bytes, limits: XlsxLimits):
    """The checked archive and the workbook (read-only: sheets are streamed)."""
    import openpyxl  # defusedxml, when installed, makes openpyxl parse XML safely

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise TableError(_("xlsx 文件已损坏，无法打开。")) from exc
    try:
        check_xlsx(archive, limits)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except XLSX_ERRORS as exc:
        raise TableError(
            _("xlsx 文件无法读取（%(why)s），请在 Excel 中打开后另存为 .xlsx 再导入。")
            % {"why": _broken(exc)}
        ) from exc
    if not workbook.worksheets:
        raise TableError(_("xlsx 工作簿中没有工作表。"))
    return archive, workbook


def _xlsx_rows(data: bytes, limits: XlsxLimits) -> Iterator[list[Any]]:
    """The first sheet's rows as lists of values, streamed; a row missing from the XML comes
    back empty so that rows keep the numbers the spreadsheet shows."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    archive, workbook = _open_xlsx(data, limits)
    sheet = workbook.worksheets[0]
    path, strings = sheet._worksheet_path, sheet._shared_strings
    epoch, dates, spans = workbook.epoch, workbook._date_formats, workbook._timedelta_formats
    workbook.close()
    cells_seen = 0
    expected = 1
    with archive.open(path) as source:
        # openpyxl's own streaming parser, as its read-only sheets use it, but fed row by row
        # here so that cells and columns are counted and a bad cell says where it is.
        parser = WorkSheetParser(
            source,
            strings,
            data_only=True,
            epoch=epoch,
            date_formats=dates,
            timedelta_formats=spans,
        )
        rows = parser.parse()
        while True:
            try:
                parsed = next(rows, None)
            except XLSX_ERRORS as exc:
                raise TableError(
                    _("xlsx 第%(row)d行第%(col)s列的单元格无法读取（%(why)s）。")
                    % {
                        "row": parser.row_counter,
                        "col": get_column_letter(min(max(parser.col_counter, 1), 16384)),
                        "why": _broken(exc),
                    }
                ) from exc
            if parsed is None:
                return
            number, cells = parsed
            cells_seen += len(cells)
            if cells_seen > limits.cells or number > 1_048_576:
                raise TableError(
                    _("xlsx 工作表超过 %(rows)d 行数据所允许的单元格数，请拆分文件后分批导入。")
                    % {"rows": limits.rows - 1}
                )
            if number < expected:
                raise TableError(_("xlsx 第%(n)d行重复出现或顺序错乱。") % {"n": number})
            while expected < number:  # rows absent from the XML are empty rows
                expected += 1
                yield []
            expected = number + 1
            yield _row_values(number, cells)


def _row_values(number: int, cells: list[dict]) -> list[Any]:
    values: dict[int, Any] = {}
    for cell in cells:
        if cell["value"] is None:
            continue
        if cell["column"] > MAX_IMPORT_COLUMNS:
            raise TableError(
                _("第%(row)d行在第%(n)d列之后还有数据，超出导入允许的列数。")
                % {"row": number, "n": MAX_IMPORT_COLUMNS}
            )
        values[cell["column"]] = cell["value"]
    return [values.get(column) for column in range(1, max(values, default=0) + 1)]


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether the whole file decodes, checked a megabyte at a time (no copy of the text)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), MB):
            decoder.decode(view[start : start + MB], final=start + MB >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def csv_text(data: bytes) -> io.TextIOBase:
    """The CSV's text, decoded as it is read: UTF-8 (BOM or not), then GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(data, encoding):
            return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    raise TableError(_("无法识别文件编码：请以 UTF-8 或 GBK 编码保存 CSV 文件。"))


def _csv_rows(text: io.TextIOBase) -> Iterator[list[str]]:
    """The CSV's rows; what the csv module cannot read (a cell longer than its field limit)
    stops the reading with a TableError in Chinese, as a broken xlsx does."""
    reader = csv.reader(text)
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise TableError(
                _("CSV 第%(n)d行无法读取：单元格超过 %(limit)d 个字符或引号不成对。")
                % {"n": reader.line_num, "limit": csv.field_size_limit()}
            ) from exc
        if row is None:
            return
        yield row


def read_table(
    data: bytes, max_rows: int | None = None
) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Header cells and an iterator of (row number, cells) for the first sheet or the CSV.

    Completely empty rows are skipped but keep their numbers, so reports match the sheet.
    Reading stops with a TableError past `max_rows` data rows (settings.MAX_IMPORT_ROWS by
    default), or at anything unreadable in the file, while iterating as well. Rows are read
    as they are asked for: neither the text nor the rows of the file are held whole.
    """
    limit = settings.MAX_IMPORT_ROWS if max_rows is None else max_rows
    kind = sniff_kind(data)
    if kind == "xlsx":
        rows: Iterator = _xlsx_rows(data, XlsxLimits.for_rows(limit))
    else:
        rows = _csv_rows(csv_text(data))
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
        count = 0
        for number, cells in iterator:
            cells = list(cells)
            if any(
                c not in (None, "") and not (isinstance(c, str) and not c.strip()) for c in cells
            ):
                count += 1
                if count > limit:
                    raise TableError(
                        _("数据行超过 %(n)d 行的上限，请拆分文件后分批导入。") % {"n": limit}
                    )
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


# A number whose integer part has more digits than this is refused as it is read: no column
# holds it, and rounding it to cents would pass the precision of Python's decimal context.
MAX_INTEGER_DIGITS = 20


def round_half_up(number: Decimal, places: int) -> Decimal:
    """`number` rounded half up (四舍五入) to `places` decimals, when it has more."""
    if number.as_tuple().exponent >= -places:
        return number
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _finite(number: Decimal, raw: Any) -> Decimal:
    """`number` if it is an ordinary number of at most MAX_INTEGER_DIGITS integer digits."""
    if not number.is_finite():
        raise ValueProblem(_("“%(v)s”不是数字") % {"v": str(raw)[:40]})
    if number and number.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValueProblem(_("数值过大：整数部分超过 %(n)d 位") % {"n": MAX_INTEGER_DIGITS})
    return number


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueProblem(_("应为数字"))
    if isinstance(value, (int, float, Decimal)):
        return _finite(Decimal(str(value)), value)
    text = cell_text(value).replace(",", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueProblem(_("“%(v)s”不是数字") % {"v": text}) from exc
    return _finite(number, text)


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
    amount = _finite(amount, value)
    if amount < 0:
        raise ValueProblem(_("金额不能为负数"))
    return round_half_up(amount, 2).quantize(Decimal("0.01"))


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
    number = _finite(number, value)
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
