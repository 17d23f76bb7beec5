"""Months as a reader says them, in the interface language: 2025年1–10月 or Jan–Oct 2025.

indicators.periods.Period.display and the monthly totals of the chain map and the cockpit
(enterprise reports, which are not indicators) share these words.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The months as a period label names them (Jan … Dec in English).
MONTHS = (
    gettext_lazy("1月"),
    gettext_lazy("2月"),
    gettext_lazy("3月"),
    gettext_lazy("4月"),
    gettext_lazy("5月"),
    gettext_lazy("6月"),
    gettext_lazy("7月"),
    gettext_lazy("8月"),
    gettext_lazy("9月"),
    gettext_lazy("10月"),
    gettext_lazy("11月"),
    gettext_lazy("12月"),
)


def month_text(year: int, month: int) -> str:
    """One month: 2025年10月 / Oct 2025."""
    return _("%(y)d年%(month)s") % {"y": year, "month": MONTHS[month - 1]}


def year_to_month_text(year: int, month: int) -> str:
    """January to `month` of `year`: 2025年1–10月 / Jan–Oct 2025 (one month: 2025年1月)."""
    if month == 1:
        return month_text(year, 1)
    return _("%(y)d年1–%(month)s") % {"y": year, "month": MONTHS[month - 1]}
