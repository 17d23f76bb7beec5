"""Changes to the working calendar: days, entered years, the yearly schedule import.

Every change is audited, and every module that keeps dates computed from the calendar is told
in the same transaction (`workdays.calendar_listeners`: the service app moves the deadlines
of open requests), with the calendar as it was and as it is now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .choices import AuditAction
from .models import CalendarOverride, CalendarYear
from .tabular import (
    ImportReport,
    RowProblem,
    TableError,
    ValueProblem,
    cell_text,
    map_headers,
    parse_date,
    read_table,
)
from .workdays import FIRST_YEAR, WorkdayCalendar, calendar_listeners, package_years


def _tell_listeners(*, actor, before: WorkdayCalendar, dates: set[dt.date]) -> int:
    after = WorkdayCalendar()
    return sum(
        listener(actor=actor, before=before, after=after, dates=dates) or 0
        for listener in calendar_listeners
    )


def _year_dates(year: int) -> set[dt.date]:
    start = dt.date(year, 1, 1)
    return {start + dt.timedelta(days=i) for i in range((dt.date(year, 12, 31) - start).days + 1)}


def _check_date(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= 2100:
        raise ValidationError({"date": [_("日期须在 %(a)d—2100 年之间") % {"a": FIRST_YEAR}]})


@transaction.atomic
def set_calendar_day(
    *, actor, date: dt.date, is_workday: bool, note: str = ""
) -> tuple[CalendarOverride, bool]:
    """Record that `date` is a working day or a day off (upsert by date); (row, created)."""
    _check_date(date)
    before_calendar = WorkdayCalendar()
    row = CalendarOverride.objects.select_for_update().filter(date=date).first()
    created = row is None
    before = None if created else audit.snapshot(row)
    if created:
        row = CalendarOverride(date=date)
    row.is_workday = bool(is_workday)
    row.note = (note or "").strip()[:100]
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=row,
        before=before,
        after=audit.snapshot(row),
        note=_("工作日历调整"),
    )
    if before_calendar.is_workday(date) != row.is_workday:
        _tell_listeners(actor=actor, before=before_calendar, dates={date})
    return row, created


@transaction.atomic
def delete_calendar_day(*, actor, date: dt.date) -> None:
    """Remove the administrators' word on `date`; the package or the rules answer again."""
    row = CalendarOverride.objects.select_for_update().filter(date=date).first()
    if row is None:
        raise ValidationError({"date": [_("%(d)s 没有日历调整记录") % {"d": date}]})
    before_calendar = WorkdayCalendar()
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=row,
        before=audit.snapshot(row),
        note=_("工作日历调整"),
    )
    row.delete()
    _tell_listeners(actor=actor, before=before_calendar, dates={date})


@transaction.atomic
def set_year_entered(*, actor, year: int, entered: bool = True, note: str = "") -> None:
    """Mark (or unmark) a year's 放假/调休 schedule as entered in full by administrators.

    While it is not, a year the package does not cover keeps the statutory holidays as
    provisional days off.
    """
    if not FIRST_YEAR <= year <= 2100:
        raise ValidationError({"year": [_("年份须在 %(a)d—2100 之间") % {"a": FIRST_YEAR}]})
    before_calendar = WorkdayCalendar()
    row = CalendarYear.objects.filter(year=year).first()
    if entered and row is None:
        row = CalendarYear.objects.create(year=year, confirmed_by=actor, note=note[:200])
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=row,
            after={"year": year},
            note=_("年度放假安排已录入"),
        )
    elif not entered and row is not None:
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=row,
            before={"year": year},
            note=_("撤销年度放假安排已录入"),
        )
        row.delete()
    else:
        return
    _tell_listeners(actor=actor, before=before_calendar, dates=_year_dates(year))


def _today() -> dt.date:
    return timezone.localdate()


def missing_next_year(today: dt.date | None = None) -> int | None:
    """From 1 November: next year, when neither the package nor the admins have its schedule."""
    today = today or _today()
    if (today.month, today.day) < (11, 1):
        return None
    year = today.year + 1
    if year in package_years() or CalendarYear.objects.filter(year=year).exists():
        return None
    return year


# ---- the yearly schedule import ----------------------------------------------------------

HEADERS = {
    "date": ("日期", "date"),
    "kind": ("类型", "安排", "是否工作日", "kind"),
    "note": ("说明", "备注", "节日", "note"),
}
_OFF = {"放假", "休息", "休息日", "假日", "节假日", "否", "off", "holiday"}
_ON = {"上班", "调休上班", "调休", "补班", "工作日", "是", "on", "workday"}


def _kind(value: Any) -> bool:
    text = cell_text(value).replace(" ", "").lower()
    if text in _OFF:
        return False
    if text in _ON:
        return True
    raise ValueProblem(_("“%(v)s”应为“放假”或“上班”") % {"v": text})


def _parse_schedule(data: bytes) -> tuple[list[tuple[int, dict]], ImportReport]:
    report = ImportReport()
    try:
        header, rows = read_table(data)
    except TableError as exc:
        report.errors.append(RowProblem(0, "", str(exc)))
        return [], report
    mapping, report.errors, report.warnings = map_headers(header, HEADERS)
    for name in ("date", "kind"):
        if name not in mapping:
            label = HEADERS[name][0]
            report.errors.append(RowProblem(1, label, _("缺少必需的列“%(c)s”") % {"c": label}))
    if report.errors:
        return [], report
    clean: list[tuple[int, dict]] = []
    seen: dict[dt.date, int] = {}
    for number, cells in rows:
        report.total_rows += 1
        values: dict[str, Any] = {}
        for name, parse in (("date", parse_date), ("kind", _kind), ("note", cell_text)):
            if name not in mapping:
                continue
            index = mapping[name][0]
            raw = cells[index] if index < len(cells) else None
            try:
                values[name] = parse(raw)
            except ValueProblem as exc:
                column = HEADERS[name][0]
                report.errors.append(RowProblem(number, column, str(exc), cell_text(raw)[:50]))
        day = values.get("date")
        if day is not None and not FIRST_YEAR <= day.year <= 2100:
            report.errors.append(RowProblem(number, "日期", _("日期超出范围"), str(day)))
        elif day is not None and day in seen:
            report.errors.append(
                RowProblem(number, "日期", _("与第%(n)d行日期重复") % {"n": seen[day]}, str(day))
            )
        elif day is not None:
            seen[day] = number
        clean.append((number, values))
    if not report.total_rows:
        report.errors.append(RowProblem(0, "", _("文件中没有数据行。")))
    return clean, report


def import_calendar(*, actor, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import a year's 放假/调休 schedule (日期, 类型 放假/上班, 说明): every row or none.

    The years in the file are marked entered, so their provisional holidays give way to it;
    open requests' deadlines move with the change.
    """
    clean, report = _parse_schedule(data)
    report.dry_run = dry_run
    if not report.ok:
        return report
    wanted = [v["date"] for _n, v in clean]
    existing = {o.date: o for o in CalendarOverride.objects.filter(date__in=wanted)}
    report.created = sum(1 for _n, v in clean if v["date"] not in existing)
    report.updated = len(clean) - report.created
    if dry_run:
        return report
    with transaction.atomic():
        before_calendar = WorkdayCalendar()
        for _number, values in clean:
            row = existing.get(values["date"]) or CalendarOverride(date=values["date"])
            before = audit.snapshot(row) if row.pk else None
            row.is_workday = values["kind"]
            row.note = values.get("note", "")[:100]
            row.save()
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE if before else AuditAction.CREATE,
                instance=row,
                before=before,
                after=audit.snapshot(row),
                note=_("导入年度放假安排"),
            )
        years = sorted({v["date"].year for _n, v in clean})
        for year in years:
            if not CalendarYear.objects.filter(year=year).exists():
                row = CalendarYear.objects.create(year=year, confirmed_by=actor)
                audit.record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    instance=row,
                    after={"year": year},
                    note=_("导入年度放假安排"),
                )
        dates = {v["date"] for _n, v in clean}
        for year in years:
            dates |= _year_dates(year)
        _tell_listeners(actor=actor, before=before_calendar, dates=dates)
    return report
