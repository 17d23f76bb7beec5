"""A monthly import is visible at once: the enterprise's series, the cockpit, the chain figures.

Read through the pages and the API right after the import commits, with the caches warm from
a read before it (a stale cache would show the old numbers).
"""

import json

import pytest

from wulian.chains.models import Chain
from wulian.core.datasets import registry
from wulian.core.tests.roundtrip import fill_template
from wulian.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _cockpit_series(client, code: str) -> list[float]:
    data = client.get("/api/v1/cockpit/").json()
    return next(s for s in data["monthly"]["series"] if s["code"] == code)["values"]


def _page_charts(client) -> dict:
    html = client.get("/cockpit/").content.decode()
    start = html.index('id="cockpit-data"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_monthly_import_changes_series_cockpit_and_chain_at_once(cockpit_world, users, client):
    Chain.objects.create(code="xcl", name="新材料", sort=1)
    enterprise = Enterprise.objects.get(chain_code="xcl")
    client.force_login(users["leader"])
    # given: every reader has looked once (caches are warm)
    assert _cockpit_series(client, "xcl") == [0.1, 0.1]
    assert _page_charts(client)["monthly"]["series"][0]["values"] == [0.1, 0.1]
    chain_before = client.get("/api/v1/chains/xcl/months/").json()
    assert chain_before["months"][-1]["output_wan"] == 1000.0
    assert "0.20" in client.get("/chains/xcl/").content.decode()
    series = client.get(f"/api/v1/enterprises/{enterprise.pk}/months/").json()["results"]
    assert series[-1]["output_wan"] == 1000.0

    # when: October is re-reported at 6,000 万元
    dataset = registry.get("enterprise-months")
    rows = [[enterprise.uscc, "2025-10", 6000, 6100, 200, 300, 150, 80]]
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows))
    assert report.ok and report.updated == 1

    # then: everything reads the new month at once
    assert _cockpit_series(client, "xcl") == [0.1, 0.6]
    assert _page_charts(client)["monthly"]["series"][0]["values"] == [0.1, 0.6]
    after = client.get("/api/v1/chains/xcl/months/").json()
    assert after["months"][-1]["output_wan"] == 6000.0
    assert after["ytd_output_wan"] == 7000.0
    chain_page = client.get("/chains/xcl/").content.decode()
    assert "0.70" in chain_page
    series = client.get(f"/api/v1/enterprises/{enterprise.pk}/months/").json()["results"]
    assert series[-1]["output_wan"] == 6000.0 and series[-1]["tax_wan"] == 200.0
    ytd = client.get("/api/v1/cockpit/").json()["map"]["enterprise_output_ytd"]
    assert {v["code"]: v["value"] for v in ytd["values"]}["330803"] == 0.7
