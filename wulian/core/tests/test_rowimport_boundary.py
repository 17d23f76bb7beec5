"""A file that breaks half-way through reading (a corrupt sheet) is refused with a Chinese
problem, in the whole-file and in the chunked import alike, and nothing is written."""

import pytest

from wulian.core import rowimport
from wulian.core.datasets import registry
from wulian.enterprises.models import EnterpriseMonth
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.fusion.models import Fund

pytestmark = pytest.mark.django_db


def breaks_after(rows):
    def read_table(data, max_rows=None):
        header, good = rows[0], rows[1:]

        def body():
            yield from enumerate(good, start=2)
            raise ValueError("zip 数据块损坏")

        return header, body()

    return read_table


def test_a_file_that_breaks_half_way_writes_nothing(users, monkeypatch):
    dataset = registry.get("funds")
    rows = [[c.header for c in dataset.columns], ["甲基金", 100, None, None, None]]
    monkeypatch.setattr(rowimport, "read_table", breaks_after(rows))
    report = dataset.run(actor=users["leader"], data=b"-")
    assert not report.ok
    assert [(e.row, e.message) for e in report.errors] == [(0, "文件读取中断：zip 数据块损坏")]
    assert not Fund.objects.exists()


def test_a_chunked_file_that_breaks_after_its_first_chunk_writes_nothing(users, monkeypatch):
    dataset = registry.get("enterprise-months")
    firm = EnterpriseFactory()
    header = [c.header for c in dataset.columns]
    rows = [header] + [[firm.uscc, f"2024-{m:02d}", 100, 90, 5, 10, 20, 1] for m in range(1, 13)]
    monkeypatch.setattr(type(dataset), "chunk_rows", 5)
    monkeypatch.setattr(rowimport, "read_table", breaks_after(rows))
    report = dataset.run(actor=users["leader"], data=b"-")
    assert not report.ok and report.total_rows == 12
    assert [(e.row, e.message) for e in report.errors] == [(0, "文件读取中断：zip 数据块损坏")]
    assert not EnterpriseMonth.objects.exists()
