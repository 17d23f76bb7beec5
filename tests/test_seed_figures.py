"""Every figure shown in two places agrees: the seed report's numbers (wulian.core.seed, the one
place they are written) on the indicators page and API, the chain pages, the investment totals
and the fusion scorecard; and the synthetic demo data that has to add up to them — the
enterprise registry, the cockpit's enterprise rollup, the funds, the institutes, the listed
companies and the published ranks. One load of the whole demo, checked path by path."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from wulian.core import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(users):
    call_command("load_demo", stdout=io.StringIO())
    return users


def _api(api_client, user, url):
    api_client.force_authenticate(user)
    response = api_client.get(url)
    assert response.status_code == 200, url
    return response.json()


def test_every_figure_shown_in_two_places_agrees(demo, api_client):
    from wulian.chains.models import EnterpriseLink
    from wulian.cockpit.services import cockpit_data
    from wulian.enterprises.models import Enterprise, MonthRollup
    from wulian.fusion.choices import PlatformKind
    from wulian.fusion.models import Fund, Platform
    from wulian.indicators import services as indicators
    from wulian.indicators.choices import RankBasis
    from wulian.indicators.models import Observation
    from wulian.investment import stats as investment

    leader = demo["leader"]
    # 1. The report's figures: the indicators (database, page API) say what the report says.
    for figure in seed.FIGURES:
        obs = Observation.objects.get(
            indicator__code=figure.code,
            region_id="330800",
            period=figure.period,
            cumulative=figure.cumulative,
        )
        assert (obs.value, obs.qualifier, obs.is_synthetic) == (
            figure.value,
            figure.qualifier,
            False,
        ), figure
        assert obs.source == figure.source and seed.TITLE in obs.source
    series = _api(api_client, leader, "/api/v1/indicators/trade/series/")
    assert {p["period"]: Decimal(p["value"]) for p in series["points"]}["2024"] == Decimal("785.6")

    # 2. The chain pages quote the same figures (API, list page).
    rows = _api(api_client, leader, "/api/v1/chain-figures/?page_size=100")["results"]
    assert rows, "no chain figures"
    for row in rows:
        figure = seed.figure(row["key"], str(row["year"]))
        obs = Observation.objects.get(
            indicator__code=row["key"], region_id="330800", period=str(row["year"])
        )
        assert Decimal(str(row["value"])) == figure.value == obs.value
        assert row["display"] == figure.display and row["source"] == obs.source
    fund = next(r for r in rows if r["key"] == "fund_cluster" and r["year"] == 2025)
    assert fund["display"] == "超1000"  # 超过1000亿, not 1000.0

    # 3. The investment totals quote the pipeline figures (API).
    overview = _api(api_client, leader, "/api/v1/projects/overview/")
    for row in overview["figures"]:
        assert Decimal(str(row["value"])) == seed.figure(row["code"]).value
        assert row["source"] == seed.TITLE

    # 4. The enterprise registry adds up to the report: 15000多家, 3000亿元, 68.4%, 22 listed.
    registry = Enterprise.objects.filter(is_synthetic=True)
    assert registry.count() >= seed.figure("above_scale_enterprises").value
    output = registry.aggregate(total=Sum("output_wan"))["total"]
    assert output == seed.figure("industrial_output", "2024").value * 10000
    chain_output = (
        EnterpriseLink.objects.filter(role="main", enterprise__is_synthetic=True)
        .values("enterprise")
        .distinct()
    )
    in_chains = registry.filter(pk__in=chain_output).aggregate(total=Sum("output_wan"))["total"]
    assert round(in_chains / output * 100, 1) == seed.figure("chain_share", "2024").value
    listed = registry.filter(is_listed=True)
    assert listed.count() == seed.figure("listed_companies").value
    # 四个全覆盖: six counties, six chains, 沪深北 and every board
    assert set(listed.values_list("region_id", flat=True)) == {
        "330802", "330803", "330822", "330824", "330825", "330881"
    }  # fmt: skip
    listed_chains = EnterpriseLink.objects.filter(enterprise__in=listed).values_list(
        "link__chain__code", flat=True
    )
    assert set(listed_chains) == {"xcl", "xny", "jcdl", "gdzb", "smjk", "tzz"}
    assert set(listed.values_list("listing_board", flat=True)) == {
        "sh_main", "star", "sz_main", "chinext", "bse"
    }  # fmt: skip

    # 5. 规上工业总产值 2025年1–10月: the cockpit's enterprise rollup is the indicators' figure.
    statistic = Observation.objects.get(
        indicator__code="industrial_output", period="2025-10", cumulative=True
    ).value
    rollup = MonthRollup.objects.filter(
        month__gte=dt.date(2025, 1, 1), month__lte=dt.date(2025, 10, 1)
    ).aggregate(total=Sum("output_wan"))["total"]
    assert rollup == statistic * 10000
    data = cockpit_data()
    by_county = data["map"]["enterprise_output_ytd"]["values"]
    # each county's figure is rounded to 0.01亿, so their sum may differ by half a cent each
    assert abs(sum(v["value"] for v in by_county) - float(statistic)) <= 0.005 * len(by_county)
    tile = next(h for h in data["headlines"] if h["code"] == "industrial_output")
    assert tile["value"] == float(statistic)

    # 6. The fusion records agree with the report: 16 institutes, a fund cluster 超过1000亿.
    institutes = Platform.objects.filter(kind=PlatformKind.INSTITUTE).count()
    assert institutes == seed.figure("research_institutes").value
    funds = Fund.objects.aggregate(total=Sum("size_wan"))["total"] / 10000
    assert funds > seed.figure("fund_cluster").value  # “超过”

    # 7. The ranks the report publishes are the ranks the platform computes.
    for figure in seed.FIGURES:
        if figure.rank:
            ranked = indicators.rank(figure.code, figure.period, basis=figure.rank_basis)
            assert ranked["rank"] == figure.rank, figure
    urbanization = indicators.rank("urbanization", "2024", basis=RankBasis.GROWTH)
    assert urbanization["rank"] == seed.figure("urbanization_growth_rank").value

    # 8. Investment by chain: the chains' rows less their overlap are the projects, once each.
    by_chain = investment.totals_by_chain(investment.Project.objects.all())
    assert by_chain["overlap"]["count"] > 0  # the demo has projects filling several chains
    assert (
        by_chain["rows_sum"]["count"] - by_chain["overlap"]["count"]
        == by_chain["distinct"]["count"]
    )
    assert by_chain["distinct"]["count"] <= data["pipeline"]["count"]
