"""The datasets the enterprise registry imports: enterprises, monthly figures and tags.

Registered with `core.datasets` by `EnterprisesConfig.ready()`; `manage.py import_data`, the
upload page and the API use them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.datasets import Column, Progress
from wulian.core.rowimport import RowImporter, export_cell

from .choices import ChangeSource, ListingBoard, TagKind
from .models import Enterprise, EnterpriseMonth, EnterpriseTag
from .months import MonthValues, MonthWriter, save_months
from .permissions import IMPORT_ROLES
from .services import import_enterprises


def _boards() -> tuple[tuple[str, str], ...]:
    return tuple((v, str(label)) for v, label in ListingBoard.choices)


ENTERPRISE_COLUMNS = (
    Column(
        "uscc",
        "统一社会信用代码",
        gettext_lazy("企业的18位统一社会信用代码；已存在则更新该企业"),
        kind="uscc",
        required=True,
        example="91330825MA2B4QXC5D",
    ),
    Column(
        "name",
        "企业名称",
        gettext_lazy("工商登记名称"),
        required=True,
        example="衢州示例新材料有限公司",
    ),
    Column(
        "region", "所属区县", gettext_lazy("企业所在县（市、区）"), kind="county", required=True
    ),
    Column(
        "industry_code",
        "国民经济行业分类",
        gettext_lazy("GB/T 4754-2017 行业代码"),
        allowed=gettext_lazy("门类字母加2–4位数字，如 C2614"),
        example="C2614",
    ),
    Column("is_above_scale", "规上企业", gettext_lazy("是否规模以上企业"), kind="bool"),
    Column("is_listed", "上市企业", gettext_lazy("是否上市"), kind="bool"),
    Column(
        "listing_board",
        "上市板块",
        gettext_lazy("上市企业所在板块；未上市留空"),
        kind="choice",
        choices=_boards(),
        example="",
    ),
    Column("founded_on", "成立日期", gettext_lazy("营业执照成立日期"), kind="date"),
    Column(
        "output_wan",
        "年产值（万元）",
        gettext_lazy("最近一个完整年度的工业总产值"),
        kind="amount",
        unit=gettext_lazy("万元"),
    ),
    Column(
        "tax_wan",
        "年税收（万元）",
        gettext_lazy("最近一个完整年度的实缴税金"),
        kind="amount",
        unit=gettext_lazy("万元"),
    ),
    Column(
        "employees", "从业人数", gettext_lazy("年末从业人员数"), kind="int", unit=gettext_lazy("人")
    ),
    Column(
        "land_area_mu",
        "用地面积（亩）",
        gettext_lazy("实际用地面积，亩均论英雄评价用"),
        kind="decimal",
        unit=gettext_lazy("亩"),
        allowed=gettext_lazy("非负数字"),
    ),
)


@dataclass
class EnterpriseDataset:
    """The registry itself; its importer predates the common one and keeps its own reader."""

    name: str = "enterprises"
    label: str = gettext_lazy("企业")
    unit: str = gettext_lazy("家")
    import_roles: frozenset = IMPORT_ROLES
    columns: tuple = ENTERPRISE_COLUMNS
    notes: tuple = field(
        default=(
            gettext_lazy("统一社会信用代码已存在的行更新该企业（只更新文件中出现的列）。"),
            gettext_lazy("金额可带单位（元、万元、亿元），统一换算为万元。"),
        )
    )
    list_url: str = "enterprises:list"

    def run(self, *, actor, data: bytes, dry_run: bool = False, progress: Progress | None = None):
        return import_enterprises(actor=actor, data=data, dry_run=dry_run)

    def export_rows(self, user):
        regions: dict[str, str] = {}
        from wulian.core.models import Region

        regions = dict(Region.objects.values_list("code", "name"))
        fields = [c.field if c.field != "region" else "region_id" for c in self.columns]
        rows = (
            Enterprise.objects.visible_to(user).order_by("-output_wan", "id").values_list(*fields)
        )
        for row in rows.iterator(chunk_size=2000):
            yield [export_cell(c, v, regions) for c, v in zip(self.columns, row, strict=True)]


MONTH_COLUMNS = (
    Column(
        "uscc",
        "统一社会信用代码",
        gettext_lazy("填报企业的统一社会信用代码，须已在企业库中"),
        kind="uscc",
        required=True,
        aliases=("信用代码", "社会信用代码"),
        example="91330825MA2B4QXC5D",
    ),
    Column(
        "month",
        "月份",
        gettext_lazy("数据所属月份"),
        kind="month",
        required=True,
        aliases=("年月", "统计月份"),
        example="2025-03",
    ),
    Column(
        "output_wan",
        "工业总产值（万元）",
        gettext_lazy("当月工业总产值（当年价格）"),
        kind="amount",
        unit=gettext_lazy("万元"),
        aliases=("工业总产值", "产值", "output"),
    ),
    Column(
        "revenue_wan",
        "营业收入（万元）",
        gettext_lazy("当月营业收入"),
        kind="amount",
        unit=gettext_lazy("万元"),
        aliases=("营业收入", "营收", "revenue"),
    ),
    Column(
        "tax_wan",
        "税收（万元）",
        gettext_lazy("当月实缴税金"),
        kind="amount",
        unit=gettext_lazy("万元"),
        aliases=("税收", "实缴税金", "tax"),
    ),
    Column(
        "electricity_wkwh",
        "用电量（万千瓦时）",
        gettext_lazy("当月用电量"),
        kind="decimal",
        unit=gettext_lazy("万千瓦时"),
        allowed=gettext_lazy("非负数字"),
        aliases=("用电量", "electricity"),
        example=Decimal("12.5"),
    ),
    Column(
        "employees",
        "从业人员（人）",
        gettext_lazy("月末从业人员数"),
        kind="int",
        unit=gettext_lazy("人"),
        aliases=("从业人员", "从业人数"),
    ),
    Column(
        "rd_wan",
        "研发费用（万元）",
        gettext_lazy("当月研究与试验发展（R&D）经费支出"),
        kind="amount",
        unit=gettext_lazy("万元"),
        aliases=("研发费用", "研发经费", "rd"),
    ),
)


class _MonthRowsWriter:
    """A chunked import's writer: the file's clean rows as MonthValues to a MonthWriter."""

    def __init__(self, dataset: EnterpriseMonthDataset, writer: MonthWriter):
        self.dataset, self.writer = dataset, writer

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.writer.write(self.dataset._month_values(rows))

    def finish(self) -> tuple[int, int]:
        return self.writer.finish()


class EnterpriseMonthDataset(RowImporter):
    """Monthly figures (规上企业月报): one row per enterprise and month.

    A month that is already stored is replaced: its previous values are kept as a revision
    with who changed them. Empty cells clear a figure; a column left out keeps it.
    """

    model = EnterpriseMonth
    name = "enterprise-months"
    label = gettext_lazy("企业月度数据")
    unit = gettext_lazy("条")
    import_roles = IMPORT_ROLES
    columns = MONTH_COLUMNS
    key = ("uscc", "month")
    list_url = "enterprises:list"
    # A month for every enterprise of a province is millions of rows: checked and written
    # 5,000 at a time in one transaction, up to MAX_MONTH_IMPORT_ROWS rows per file.
    chunk_rows = 5000
    max_rows_setting = "MAX_MONTH_IMPORT_ROWS"
    notes = (
        gettext_lazy(
            "同一企业同一月份再次导入即替换该月数据，原值作为修订记录保留（修订人、时间、原值）。"
        ),
        gettext_lazy("留空的单元格表示该项未报；文件中没有的列保持原值不变。"),
        gettext_lazy("金额可带单位（元、万元、亿元），统一换算为万元。"),
    )

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        codes = {r["uscc"] for r in rows if r.get("uscc")}
        self.enterprises: dict[str, int] = {}
        codes_list = sorted(codes)
        for start in range(0, len(codes_list), 500):
            self.enterprises.update(
                Enterprise.objects.filter(uscc__in=codes_list[start : start + 500]).values_list(
                    "uscc", "id"
                )
            )
        self.this_month = timezone.localdate().replace(day=1)

    def resolve(self, values: dict[str, Any], problem) -> None:
        pk = self.enterprises.get(values.get("uscc"))
        if pk is None:
            problem("uscc", _("企业库中没有该统一社会信用代码，请先导入企业"))
        values["enterprise_id"] = pk
        month = values.get("month")
        if month and month > self.this_month:
            problem("month", _("月份不能晚于本月"))
        metrics = [c.field for c in self.columns[2:] if c.field in values]
        if metrics and all(values[f] is None for f in metrics):
            problem("", _("该行没有任何数据，请至少填写一项"))
        electricity = values.get("electricity_wkwh")
        if electricity is not None and electricity < 0:
            problem("electricity_wkwh", _("不能为负数"))

    def seen_key(self, values: dict[str, Any]) -> int:
        # One int per row instead of a (USCC, date) tuple: a million keys in ~100 MB, not 400.
        month = values["month"]
        return values["enterprise_id"] * 4096 + month.year * 12 + month.month

    def existing(self, keys: list[tuple]) -> dict[tuple, Any]:
        months = {m for _u, m in keys}
        codes = sorted({u for u, _m in keys})
        found = {}
        for start in range(0, len(codes), 500):
            for row in EnterpriseMonth.objects.filter(
                month__in=months, enterprise__uscc__in=codes[start : start + 500]
            ).values_list("enterprise__uscc", "month", "id"):
                found[(row[0], row[1])] = row[2]
        return found

    def _month_values(self, rows) -> list[MonthValues]:
        metric_fields = [c.field for c in self.columns[2:]]
        return [
            MonthValues(
                enterprise_id=r["enterprise_id"],
                month=r["month"],
                values={f: r[f] for f in metric_fields if f in r},
            )
            for r in rows
        ]

    def write(self, rows, *, actor, source=ChangeSource.IMPORT) -> tuple[int, int]:
        return save_months(actor=actor, rows=self._month_values(rows), source=source)

    def begin_write(self, *, actor) -> _MonthRowsWriter:
        return _MonthRowsWriter(self, MonthWriter(actor=actor, source=ChangeSource.IMPORT))

    def save_record(self, values, *, actor):
        self.write([values], actor=actor, source=ChangeSource.API)
        return EnterpriseMonth.objects.get(
            enterprise_id=values["enterprise_id"], month=values["month"]
        )

    def export_objects(self, user):
        return (
            EnterpriseMonth.objects.visible_to(user)
            .order_by("enterprise__uscc", "month")
            .values("enterprise__uscc", "month", *[c.field for c in self.columns[2:]])
            .iterator(chunk_size=5000)
        )

    def export_values(self, obj) -> dict[str, Any]:
        return {**obj, "uscc": obj["enterprise__uscc"]}

    def record_values(self, obj: EnterpriseMonth) -> dict[str, Any]:
        values = {c.field: getattr(obj, c.field) for c in self.columns[1:]}
        return {**values, "uscc": obj.enterprise.uscc}


TAG_COLUMNS = (
    Column(
        "uscc",
        "统一社会信用代码",
        gettext_lazy("企业的统一社会信用代码，须已在企业库中"),
        kind="uscc",
        required=True,
        example="91330825MA2B4QXC5D",
    ),
    Column(
        "kind",
        "标签",
        gettext_lazy("标签种类"),
        kind="choice",
        required=True,
        choices=tuple((v, str(label)) for v, label in TagKind.choices),
        aliases=("类型",),
    ),
    Column(
        "level",
        "级别",
        gettext_lazy("认定级别"),
        allowed=gettext_lazy("如 国家级、省级、市级"),
        max_length=20,
        example="省级",
    ),
    Column(
        "source",
        "认定来源",
        gettext_lazy("认定部门及文件或批次"),
        required=True,
        max_length=200,
        aliases=("来源",),
        example="浙江省经信厅 2024年度",
    ),
    Column("valid_from", "认定日期", gettext_lazy("认定（生效）日期"), kind="date"),
    Column(
        "valid_until",
        "有效期至",
        gettext_lazy("有效期截止日期；长期有效留空"),
        kind="date",
        example=dt.date(2027, 12, 31),
    ),
    Column("note", "备注", gettext_lazy("补充说明"), max_length=200, example=""),
)


class EnterpriseTagDataset(RowImporter):
    """Tags (链主, 专精特新 …) with their source and validity; one per enterprise and kind."""

    name = "enterprise-tags"
    label = gettext_lazy("企业标签")
    unit = gettext_lazy("条")
    import_roles = IMPORT_ROLES
    columns = TAG_COLUMNS
    key = ("uscc", "kind")
    list_url = "enterprises:list"
    audit_note = gettext_lazy("企业标签导入")
    notes = (gettext_lazy("同一企业同一标签再次导入即更新其级别、来源与有效期。"),)

    def prepare(self, rows):
        codes = sorted({r["uscc"] for r in rows if r.get("uscc")})
        self.enterprises = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "id"))

    def resolve(self, values, problem):
        pk = self.enterprises.get(values.get("uscc"))
        if pk is None:
            problem("uscc", _("企业库中没有该统一社会信用代码，请先导入企业"))
        values["enterprise_id"] = pk
        start, end = values.get("valid_from"), values.get("valid_until")
        if start and end and end < start:
            problem("valid_until", _("有效期不能早于认定日期"))

    def existing(self, keys):
        codes = {u for u, _k in keys}
        return {
            (t.enterprise.uscc, t.kind): t
            for t in EnterpriseTag.objects.select_related("enterprise").filter(
                enterprise__uscc__in=codes
            )
        }

    def write(self, rows, *, actor):
        stored = self.existing([self.key_of(r) for r in rows])
        fields = ("level", "source", "valid_from", "valid_until", "note")
        new, changed = [], []
        for r in rows:
            tag = stored.get(self.key_of(r))
            if tag is None:
                new.append(
                    EnterpriseTag(
                        enterprise_id=r["enterprise_id"],
                        kind=r["kind"],
                        **{f: r.get(f) or ("" if f in ("level", "note") else None) for f in fields},
                    )
                )
                continue
            before = audit.snapshot(tag)
            for f in fields:
                if f in r:
                    setattr(tag, f, r[f] if r[f] is not None or "valid" in f else "")
            if audit.snapshot(tag) != before:
                changed.append((tag, before))
        EnterpriseTag.objects.bulk_create(new)
        for tag, _b in changed:
            tag.save()
        audit.record_many(
            actor=actor,
            changes=[(AuditAction.CREATE, t, None, audit.snapshot(t)) for t in new]
            + [(AuditAction.UPDATE, t, b, audit.snapshot(t)) for t, b in changed],
            note=str(self.audit_note),
        )
        return len(new), len(changed)

    def export_objects(self, user):
        return (
            EnterpriseTag.objects.visible_to(user)
            .select_related("enterprise")
            .order_by("enterprise__uscc", "kind")
        )

    def export_values(self, obj):
        return {
            "uscc": obj.enterprise.uscc,
            **{c.field: getattr(obj, c.field) for c in self.columns if c.field != "uscc"},
        }


enterprise_dataset = EnterpriseDataset()
month_dataset = EnterpriseMonthDataset()
tag_dataset = EnterpriseTagDataset()


def register() -> None:
    """Called by EnterprisesConfig.ready()."""
    from wulian.core.datasets import register as add

    for dataset in (enterprise_dataset, month_dataset, tag_dataset):
        add(dataset)
