"""A number that its column cannot hold is a problem of its cell, in Chinese, in every import:
never a crash at rounding or at writing (which answered 500), and nothing is written."""

import decimal

import pytest

from wulian.core.datasets import registry
from wulian.core.rowimport import fits
from wulian.core.tabular import ValueProblem, parse_amount_wan, parse_decimal, parse_int
from wulian.enterprises.models import Enterprise, EnterpriseMonth
from wulian.enterprises.services import import_enterprises
from wulian.enterprises.tests.factories import EnterpriseFactory, make_uscc
from wulian.enterprises.tests.helpers import xlsx_bytes
from wulian.fusion.models import Fund

pytestmark = pytest.mark.django_db

TOO_MANY_DIGITS = "数值过大：整数部分超过 20 位"


@pytest.mark.parametrize(
    ("parse", "raw", "message"),
    [
        (parse_decimal, "NaN", "“NaN”不是数字"),
        (parse_decimal, "-Infinity", "“-Infinity”不是数字"),
        (parse_decimal, float("inf"), "“inf”不是数字"),
        (parse_decimal, "1" + "0" * 20, TOO_MANY_DIGITS),
        (parse_int, "Infinity", "“Infinity”不是数字"),
        (parse_int, "1" + "0" * 25 + "人", TOO_MANY_DIGITS),
        (parse_amount_wan, "1" + "0" * 30, TOO_MANY_DIGITS),
        (parse_amount_wan, 1e30, TOO_MANY_DIGITS),
        (parse_amount_wan, "3" + "0" * 17 + "亿元", TOO_MANY_DIGITS),
    ],
)
def test_cells_that_are_no_ordinary_number_are_refused_in_chinese(parse, raw, message):
    with pytest.raises(ValueProblem) as refused:
        parse(raw)
    assert str(refused.value) == message


def test_amounts_are_rounded_half_up_to_cents():
    assert parse_amount_wan("1.005") == decimal.Decimal("1.01")
    assert parse_amount_wan("0.125万元") == decimal.Decimal("0.13")
    assert parse_amount_wan("12345元") == decimal.Decimal("1.23")
    assert parse_amount_wan("12355元") == decimal.Decimal("1.24")


def test_the_largest_numbers_still_read():
    assert parse_decimal("9" * 20) == decimal.Decimal("9" * 20)
    assert parse_amount_wan("1" + "0" * 19 + "元") == decimal.Decimal("1" + "0" * 15)


def test_fits_checks_the_digits_and_the_range_of_the_stored_field():
    assert fits(Fund, "size_wan", decimal.Decimal("99999999999999.99")) == decimal.Decimal(
        "99999999999999.99"
    )
    with pytest.raises(ValueProblem, match="数值过大：整数部分最多 14 位"):
        fits(Fund, "size_wan", decimal.Decimal("100000000000000"))
    with pytest.raises(ValueProblem, match="超出范围：应在 0 到 2147483647 之间"):
        fits(EnterpriseMonth, "employees", 2**31)
    assert fits(EnterpriseMonth, "employees", 2**31 - 1) == 2**31 - 1
    # more decimals than the column keeps: 四舍五入 to its places, on every database alike
    assert fits(Fund, "size_wan", decimal.Decimal("1.005")) == decimal.Decimal("1.01")
    assert fits(Fund, "size_wan", decimal.Decimal("2.125")) == decimal.Decimal("2.13")
    assert fits(Fund, "size_wan", decimal.Decimal("7")) == decimal.Decimal("7")
    with pytest.raises(ValueProblem, match="最多 14 位"):
        fits(Fund, "size_wan", decimal.Decimal("99999999999999.995"))
    # a name that is not a numeric field of the model, and no model: nothing to check
    assert fits(Fund, "name", "x" * 500) == "x" * 500
    assert fits(None, "size_wan", 10**30) == 10**30


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("1" + "0" * 14, "数值过大：整数部分最多 14 位"),
        (1e15, "数值过大：整数部分最多 14 位"),
        (1e30, TOO_MANY_DIGITS),
        ("1" + "0" * 30, TOO_MANY_DIGITS),
    ],
)
def test_a_fund_too_large_for_its_column_is_a_cell_problem(users, size, message):
    dataset = registry.get("funds")
    header = [c.header for c in dataset.columns]
    data = xlsx_bytes([["甲基金", size, None, None, None]], header=header)
    report = dataset.run(actor=users["leader"], data=data)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "规模（万元）", message)]
    assert not Fund.objects.exists()


def test_a_month_whose_headcount_passes_the_column_is_a_cell_problem(users):
    dataset = registry.get("enterprise-months")
    firm = EnterpriseFactory()
    header = [c.header for c in dataset.columns]
    data = xlsx_bytes([[firm.uscc, "2024-01", 100, 90, 5, 10, 2**31, 1]], header=header)
    report = dataset.run(actor=users["leader"], data=data)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "从业人员（人）", "超出范围：应在 0 到 2147483647 之间")
    ]
    assert not EnterpriseMonth.objects.exists()


def test_an_enterprise_output_too_large_for_its_column_is_a_cell_problem(base_config):
    row = [make_uscc("330802"), "衢州甲新材料有限公司", "柯城区", "C2614", "是", "否", ""]
    row += ["2021-03-05", "1" + "0" * 14, "56", "320"]
    report = import_enterprises(actor=None, data=xlsx_bytes([row]))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "年产值（万元）", "数值过大：整数部分最多 14 位")
    ]
    assert not Enterprise.objects.exists()
