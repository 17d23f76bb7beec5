"""Direction of good and kind of indicator, in every judgement: ranks by level and by change,
units of change, target progress, the 示意 mark on ranks over synthetic data — in the
services, on the ranking page and in /api/v1/rankings/."""

from decimal import Decimal

import pytest

from wulian.indicators import services
from wulian.indicators.choices import RankBasis
from wulian.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db

CITIES = ["330100", "330200", "330300", "330800"]


def _indicator(code, kind, direction, unit, values_2023, values_2024, synthetic=()):
    """One indicator over four cities, two years; `synthetic` lists the regions whose values
    are synthetic."""
    ind = Indicator.objects.create(code=code, name=code, kind=kind, direction=direction, unit=unit)
    for period, values in (("2023", values_2023), ("2024", values_2024)):
        for region, value in zip(CITIES, values, strict=True):
            Observation.objects.create(
                indicator=ind,
                region_id=region,
                period=period,
                value=Decimal(str(value)),
                is_synthetic=region in synthetic,
            )
    return ind


def _order(table):
    return [(r.region, r.rank) for r in table.rows if r.rank]


# For every kind: the change each city made, the order the growth ranking must give, and the
# unit the change is stated in. Quzhou (330800) makes the best change each time.
KINDS = [
    # amount: GDP grows; the fastest growth (+20%) first
    ("amount", "higher", "亿元", [100, 200, 300, 100], [110, 210, 300, 120], "pct"),
    # count: 上市公司 from 5 to 6 (+20%) beats 10 to 11 (+10%)
    ("count", "higher", "家", [10, 20, 5, 5], [11, 20, 5, 6], "pct"),
    # share: percentage points; +3 points beats +1 point, whatever the level
    ("share", "higher", "%", [40, 70, 55, 49], [41, 70, 54, 52], "pp"),
    # ratio, lower is better: 倍差 that falls most (−0.05) first; 0.00 is not first
    (
        "ratio",
        "lower",
        "倍",
        ["1.60", "1.80", "1.90", "1.81"],
        ["1.60", "1.79", "1.91", "1.76"],
        "abs",
    ),
    # rank, lower is better: 位次 58 → 50 (8 places up) first; a fall of places last
    ("rank", "lower", "位", [30, 40, 70, 58], [30, 38, 75, 50], "places"),
]


@pytest.mark.parametrize(("kind", "direction", "unit", "before", "after", "change_unit"), KINDS)
def test_growth_ranking_puts_the_best_change_first_for_every_kind(
    base_config, kind, direction, unit, before, after, change_unit
):
    ind = _indicator(f"k_{kind}", kind, direction, unit, before, after)
    table = services.rank_table(ind, "2024", RankBasis.GROWTH)
    quzhou = table.row_for("330800")
    assert quzhou.rank == 1 and quzhou.grade == "first"
    assert quzhou.change.unit == change_unit and quzhou.change.verdict == "better"
    # the city that did not move ranks below every city that improved
    still = next(r for r in table.rows if r.change and r.change.value == 0)
    improved = [r for r in table.rows if r.change and r.change.verdict == "better"]
    assert all(still.rank > r.rank for r in improved)
    # and above every city that got worse
    worse = [r for r in table.rows if r.change and r.change.verdict == "worse"]
    assert all(still.rank < r.rank for r in worse)
    # the growth rate is only given where a growth rate means something
    assert (quzhou.growth_pct is not None) is (kind in ("amount", "count"))


@pytest.mark.parametrize(("kind", "direction", "unit", "before", "after", "change_unit"), KINDS)
def test_level_ranking_follows_the_direction_for_every_kind(
    base_config, kind, direction, unit, before, after, change_unit
):
    ind = _indicator(f"l_{kind}", kind, direction, unit, before, after)
    table = services.rank_table(ind, "2024", RankBasis.LEVEL)
    ranked = [r for r in table.rows if r.rank == 1]
    best = min(after, key=Decimal) if direction == "lower" else max(after, key=Decimal)
    assert {r.value for r in ranked} == {Decimal(str(best))}


def test_cities_that_read_the_same_tie_honestly(base_config):
    # 0.001 and 0.004 both show as 0.00: tied, the next city ranks 3rd, not 2nd
    ind = _indicator(
        "tie",
        "ratio",
        "lower",
        "倍",
        ["1.7", "1.7", "1.7", "1.7"],
        ["1.701", "1.704", "1.7", "1.6"],
    )
    table = services.rank_table(ind, "2024", RankBasis.GROWTH)
    ranks = dict(_order(table))
    assert ranks["330800"] == 1
    assert ranks["330100"] == ranks["330200"] == ranks["330300"] == 2
    assert all(r.tied for r in table.rows if r.rank and r.region != "330800")


def test_ranks_over_synthetic_peers_are_marked_illustrative(base_config):
    ind = _indicator("ill", "amount", "higher", "亿元", [1, 2, 3, 4], [2, 3, 4, 5], ["330100"])
    table = services.rank_table(ind, "2024")
    assert table.is_synthetic
    quzhou = table.row_for("330800")
    # Quzhou's own value is real, but its rank was compared with a synthetic value
    assert not quzhou.value_synthetic and quzhou.rank_synthetic and quzhou.is_synthetic
    real = _indicator("real", "amount", "higher", "亿元", [1, 2, 3, 4], [2, 3, 4, 5])
    assert not services.rank_table(real, "2024").is_synthetic
    growth = services.rank_table(ind, "2024", RankBasis.GROWTH)
    assert growth.is_synthetic and growth.row_for("330800").rank_synthetic


def test_the_seed_income_ratio_narrowing_fastest_ranks_first(seeded):
    """城乡居民收入倍差 fell the most of the 11 cities: 第一, shown as an improvement."""
    ratio = Indicator.objects.get(code="income_ratio")
    table = services.rank_table(ratio, "2024", RankBasis.GROWTH)
    quzhou = table.row_for("330800")
    assert quzhou.rank == 1 and quzhou.grade_label == "第一"
    assert quzhou.change.value < 0 and quzhou.change.verdict == "better"
    assert quzhou.change.unit == "abs" and quzhou.change.text().startswith("−")
    # the peers are synthetic, so the rank is illustrative
    assert table.is_synthetic and quzhou.rank_synthetic
    summary = services.summary(ratio)
    assert summary["rank_growth"].rank == 1 and summary["change"].verdict == "better"


def test_the_seed_chain_share_moves_in_points_with_no_cagr(seeded):
    """六大产业链占比 49% (2021) → 68.4% (2024): +19.4个百分点, no CAGR."""
    summary = services.summary(Indicator.objects.get(code="chain_share"))
    span = summary["span"]
    assert (span["from"].period, span["to"].period) == ("2021", "2024")
    assert span["change"].value == Decimal("19.4") and span["change"].unit == "pp"
    assert span["change"].text() == "+19.4个百分点" and not span["synthetic"]
    assert span["cagr_pct"] is None and summary["cagr"] is None
    assert summary["yoy_pct"] is None and summary["change"].unit == "pp"


def test_the_computed_growth_ranks_agree_with_the_ranks_the_seed_publishes(seeded):
    """出口、旅游增速全省第一; 常住人口城镇化率增幅全省第二."""
    for code, published in (("exports", 1), ("tourists", 1), ("tourism_revenue", 1)):
        assert services.rank(code, "2024", basis=RankBasis.GROWTH)["rank"] == published, code
    published = Observation.objects.get(indicator__code="urbanization_growth_rank").value
    urbanization = services.rank("urbanization", "2024", basis=RankBasis.GROWTH)
    assert urbanization["rank"] == int(published) == 2
    assert urbanization["change"]["unit"] == "pp" and urbanization["rank_synthetic"]


def test_progress_towards_bringing_a_ratio_down(seeded, users):
    ratio = Indicator.objects.get(code="income_ratio")
    services.set_target(
        actor=users["leader"],
        indicator=ratio,
        period="2024",
        value=Decimal("1.70"),
        base_period="2020",
    )
    progress = services.progress_for(ratio, "2024")
    # from 1.86 (2020) towards 1.70, now 1.76: 0.10 of 0.16 = 62.5%, not 1.70 ÷ 1.76 or 103%
    assert progress["base"].value == Decimal("1.86")
    assert progress["progress_pct"] == Decimal("62.5")
    assert progress["synthetic"]  # the 2020 base is synthetic
    towards = services.progress_towards("income_ratio", Decimal("1.70"), since_year=2021)
    assert towards["pct"] == Decimal("62.5") and towards["direction"] == "lower"


def test_rankings_api_carries_direction_units_and_the_illustrative_mark(seeded, users, api_client):
    api_client.force_authenticate(users["leader"])
    data = api_client.get(
        "/api/v1/rankings/?indicator=income_ratio&period=2024&basis=growth"
    ).json()
    assert data["direction"] == "lower" and data["kind"] == "ratio"
    assert data["is_synthetic"] is True and data["basis_label"] == "按变化"
    first = data["rows"][0]
    assert first["region"] == "330800" and first["rank"] == 1
    assert first["change"]["verdict"] == "better" and first["rank_synthetic"] is True
    assert first["growth_pct"] is None  # a 倍差 has no growth rate
    share = api_client.get(
        "/api/v1/rankings/?indicator=urbanization&period=2024&basis=growth"
    ).json()
    assert share["rows"][1]["region"] == "330800" and share["rows"][1]["rank"] == 2
    assert share["rows"][1]["change"]["unit"] == "pp"
    assert "个百分点" in share["rows"][1]["change"]["text"]
    summary = api_client.get("/api/v1/indicators/chain_share/summary/").json()
    assert summary["cagr"] is None and summary["span"]["cagr_pct"] is None
    assert summary["span"]["change"]["text"] == "+19.4个百分点"


def test_ranking_page_shows_fastest_fall_first_and_the_mark(seeded, users, client):
    client.force_login(users["leader"])
    html = client.get(
        "/indicators/ranking/?indicator=income_ratio&period=2024&basis=growth"
    ).content.decode()
    assert 'data-synthetic="1"' in html and "示意" in html
    first_row = html.split('data-region="')[1]
    assert first_row.startswith("330800") and 'data-verdict="better"' in first_row
    assert "按变化" in html and "降得最多者居首" in html
