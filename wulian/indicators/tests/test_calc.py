"""The arithmetic against hand-computed values from the seed's figures."""

from decimal import Decimal

import pytest

from wulian.indicators import calc
from wulian.indicators.choices import Qualifier
from wulian.indicators.importing import parse_value
from wulian.indicators.periods import Period, PeriodError, parse_label


def test_cagr_of_trade_2020_to_2024():
    # (785.6 / 358.4) ** (1/4) - 1 = 0.21677 → 21.68%
    assert round(calc.cagr_pct("358.4", "785.6", 4), 2) == Decimal("21.68")


def test_cagr_of_gdp_2020_to_2025():
    # (2400 / 1600) ** (1/5) - 1 = 0.08447
    assert round(calc.cagr_pct(1600, 2400, 5), 2) == Decimal("8.45")
    assert calc.cagr_pct(0, 10, 3) is None
    assert calc.cagr_pct(10, 20, 0) is None


def test_growth_share_and_progress():
    # exports 539 with a published +18.7%: last year 539 / 1.187 = 454.09
    assert round(calc.growth_pct(539, Decimal("454.09")), 1) == Decimal("18.7")
    assert calc.growth_pct(5, 0) is None
    assert round(calc.share_pct(539, "785.6"), 2) == Decimal("68.61")
    assert calc.progress_pct(2400, 2400) == 100


def test_progress_towards_a_target_to_bring_a_ratio_down():
    # 倍差 1.76 against a target of 1.74, no base known: target ÷ value = 98.9%
    assert round(calc.progress_pct("1.76", "1.74", "lower"), 1) == Decimal("98.9")
    # from a base of 1.86 down to a target of 1.70, now 1.76: 0.10 of 0.16 covered = 62.5%
    assert calc.progress_pct("1.76", "1.70", "lower", base="1.86") == Decimal("62.5")
    # moving the wrong way (up to 1.90) makes no progress, not negative progress
    assert calc.progress_pct("1.90", "1.70", "lower", base="1.86") == 0
    # the same numbers read as higher-is-better would claim 103.5% — the reason direction matters
    assert round(calc.progress_pct("1.76", "1.70", "higher"), 1) == Decimal("103.5")


def test_needed_growth_for_the_rest_of_the_year():
    # target 3300; 1–10月 done 2700; last year 3000 in all, 2500 by October:
    # the last two months must bring 600 against 500 a year earlier: +20%.
    assert calc.needed_growth_pct(3300, 2700, 3000, 2500) == 20
    assert calc.needed_growth_pct(3300, 2700, 3000, 3000) is None


def test_competition_ranks_ties_share_the_better_rank():
    values = {"a": Decimal(5), "b": Decimal(9), "c": Decimal(9), "d": Decimal(1), "e": None}
    assert calc.competition_ranks(values, "higher") == {"b": 1, "c": 1, "a": 3, "d": 4}
    assert calc.competition_ranks(values, "lower") == {"d": 1, "a": 2, "b": 3, "c": 3}


def test_ranks_compare_what_is_shown():
    # −0.004 and +0.004 both read 0.00: they tie; −1.68 is the fastest fall of a 倍差
    values = {"a": Decimal("-0.004"), "b": Decimal("0.004"), "c": Decimal("-1.68")}
    assert calc.competition_ranks(values, "lower") == {"c": 1, "a": 2, "b": 2}
    assert calc.competition_ranks(values, "higher") == {"a": 1, "b": 1, "c": 3}


@pytest.mark.parametrize(
    ("direction", "a", "b", "better"),
    [
        ("higher", 2, 1, True),
        ("higher", 1, 2, False),
        ("lower", 1, 2, True),
        ("lower", 2, 2, False),
    ],
)
def test_one_function_decides_better(direction, a, b, better):
    assert calc.better(direction, a, b) is better


@pytest.mark.parametrize(
    ("kind", "direction", "now", "before", "value", "text", "verdict"),
    [
        # amount: % growth (外贸 785.6 on 2023's 647.6 → +21.3%)
        ("amount", "higher", "785.6", "647.6", Decimal("21.31"), "+21.3%", "better"),
        # count: % growth too (上市公司 22 on 20)
        ("count", "higher", 22, 20, Decimal("10.00"), "+10.0%", "better"),
        # share: percentage points (六大产业链占比 49 → 68.4), never a % of a %
        ("share", "higher", "68.4", "49", Decimal("19.40"), "+19.4个百分点", "better"),
        # ratio: the difference; a 倍差 that narrows is better and shows green
        ("ratio", "lower", "1.76", "1.79", Decimal("-0.03"), "−0.03", "better"),
        # rank: places; a rank that falls from 58 to 55 has risen 3 places
        ("rank", "lower", 55, 58, Decimal(-3), "上升3位", "better"),
        ("rank", "lower", 60, 58, Decimal(2), "下降2位", "worse"),
        ("share", "higher", "50", "50", Decimal(0), "0.0个百分点", "same"),
    ],
)
def test_change_in_the_unit_of_each_kind(kind, direction, now, before, value, text, verdict):
    change = calc.Change(calc.change(kind, now, before), calc.change_unit(kind), direction)
    assert round(change.value, 2) == value
    assert change.text() == text
    assert change.verdict == verdict
    assert (change.pct is not None) is (kind in ("amount", "count"))


@pytest.mark.parametrize(
    ("rank", "grade"),
    [(1, "first"), (2, "top3"), (3, "top3"), (4, "top5"), (5, "top5"), (6, "below")],
)
def test_grades_of_bao_wu_zheng_san_pin_di_yi(rank, grade):
    assert calc.grade_for(rank) == grade


def test_arrows():
    assert calc.arrow_for(2, 4) == "up"
    assert calc.arrow_for(4, 2) == "down"
    assert calc.arrow_for(3, 3) == "flat"
    assert calc.arrow_for(3, None) == ""


def test_periods_and_cumulative_months():
    assert Period.parse("2024Q3").label() == "2024年第3季度"
    assert Period.parse("2024-11").label(cumulative=True) == "2024年1–11月"
    assert Period.parse("2024-01").previous().id == "2023-12"
    assert Period.parse("2024Q1").previous().id == "2023Q4"
    assert Period.parse("2024-11").same_period_last_year().id == "2023-11"
    assert Period.parse("2024-11").months_elapsed() == 11
    assert parse_label("2024年1-11月") == (Period.parse("2024-11"), True)
    assert parse_label("2025年1—11月") == (Period.parse("2025-11"), True)
    assert parse_label("2024年三季度") == (Period.parse("2024Q3"), False)
    assert parse_label("2024年") == (Period.parse("2024"), False)
    assert parse_label(2024) == (Period.parse("2024"), False)
    with pytest.raises(PeriodError, match="无法识别的期间"):
        Period.parse("2024-13")


def test_values_keep_their_qualifiers():
    assert parse_value("超1000") == (Decimal(1000), Qualifier.OVER, False)
    assert parse_value("1600多") == (Decimal(1600), Qualifier.MORE, False)
    assert parse_value("不足150") == (Decimal(150), Qualifier.UNDER, False)
    assert parse_value("2400（预计）") == (Decimal(2400), Qualifier.EXACT, True)
    assert parse_value("3,932.4") == (Decimal("3932.4"), Qualifier.EXACT, False)
