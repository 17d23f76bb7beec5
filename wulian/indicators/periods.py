"""Period ids as Chinese statistics use them.

- ``2024`` a year, ``2024Q3`` a quarter, ``2024-11`` a month.
- A cumulative month value (1–11月, as 统计月报 report them) is the month id with
  ``cumulative=True`` on the observation; its label is "2024年1–11月".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wulian.core.periodtext import month_text, year_to_month_text

YEAR, QUARTER, MONTH = "year", "quarter", "month"
_PATTERNS = (
    (re.compile(r"^(\d{4})$"), YEAR),
    (re.compile(r"^(\d{4})Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), MONTH),
)
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


class PeriodError(ValueError):
    """A period id or label that cannot be read; the message is Chinese."""


@dataclass(frozen=True, order=True)
class Period:
    """One period: year, kind and index (quarter 1–4, month 1–12, 0 for a year)."""

    year: int
    kind_order: int
    index: int

    @property
    def kind(self) -> str:
        return (YEAR, QUARTER, MONTH)[self.kind_order]

    @classmethod
    def parse(cls, text: str) -> Period:
        text = (text or "").strip().upper()
        for pattern, kind in _PATTERNS:
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if kind != YEAR else 0
                return cls(year, (YEAR, QUARTER, MONTH).index(kind), index)
        raise PeriodError(_("无法识别的期间“%(v)s”，应写作 2024、2024Q3 或 2024-11") % {"v": text})

    @property
    def id(self) -> str:
        if self.kind == YEAR:
            return f"{self.year}"
        if self.kind == QUARTER:
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def __str__(self) -> str:
        return self.id

    def label(self, cumulative: bool = False) -> str:
        """The Chinese label statistics are published and imported with: 2024年1–11月 (what
        `parse` reads back, so exports keep it in every interface language)."""
        if self.kind == YEAR:
            return f"{self.year}年"
        if self.kind == QUARTER:
            if cumulative:
                return f"{self.year}年1–{self.index}季度"
            return f"{self.year}年第{self.index}季度"
        if cumulative:
            return f"{self.year}年1–{self.index}月" if self.index > 1 else f"{self.year}年1月"
        return f"{self.year}年{self.index}月"

    def display(self, cumulative: bool = False) -> str:
        """The label in the reader's language: 2024年1–11月, or Jan–Nov 2024 in English."""
        y, i = self.year, self.index
        if self.kind == YEAR:
            return _("%(y)d年") % {"y": y}
        if self.kind == QUARTER:
            if cumulative:
                return _("%(y)d年1–%(q)d季度") % {"y": y, "q": i}
            return _("%(y)d年第%(q)d季度") % {"y": y, "q": i}
        return year_to_month_text(y, i) if cumulative else month_text(y, i)

    def same_period_last_year(self) -> Period:
        """The period a year-on-year (同比) comparison is made against."""
        return Period(self.year - 1, self.kind_order, self.index)

    def previous(self) -> Period:
        """The period just before (环比): last year, last quarter or last month."""
        if self.kind == YEAR:
            return Period(self.year - 1, 0, 0)
        limit = 4 if self.kind == QUARTER else 12
        if self.index == 1:
            return Period(self.year - 1, self.kind_order, limit)
        return Period(self.year, self.kind_order, self.index - 1)

    def months_elapsed(self) -> int:
        """How many months of the year the period covers up to its end (for 1–N月 values)."""
        if self.kind == YEAR:
            return 12
        if self.kind == QUARTER:
            return self.index * 3
        return self.index


_CN_PERIOD = (
    # 2024年1-11月, 2024年1—11月, 2024年1～11月 (cumulative)
    (re.compile(r"^(\d{4})年?1[-–—~～至](\d{1,2})月$"), "cum_month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "month"),
    (re.compile(r"^(\d{4})年(?:第)?([1-4一二三四])季度?$"), "quarter"),
    (re.compile(r"^(\d{4})年(?:度)?$"), "year"),
)


def parse_label(text: str) -> tuple[Period, bool]:
    """A period as a statistics table writes it → (period, cumulative).

    Accepts the ids themselves and 2024年, 2024年三季度, 2024年11月, 2024年1-11月, 2024年1—11月.
    """
    raw = str(text or "").strip().replace(" ", "")
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        raw = str(int(text))
    for pattern, kind in _CN_PERIOD:
        match = pattern.match(raw)
        if not match:
            continue
        year = int(match.group(1))
        if kind == "year":
            return Period(year, 0, 0), False
        if kind == "quarter":
            q = match.group(2)
            return Period(year, 1, _CN_DIGITS.get(q) or int(q)), False
        month = int(match.group(2))
        if not 1 <= month <= 12:
            break
        return Period(year, 2, month), kind == "cum_month"
    return Period.parse(raw), False
