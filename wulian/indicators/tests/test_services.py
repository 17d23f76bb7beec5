"""Seed figures, formulas, ranking, progress and the functions other apps call."""

from decimal import Decimal

import pytest

from wulian.core.seed import FIGURES as SEED_FIGURES
from wulian.indicators import services
from wulian.indicators.choices import Qualifier, RankBasis
from wulian.indicators.models import Indicator, Observation
from wulian.indicators.validation import check_values

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "period", "value", "qualifier", "preliminary", "phrase"),
    [
        ("gdp", "2020", "1600", Qualifier.MORE, False, "1600多亿元"),
        ("gdp", "2025", "2400", Qualifier.EXACT, True, "预计2025年全市生产总值"),
        ("industrial_output", "2024", "3000", Qualifier.AT_LEAST, False, "迈上3000亿元台阶"),
        ("trade", "2020", "358.4", Qualifier.EXACT, False, "358.4亿元"),
        ("trade", "2024", "785.6", Qualifier.EXACT, False, "785.6亿元"),
        ("exports", "2024", "539", Qualifier.EXACT, False, "增速位列全省第一"),
        ("tourists", "2024", "3932.4", Qualifier.EXACT, False, "3932.4万人次"),
        ("tourism_revenue", "2024", "429", Qualifier.EXACT, False, "429亿元"),
        ("listed_companies", "2020", "6", Qualifier.EXACT, False, "从6家增加到22家"),
        ("listed_companies", "2025", "22", Qualifier.EXACT, False, "从6家增加到22家"),
        ("fund_cluster", "2020", "150", Qualifier.UNDER, False, "不足150亿元"),
        ("fund_cluster", "2025", "1000", Qualifier.OVER, False, "超过1000亿元"),
        ("income_ratio", "2024", "1.76", Qualifier.EXACT, False, "倍差缩小至1.76"),
        ("relocation_people", "2025", "9.5", Qualifier.EXACT, False, "共富搬迁9.5万人"),
        ("relocation_villages", "2025", "405", Qualifier.EXACT, False, "整村搬迁405个"),
        ("worker_citizenization", "2025", "2.2", Qualifier.EXACT, False, "市民化2.2万人"),
        ("innovation_rank", "2024", "58", Qualifier.EXACT, False, "第58位"),
        ("talent_rank", "2024", "49", Qualifier.EXACT, False, "第49位"),
    ],
)
def test_seed_figures_are_real_with_their_sentence(
    seeded, code, period, value, qualifier, preliminary, phrase
):
    obs = Observation.objects.get(indicator__code=code, region_id="330800", period=period)
    assert obs.value == Decimal(value)
    assert obs.qualifier == qualifier
    assert obs.is_preliminary is preliminary
    assert obs.is_synthetic is False
    assert phrase in obs.source


def test_every_seed_figure_loaded_and_cumulative_port_growth(seeded):
    real = Observation.objects.filter(is_synthetic=False)
    assert real.count() == len(SEED_FIGURES)
    port = real.get(indicator__code="port_cargo_growth")
    assert (port.period, port.cumulative, port.value) == ("2025-11", True, Decimal("17.4"))
    assert port.period_label == "2025年1–11月"
    exports = real.get(indicator__code="exports")
    assert (exports.yoy_pct, exports.published_rank) == (Decimal("18.7"), 1)


def test_demo_is_idempotent(seeded):
    from wulian.indicators import demo

    before = list(
        Observation.objects.order_by("indicator_id", "region_id", "period").values_list(
            "indicator__code", "region_id", "period", "value"
        )
    )
    demo.load()
    after = list(
        Observation.objects.order_by("indicator_id", "region_id", "period").values_list(
            "indicator__code", "region_id", "period", "value"
        )
    )
    assert before == after


def test_formula_computes_and_published_value_wins(seeded):
    share = services.get_indicator("chain_share")
    pts = {p.period: p for p in services.series(share)}
    assert pts["2024"].value == Decimal("68.4") and not pts["2024"].computed
    computed = pts["2023"]
    chain = Observation.objects.get(indicator__code="chain_output", period="2023", region="330800")
    whole = Observation.objects.get(
        indicator__code="industrial_output", period="2023", region="330800", cumulative=False
    )
    assert computed.computed and computed.is_synthetic
    assert computed.value == (chain.value / whole.value * 100).quantize(Decimal("0.0001"))


def test_formula_over_fresh_data(base_config):
    urban = Indicator.objects.create(code="u", name="城镇")
    rural = Indicator.objects.create(code="r", name="农村")
    ratio = Indicator.objects.create(code="ratio", name="倍差", numerator=urban, denominator=rural)
    Observation.objects.create(indicator=urban, period="2024", value=Decimal("66000"))
    Observation.objects.create(indicator=rural, period="2024", value=Decimal("37500"))
    Observation.objects.create(indicator=rural, period="2023", value=Decimal("35000"))
    (point,) = services.points(ratio)
    assert point.value == Decimal("1.76") and point.computed


def test_trade_cagr_and_export_rank_from_the_seed(seeded):
    summary = services.summary(services.get_indicator("trade"))
    assert round(summary["cagr"]["cagr_pct"], 2) == Decimal("21.68")
    assert summary["cagr"]["from"].period == "2020" and summary["cagr"]["to"].period == "2024"
    result = services.rank("exports", "2024", basis=RankBasis.GROWTH)
    assert result["rank"] == 1 and result["grade"] == "first" and result["of"] == 11
    assert result["growth_pct"] == Decimal("18.7")
    tourism = services.rank("tourism_revenue", "2024", basis=RankBasis.GROWTH)
    assert tourism["rank"] == 1


def test_ranking_ties_and_arrow(base_config):
    ind = Indicator.objects.create(code="x", name="测试")
    values_2024 = {"330100": 10, "330200": 30, "330800": 30, "330300": 20}
    values_2023 = {"330100": 10, "330200": 30, "330800": 5, "330300": 20}
    for period, values in (("2024", values_2024), ("2023", values_2023)):
        for region, value in values.items():
            Observation.objects.create(indicator=ind, region_id=region, period=period, value=value)
    table = services.rank_table(ind, "2024")
    ranks = {r.region: r.rank for r in table.rows}
    assert ranks["330200"] == ranks["330800"] == 1 and ranks["330300"] == 3
    row = table.row_for("330800")
    assert (row.previous_rank, row.arrow, row.grade) == (4, "up", "first")
    assert table.row_for("330900").rank is None  # 舟山 has no value
    lower = Indicator.objects.create(code="y", name="倍差", direction="lower")
    Observation.objects.create(indicator=lower, region_id="330800", period="2024", value=1)
    Observation.objects.create(indicator=lower, region_id="330100", period="2024", value=2)
    assert services.rank("y", "2024")["rank"] == 1


def test_target_progress_with_cumulative_months(seeded):
    result = services.target_progress("industrial_output", "2025-10")
    oct_2025 = Observation.objects.get(indicator__code="industrial_output", period="2025-10")
    oct_2024 = Observation.objects.get(indicator__code="industrial_output", period="2024-10")
    assert result["value"] == oct_2025.value and oct_2025.cumulative
    assert result["target_value"] == 3300
    expected = ((Decimal(3300) - oct_2025.value) / (Decimal(3000) - oct_2024.value) - 1) * 100
    assert result["needed_growth_pct"] == expected
    assert round(result["time_pct"], 1) == Decimal("83.3")
    assert services.target_progress("nope", "2025") is None


def test_latest_value_for_other_apps(seeded):
    latest = services.latest_value("gdp")
    assert latest["value"] == Decimal("2400") and latest["is_preliminary"]
    assert latest["unit"] == "亿元"
    assert services.latest_value("gdp", region="330825")["is_synthetic"] is True
    assert services.latest_value("no-such-code") is None


def test_validation_rules_warn(seeded):
    exports = Indicator.objects.get(code="exports")
    warnings = check_values(exports, {("330800", "2024", False): Decimal("900")})
    assert any("大于其总量" in w for w in warnings)
    share = Indicator.objects.get(code="urbanization")
    assert any("超过合理上限" in w for w in check_values(share, {("330800", "2024", False): 120}))
    gdp = Indicator.objects.get(code="gdp")
    warnings = check_values(gdp, {("330900", "2024", False): Decimal("900000")})
    assert any("明显偏离" in w for w in warnings)
    assert check_values(gdp, {("330800", "2024", False): Decimal("2300")}) == []


def test_the_demo_breaks_none_of_its_own_validation_rules(seeded):
    """Synthetic figures must be coherent: no peer exports more than its whole trade."""
    from wulian.indicators.models import Indicator
    from wulian.indicators.validation import stored_warnings

    for code in ("trade", "exports", "industrial_output", "chain_output"):
        assert stored_warnings(Indicator.objects.get(code=code)) == [], code


def _summary_fields(row):
    span = row["span"]
    return (
        row["latest"],
        row["change"] and row["change"].as_dict(),
        span and (span["from"], span["to"], span["change"].as_dict(), span["cagr_pct"]),
        row["progress"] and {k: v for k, v in row["progress"].items() if k != "target"},
        row["rank_period"],
        row["rank_level"] and row["rank_level"].as_dict(),
        row["rank_growth"] and row["rank_growth"].as_dict(),
    )


def _window(indicators, regions):
    data = services.DataSet(
        regions=regions, indicators=indicators, years=services.RECENT_YEARS, first_annual=True
    )
    return [p for series in data.by_indicator.values() for p in series.values()]


def test_overview_reads_recent_years_and_answers_as_over_the_whole_history(seeded):
    """The summaries read a bounded window (plus each series' first annual values), so a
    history forty years longer (synthetic, as load_scale grows it) changes neither what
    they say nor what they read of it beyond the first annual values."""
    headline = list(
        Indicator.objects.filter(is_headline=True).select_related("numerator", "denominator")
    )
    names = services.peer_names()
    regions = {"330800", *names}
    before = _window(headline, regions)
    older = [
        Observation(
            indicator_id=o.indicator_id,
            region_id=o.region_id,
            period=f"{int(o.period[:4]) - 40}{o.period[4:]}",
            cumulative=o.cumulative,
            value=o.value,
            is_synthetic=True,
        )
        for o in Observation.objects.all()
    ]
    Observation.objects.bulk_create(older)
    full = services.DataSet(regions=regions)
    whole = [services.summary(i, "330800", data=full, names=names) for i in headline]
    bounded = services.overview(headline)
    assert [_summary_fields(r) for r in bounded] == [_summary_fields(r) for r in whole]
    assert any(r["span"] for r in bounded) and any(r["rank_level"] for r in bounded)
    after = _window(headline, regions)
    # Of the added history only the new first annual values come in, not its months.
    added = {p.period for p in after} - {p.period for p in before}
    assert added and all(len(period) == 4 and period < "2000" for period in added)
    assert {p.period for p in before} <= {p.period for p in after}
