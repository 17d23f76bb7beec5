"""亩均论英雄: the scoring against county benchmarks, grading, command, API, page, filter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wulian.enterprises.models import EnterpriseMonth, MujunResult, MujunSettings
from wulian.enterprises.mujun import evaluate_mujun, explain, mujun_grades
from wulian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _year(enterprise, *, tax, output, power, staff, rd, revenue=None, year=2024, months=12):
    EnterpriseMonth.objects.bulk_create(
        EnterpriseMonth(
            enterprise=enterprise,
            month=dt.date(year, m, 1),
            tax_wan=Decimal(tax) / 12,
            output_wan=Decimal(output) / 12,
            revenue_wan=Decimal(revenue or output) / 12,
            electricity_wkwh=Decimal(power) / 12,
            employees=staff,
            rd_wan=Decimal(rd) / 12,
        )
        for m in range(1, months + 1)
    )


@pytest.fixture
def county(base_config):
    """Ten industrial enterprises in 龙游县 on 10 亩 each, the i-th i times as good."""
    made = []
    for i in range(1, 11):
        enterprise = EnterpriseFactory(
            region_id="330825", industry_code="C2614", land_area_mu=10, chain_code="xcl"
        )
        _year(enterprise, tax=24 * i, output=600 * i, power=60, staff=100, rd=6 * i)
        made.append(enterprise)
    # not evaluated: a service company, one without land, one with 3 months only
    _year(
        EnterpriseFactory(region_id="330825", industry_code="F5123", land_area_mu=10),
        tax=1,
        output=1,
        power=1,
        staff=1,
        rd=0,
    )
    _year(
        EnterpriseFactory(region_id="330825", land_area_mu=None),
        tax=1,
        output=1,
        power=1,
        staff=1,
        rd=0,
    )
    _year(
        EnterpriseFactory(region_id="330825", land_area_mu=5),
        tax=1,
        output=1,
        power=1,
        staff=1,
        rd=0,
        months=3,
    )
    return made


def test_scores_against_the_county_benchmark_and_grades_by_share(county):
    counts = evaluate_mujun(actor=None, year=2024)
    assert counts == {"A": 2, "B": 5, "C": 2, "D": 1}
    results = {r.enterprise_id: r for r in MujunResult.objects.filter(year=2024)}
    assert len(results) == 10
    best, worst = results[county[-1].pk], results[county[0].pk]
    assert (best.grade, best.rank, best.of) == ("A", 1, 10)
    assert (worst.grade, worst.rank) == ("D", 10)
    # benchmark 亩均税收 = Σtax / Σland = 24·55 / 100 = 13.2 万元/亩
    tax = best.metrics["tax_per_mu"]
    assert tax["benchmark"] == pytest.approx(13.2) and tax["value"] == pytest.approx(24.0)
    # capped at 2× the benchmark: 24 / 13.2 = 1.82 stays, the weight is 30
    assert tax["points"] == pytest.approx(24 / 13.2 * 30, abs=0.01)
    assert worst.score < best.score
    assert mujun_grades(2024)[county[-1].pk] == "A"
    why = explain(worst)
    assert why[0].startswith("亩均税收 2.4 万元/亩，为本县基准 13.2 的 18%")


def test_cutoff_method_and_weights_are_the_citys(county):
    settings = MujunSettings.current()
    settings.method = "cutoff"
    settings.energy_weight = 0
    settings.save()
    evaluate_mujun(actor=None, year=2024)
    for result in MujunResult.objects.filter(year=2024):
        expected = (
            "A"
            if result.score >= 120
            else "B"
            if result.score >= 80
            else ("C" if result.score >= 50 else "D")
        )
        assert result.grade == expected
        assert result.metrics["energy_productivity"]["points"] == 0


def test_command_evaluates_and_refuses_an_empty_year(county, capsys):
    call_command("evaluate_mujun", "2024")
    assert "2024 年度亩均评价完成：共 10 家" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有可评价的企业"):
        call_command("evaluate_mujun", "2019")


def test_api_lists_results_with_the_contract_fields(county, users, api_client):
    evaluate_mujun(actor=None, year=2024)
    api_client.force_authenticate(users["leader"])
    data = api_client.get("/api/v1/mujun/?year=2024").json()
    assert data["count"] == 10
    row = data["results"][0]
    assert {"enterprise", "uscc", "region", "score", "grade", "metrics"} <= set(row)
    assert row["grade"] in "ABCD" and row["region"] == "330825"
    assert set(row["metrics"]) == {
        "tax_per_mu",
        "value_added_per_mu",
        "energy_productivity",
        "labour_productivity",
        "rd_ratio",
    }
    only_a = api_client.get("/api/v1/mujun/?year=2024&grade=A").json()
    assert {r["grade"] for r in only_a["results"]} == {"A"} and only_a["count"] == 2
    assert api_client.get("/api/v1/mujun/?grade=E").status_code == 400
    # county staff of another county see none of them; enterprises may not list at all
    api_client.force_authenticate(users["county_ly"])
    assert api_client.get("/api/v1/mujun/?year=2024").json()["count"] == 10
    users["county_ly"].region_id = "330803"
    users["county_ly"].save()
    assert api_client.get("/api/v1/mujun/?year=2024").json()["count"] == 0
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get("/api/v1/mujun/?year=2024").status_code == 403


def test_settings_api_validates_and_is_for_leaders_and_departments(county, users, api_client):
    api_client.force_authenticate(users["chief_xcl"])
    assert api_client.get("/api/v1/mujun-settings/").json()["tax_weight"] == "30.00"
    assert api_client.patch("/api/v1/mujun-settings/", {"tax_weight": 40}).status_code == 403
    api_client.force_authenticate(users["econ"])
    bad = api_client.patch("/api/v1/mujun-settings/", {"a_share": "0.6", "b_share": "0.6"})
    assert bad.status_code == 400 and "比例之和" in str(bad.json())
    good = api_client.patch("/api/v1/mujun-settings/", {"tax_weight": 40}, format="json")
    assert good.status_code == 200 and MujunSettings.current().tax_weight == 40
    evaluated = api_client.post("/api/v1/mujun/evaluate/", {"year": 2024}, format="json")
    assert evaluated.json() == {"A": 2, "B": 5, "C": 2, "D": 1}


def test_page_by_county_and_chain_and_list_filter(county, users, client):
    evaluate_mujun(actor=None, year=2024)
    client.force_login(users["chief_xcl"])
    page = client.get("/enterprises/mujun/?year=2024&region=330825").content.decode()
    assert "龙游县" in page and "为本县基准" in page and 'data-testid="mujun-table"' in page
    empty = client.get("/enterprises/mujun/?year=2024&chain=tzz").content.decode()
    assert "没有符合条件的企业" in empty
    listed = client.get("/enterprises/?mujun=A").content.decode()
    assert listed.count("/enterprises/") and county[-1].name in listed
    assert county[0].name not in listed
    client.force_login(users["ent_demo"])
    assert client.get("/enterprises/mujun/").status_code == 403
    client.force_login(users["chief_xcl"])
    assert client.post("/enterprises/mujun/", {"year": 2024}).status_code == 403


def test_list_reads_county_by_county_in_the_order_of_a_whole_sort(county, users, client):
    """ResultsByCounty gives any slice as the one sort over the year's results would (county
    order first: 江山市 comes before 龙游县 though its code is larger), and the page shows
    the counts' total without counting again."""
    from django.db.models import Count

    from wulian.core.models import Region
    from wulian.enterprises.mujun import ResultsByCounty, grade_counts, result_years

    for i in range(1, 6):
        made = EnterpriseFactory(region_id="330881", industry_code="C2614", land_area_mu=10)
        _year(made, tax=30 * i, output=500 * i, power=50, staff=80, rd=5 * i)
        _year(made, tax=30 * i, output=500 * i, power=50, staff=80, rd=5 * i, year=2023)
    evaluate_mujun(actor=users["leader"], year=2024)
    evaluate_mujun(actor=users["leader"], year=2023)
    assert result_years() == [2024, 2023]
    results = MujunResult.objects.filter(year=2024)
    order = dict(Region.objects.values_list("code", "sort"))
    assert order["330881"] < order["330825"]
    counts = grade_counts(2024, results)
    sizes = sorted(
        ((code, sum(per.values())) for code, per in counts.items()),
        key=lambda c: (order[c[0]], c[0]),
    )
    whole = list(results.order_by("region__sort", "region_id", "rank", "id"))
    rows = ResultsByCounty(results, sizes)
    assert len(rows) == len(whole) == 15
    for start, stop in [(0, 15), (0, 4), (3, 7), (5, 6), (4, 14), (14, 15)]:
        assert list(rows[start:stop]) == whole[start:stop]
    assert rows[6] == whole[6]
    by_grade = dict(results.values_list("grade").annotate(n=Count("*")).order_by())
    client.force_login(users["leader"])
    page = client.get("/enterprises/mujun/?year=2024&grade=A")
    assert len(page.context["page"].object_list) == by_grade["A"]
    assert page.context["page"].paginator.count == by_grade["A"]
