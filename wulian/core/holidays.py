"""The statutory public holidays of the national holiday regulations (《全国年节及纪念日放假办法》,
as amended in 2024): what a year's days off are at least, before the State Council publishes
that year's schedule with its make-up working days (调休).

元旦 1 January; 春节 the eve and the first three days of the lunar year; 清明 the day of the
清明 solar term; 劳动节 1–2 May; 端午 the 5th day of the 5th lunar month; 中秋 the 15th day of the
8th lunar month; 国庆 1–3 October. Lunar dates and the solar term come from borax's lunar
calendar (requirements.txt pins it).
"""

from __future__ import annotations

import datetime as dt
import functools

from borax.calendars.lunardate import LunarDate, TermUtils
from django.utils.translation import gettext_lazy as _


@functools.cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """{date: name} of the year's statutory days off (13 days; without 调休)."""
    days: dict[dt.date, str] = {dt.date(year, 1, 1): str(_("元旦"))}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 3):
        days[new_year + dt.timedelta(days=offset)] = str(_("春节"))
    qingming = TermUtils.nth_term_day(year, term_name="清明")
    days[qingming] = str(_("清明节"))
    days[dt.date(year, 5, 1)] = days[dt.date(year, 5, 2)] = str(_("劳动节"))
    days[LunarDate(year, 5, 5).to_solar_date()] = str(_("端午节"))
    days[LunarDate(year, 8, 15).to_solar_date()] = str(_("中秋节"))
    for day in (1, 2, 3):
        days[dt.date(year, 10, day)] = str(_("国庆节"))
    return days
