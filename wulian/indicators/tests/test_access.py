"""Who may see and change indicator data; query counts of the list pages and endpoints."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/indicators/", "/indicators/gdp/", "/indicators/ranking/", "/indicators/prosperity/"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("username", "status"),
    [("leader", 200), ("econ", 200), ("chief_xcl", 200), ("county_ly", 200), ("ent_demo", 403)],
)
def test_pages_by_role(seeded, users, client, url, username, status):
    client.force_login(users[username])
    assert client.get(url).status_code == status


def test_anonymous_is_sent_to_login(seeded, client):
    response = client.get("/indicators/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("username", "status"), [("econ", 200), ("leader", 200), ("county_ly", 403), ("chief_xcl", 403)]
)
def test_only_leaders_and_departments_import(seeded, users, client, username, status):
    client.force_login(users[username])
    assert client.get("/indicators/import/").status_code == status


def test_county_staff_see_their_county_and_the_city_not_other_counties(seeded, users, api_client):
    api_client.force_authenticate(users["county_ly"])
    assert api_client.get("/api/v1/indicators/gdp/series/?region=330825").status_code == 200
    assert api_client.get("/api/v1/indicators/gdp/series/").status_code == 200
    assert api_client.get("/api/v1/indicators/gdp/series/?region=330881").status_code == 403
    regions = {
        r["region"]
        for r in api_client.get("/api/v1/observations/?region=all&page_size=1000").json()["results"]
    }
    assert "330825" in regions and "330800" in regions and "330881" not in regions


def test_enterprise_users_get_403_from_the_api(seeded, users, api_client):
    api_client.force_authenticate(users["ent_demo"])
    for url in ("/api/v1/indicators/", "/api/v1/observations/", "/api/v1/rankings/"):
        assert api_client.get(url).status_code == 403
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/indicators/").status_code in (401, 403)


def test_api_series_summary_and_defaults(seeded, users, api_client):
    api_client.force_authenticate(users["leader"])
    data = api_client.get("/api/v1/indicators/trade/series/?from=2020&to=2024").json()
    points = {p["period"]: p for p in data["points"]}
    assert points["2024"]["value"] == "785.6000" and not points["2024"]["is_synthetic"]
    assert "785.6亿元" in points["2024"]["source"]
    summary = api_client.get("/api/v1/indicators/trade/summary/").json()
    assert summary["cagr"]["cagr_pct"] == "21.68" and summary["region"] == "330800"
    exports = api_client.get("/api/v1/indicators/exports/summary/").json()
    assert exports["rank_growth"]["rank"] == 1 and exports["rank_growth"]["grade_label"] == "第一"
    obs = api_client.get("/api/v1/observations/?indicator=gdp").json()["results"]
    assert {o["region"] for o in obs} == {"330800"}
    ranking = api_client.get("/api/v1/rankings/?indicator=gdp&period=2024").json()
    assert len(ranking["rows"]) == 11
    bad = api_client.get("/api/v1/rankings/?indicator=gdp&period=20x4")
    assert bad.status_code == 400 and "无法识别的期间" in str(bad.json())
    progress = api_client.get("/api/v1/progress/?indicator=industrial_output&period=2025-10")
    assert progress.status_code == 200 and progress.json()["target_value"] == "3300.0000"
    assert api_client.get("/api/v1/indicators/gdp/series/?region=999999").status_code == 404


def test_list_page_and_endpoints_do_not_query_per_indicator(
    seeded, users, client, api_client, django_assert_max_num_queries
):
    client.force_login(users["leader"])
    with django_assert_max_num_queries(12):
        assert client.get("/indicators/").status_code == 200
    api_client.force_authenticate(users["leader"])
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/indicators/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/observations/?region=all&page_size=500").status_code == 200


def test_xlsx_export_of_each_view(seeded, users, client):
    client.force_login(users["leader"])
    for url in (
        "/indicators/?format=xlsx",
        "/indicators/trade/?format=xlsx",
        "/indicators/ranking/?indicator=exports&period=2024&format=xlsx",
        "/indicators/prosperity/?format=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response.content[:2] == b"PK", url


def test_departments_set_targets_county_staff_may_not(seeded, users, client):
    from wulian.core.models import AuditEvent
    from wulian.indicators.models import Target

    client.force_login(users["econ"])
    response = client.post(
        "/indicators/trade/targets/", {"period": "2026", "kind": "annual", "value": "900"}
    )
    assert response.status_code == 302
    target = Target.objects.get(indicator__code="trade", period="2026")
    assert target.value == 900 and not target.is_synthetic
    assert AuditEvent.objects.filter(model="indicators.target", object_id=str(target.pk)).exists()
    response = client.post(
        "/indicators/trade/targets/",
        {"period": "20x6", "kind": "annual", "value": "900"},
        follow=True,
    )
    assert "无法识别的期间" in response.content.decode()
    client.force_login(users["county_ly"])
    response = client.post(
        "/indicators/trade/targets/", {"period": "2027", "kind": "annual", "value": "1"}
    )
    assert response.status_code == 403
    assert not Target.objects.filter(period="2027").exists()


def test_an_observation_outside_the_city_is_found_by_its_id(seeded, users, api_client):
    from wulian.indicators.models import Observation

    county = Observation.objects.filter(region_id="330825").first()
    other = Observation.objects.filter(region_id="330881").first()
    api_client.force_authenticate(users["leader"])
    response = api_client.get(f"/api/v1/observations/{county.pk}/")
    assert response.status_code == 200 and response.json()["region"] == "330825"
    # The list keeps its default (the city) and its filters; scope still applies to detail.
    listed = api_client.get("/api/v1/observations/").json()["results"]
    assert {o["region"] for o in listed} == {"330800"}
    api_client.force_authenticate(users["county_ly"])
    assert api_client.get(f"/api/v1/observations/{county.pk}/").status_code == 200
    assert api_client.get(f"/api/v1/observations/{other.pk}/").status_code == 404
