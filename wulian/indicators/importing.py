"""Import statistical tables as statistics bureaus publish them; all rows or none.

Two layouts are read from the first sheet (or a CSV):
- wide: one row per indicator (and region), one column per period — 指标, 区划, 2020, 2021年,
  2024年1-11月 …;
- long: one row per value — 指标, 区划, 期间, 数值, 来源, 预计, 修订, 同比, 备注.
Values may carry the qualifiers of Chinese reports (超1000, 1600多, 不足150, 近800) and 预计.
Rows are numbered as the spreadsheet shows them; the header is row 1. The plausibility rules
(validation.py) add warnings; they do not block.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.models import CITY_CODE, Region
from wulian.core.rowimport import fits
from wulian.core.tabular import (
    ImportReport,
    RowProblem,
    TableError,
    ValueProblem,
    cell_text,
    parse_bool,
    read_table,
)
from wulian.core.validators import normalize_text

from .choices import Qualifier
from .models import Indicator, Observation
from .periods import PeriodError, parse_label
from .validation import check_values

LONG_ALIASES = {
    "indicator": ("指标", "指标名称", "指标代码", "indicator"),
    "region": ("区划", "地区", "区域", "区划代码", "region"),
    "period": ("期间", "时期", "统计期", "period"),
    "value": ("数值", "值", "本期", "value"),
    "source": ("来源", "数据来源", "source"),
    "preliminary": ("预计", "预计数", "是否预计"),
    "revised": ("修订", "修订数", "是否修订"),
    "yoy": ("同比", "同比增长", "同比（%）", "同比增长（%）", "增速"),
    "note": ("备注", "说明", "note"),
}
DEFAULT_SOURCE = "统计报表导入"
_QUALIFIED = re.compile(
    r"^(?P<pre>预计|超过|超|突破|不足|近|约|迈上)?(?P<num>[+-]?\d+(?:\.\d+)?)(?P<post>多|以上)?$"
)
_PRE = {
    "超过": Qualifier.OVER,
    "超": Qualifier.OVER,
    "突破": Qualifier.OVER,
    "不足": Qualifier.UNDER,
    "近": Qualifier.NEARLY,
    "约": Qualifier.NEARLY,
    "迈上": Qualifier.AT_LEAST,
}


def parse_value(raw: Any) -> tuple[Decimal, str, bool]:
    """A cell → (value, qualifier, preliminary): '超1000' → (1000, OVER, False)."""
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        return fits(Observation, "value", Decimal(str(raw))), Qualifier.EXACT, False
    text = cell_text(raw).replace(",", "").replace(" ", "")
    preliminary = False
    for mark in ("（预计）", "(预计)", "预计"):
        if mark in text:
            preliminary = True
            text = text.replace(mark, "")
    match = _QUALIFIED.match(text)
    if not match:
        raise ValueProblem(_("“%(v)s”不是数值") % {"v": cell_text(raw)})
    try:
        value = Decimal(match.group("num"))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueProblem(_("“%(v)s”不是数值") % {"v": text}) from exc
    qualifier = _PRE.get(match.group("pre") or "", Qualifier.EXACT)
    if match.group("post"):
        qualifier = Qualifier.MORE if match.group("post") == "多" else Qualifier.AT_LEAST
    return fits(Observation, "value", value), qualifier, preliminary


def _lookups():
    indicators: dict[str, Indicator] = {}
    for ind in Indicator.objects.select_related("part_of"):
        indicators[ind.code.lower()] = ind
        indicators[normalize_text(ind.name).replace(" ", "")] = ind
    regions: dict[str, str] = {}
    for code, name, short in Region.objects.values_list("code", "name", "short_name"):
        for key in (code, name, short):
            if key:
                regions[key] = code
    return indicators, regions


def _key(text: str) -> str:
    return normalize_text(text).replace(" ", "")


def _header_index(header: list[str], aliases: tuple[str, ...]) -> int | None:
    wanted = {_key(a).lower() for a in aliases}
    for index, cell in enumerate(header):
        if _key(cell).lower() in wanted:
            return index
    return None


class _Rows:
    """Parsed values keyed by (indicator, region, period, cumulative), with row numbers."""

    def __init__(self):
        self.values: dict[tuple, dict[str, Any]] = {}
        self.first_row: dict[tuple, int] = {}


def _parse_long(header, rows, report, indicators, regions) -> _Rows:
    idx = {name: _header_index(header, aliases) for name, aliases in LONG_ALIASES.items()}
    missing = [label for name, label in (("indicator", "指标"), ("period", "期间"),
               ("value", "数值")) if idx[name] is None]  # fmt: skip
    out = _Rows()
    if missing:
        report.errors.append(RowProblem(1, "", _("缺少必填列：%(c)s") % {"c": "、".join(missing)}))
        return out
    for number, cells in rows:
        report.total_rows += 1

        def cell(name, cells=cells):
            i = idx[name]
            return cells[i] if i is not None and i < len(cells) else None

        record: dict[str, Any] = {}
        problems: list[tuple[str, str, str]] = []
        ind, region, period_key = _common(
            cell("indicator"), cell("region"), cell("period"), indicators, regions, problems
        )
        try:
            value, qualifier, prelim = parse_value(cell("value"))
            record.update(value=value, qualifier=qualifier, is_preliminary=prelim)
        except ValueProblem as exc:
            problems.append(("数值", str(exc), _raw(cell("value"))))
        for name, column in (("preliminary", "预计"), ("revised", "修订")):
            if idx[name] is not None:
                try:
                    flag = parse_bool(cell(name))
                except ValueProblem as exc:
                    problems.append((column, str(exc), _raw(cell(name))))
                    continue
                field = "is_preliminary" if name == "preliminary" else "is_revised"
                record[field] = record.get(field, False) or flag
        if idx["yoy"] is not None and cell_text(cell("yoy")):
            try:
                yoy = Decimal(cell_text(cell("yoy")).rstrip("%"))
                record["yoy_pct"] = fits(Observation, "yoy_pct", yoy)
            except InvalidOperation:
                problems.append(("同比", _("应为百分数，如 18.7"), _raw(cell("yoy"))))
            except ValueProblem as exc:
                problems.append(("同比", str(exc), _raw(cell("yoy"))))
        record["source"] = cell_text(cell("source")) or DEFAULT_SOURCE
        record["note"] = cell_text(cell("note"))[:200]
        _collect(out, report, number, ind, region, period_key, record, problems)
    return out


def _raw(value) -> str:
    return "" if value is None else str(value)[:100]


def _common(raw_ind, raw_region, raw_period, indicators, regions, problems):
    ind = region = period_key = None
    text = _key(cell_text(raw_ind))
    if not text:
        problems.append(("指标", _("不能为空"), ""))
    else:
        ind = indicators.get(text.lower()) or indicators.get(text)
        if ind is None:
            problems.append(
                ("指标", _("未知指标“%(v)s”（填写指标代码或名称）") % {"v": text}, text)
            )
    region_text = _key(cell_text(raw_region)) if raw_region is not None else ""
    region = regions.get(region_text) if region_text else CITY_CODE
    if region is None:
        problems.append(
            (
                "区划",
                _("未知区划“%(v)s”（填写区划名称或 6 位代码）") % {"v": region_text},
                region_text,
            )
        )
    if raw_period is not None:
        try:
            period, cumulative = parse_label(raw_period)
            period_key = (period.id, cumulative)
        except PeriodError as exc:
            problems.append(("期间", str(exc), _raw(raw_period)))
    return ind, region, period_key


def _collect(out, report, number, ind, region, period_key, record, problems):
    for column, message, raw in problems:
        report.errors.append(RowProblem(number, column, message, raw))
    if problems or not (ind and region and period_key):
        return
    key = (ind.code, region, *period_key)
    if key in out.first_row:
        report.errors.append(
            RowProblem(
                number,
                "期间",
                _("与第%(n)d行重复（同一指标、区划和期间）") % {"n": out.first_row[key]},
                period_key[0],
            )
        )
        return
    out.first_row[key] = number
    out.values[key] = record


def _parse_wide(header, rows, report, indicators, regions, period_cols) -> _Rows:
    ind_col = _header_index(header, LONG_ALIASES["indicator"])
    region_col = _header_index(header, LONG_ALIASES["region"])
    source_col = _header_index(header, LONG_ALIASES["source"])
    out = _Rows()
    if ind_col is None:
        report.errors.append(RowProblem(1, "", _("缺少必填列：指标")))
        return out
    for number, cells in rows:
        report.total_rows += 1
        source = (
            cell_text(cells[source_col])
            if source_col is not None and source_col < len(cells)
            else ""
        ) or DEFAULT_SOURCE
        region_raw = (
            cells[region_col] if region_col is not None and region_col < len(cells) else None
        )
        for index, (label, period_key) in period_cols.items():
            raw = cells[index] if index < len(cells) else None
            if raw is None or cell_text(raw) in ("", "-", "—", "…"):
                continue
            problems: list[tuple[str, str, str]] = []
            ind, region, _unused = _common(
                cells[ind_col] if ind_col < len(cells) else None,
                region_raw, None, indicators, regions, problems,
            )  # fmt: skip
            record: dict[str, Any] = {"source": source, "note": ""}
            try:
                value, qualifier, prelim = parse_value(raw)
                record.update(value=value, qualifier=qualifier, is_preliminary=prelim)
            except ValueProblem as exc:
                problems.append((label, str(exc), _raw(raw)))
            if problems and any(p[0] in ("指标", "区划") for p in problems):
                # One message per row for a bad indicator or region, not one per column.
                seen = {(e.row, e.column) for e in report.errors}
                problems = [p for p in problems if (number, p[0]) not in seen]
            _collect(out, report, number, ind, region, period_key, record, problems)
    return out


def parse_statistics_file(data: bytes) -> tuple[_Rows, ImportReport]:
    """Read and check every row; returns the values and a report of every problem."""
    report = ImportReport()
    try:
        header, rows = read_table(data)
    except TableError as exc:
        report.errors.append(RowProblem(0, "", str(exc)))
        return _Rows(), report
    indicators, regions = _lookups()
    period_cols: dict[int, tuple[str, tuple[str, bool]]] = {}
    for index, cell in enumerate(header):
        if not cell:
            continue
        try:
            period, cumulative = parse_label(cell)
        except PeriodError:
            continue
        period_cols[index] = (cell, (period.id, cumulative))
    try:
        if _header_index(header, LONG_ALIASES["period"]) is not None or not period_cols:
            parsed = _parse_long(header, rows, report, indicators, regions)
        else:
            parsed = _parse_wide(header, rows, report, indicators, regions, period_cols)
    except TableError as exc:
        report.errors.append(RowProblem(0, "", str(exc)))
        return _Rows(), report
    if report.total_rows == 0 and not report.errors:
        report.errors.append(RowProblem(0, "", _("文件中只有表头，没有数据行。")))
    return parsed, report


def import_observations(*, actor, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import a statistics table: every value is written, or none.

    Existing values for the same indicator, region and period are updated (a changed real
    value is marked revised). Plausibility warnings are reported but do not block. Each
    created or changed value gets an audit event in the same transaction.
    """
    parsed, report = parse_statistics_file(data)
    report.dry_run = dry_run
    if not report.ok:
        return report
    indicators = {i.code: i for i in Indicator.objects.select_related("part_of")}
    by_indicator: dict[str, dict] = {}
    for (code, region, period, cumulative), record in parsed.values.items():
        by_indicator.setdefault(code, {})[(region, period, cumulative)] = record["value"]
    for code, values in by_indicator.items():
        labels = {
            key: _("第%(n)d行 %(r)s %(p)s")
            % {"n": parsed.first_row[(code, *key)], "r": key[0], "p": key[1]}
            for key in values
        }
        report.warnings.extend(check_values(indicators[code], values, labels, by_indicator))
    existing = {
        (o.indicator.code, o.region_id, o.period, o.cumulative): o
        for o in Observation.objects.filter(indicator__code__in=list(by_indicator)).select_related(
            "indicator"
        )
    }
    to_create, to_update = [], []
    for key, record in parsed.values.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                Observation(
                    indicator=indicators[key[0]],
                    region_id=key[1],
                    period=key[2],
                    cumulative=key[3],
                    **record,
                )
            )
            continue
        before = audit.snapshot(current)
        changed = False
        for field, value in record.items():
            if getattr(current, field) != value:
                setattr(current, field, value)
                changed = True
        if changed:
            if current.value != Decimal(before["value"]) and not current.is_synthetic:
                current.is_revised = True
            to_update.append((current, before))
    report.created = len(to_create)
    report.updated = len(to_update)
    if dry_run:
        return report
    fields = ["value", "qualifier", "is_preliminary", "is_revised", "yoy_pct", "source", "note",
              "updated_at"]  # fmt: skip
    with transaction.atomic():
        Observation.objects.bulk_create(to_create, batch_size=1000)
        Observation.objects.bulk_update([o for o, _b in to_update], fields, batch_size=1000)
        changes = [(AuditAction.CREATE, o, None, audit.snapshot(o)) for o in to_create]
        changes += [(AuditAction.UPDATE, o, b, audit.snapshot(o)) for o, b in to_update]
        audit.record_many(actor=actor, changes=changes, note=_("指标数据导入"))
    return report
