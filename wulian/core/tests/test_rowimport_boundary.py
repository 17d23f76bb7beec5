"""A file that breaks half-way through reading is refused with a Chinese problem, in the
whole-file, the chunked and the enterprise import alike, and nothing is written. A bug in our
own code while reading is not a broken file: it fails loudly instead of becoming a report."""

import csv
import io

import pytest

from wulian.core import rowimport, tabular
from wulian.core.datasets import registry
from wulian.enterprises import services as enterprise_services
from wulian.enterprises.models import Enterprise, EnterpriseMonth
from wulian.enterprises.tests.factories import EnterpriseFactory, make_uscc
from wulian.enterprises.tests.helpers import HEADER as ENTERPRISE_HEADER
from wulian.fusion.models import Fund

pytestmark = pytest.mark.django_db

TOO_LONG = "长" * (csv.field_size_limit() + 1)


def csv_file(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def too_long_at(line: int) -> str:
    return f"CSV 第{line}行无法读取：单元格超过 {csv.field_size_limit()} 个字符或引号不成对。"


def test_a_csv_cell_over_the_field_limit_stops_the_reading_in_chinese():
    header, body = tabular.read_table(csv_file([["甲", "乙"], ["1", "2"], [TOO_LONG, "3"]]))
    assert next(body) == (2, ["1", "2"])
    with pytest.raises(tabular.TableError) as caught:
        next(body)
    assert str(caught.value) == too_long_at(3)


def test_a_file_that_breaks_half_way_writes_nothing(users):
    dataset = registry.get("funds")
    header = [c.header for c in dataset.columns]
    rows = [header, ["甲基金", 100, "", "", ""], [TOO_LONG, 100, "", "", ""]]
    report = dataset.run(actor=users["leader"], data=csv_file(rows))
    assert not report.ok
    assert [(e.row, e.message) for e in report.errors] == [(0, too_long_at(3))]
    assert not Fund.objects.exists()


def test_a_chunked_file_that_breaks_after_its_first_chunk_writes_nothing(users, monkeypatch):
    dataset = registry.get("enterprise-months")
    firm = EnterpriseFactory()
    header = [c.header for c in dataset.columns]
    good = [[firm.uscc, f"2024-{m:02d}", 100, 90, 5, 10, 20, 1] for m in range(1, 13)]
    rows = [header, *good, [TOO_LONG, "2025-01", 100, 90, 5, 10, 20, 1]]
    monkeypatch.setattr(type(dataset), "chunk_rows", 5)
    report = dataset.run(actor=users["leader"], data=csv_file(rows))
    assert not report.ok and report.total_rows == 12
    assert [(e.row, e.message) for e in report.errors] == [(0, too_long_at(14))]
    assert not EnterpriseMonth.objects.exists()


def test_an_enterprise_file_that_breaks_half_way_writes_nothing(users):
    first = [make_uscc("330802"), "衢州甲新材料有限公司", "柯城区", "C2614"]
    broken = [make_uscc("330803"), TOO_LONG, "柯城区", "C2614"]
    data = csv_file([ENTERPRISE_HEADER[:4], first, broken])
    report = enterprise_services.import_enterprises(actor=users["leader"], data=data)
    assert not report.ok
    assert [(e.row, e.message) for e in report.errors] == [(0, too_long_at(3))]
    assert not Enterprise.objects.exists()


def test_a_bug_while_reading_a_dataset_fails_instead_of_reading_as_a_broken_file(
    users, monkeypatch
):
    dataset = registry.get("funds")
    header = [c.header for c in dataset.columns]

    def read_table(data, max_rows=None):
        def body():
            yield 2, ["甲基金", 100, None, None, None]
            raise ValueError("a bug in the reader")

        return header, body()

    monkeypatch.setattr(rowimport, "read_table", read_table)
    with pytest.raises(ValueError, match="a bug in the reader"):
        dataset.run(actor=users["leader"], data=b"-")
    assert not Fund.objects.exists()


def test_a_bug_in_checking_an_enterprise_row_fails_instead_of_reading_as_a_broken_file(
    users, monkeypatch
):
    def broken_check(*args):
        raise TypeError("a bug in the row check")

    monkeypatch.setattr(enterprise_services, "_clean_row", broken_check)
    first = [make_uscc("330802"), "衢州甲新材料有限公司", "柯城区", "C2614"]
    with pytest.raises(TypeError, match="a bug in the row check"):
        enterprise_services.import_enterprises(
            actor=users["leader"], data=csv_file([ENTERPRISE_HEADER[:4], first])
        )
    assert not Enterprise.objects.exists()


def test_a_statistics_file_that_breaks_half_way_is_refused_with_a_report():
    from wulian.indicators.importing import parse_statistics_file

    rows = [
        ["指标", "地区", "2024年"],
        ["规上工业增加值", "衢州市", "1"],
        [TOO_LONG, "衢州市", "2"],
    ]
    _parsed, report = parse_statistics_file(csv_file(rows))
    assert (0, too_long_at(3)) in [(e.row, e.message) for e in report.errors]
