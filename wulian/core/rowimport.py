"""The common shape of a dataset import: one row per record, every row or none.

A `RowImporter` subclass declares its columns (`core.datasets.Column`), the fields that
identify a record (`key`), and how to look up, write and export records. This class reads the
file (`core.tabular`), parses every cell by its column's kind, lets the subclass resolve
references (an enterprise by its USCC, a link by its name), refuses duplicate keys, and only
when no row has a problem writes all rows in one transaction. The same `clean_record` path
validates one record sent to the API, so a file and an API call can never disagree.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import DecimalValidator
from django.db import models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from .datasets import Column, Progress
from .models import CITY_CODE, Region
from .tabular import (
    MAX_INTEGER_DIGITS,
    ImportReport,
    RowProblem,
    TableError,
    ValueProblem,
    cell_text,
    map_headers,
    parse_amount_wan,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
    round_half_up,
    split_header,
)
from .validators import uscc_problem

MAX_REPORTED_ERRORS = 1000
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
Problem = Callable[[str, str], None]


def parse_month(value: Any) -> dt.date:
    """'2025-03', '2025/3', '2025年3月', an Excel date or 202503 → date(2025, 3, 1)."""
    if isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, 1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = cell_text(value).replace(" ", "")
    match = _MONTH.match(text)
    if match is None and len(text) == 6 and text.isdigit():
        match = re.match(r"^(\d{4})(\d{2})$", text)
    if match is None:
        raise ValueProblem(_("“%(v)s”不是年月，请写作 2025-03") % {"v": text})
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise ValueProblem(_("“%(v)s”不是有效的年月") % {"v": text})
    return dt.date(year, month, 1)


def parse_year(value: Any) -> int:
    number = parse_int(value, suffixes=("年",))
    if not 1900 <= number <= 2200:
        raise ValueProblem(_("“%(v)s”不是有效的年份") % {"v": value})
    return number


def _decimal(value: Any, unit: str | None) -> Decimal:
    if isinstance(value, float):
        return parse_decimal(Decimal(repr(value)))
    return parse_decimal(value)


def _amount(value: Any, unit: str | None) -> Decimal:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and unit in (None, "万元"):
        return parse_amount_wan(Decimal(repr(value)) if isinstance(value, float) else value)
    return parse_amount_wan(value, unit)


def _int(value: Any, unit: str | None) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _LARGEST:
        return value
    return parse_int(value)


_LARGEST = 10**MAX_INTEGER_DIGITS

PARSERS: dict[str, Callable[[Any, str | None], Any]] = {
    "amount": _amount,
    "decimal": _decimal,
    "int": _int,
    "date": lambda v, u: parse_date(v),
    "month": lambda v, u: parse_month(v),
    "year": lambda v, u: parse_year(v),
    "bool": lambda v, u: parse_bool(v),
}


def stored_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The numeric field `name` of `model` that an imported number is stored in, if any."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, (models.DecimalField, models.IntegerField)) else None


def fits(model: type[models.Model] | None, name: str, value: Any) -> Any:
    """`value` if the numeric field `name` of `model` can store it; ValueProblem in Chinese
    if it cannot (more integer digits than the column has, outside the field's range). A
    decimal with more places than the column keeps comes back rounded half up to them. Values
    that are not numbers pass as they are."""
    field = stored_field(model, name)
    if field is None or not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return value
    if isinstance(field, models.DecimalField):
        whole = field.max_digits - field.decimal_places
        if not Decimal(value).is_finite():
            raise ValueProblem(_("“%(v)s”不是数字") % {"v": value})
        # 四舍五入 to the places the column keeps, here: left to the database, PostgreSQL
        # would round half away from zero and SQLite keep the digits (Django rounding them
        # half to even when reading)
        value = round_half_up(Decimal(value), field.decimal_places)
        if value and value.adjusted() >= whole:
            raise ValueProblem(_("数值过大：整数部分最多 %(n)d 位") % {"n": whole})
    else:
        # the column's size in every database (SQLite would take 64 bits where PostgreSQL
        # refuses past 32): a file is accepted or refused alike on both
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        if not low <= value <= high:
            raise ValueProblem(_("超出范围：应在 %(lo)d 到 %(hi)d 之间") % {"lo": low, "hi": high})
    problems = []
    for validator in field.validators:  # the range; digits were checked above
        if isinstance(validator, DecimalValidator):
            continue
        try:
            validator(value)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValueProblem("；".join(problems))
    return value


def county_lookup() -> tuple[dict[str, str], str]:
    """County names, short names and codes → code; and the names for error messages."""
    lookup: dict[str, str] = {}
    names = []
    for code, name, short in Region.objects.filter(parent_id=CITY_CODE).values_list(
        "code", "name", "short_name"
    ):
        names.append(name)
        for key in (code, name, short):
            if key:
                lookup[key] = code
    return lookup, "、".join(names)


def _cap_errors(report: ImportReport) -> int:
    """Keep the first MAX_REPORTED_ERRORS problems; returns how many were dropped."""
    extra = len(report.errors) - MAX_REPORTED_ERRORS
    if extra <= 0:
        return 0
    del report.errors[MAX_REPORTED_ERRORS:]
    return extra


class ChunkWriter(Protocol):
    """Writes a chunked import inside its transaction: `write` per chunk of clean rows,
    `finish` once after the last (rollups, audit); finish returns (created, updated)."""

    def write(self, rows: list[dict[str, Any]]) -> None: ...

    def finish(self) -> tuple[int, int]: ...


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RowImporter:
    """Base class of a dataset: columns, natural key, lookups, write and export."""

    name: str = ""
    label: str = ""
    unit: str = "条"
    import_roles: frozenset[str] = frozenset()
    columns: Sequence[Column] = ()
    notes: Sequence[str] = ()
    list_url: str = ""
    key: tuple[str, ...] = ()
    audit_note: str = ""
    # Rows checked and written at a time; 0 reads the whole file before writing (the default,
    # for datasets of a few thousand rows). A chunked dataset writes with `begin_write`.
    chunk_rows: int = 0
    # The setting that caps a file's data rows (datasets may have a higher one of their own).
    max_rows_setting: str = "MAX_IMPORT_ROWS"
    # The model the rows are stored in: a number read for a column named as one of its fields
    # must fit that field (its digits, its range) before anything is written.
    model: type[models.Model] | None = None

    # ---- reading -------------------------------------------------------------------------

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    def aliases(self) -> dict[str, tuple[str, ...]]:
        return {c.field: (split_header(c.header)[0], c.header, *c.aliases) for c in self.columns}

    def parse_cell(self, column: Column, raw: Any, unit: str | None = None) -> Any:
        """One cell → its value (None when empty); raises ValueProblem in Chinese."""
        if _empty(raw):
            if column.required:
                raise ValueProblem(_("不能为空"))
            return None
        parser = PARSERS.get(column.kind)
        if parser is not None:
            return self._fits(column, parser(raw, unit))
        text = cell_text(raw)
        if column.kind == "uscc":
            text = text.upper()
            problem = uscc_problem(text)
            if problem:
                raise ValueProblem(problem)
        elif column.kind == "county":
            counties, names = self._counties
            if text not in counties:
                raise ValueProblem(_("未知区县“%(v)s”，应为：%(n)s") % {"v": text, "n": names})
            return counties[text]
        elif column.kind == "choice":
            for value, label in column.choices:
                if text in (value, str(label)):
                    return value
            raise ValueProblem(
                _("“%(v)s”不在允许值中：%(a)s") % {"v": text, "a": column.allowed_text()}
            )
        if column.max_length and len(text) > column.max_length:
            raise ValueProblem(_("超过%(n)d个字符") % {"n": column.max_length})
        return text

    def _fits(self, column: Column, value: Any) -> Any:
        return fits(self.model, column.field, value)

    # ---- hooks for subclasses ------------------------------------------------------------

    actor = None  # who imports, set on the run's copy (None: not known, e.g. a unit test)

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        """Batch lookups needed by `resolve`, given every parsed row (before resolving)."""

    def resolve(self, values: dict[str, Any], problem: Problem) -> None:
        """Check a parsed row across columns and resolve references; call problem(field, msg)."""

    def key_of(self, values: dict[str, Any]) -> tuple:
        return tuple(values.get(f) for f in self.key)

    def existing(self, keys: list[tuple]) -> dict[tuple, Any]:
        """Stored records for these keys (the rest will be created)."""
        return {}

    def write(self, rows: list[dict[str, Any]], *, actor) -> tuple[int, int]:
        """Write every clean row (inside a transaction); returns (created, updated)."""
        raise NotImplementedError

    def begin_write(self, *, actor) -> ChunkWriter:
        """For a chunked dataset: the writer that takes the clean rows chunk by chunk."""
        raise NotImplementedError

    def max_rows(self) -> int:
        return getattr(settings, self.max_rows_setting)

    def export_objects(self, user) -> Iterable[Any]:
        raise NotImplementedError

    def export_values(self, obj) -> dict[str, Any]:
        raise NotImplementedError

    def record_values(self, obj) -> dict[str, Any]:
        """A stored record's values by field (what a partial API update starts from)."""
        return self.export_values(obj)

    # ---- the import ----------------------------------------------------------------------

    def run(
        self, *, actor, data: bytes, dry_run: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        """Import a file: all rows are written, or none, with problems by row and column."""
        # The registered instance is shared; lookups made during a run live on a copy, and
        # so does the actor (`resolve` may check what the actor may write).
        importer = copy.copy(self)
        importer.actor = actor
        return importer._run(actor=actor, data=data, dry_run=dry_run, progress=progress)

    def _run(self, *, actor, data: bytes, dry_run: bool, progress) -> ImportReport:
        if self.chunk_rows:
            return self._run_chunked(actor=actor, data=data, dry_run=dry_run, progress=progress)
        report = ImportReport(dry_run=dry_run)
        rows = self._read(data, report, progress)
        if rows:
            # Rows that parsed are checked even when others did not: one report lists all.
            rows = self._check(rows, report)
        if not report.ok:
            return report
        existing = self.existing([self.key_of(v) for _n, v in rows]) if self.key else {}
        report.created = sum(1 for _n, v in rows if self.key_of(v) not in existing)
        report.updated = len(rows) - report.created
        if dry_run:
            return report
        with transaction.atomic():
            report.created, report.updated = self.write([v for _n, v in rows], actor=actor)
        return report

    def _open(self, data: bytes, report: ImportReport):
        """The header checked: (plan, body) where plan says which column holds which field,
        or None with the problems in the report."""
        try:
            header, body = read_table(data, self.max_rows())
        except TableError as exc:
            report.errors.append(RowProblem(0, "", str(exc)))
            return None
        mapping, header_errors, warnings = map_headers(header, self.aliases())
        report.errors.extend(header_errors)
        report.warnings.extend(warnings)
        missing = [c.header for c in self.columns if c.required and c.field not in mapping]
        if missing:
            report.errors.append(
                RowProblem(1, "", _("缺少必填列：%(c)s") % {"c": "、".join(missing)})
            )
        if report.errors:
            return None
        self._counties = county_lookup()
        plan = [(self.column(f), index, unit) for f, (index, unit) in mapping.items()]
        return plan, body

    def _read(self, data: bytes, report: ImportReport, progress) -> list[tuple[int, dict]]:
        opened = self._open(data, report)
        if opened is None:
            return []
        plan, body = opened
        parsed: list[tuple[int, dict]] = []
        for number, cells in self._rows(body, report, progress):
            if len(report.errors) >= MAX_REPORTED_ERRORS:
                report.errors.append(
                    RowProblem(number, "", _("错误过多，已停止检查；请先修正以上问题。"))
                )
                break
            values = self._parse_row(number, cells, plan, report)
            if values is not None:
                parsed.append((number, values))
        if report.total_rows == 0 and not report.errors:
            report.errors.append(RowProblem(0, "", _("文件中只有表头，没有数据行。")))
        return parsed

    def _parse_row(self, number, cells, plan, report) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        ok = True
        width = len(cells)
        for column, index, unit in plan:
            raw = cells[index] if index < width else None
            try:
                values[column.field] = self.parse_cell(column, raw, unit)
            except ValueProblem as exc:
                ok = False
                report.errors.append(
                    RowProblem(
                        number, column.header, str(exc), "" if raw is None else str(raw)[:100]
                    )
                )
        return values if ok else None

    def _check(
        self,
        rows: list[tuple[int, dict]],
        report: ImportReport,
        first_row: dict | None = None,
        cap: bool = True,
    ) -> list[tuple[int, dict]]:
        """The rows without problems; the problems go to the report. `first_row` (key → row
        number) carries the keys seen across chunks; `cap` stops at MAX_REPORTED_ERRORS."""
        self.prepare([v for _n, v in rows])
        if first_row is None:
            first_row = {}
        clean = []
        for number, values in rows:
            found: list[RowProblem] = []

            def problem(field: str, message: str, number=number, values=values, found=found):
                column = self.column(field) if field else None
                raw = values.get(field) if field else None
                found.append(
                    RowProblem(
                        number,
                        column.header if column else "",
                        message,
                        "" if raw is None else str(raw)[:100],
                    )
                )

            self.resolve(values, problem)
            if self.key and not found:
                key = self.seen_key(values)
                if key in first_row:
                    problem(
                        self.key[0],
                        _("与第%(n)d行重复（%(k)s）")
                        % {
                            "n": first_row[key],
                            "k": "、".join(self.column(f).header for f in self.key),
                        },
                    )
                else:
                    first_row[key] = number
            report.errors.extend(found)
            if cap and len(report.errors) >= MAX_REPORTED_ERRORS:
                break
            if not found:
                clean.append((number, values))
        return clean

    def seen_key(self, values: dict[str, Any]) -> Any:
        """The key remembered to find a row repeated later in the file (a chunked dataset
        may make it smaller than `key_of`: a million of them are held)."""
        return self.key_of(values)

    # ---- chunked: a file of millions of rows ------------------------------------------------

    def _run_chunked(self, *, actor, data: bytes, dry_run: bool, progress) -> ImportReport:
        """Import a file chunk by chunk in one transaction, rolled back unless every row of
        the file is clean: memory holds a chunk of rows, not the file's.

        Every row is checked even after the first problem (the rest are no longer written),
        so that the report can say how many problems there are beyond the first
        MAX_REPORTED_ERRORS it lists.
        """
        report = ImportReport(dry_run=dry_run)
        opened = self._open(data, report)
        if opened is None:
            return report
        plan, body = opened
        first_row: dict = {}
        omitted = 0
        writer: ChunkWriter | None = None
        # A dry run writes nothing and holds no transaction (on SQLite one would take the
        # write lock for the whole check).
        with contextlib.nullcontext() if dry_run else transaction.atomic():
            for chunk in self._chunks(body, plan, report, progress):
                clean = self._check(chunk, report, first_row, cap=False) if chunk else []
                omitted += _cap_errors(report)
                if not report.ok or not clean:
                    continue
                if dry_run:
                    keys = [self.key_of(v) for _n, v in clean]
                    stored = self.existing(keys) if self.key else {}
                    found = sum(1 for key in keys if key in stored)
                    report.created += len(keys) - found
                    report.updated += found
                    continue
                if writer is None:
                    writer = self.begin_write(actor=actor)
                writer.write([v for _n, v in clean])
            omitted += _cap_errors(report)
            if report.total_rows == 0 and report.ok:
                report.errors.append(RowProblem(0, "", _("文件中只有表头，没有数据行。")))
            if omitted:
                report.errors.append(
                    RowProblem(
                        0,
                        "",
                        _("另有 %(n)d 处问题未列出（只列出前 %(m)d 处）；请修正后重新导入。")
                        % {"n": omitted, "m": MAX_REPORTED_ERRORS},
                    )
                )
            if writer is not None:
                if report.ok:
                    report.created, report.updated = writer.finish()
                else:
                    transaction.set_rollback(True)  # nothing of a file with a problem is kept
        return report

    def _chunks(self, body, plan, report: ImportReport, progress) -> Iterator[list]:
        """The parsed rows, `chunk_rows` at a time; a file that cannot be read to its end
        or has too many rows ends with a problem in the report."""
        chunk: list[tuple[int, dict]] = []
        for number, cells in self._rows(body, report, progress):
            values = self._parse_row(number, cells, plan, report)
            if values is not None:
                chunk.append((number, values))
            if report.total_rows % self.chunk_rows == 0:  # possibly empty: all had errors
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _rows(self, body, report: ImportReport, progress) -> Iterator[tuple[int, list]]:
        """The body's (row number, cells), counted in the report, up to the row limit; a
        file that cannot be read to its end stops with a problem in the report."""
        limit = self.max_rows()
        try:
            for number, cells in body:
                report.total_rows += 1
                if report.total_rows > limit:
                    report.errors.append(
                        RowProblem(
                            number,
                            "",
                            _("数据行超过 %(n)d 行的上限，请拆分文件后分批导入。") % {"n": limit},
                        )
                    )
                    return
                yield number, cells
                if progress is not None and report.total_rows % 5000 == 0:
                    progress(report.total_rows, 0)
        except TableError as exc:  # the file breaks (or passes a limit) part-way through
            report.errors.append(RowProblem(0, "", str(exc)))

    # ---- one record from the API ---------------------------------------------------------

    def clean_record(
        self, data: dict[str, Any], *, partial_of: dict | None = None, actor=None
    ) -> dict:
        importer = copy.copy(self)
        importer.actor = actor
        return importer._clean_record(data, partial_of=partial_of)

    def _clean_record(self, data: dict[str, Any], *, partial_of: dict | None) -> dict:
        """Validate one record given by field name, as a file row would be.

        `partial_of` holds the stored record's values for a partial update. Raises
        django.core.exceptions.ValidationError with messages keyed by field.
        """
        from django.core.exceptions import ValidationError

        self._counties = county_lookup()
        values: dict[str, Any] = dict(partial_of or {})
        errors: dict[str, list[str]] = {}
        for column in self.columns:
            if column.field not in data:
                if partial_of is None and column.required:
                    errors.setdefault(column.field, []).append(_("不能为空"))
                continue
            try:
                values[column.field] = self.parse_cell(column, data[column.field])
            except ValueProblem as exc:
                errors.setdefault(column.field, []).append(str(exc))
        if not errors:
            self.prepare([values])

            def problem(field: str, message: str) -> None:
                errors.setdefault(field or "non_field_errors", []).append(message)

            self.resolve(values, problem)
        if errors:
            raise ValidationError(errors)
        return values

    def save_record(self, values: dict[str, Any], *, actor) -> Any:
        """Write one clean record (create or update by key) and return the stored object."""
        with transaction.atomic():
            self.write([values], actor=actor)
        return self.existing([self.key_of(values)]).get(self.key_of(values))

    # ---- export --------------------------------------------------------------------------

    def export_rows(self, user) -> Iterable[list[Any]]:
        """Rows in the template's columns; values written as the importer reads them."""
        regions = dict(Region.objects.values_list("code", "name"))
        for obj in self.export_objects(user):
            values = self.export_values(obj)
            yield [export_cell(c, values.get(c.field), regions) for c in self.columns]


def export_cell(column: Column, value: Any, regions: dict[str, str] | None = None) -> Any:
    """A stored value as the template writes it (month as 2025-03, 是/否, choice labels)."""
    if value is None or value == "":
        return None
    if column.kind == "county":
        return (regions or {}).get(value, value)
    if column.kind == "month":
        return f"{value:%Y-%m}"
    if column.kind == "bool":
        return _("是") if value else _("否")
    if column.kind == "choice":
        return next((str(label) for v, label in column.choices if v == value), value)
    return value


__all__ = ["RowImporter", "county_lookup", "export_cell", "parse_month"]
