"""Import of target companies (招商目标) from xlsx/csv, all rows or none, like enterprises.

Columns: 企业名称 (required), 统一社会信用代码, 总部所在地, 营业收入（万元）, 可填补环节
(required; several separated by 、 or ；, each written as 环节名, 产业链名·环节名 or
chain/link codes such as xcl/membrane), 本地关联企业 (local enterprise names or codes),
备注. A row whose name (or code) exists updates that company.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.rowimport import fits
from wulian.core.tabular import (
    ImportReport,
    RowProblem,
    TableError,
    ValueProblem,
    cell_text,
    map_headers,
    parse_amount_wan,
    read_table,
)
from wulian.core.validators import uscc_problem
from wulian.enterprises.models import Enterprise

from .models import Link, TargetCompany

HEADER_ALIASES = {
    "name": ("企业名称", "名称", "目标企业"),
    "uscc": ("统一社会信用代码", "信用代码"),
    "headquarters": ("总部所在地", "总部", "所在地"),
    "revenue_wan": ("营业收入", "营收", "年营业收入"),
    "links": ("可填补环节", "环节", "产业链环节"),
    "partners": ("本地关联企业", "关联企业"),
    "note": ("备注", "说明"),
}
COLUMN_LABELS = {
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "headquarters": "总部所在地",
    "revenue_wan": "营业收入（万元）",
    "links": "可填补环节",
    "partners": "本地关联企业",
    "note": "备注",
}
REQUIRED = ("name", "links")
SPLIT = re.compile(r"[、；;，,\n]+")


def _link_lookup() -> dict[str, list[int]]:
    lookup: dict[str, list[int]] = {}
    for pk, code, name, chain_code, chain_name in Link.objects.values_list(
        "id", "code", "name", "chain__code", "chain__name"
    ):
        for key in (f"{chain_code}/{code}", f"{chain_name}·{name}", f"{chain_name}/{name}", name):
            lookup.setdefault(key, []).append(pk)
    return lookup


def _parse_row(cells, mapping, links, enterprises) -> tuple[dict[str, Any], list[tuple]]:
    values: dict[str, Any] = {}
    problems = []
    for field, (index, unit) in mapping.items():
        raw = cells[index] if index < len(cells) else None
        label = COLUMN_LABELS[field]
        try:
            text = cell_text(raw)
            if field in REQUIRED and not text:
                raise ValueProblem(_("不能为空"))
            if field == "uscc":
                if text and uscc_problem(text.upper()):
                    raise ValueProblem(uscc_problem(text.upper()))
                values[field] = text.upper()
            elif field == "revenue_wan":
                amount = parse_amount_wan(raw, unit) if text else None
                values[field] = fits(TargetCompany, field, amount)
            elif field == "links":
                ids = []
                for part in filter(None, (p.strip() for p in SPLIT.split(text))):
                    found = links.get(part)
                    if not found:
                        raise ValueProblem(_("未知环节“%(v)s”") % {"v": part})
                    if len(found) > 1:
                        raise ValueProblem(
                            _("环节“%(v)s”在多条产业链中都有，请写作“产业链名·环节名”")
                            % {"v": part}
                        )
                    ids.append(found[0])
                values["link_ids"] = ids
            elif field == "partners":
                ids = []
                for part in filter(None, (p.strip() for p in SPLIT.split(text))):
                    found = enterprises.get(part) or enterprises.get(part.upper())
                    if not found:
                        raise ValueProblem(_("企业库中没有“%(v)s”") % {"v": part})
                    ids.append(found)
                values["partner_ids"] = ids
            else:
                values[field] = text[:200]
        except ValueProblem as exc:
            problems.append((label, str(exc), "" if raw is None else str(raw)[:100]))
    return values, problems


def import_target_companies(*, actor, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import target companies: every row is written, or none is (audited)."""
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows = read_table(data)
    except TableError as exc:
        report.errors.append(RowProblem(0, "", str(exc)))
        return report
    mapping, header_errors, warnings = map_headers(header, HEADER_ALIASES)
    report.errors.extend(header_errors)
    report.warnings.extend(warnings)
    missing = [COLUMN_LABELS[f] for f in REQUIRED if f not in mapping]
    if missing:
        report.errors.append(RowProblem(1, "", _("缺少必填列：%(c)s") % {"c": "、".join(missing)}))
    if report.errors:
        return report
    links = _link_lookup()
    partner_names: set[str] = set()
    try:
        parsed_rows = list(rows)
    except TableError as exc:  # the file breaks (or passes a limit) part-way through
        report.errors.append(RowProblem(0, "", str(exc)))
        return report
    if "partners" in mapping:
        index = mapping["partners"][0]
        for _n, cells in parsed_rows:
            raw = cells[index] if index < len(cells) else None
            partner_names.update(p.strip() for p in SPLIT.split(str(raw or "")) if p.strip())
    enterprises: dict[str, int] = {}
    if partner_names:
        names = list(partner_names)
        for pk, name in Enterprise.objects.filter(name__in=names).values_list("id", "name"):
            enterprises[name] = pk
        uppers = [n.upper() for n in names]
        for pk, uscc in Enterprise.objects.filter(uscc__in=uppers).values_list("id", "uscc"):
            enterprises[uscc] = pk
    clean = []
    seen: dict[str, int] = {}
    for number, cells in parsed_rows:
        report.total_rows += 1
        values, problems = _parse_row(cells, mapping, links, enterprises)
        for column, message, raw in problems:
            report.errors.append(RowProblem(number, column, message, raw))
        name = values.get("name")
        if name in seen:
            report.errors.append(
                RowProblem(number, "企业名称", _("与第%(n)d行重复") % {"n": seen[name]}, name)
            )
        elif name:
            seen[name] = number
        if not problems:
            clean.append(values)
    if report.total_rows == 0 and not report.errors:
        report.errors.append(RowProblem(0, "", _("文件中只有表头，没有数据行。")))
    if not report.ok:
        return report
    existing = {t.name: t for t in TargetCompany.objects.filter(name__in=list(seen))}
    report.created = sum(1 for v in clean if v["name"] not in existing)
    report.updated = len(clean) - report.created
    if dry_run:
        return report
    with transaction.atomic():
        for values in clean:
            link_ids = values.pop("link_ids", [])
            partner_ids = values.pop("partner_ids", None)
            company = existing.get(values["name"])
            if company is None:
                company = TargetCompany.objects.create(**values)
                audit.record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    instance=company,
                    after=audit.snapshot(company),
                    note=_("招商目标导入"),
                )
            else:
                before = audit.snapshot(company)
                for key, value in values.items():
                    setattr(company, key, value)
                company.save()
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    instance=company,
                    before=before,
                    after=audit.snapshot(company),
                    note=_("招商目标导入"),
                )
            company.links.set(link_ids)
            if partner_ids is not None:
                company.partners.set(partner_ids)
    return report
