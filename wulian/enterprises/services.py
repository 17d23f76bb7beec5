"""Writes to the enterprise registry: imports and edits, always audited, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.exports import XlsxWorkbook
from wulian.core.models import CITY_CODE, Region
from wulian.core.rowimport import fits
from wulian.core.tabular import (
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
)
from wulian.core.validators import normalize_industry_code, uscc_problem

from .choices import ListingBoard
from .early_warning import sync_flag_scope
from .models import Enterprise, WarningFlag

# Header names accepted for each field, besides the English field name itself.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "name": ("企业名称", "单位名称", "名称"),
    "region": ("所属区县", "区县", "所在区县", "所属县(市、区)", "县(市、区)", "county"),
    "industry_code": ("国民经济行业分类", "行业代码", "国民经济行业代码", "行业分类代码"),
    "is_above_scale": ("规上企业", "规上", "是否规上", "规模以上"),
    "is_listed": ("上市企业", "是否上市", "上市"),
    "listing_board": ("上市板块", "板块"),
    "founded_on": ("成立日期", "成立时间", "注册日期"),
    "output_wan": ("年产值", "产值", "工业总产值", "最新年产值", "output"),
    "tax_wan": ("年税收", "税收", "纳税额", "实缴税金", "tax"),
    "employees": ("从业人数", "职工人数", "员工人数", "用工人数"),
    "land_area_mu": ("用地面积", "用地面积(亩)", "土地面积", "占地面积"),
}
REQUIRED = ("uscc", "name", "region")
COLUMN_LABELS = {
    "uscc": "统一社会信用代码",
    "name": "企业名称",
    "region": "所属区县",
    "industry_code": "国民经济行业分类",
    "is_above_scale": "规上企业",
    "is_listed": "上市企业",
    "listing_board": "上市板块",
    "founded_on": "成立日期",
    "output_wan": "年产值（万元）",
    "tax_wan": "年税收（万元）",
    "employees": "从业人数",
    "land_area_mu": "用地面积（亩）",
}
BATCH = 1000
MAX_REPORTED_ERRORS = 1000


@transaction.atomic
def register_enterprise(
    *, actor, uscc: str, name: str, region_id: str, is_synthetic: bool = False, note: str = ""
) -> Enterprise:
    """The registry's enterprise with this USCC, created (validated, audited) when it is new.

    For another module's hand-over (a project going into production): an enterprise already
    registered under the USCC is returned unchanged.
    """
    existing = Enterprise.objects.filter(uscc=uscc).first()
    if existing is not None:
        return existing
    if not region_id:
        raise ValidationError(_("新纳入企业库的企业须明确所属区县。"))
    enterprise = Enterprise(
        uscc=uscc, name=name[:200], region_id=region_id, is_synthetic=is_synthetic
    )
    enterprise.full_clean()
    enterprise.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=enterprise,
        after=audit.snapshot(enterprise),
        note=note,
    )
    return enterprise


def _county_lookup() -> tuple[dict[str, str], str]:
    """County names, short names and codes → code; and the list for error messages."""
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


def _board_lookup() -> dict[str, str]:
    """Board codes and their Chinese names (the file's language, whatever the user's is)."""
    lookup = {}
    with translation.override("zh-hans"):
        for value, label in ListingBoard.choices:
            lookup[value] = value
            lookup[str(label)] = value
    return lookup


def _clean_row(
    cells: list[Any],
    mapping: dict[str, tuple[int, str | None]],
    counties: dict[str, str],
    county_names: str,
    boards: dict[str, str],
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """Parse one row into field values, collecting (column, message, raw value) problems."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str, str]] = []
    for field, (index, unit) in mapping.items():
        raw = cells[index] if index < len(cells) else None
        label = COLUMN_LABELS[field]
        try:
            text = cell_text(raw)
            if field in REQUIRED and not text:
                raise ValueProblem(_("不能为空"))
            if field == "uscc":
                code = text.upper()
                problem = uscc_problem(code)
                if problem:
                    raise ValueProblem(problem)
                values[field] = code
            elif field == "name":
                values[field] = text[:200]
            elif field == "region":
                if text not in counties:
                    raise ValueProblem(
                        _("未知区县“%(v)s”，应为：%(names)s") % {"v": text, "names": county_names}
                    )
                values["region_id"] = counties[text]
            elif field == "industry_code":
                values[field] = normalize_industry_code(text) if text else ""
            elif field in ("is_above_scale", "is_listed"):
                values[field] = parse_bool(raw)
            elif field == "listing_board":
                if text and text not in boards:
                    raise ValueProblem(_("未知上市板块“%(v)s”") % {"v": text})
                values[field] = boards.get(text, "")
            elif field == "founded_on":
                values[field] = parse_date(raw) if text else None
            elif field in ("output_wan", "tax_wan"):
                values[field] = fits(
                    Enterprise, field, parse_amount_wan(raw, unit) if text else None
                )
            elif field == "employees":
                values[field] = fits(Enterprise, field, parse_int(raw) if text else None)
            elif field == "land_area_mu":
                values[field] = fits(Enterprise, field, _land_area(raw) if text else None)
        except ValueProblem as exc:
            problems.append((label, str(exc), "" if raw is None else str(raw)[:100]))
        except ValidationError as exc:  # the industry code's validator
            problems.append((label, "；".join(exc.messages), "" if raw is None else str(raw)[:100]))
    if values.get("listing_board") and values.get("is_listed") is False:
        problems.append((COLUMN_LABELS["listing_board"], _("未上市企业不应填写上市板块"), ""))
    return values, problems


def _land_area(raw) -> Decimal:
    value = parse_decimal(raw).quantize(Decimal("0.01"))
    if value < 0:
        raise ValueProblem(_("不能为负数"))
    return value


def parse_enterprise_file(data: bytes) -> tuple[list[tuple[int, dict[str, Any]]], ImportReport]:
    """Read and validate every row; returns the clean rows and a report of all problems."""
    report = ImportReport()
    try:
        header, rows = read_table(data)
    except TableError as exc:
        report.errors.append(RowProblem(0, "", str(exc)))
        return [], report
    mapping, header_errors, warnings = map_headers(header, HEADER_ALIASES)
    report.errors.extend(header_errors)
    report.warnings.extend(warnings)
    missing = [COLUMN_LABELS[f] for f in REQUIRED if f not in mapping]
    if missing:
        report.errors.append(
            RowProblem(1, "", _("缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
        )
    if report.errors:
        return [], report

    counties, county_names = _county_lookup()
    boards = _board_lookup()
    clean: list[tuple[int, dict[str, Any]]] = []
    first_row_of: dict[str, int] = {}
    try:
        for number, cells in rows:
            report.total_rows += 1
            if report.total_rows > settings.MAX_IMPORT_ROWS:
                report.errors.append(
                    RowProblem(
                        number,
                        "",
                        _("数据行超过 %(n)d 行的上限，请拆分文件后分批导入。")
                        % {"n": settings.MAX_IMPORT_ROWS},
                    )
                )
                break
            if len(report.errors) >= MAX_REPORTED_ERRORS:
                report.errors.append(
                    RowProblem(number, "", _("错误过多，已停止检查；请先修正以上问题。"))
                )
                break
            values, problems = _clean_row(cells, mapping, counties, county_names, boards)
            for column, message, raw in problems:
                report.errors.append(RowProblem(number, column, message, raw))
            code = values.get("uscc")
            if code:
                if code in first_row_of:
                    report.errors.append(
                        RowProblem(
                            number,
                            COLUMN_LABELS["uscc"],
                            _("与第%(n)d行的统一社会信用代码重复") % {"n": first_row_of[code]},
                            code,
                        )
                    )
                else:
                    first_row_of[code] = number
            if not problems:
                clean.append((number, values))
    except TableError as exc:  # the file breaks (or passes a limit) part-way through
        report.errors.append(RowProblem(0, "", str(exc)))
    if report.total_rows == 0 and not report.errors:
        report.errors.append(RowProblem(0, "", _("文件中只有表头，没有数据行。")))
    return clean, report


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_enterprises(*, actor, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import an xlsx/csv of enterprises: every row is written, or none is.

    Rows whose USCC exists update that enterprise (only the columns present in the file).
    Each created or changed enterprise gets an audit event, written in the same transaction.
    """
    clean, report = parse_enterprise_file(data)
    report.dry_run = dry_run
    if not report.ok:
        return report

    codes = [values["uscc"] for _n, values in clean]
    existing: dict[str, Enterprise] = {}
    for chunk in _chunks(codes, 500):
        for enterprise in Enterprise.objects.filter(uscc__in=chunk):
            existing[enterprise.uscc] = enterprise
    to_create: list[Enterprise] = []
    created_values: list[dict[str, Any]] = []
    to_update: list[tuple[Enterprise, dict]] = []
    update_fields: set[str] = set()
    for _number, values in clean:
        current = existing.get(values["uscc"])
        if current is None:
            to_create.append(Enterprise(**values))
            created_values.append(values)
            continue
        before = audit.snapshot(current)
        changed = False
        for key, value in values.items():
            if getattr(current, key) != value:
                setattr(current, key, value)
                update_fields.add(key)
                changed = True
        if changed:
            to_update.append((current, before))
    report.created = len(to_create)
    report.updated = len(to_update)
    if dry_run:
        return report

    with transaction.atomic():
        Enterprise.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            Enterprise.objects.bulk_update(
                [e for e, _b in to_update],
                sorted(update_fields | {"updated_at"}),
                batch_size=BATCH,
            )
        # bulk_create sets primary keys on SQLite and PostgreSQL alike.
        # For creates, `after` is what the file set (the rest are the model's defaults).
        changes = [
            (AuditAction.CREATE, e, None, audit.plain_values(v))
            for e, v in zip(to_create, created_values, strict=True)
        ]
        changes += [(AuditAction.UPDATE, e, b, audit.snapshot(e)) for e, b in to_update]
        moved = [e.pk for e, b in to_update if b.get("region") != e.region_id]
        if moved:
            sync_flag_scope(moved)
        audit.record_many(actor=actor, changes=changes, note=_("企业导入"))
    return report


def set_chain_codes(codes: dict[int, str]) -> int:
    """Record each enterprise's main chain (chains calls this from its placements).

    `codes` maps enterprise id → chain code for every enterprise on a chain; the others lose
    theirs. A derived attribute (the placements themselves are audited by chains), so no
    audit event; the monthly rollup, grouped by it, is rebuilt when anything changed.
    """
    from .months import rebuild_month_rollups

    changed: dict[str, list[int]] = {}
    current = dict(Enterprise.objects.exclude(chain_code="").values_list("id", "chain_code"))
    for pk in current:
        if pk not in codes:
            changed.setdefault("", []).append(pk)
    for pk, code in codes.items():
        if current.get(pk, "") != code:
            changed.setdefault(code, []).append(pk)
    total = 0
    with transaction.atomic():
        for code, ids in changed.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                total += Enterprise.objects.filter(pk__in=chunk).update(chain_code=code)
                WarningFlag.objects.filter(enterprise_id__in=chunk).update(chain_code=code)
        if total:
            rebuild_month_rollups()
    return total


EXPORT_COLUMNS = [
    ("uscc", "统一社会信用代码"),
    ("name", "企业名称"),
    ("region", "所属区县"),
    ("industry_code", "国民经济行业分类"),
    ("is_above_scale", "规上企业"),
    ("is_listed", "上市企业"),
    ("listing_board", "上市板块"),
    ("founded_on", "成立日期"),
    ("output_wan", "年产值（万元）"),
    ("tax_wan", "年税收（万元）"),
    ("employees", "从业人数"),
    ("is_synthetic", "数据性质"),
]


def export_enterprises_xlsx(queryset) -> bytes:
    """The given (already scoped and filtered) enterprises as an xlsx the importer reads back."""
    workbook = XlsxWorkbook()
    sheet = workbook.sheet(_("企业"), header=[label for _f, label in EXPORT_COLUMNS])
    boards = dict(ListingBoard.choices)
    rows = queryset.select_related("region").values_list(
        "uscc",
        "name",
        "region__name",
        "industry_code",
        "is_above_scale",
        "is_listed",
        "listing_board",
        "founded_on",
        "output_wan",
        "tax_wan",
        "employees",
        "is_synthetic",
    )
    for row in rows.iterator(chunk_size=2000):
        (
            uscc,
            name,
            region,
            industry,
            above,
            listed,
            board,
            founded,
            output,
            tax,
            staff,
            synthetic,
        ) = row
        sheet.append(
            [
                uscc,
                name,
                region,
                industry,
                "是" if above else "否",
                "是" if listed else "否",
                str(boards.get(board, "")),
                founded,
                output,
                tax,
                staff,
                "合成（演示）" if synthetic else "真实",
            ]
        )
    return workbook.to_bytes()
