"""Calendar pages: year view, setting a day, the schedule import, the November warning."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wulian.core.models import AuditEvent, CalendarOverride, CalendarYear


@pytest.mark.parametrize("url", ["/calendar/", "/calendar/import/"])
def test_calendar_pages_are_for_administrators(client, users, url):
    assert client.get(url).status_code == 302
    client.force_login(users["leader"])
    assert client.get(url).status_code == 403
    client.force_login(users["admin"])
    assert client.get(url).status_code == 200


def test_year_view_marks_provisional_years(client, users):
    client.force_login(users["admin"])
    body = client.get("/calendar/?year=2027").content.decode()
    assert 'data-testid="provisional"' in body and "wl-provisional" in body
    body = client.get("/calendar/?year=2025").content.decode()
    assert 'data-testid="provisional"' not in body


def test_setting_a_day_through_the_page_is_audited(client, users):
    client.force_login(users["econ"])
    refused = client.post("/calendar/day/", {"date": "2027-03-01", "kind": "off"})
    assert refused.status_code == 403 and not CalendarOverride.objects.exists()
    client.force_login(users["admin"])
    response = client.post("/calendar/day/", {"date": "2027-03-01", "kind": "off", "note": "x"})
    assert response.status_code == 302
    assert CalendarOverride.objects.get().is_workday is False
    assert AuditEvent.objects.filter(model="core.calendaroverride").exists()
    client.post("/calendar/day/", {"date": "2027-03-01", "action": "delete"})
    assert not CalendarOverride.objects.exists()


def _schedule(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "说明"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("2027.xlsx", data.getvalue())


def test_schedule_import_previews_then_writes_and_marks_the_year(client, users):
    client.force_login(users["admin"])
    upload = _schedule([["2027-01-01", "放假", "元旦"], ["2027-02-20", "上班", "春节调休"]])
    preview = client.post("/calendar/import/", {"file": upload})
    assert preview.status_code == 200 and not CalendarOverride.objects.exists()
    job = preview.context["job"]
    done = client.post(f"/calendar/import/{job.pk}/")
    assert done.status_code == 302
    assert dict(CalendarOverride.objects.values_list("date", "is_workday")) == {
        dt.date(2027, 1, 1): False,
        dt.date(2027, 2, 20): True,
    }
    assert CalendarYear.objects.filter(year=2027).exists()


def test_schedule_import_refuses_bad_rows_by_row_and_column(client, users):
    client.force_login(users["admin"])
    upload = _schedule(
        [["2027-01-01", "放假", ""], ["2027-13-01", "放假", ""], ["2027-01-01", "半天", ""]]
    )
    response = client.post("/calendar/import/", {"file": upload})
    report = response.context["report"]
    problems = {(e.row, e.column) for e in report.errors}
    assert (3, "日期") in problems and (4, "类型") in problems and (4, "日期") in problems
    assert not CalendarOverride.objects.exists() and not CalendarYear.objects.exists()


def test_admins_are_warned_from_november_while_next_years_schedule_is_missing(
    client, users, monkeypatch
):
    from wulian.core import calendar_service

    monkeypatch.setattr(calendar_service, "_today", lambda: dt.date(2026, 11, 2))
    client.force_login(users["admin"])
    body = client.get("/").content.decode()
    assert 'data-testid="calendar-warning"' in body and "2027" in body
    client.force_login(users["econ"])
    assert 'data-testid="calendar-warning"' not in client.get("/").content.decode()
    CalendarYear.objects.create(year=2027)
    client.force_login(users["admin"])
    assert 'data-testid="calendar-warning"' not in client.get("/").content.decode()
    monkeypatch.setattr(calendar_service, "_today", lambda: dt.date(2026, 10, 31))
    CalendarYear.objects.all().delete()
    assert 'data-testid="calendar-warning"' not in client.get("/").content.decode()
