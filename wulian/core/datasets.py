"""The registry of importable datasets, and the template every dataset hands out.

Each app registers its own datasets from its `AppConfig.ready()` (importing its own module
only), so `manage.py import_data`, the upload page and the import API find every dataset
without core importing any app above it. A dataset is anything with the `Dataset` shape:
a name (``enterprise-months``), a label, its columns (header, meaning, unit, allowed values,
an example) for the template and the notes sheet, `run()` that imports all rows or none, and
`export_rows()` that gives back the rows a user may see, in the template's columns, so that
a template filled in, imported and exported comes back as it went in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exports import XlsxWorkbook
from .permissions import role_allowed
from .tabular import ImportReport

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    """One column of a dataset's sheet.

    `field` is the English header (accepted on import); `header` the Chinese one the template
    writes, with its unit in brackets where it has one (工业总产值（万元）).
    """

    field: str
    header: str
    meaning: str
    kind: str = "text"  # text, uscc, county, amount, decimal, int, date, month, year, bool, choice
    unit: str = ""
    allowed: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: Any = None
    max_length: int = 0

    def allowed_text(self) -> str:
        """What the notes sheet says a cell may hold."""
        if self.allowed:
            return str(self.allowed)
        if self.choices:
            return "、".join(str(label) for _value, label in self.choices)
        return str(KIND_HINTS.get(self.kind, ""))


KIND_HINTS = {
    "text": gettext_lazy("文本"),
    "uscc": gettext_lazy("18位统一社会信用代码（GB 32100-2015），须已在企业库中"),
    "county": gettext_lazy("区县名称或行政区划代码，如 龙游县 或 330825"),
    "amount": gettext_lazy("数字，不能为负；可带单位（元、万元、亿元），换算为万元"),
    "decimal": gettext_lazy("数字"),
    "int": gettext_lazy("非负整数"),
    "date": gettext_lazy("日期，如 2025-03-05、2025/3/5 或 2025年3月5日"),
    "month": gettext_lazy("年月，写作 YYYY-MM，如 2025-03"),
    "year": gettext_lazy("四位年份，如 2025"),
    "bool": gettext_lazy("是 或 否"),
}


class Dataset(Protocol):
    """What the registry holds for each dataset (see `RowImporter` for the common case)."""

    name: str
    label: str
    unit: str
    import_roles: frozenset[str]
    columns: Sequence[Column]
    notes: Sequence[str]
    list_url: str

    def run(
        self, *, actor, data: bytes, dry_run: bool = False, progress: Progress | None = None
    ) -> ImportReport: ...

    def export_rows(self, user) -> Iterable[Sequence[Any]]: ...


@dataclass
class FileDataset:
    """A dataset whose importer predates `RowImporter` (its own reader), wrapped for the registry.

    `runner(actor=, data=, dry_run=)` imports; `exporter(user)` yields rows in `columns` order.
    """

    name: str
    label: str
    columns: tuple[Column, ...]
    runner: Callable[..., ImportReport]
    exporter: Callable[[Any], Iterable[Sequence[Any]]]
    import_roles: frozenset[str]
    unit: str = "条"
    notes: tuple = ()
    list_url: str = ""

    def run(
        self, *, actor, data: bytes, dry_run: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        return self.runner(actor=actor, data=data, dry_run=dry_run)

    def export_rows(self, user) -> Iterable[Sequence[Any]]:
        return self.exporter(user)


@dataclass
class Registry:
    """Datasets by name, in the order the apps registered them."""

    datasets: dict[str, Dataset] = field(default_factory=dict)

    def register(self, dataset: Dataset) -> None:
        if dataset.name in self.datasets and self.datasets[dataset.name] is not dataset:
            raise ValueError(f"dataset {dataset.name!r} registered twice")
        self.datasets[dataset.name] = dataset

    def get(self, name: str) -> Dataset | None:
        return self.datasets.get(name)

    def names(self) -> list[str]:
        return list(self.datasets)

    def all(self) -> list[Dataset]:
        return list(self.datasets.values())

    def for_user(self, user) -> list[Dataset]:
        """The datasets this user may import."""
        return [d for d in self.datasets.values() if can_import(user, d)]


registry = Registry()
register = registry.register


def can_import(user, dataset: Dataset) -> bool:
    return role_allowed(user, dataset.import_roles)


# ---- the template ------------------------------------------------------------------------

GENERAL_NOTES = (
    gettext_lazy(
        "第1行为表头，可用中文列名或英文字段名；列的顺序不限，无法识别的列会被忽略并提示。"
    ),
    gettext_lazy("全部行检查通过才会写入；任何一行有错，不写入任何数据，并按行、列说明错误。"),
    gettext_lazy("CSV 支持 UTF-8 与 GBK 编码；全角字符、千分位逗号会自动规整。"),
    gettext_lazy("第2行为示例，导入前请删除或改为真实数据。"),
)


def example_cell(column: Column) -> Any:
    """The example value the template's second row shows for a column."""
    if column.example is not None:
        return column.example
    if column.choices:
        return str(column.choices[0][1])
    return {
        "uscc": "91330825MA2B4QXC5D",
        "county": "龙游县",
        "amount": Decimal("100.00"),
        "decimal": Decimal("1.5"),
        "int": 10,
        "date": dt.date(2025, 3, 5),
        "month": "2025-03",
        "year": 2025,
        "bool": "否",
    }.get(column.kind, "")


def template_xlsx(dataset: Dataset) -> bytes:
    """Headers, one example row, and a notes sheet with each column's meaning and values."""
    book = XlsxWorkbook()
    sheet = book.sheet(dataset.label, header=[c.header for c in dataset.columns])
    sheet.append([example_cell(c) for c in dataset.columns])
    notes = book.sheet(
        _("填写说明"),
        header=[_("列名"), _("英文字段名"), _("含义"), _("单位"), _("允许值或格式"), _("必填")],
        widths=[22, 18, 40, 12, 50, 6],
    )
    for column in dataset.columns:
        notes.append(
            [
                column.header,
                column.field,
                str(column.meaning),
                str(column.unit),
                column.allowed_text(),
                _("是") if column.required else _("否"),
            ]
        )
    notes.append([])
    for note in (*dataset.notes, *GENERAL_NOTES):
        notes.append([str(note)])
    return book.to_bytes()


def export_xlsx(dataset: Dataset, user) -> bytes:
    """The rows of a dataset this user may see, in the template's columns (re-importable)."""
    book = XlsxWorkbook()
    sheet = book.sheet(dataset.label, header=[c.header for c in dataset.columns])
    for row in dataset.export_rows(user):
        sheet.append(row)
    return book.to_bytes()
