"""The cockpit: who may open it, what it shows, and that it shows the other modules' figures."""

from decimal import Decimal

import pytest

from wulian.cockpit import services
from wulian.enterprises.models import MonthRollup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("leader", 200),
        ("admin", 200),
        ("econ", 200),
        ("chief_xcl", 403),
        ("county_ly", 403),
        ("ent_demo", 403),
    ],
)
def test_who_may_open_the_cockpit(cockpit_world, users, client, username, status):
    client.force_login(users[username])
    assert client.get("/cockpit/").status_code == status


def test_rollup_adds_up_the_monthly_rows(cockpit_world):
    rows = MonthRollup.objects.filter(region_id="330825").order_by("month", "chain_code")
    assert [(r.month.month, r.chain_code, r.output_wan) for r in rows] == [
        (9, "", Decimal(3000)),
        (9, "tzz", Decimal(2000)),
        (10, "", Decimal(3000)),
        (10, "tzz", Decimal(2000)),
    ]
    monthly = services.cockpit_data()["monthly"]
    assert monthly["latest"] == "2025-10" and monthly["months"] == ["2025-09", "2025-10"]
    tzz = next(s for s in monthly["series"] if s["code"] == "tzz")
    assert tzz["values"][-1] == 0.2  # 2000万元 = 0.2亿元
    ytd = services.cockpit_data()["map"]["enterprise_output_ytd"]
    assert {v["code"]: v["value"] for v in ytd["values"]} == {"330803": 0.2, "330825": 1.0}


def test_headlines_carry_seed_figures_cagr_progress_and_grade(cockpit_world):
    data = services.cockpit_data()
    tiles = {h["code"]: h for h in data["headlines"]}
    trade = tiles["trade"]
    assert trade["display"] == "785.6" and not trade["is_synthetic"]
    assert round(trade["cagr"]["cagr_pct"], 2) == 21.68
    exports = tiles["exports"]
    assert exports["rank_growth"]["rank"] == 1 and exports["rank_growth"]["grade_label"] == "第一"
    gdp = tiles["gdp"]
    assert gdp["is_preliminary"] and gdp["progress"]["target"] == 2420
    assert tiles["income_ratio"]["display"] == "1.76"
    assert set(data["map"]) >= {"gdp", "urbanization", "enterprise_output_ytd"}


def test_tiles_judge_changes_by_the_direction_of_good(cockpit_world, users, client):
    """The 倍差 that narrowed is good news (green ▼), its fastest narrowing ranks first and says
    示意 over synthetic peers; the chain share moves in points, with no CAGR."""
    tiles = {h["code"]: h for h in services.cockpit_data()["headlines"]}
    ratio = tiles["income_ratio"]
    assert ratio["change"]["value"] < 0 and ratio["change"]["verdict"] == "better"
    assert ratio["rank_growth"]["rank"] == 1 and ratio["rank_growth"]["synthetic"]
    share = tiles["chain_share"]
    assert share["span"]["change"]["text"] == "+19.4个百分点" and share["cagr"] is None
    assert share["span"]["cagr_pct"] is None and share["yoy_pct"] is None
    client.force_login(users["leader"])
    html = client.get("/cockpit/").content.decode()
    ratio_tile = html.split('data-testid="tile-income_ratio"')[1].split('data-testid="tile-')[0]
    assert 'data-verdict="better"' in ratio_tile and "text-green" in ratio_tile
    assert "示意" in ratio_tile
    share_tile = html.split('data-testid="tile-chain_share"')[1].split('data-testid="tile-')[0]
    assert "+19.4个百分点" in share_tile and "年均增长" not in share_tile


def test_tiles_show_what_the_other_modules_answer(cockpit_world, users, client):
    # given a chain with an enterprise, one closed 企呼我应 request and one project
    from wulian.chains.tests.helpers import build_chain
    from wulian.investment.tests.factories import ProjectFactory
    from wulian.service.tests.factories import ANSWERED, file_request, setup_loop, walk

    build_chain("xcl", "新材料", [("a", "甲", "up")], [], [("a", 20000, "main")])
    setup_loop(users)
    walk(file_request(users), users, [*ANSWERED, ("confirm", "ent_demo", {"rating": 5})])
    ProjectFactory(planned_wan=Decimal(500000))
    # when
    data = services.cockpit_data()
    # then: figures arrive as the lower modules typed them, converted only by name (万元 → 亿元)
    (chain,) = data["chains"]
    assert (chain["code"], chain["links"], chain["enterprises"]) == ("xcl", 1, 1)
    assert chain["output_yi"] == 2.0 and chain["score"] == data["scorecards"][0]["total"]
    assert data["service"]["total"] == 1 and data["service"]["closed_pct"] == 100.0
    assert data["pipeline"]["count"] == 1 and data["pipeline"]["planned_yi"] == 50.0
    client.force_login(users["leader"])
    html = client.get("/cockpit/").content.decode()
    assert "模块建设中" not in html and "100.0%" in html


def test_a_failing_module_fails_loudly(cockpit_world, monkeypatch):
    from wulian.service import stats

    def broken(**kwargs):
        raise KeyError("closed_rate")

    monkeypatch.setattr(stats, "overview", broken)
    with pytest.raises(KeyError):
        services.cockpit_data()


def test_api(cockpit_world, users, api_client):
    api_client.force_authenticate(users["leader"])
    body = api_client.get("/api/v1/cockpit/").json()
    assert {h["code"] for h in body["headlines"]} >= {"gdp", "trade", "exports", "income_ratio"}
    assert body["chains"] == [] and body["service"]["closed_pct"] is None
    assert body["pipeline"]["stages"][0]["count"] == 0
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get("/api/v1/cockpit/").status_code == 403


def test_own_reads_come_from_cache_and_rollups(
    cockpit_world, users, client, monkeypatch, django_assert_max_num_queries
):
    # The other modules' functions cost what they cost; the cockpit's own part is measured.
    monkeypatch.setattr(services, "chain_summaries", list)
    monkeypatch.setattr(services, "chain_scorecards", list)
    monkeypatch.setattr(services, "service_tile", dict)
    monkeypatch.setattr(services, "pipeline_tile", lambda: {"stages": [], "count": 0})
    monkeypatch.setattr(services, "policy_tile", dict)
    client.force_login(users["leader"])
    with django_assert_max_num_queries(40):
        assert client.get("/cockpit/").status_code == 200  # computes and caches
    with django_assert_max_num_queries(6):
        assert client.get("/cockpit/").status_code == 200  # session, user, 3 version reads


def test_a_changed_target_shows_at_once_on_the_page_and_the_api(
    cockpit_world, users, client, api_client
):
    """One freshness rule: the tiles are cached until a table they read is written, whether the
    write changes a count or not (an existing target edited in place, or by plain SQL)."""
    from django.db import connection

    from wulian.indicators.models import Target

    client.force_login(users["leader"])
    api_client.force_authenticate(users["leader"])

    def gdp_target():
        tiles = api_client.get("/api/v1/cockpit/").json()["headlines"]
        return next(h for h in tiles if h["code"] == "gdp")["progress"]["target"]

    assert gdp_target() == 2420  # cached now
    target = Target.objects.get(indicator__code="gdp", value=2420)
    Target.objects.filter(pk=target.pk).update(value=2500)
    assert gdp_target() == 2500
    page = {h["code"]: h for h in client.get("/cockpit/").context["d"]["headlines"]}
    assert page["gdp"]["progress"]["target"] == 2500
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Target._meta.db_table} SET value = 2600 WHERE id = %s", [target.pk]
        )
    assert gdp_target() == 2600
