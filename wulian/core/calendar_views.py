"""Working calendar pages (administrators): the year view, setting days, the schedule import."""

from __future__ import annotations

import calendar as month_grid
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from . import calendar_service
from .holidays import statutory_holidays
from .imports import commit_import, preview_from_request
from .models import CalendarOverride, CalendarYear, ImportJob
from .permissions import RoleRequiredMixin
from .workdays import FIRST_YEAR, WorkdayCalendar, package_years

KIND = "calendar"


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return min(max(year, FIRST_YEAR), 2100)


def _months(year: int, cal: WorkdayCalendar, overrides: dict, named: dict) -> list[dict]:
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_grid.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                works = cal.is_workday(day)
                weekend = day.weekday() >= 5
                if works and not weekend:
                    kind = "work"
                elif works:
                    kind = "makeup"
                elif weekend and day not in named and day not in overrides:
                    kind = "weekend"
                else:
                    kind = "holiday"
                cells.append(
                    {
                        "day": day,
                        "kind": kind,
                        "override": day in overrides,
                        "note": overrides.get(day) or named.get(day, ""),
                    }
                )
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


class CalendarYearView(RoleRequiredMixin, View):
    """A year of working days: national schedule, administrators' days, provisional holidays."""

    allowed_roles = frozenset()

    def get(self, request):
        year = _year(request.GET.get("year"))
        cal = WorkdayCalendar()
        rows = CalendarOverride.objects.filter(date__year=year)
        overrides = {o.date: o.note or (_("上班") if o.is_workday else _("放假")) for o in rows}
        provisional = cal.is_provisional(dt.date(year, 1, 1))
        named = statutory_holidays(year) if year not in package_years() else {}
        selected = request.GET.get("day") or ""
        try:
            selected_day = dt.date.fromisoformat(selected)
        except ValueError:
            selected_day = None
        context = {
            "year": year,
            "months": _months(year, cal, overrides, named),
            "overrides": rows.order_by("date"),
            "source": (
                "package"
                if year in package_years()
                else "entered"
                if CalendarYear.objects.filter(year=year).exists()
                else "provisional"
            ),
            "provisional": provisional,
            "selected": selected_day,
            "selected_row": rows.filter(date=selected_day).first() if selected_day else None,
            "selected_works": cal.is_workday(selected_day) if selected_day else None,
            "workdays": sum(
                cal.is_workday(dt.date(year, 1, 1) + dt.timedelta(days=i))
                for i in range((dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1)
            ),
        }
        return render(request, "core/calendar.html", context)


class CalendarDayEditView(RoleRequiredMixin, View):
    """Set or clear one day (the form under the year view)."""

    allowed_roles = frozenset()

    def post(self, request):
        try:
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            messages.error(request, _("请填写有效的日期（YYYY-MM-DD）。"))
            return redirect("calendar")
        back = f"{reverse('calendar')}?year={day.year}&day={day.isoformat()}"
        try:
            if request.POST.get("action") == "delete":
                calendar_service.delete_calendar_day(actor=request.user, date=day)
                messages.success(request, _("已删除 %(d)s 的调整。") % {"d": day})
            else:
                calendar_service.set_calendar_day(
                    actor=request.user,
                    date=day,
                    is_workday=request.POST.get("kind") == "work",
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request, _("已保存 %(d)s；未办结诉求的期限已随之重算。") % {"d": day}
                )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(back)


class CalendarYearEnteredView(RoleRequiredMixin, View):
    """Mark a year's schedule as entered in full (or undo it)."""

    allowed_roles = frozenset()

    def post(self, request):
        year = _year(request.POST.get("year"))
        entered = request.POST.get("entered") == "1"
        try:
            calendar_service.set_year_entered(actor=request.user, year=year, entered=entered)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("已标记 %(y)d 年放假安排录入完毕。") % {"y": year}
                if entered
                else _("已撤销 %(y)d 年的录入标记。") % {"y": year},
            )
        return redirect(f"{reverse('calendar')}?year={year}")


class CalendarImportView(RoleRequiredMixin, View):
    """Upload a year's 放假/调休 schedule; preview first, then confirm."""

    allowed_roles = frozenset()

    def get(self, request):
        return render(request, "core/calendar_import.html", {})

    def post(self, request):
        context = preview_from_request(request, kind=KIND, runner=calendar_service.import_calendar)
        context["unit"] = _("天")
        if context["job"]:
            context["commit_url"] = reverse("calendar-import-commit", args=[context["job"].pk])
        template = "partials/import_preview.html" if request.htmx else "core/calendar_import.html"
        status = 400 if context["error"] and not request.htmx else 200
        return render(request, template, context, status=status)


class CalendarImportCommitView(RoleRequiredMixin, View):
    allowed_roles = frozenset()

    def post(self, request, job_id):
        job = get_object_or_404(ImportJob, pk=job_id, kind=KIND)
        try:
            report = commit_import(
                actor=request.user, job=job, runner=calendar_service.import_calendar
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("calendar-import")
        if report.ok:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 天，更新 %(u)d 天；未办结诉求的期限已随之重算。")
                % {"c": report.created, "u": report.updated},
            )
            return redirect("calendar")
        context = {"job": None, "report": report, "error": None, "unit": _("天")}
        return render(request, "core/calendar_import.html", context, status=400)
