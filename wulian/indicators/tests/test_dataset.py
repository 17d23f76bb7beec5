"""The indicators dataset: its template round-trips, a bad file writes nothing."""

import pytest

from wulian.core.datasets import registry
from wulian.core.tests.roundtrip import fill_template, round_trip
from wulian.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(base_config):
    from wulian.indicators import demo

    demo.load_catalogue()
    Observation.objects.all().delete()
    return Indicator.objects.get(code="gdp")


def test_round_trip(catalogue, users):
    rows = [
        ["gdp", "330800", "2024年", 2418.5, "衢州市统计局", "否", "否", 6.1, None],
        ["gdp", "330825", "2024年", "超过300", "龙游县统计局", "是", "否", None, "预计"],
    ]
    wanted, exported = round_trip(registry.get("indicators"), rows, users["leader"])
    assert exported == wanted
    assert Observation.objects.get(region_id="330825").qualifier == "over"


def test_bad_file_writes_nothing(catalogue, users):
    dataset = registry.get("indicators")
    rows = [
        ["gdp", "330800", "2024年", 2418.5, None, None, None, None, None],
        ["no_such", "330800", "2024年", 1, None, None, None, None, None],
    ]
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, rows))
    assert not report.ok and report.errors[0].row == 3 and report.errors[0].column == "指标"
    assert not Observation.objects.exists()


def test_api_observation_write_goes_through_the_import(catalogue, users, api_client):
    api_client.force_authenticate(users["econ"])
    body = {"indicator": "gdp", "region": "330800", "period": "2024年", "value": "2418.5"}
    created = api_client.post("/api/v1/observations/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = api_client.patch(f"/api/v1/observations/{pk}/", {"source": "统计公报"}, format="json")
    assert patched.status_code == 200
    assert Observation.objects.get(pk=pk).source == "统计公报"
    bad = api_client.post("/api/v1/observations/", {**body, "indicator": "nope"}, format="json")
    assert bad.status_code == 400 and "indicator" in bad.json()
    api_client.force_authenticate(users["chief_xcl"])
    assert api_client.post("/api/v1/observations/", body, format="json").status_code == 403
