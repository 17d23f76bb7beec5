"""The cockpit: who may open it, what it shows, what it does when a module is missing."""

from decimal import Decimal

import pytest

from wulian.cockpit import adapters, services
from wulian.cockpit.models import MonthlyRollup

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
    rows = MonthlyRollup.objects.filter(region_id="330825").order_by("month", "chain_code")
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
    assert round(trade["cagr"]["pct"], 2) == 21.68
    exports = tiles["exports"]
    assert exports["rank_growth"]["rank"] == 1 and exports["rank_growth"]["grade_label"] == "第一"
    gdp = tiles["gdp"]
    assert gdp["is_preliminary"] and gdp["progress"]["target"] == 2420
    assert tiles["income_ratio"]["display"] == "1.76"
    assert set(data["map"]) >= {"gdp", "urbanization", "enterprise_output_ytd"}


def test_missing_module_shows_placeholder(cockpit_world, users, client, monkeypatch):
    real_import = adapters.importlib.import_module

    def fake_import(name, *args):
        if name in ("wulian.fusion.services", "wulian.service.stats"):
            raise ImportError(name)
        return real_import(name, *args)

    monkeypatch.setattr(adapters.importlib, "import_module", fake_import)
    assert adapters.chain_scorecards() == {"ok": False, "data": None}
    client.force_login(users["leader"])
    response = client.get("/cockpit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("模块建设中/数据缺失") >= 2


def test_shape_mismatch_is_treated_as_missing(monkeypatch):
    import wulian.chains.services as chains

    monkeypatch.setattr(chains, "chain_summaries", lambda: [{"name": "no code"}])
    assert adapters.chain_summaries()["ok"] is False


def test_api(cockpit_world, users, api_client):
    api_client.force_authenticate(users["leader"])
    body = api_client.get("/api/v1/cockpit/").json()
    assert {h["code"] for h in body["headlines"]} >= {"gdp", "trade", "exports", "income_ratio"}
    assert body["chains"]["ok"] in (True, False)
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get("/api/v1/cockpit/").status_code == 403


def test_own_reads_come_from_cache_and_rollups(
    cockpit_world, users, client, monkeypatch, django_assert_max_num_queries
):
    # The other modules' functions cost what they cost; the cockpit's own part is measured.
    for name in ("chain_summaries", "chain_scorecards", "service_overview", "pipeline_overview"):
        monkeypatch.setattr(adapters, name, lambda: {"ok": False, "data": None})
    client.force_login(users["leader"])
    with django_assert_max_num_queries(40):
        assert client.get("/cockpit/").status_code == 200  # computes and caches
    with django_assert_max_num_queries(6):
        assert client.get("/cockpit/").status_code == 200  # session, user, 3 version reads
