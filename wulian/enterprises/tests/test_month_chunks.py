"""The monthly import in chunks: a file larger than a chunk is written whole or not at all.

The dataset checks and writes `chunk_rows` rows at a time in one transaction; the tests lower
the chunk to three rows so that a small file crosses several chunk boundaries.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest

from wulian.core import rowimport
from wulian.core.datasets import registry
from wulian.core.models import AuditEvent
from wulian.core.tests.roundtrip import fill_template
from wulian.enterprises.models import EnterpriseMonth, EnterpriseMonthRevision, MonthRollup
from wulian.enterprises.tests.factories import EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2025, 10, 1)


@pytest.fixture
def dataset(monkeypatch):
    found = registry.get("enterprise-months")
    monkeypatch.setattr(found, "chunk_rows", 3)
    return found


@pytest.fixture
def eight(base_config):
    return [
        EnterpriseFactory(uscc=make_uscc("330825"), region_id="330825", output_wan=1000 + i)
        for i in range(8)
    ]


def rows_for(enterprises, month="2025-10", output=100):
    return [[e.uscc, month, output + i, output, 3, 5, 10, 1] for i, e in enumerate(enterprises)]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    out.write("统一社会信用代码,月份,工业总产值（万元）,营业收入（万元）,税收（万元）,")
    out.write("用电量（万千瓦时）,从业人员（人）,研发费用（万元）\n")
    for row in rows:
        out.write(",".join(str(c) for c in row) + "\n")
    return out.getvalue().encode()


def test_a_file_larger_than_one_chunk_imports_fully(dataset, eight, users):
    events = AuditEvent.objects.count()
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows_for(eight)))
    assert report.ok, report.errors
    assert (report.total_rows, report.created, report.updated) == (8, 8, 0)
    assert EnterpriseMonth.objects.filter(month=OCTOBER).count() == 8
    # the rollup and the one audit event cover all three chunks, not the last one
    rollup = MonthRollup.objects.filter(month=OCTOBER)
    assert sum(r.enterprises for r in rollup) == 8
    assert sum(r.output_wan for r in rollup) == Decimal(sum(100 + i for i in range(8)))
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.after["created"] == 8 and event.after["enterprises"] == 8


def test_a_csv_larger_than_one_chunk_imports_fully(dataset, eight, users):
    report = dataset.run(actor=users["econ"], data=csv_bytes(rows_for(eight)))
    assert report.ok and report.created == 8
    assert EnterpriseMonth.objects.filter(month=OCTOBER).count() == 8


def test_an_error_in_the_second_chunk_leaves_nothing_written(dataset, eight, users):
    rows = rows_for(eight)
    rows[4][2] = -5  # row 6 of the sheet: the second chunk, after the first was written
    events = AuditEvent.objects.count()
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(6, "工业总产值（万元）")]
    assert not EnterpriseMonth.objects.exists()
    assert not MonthRollup.objects.filter(month=OCTOBER).exists()
    assert AuditEvent.objects.count() == events


def test_a_reimport_in_chunks_replaces_and_keeps_every_revision(dataset, eight, users):
    assert dataset.run(actor=users["econ"], data=fill_template(dataset, rows_for(eight))).ok
    again = rows_for(eight, output=200)
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, again))
    assert report.ok and (report.created, report.updated) == (0, 8)
    assert EnterpriseMonthRevision.objects.count() == 8
    last = EnterpriseMonth.objects.get(enterprise=eight[-1], month=OCTOBER)
    assert last.output_wan == Decimal(207)
    revision = EnterpriseMonthRevision.objects.get(enterprise=eight[-1])
    assert revision.before["output_wan"] == "107.00" and revision.after["output_wan"] == "207.00"


def test_a_failed_reimport_keeps_the_stored_month(dataset, eight, users):
    assert dataset.run(actor=users["econ"], data=fill_template(dataset, rows_for(eight))).ok
    again = rows_for(eight, output=200)
    again[7][1] = "2025-13"
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, again))
    assert [(e.row, e.column) for e in report.errors] == [(9, "月份")]
    assert not EnterpriseMonthRevision.objects.exists()
    assert sorted(
        EnterpriseMonth.objects.filter(month=OCTOBER).values_list("output_wan", flat=True)
    ) == [Decimal(100 + i) for i in range(8)]


def test_a_row_repeated_in_a_later_chunk_names_the_first(dataset, eight, users):
    rows = rows_for(eight)
    rows.append([eight[1].uscc, "2025/10", 1, 1, 1, 1, 1, 1])
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows))
    assert [(e.row, e.message[:6]) for e in report.errors] == [(10, "与第3行重复")]
    assert not EnterpriseMonth.objects.exists()


def test_the_dry_run_counts_across_chunks_and_writes_nothing(dataset, eight, users):
    assert dataset.run(actor=users["econ"], data=fill_template(dataset, rows_for(eight[:4]))).ok
    report = dataset.run(
        actor=users["econ"], data=fill_template(dataset, rows_for(eight, output=300)), dry_run=True
    )
    assert report.ok and (report.created, report.updated) == (4, 4)
    assert EnterpriseMonth.objects.count() == 4


def test_errors_past_the_cap_are_counted_not_listed(dataset, eight, users, monkeypatch):
    monkeypatch.setattr(rowimport, "MAX_REPORTED_ERRORS", 5)
    rows = rows_for(eight) + rows_for(eight, month="2025-09")
    for row in rows:
        row[6] = "很多"  # 16 rows, each with a bad headcount
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows))
    assert [e.row for e in report.errors[:5]] == [2, 3, 4, 5, 6]
    assert len(report.errors) == 6
    assert "另有 11 处问题未列出" in report.errors[-1].message
    assert not EnterpriseMonth.objects.exists()


def test_the_monthly_dataset_has_its_own_row_limit(dataset, eight, users, settings):
    settings.MAX_IMPORT_ROWS = 4  # the other datasets' limit does not apply
    settings.MAX_MONTH_IMPORT_ROWS = 8
    assert dataset.run(actor=users["econ"], data=fill_template(dataset, rows_for(eight))).ok
    settings.MAX_MONTH_IMPORT_ROWS = 7
    report = dataset.run(actor=users["econ"], data=csv_bytes(rows_for(eight, month="2025-09")))
    assert "7 行的上限" in report.errors[-1].message
    assert not EnterpriseMonth.objects.filter(month=dt.date(2025, 9, 1)).exists()
