"""Who sees and writes which fusion rows: one `visible_to` for the page, the API and the export,
and a chain office writes only on its own chain's links."""

import pytest
from django.contrib.auth.models import AnonymousUser

from wulian.chains.models import Link
from wulian.core.datasets import registry
from wulian.core.tests.roundtrip import fill_template
from wulian.fusion.models import FinancingEvent, Fund, Platform, TalentDemand, TalentSupply

from .test_datasets import CASES, chains  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(chains, users):  # noqa: F811
    """Every fusion dataset imported by the leader: rows on 新材料 and on 特种纸."""
    for name in ("platforms", "talent-demand", "talent-supply", "funds", "financing"):
        dataset = registry.get(name)
        report = dataset.run(
            actor=users["leader"], data=fill_template(dataset, CASES[name](*chains))
        )
        assert report.ok, [(e.row, e.column, e.message) for e in report.errors]
    return chains


def _names(qs, field):
    return sorted(str(v) for v in qs.values_list(field, flat=True))


def test_chain_office_sees_its_chain_and_rows_on_no_link(loaded, users):
    chief, leader = users["chief_xcl"], users["leader"]
    assert _names(Platform.objects.visible_to(chief), "name") == ["氟硅研究院"]
    assert _names(Platform.objects.visible_to(leader), "name") == ["氟硅研究院", "特种纸中试平台"]
    assert {d.link.chain.code for d in TalentDemand.objects.visible_to(chief)} == {"xcl"}
    assert {d.link.chain.code for d in TalentSupply.objects.visible_to(chief)} == {"xcl"}
    assert TalentDemand.objects.visible_to(leader).count() == TalentDemand.objects.count() == 2
    # A fund on no link is everyone's; once it invests in 特种纸 it is not the chief's.
    assert _names(Fund.objects.visible_to(chief), "name") == ["新材料产业基金", "特种纸基金"]
    pulp = Link.objects.get(code="pulp")
    Fund.objects.get(name="特种纸基金").links.set([pulp])
    assert _names(Fund.objects.visible_to(chief), "name") == ["新材料产业基金"]
    assert Fund.objects.visible_to(leader).count() == 2
    # The same for a financing event.
    assert FinancingEvent.objects.visible_to(chief).count() == 2
    FinancingEvent.objects.filter(link__isnull=True).update(link=pulp)
    assert [e.link.code for e in FinancingEvent.objects.visible_to(chief)] == ["ptfe"]
    assert not Platform.objects.visible_to(AnonymousUser()).exists()


def test_county_staff_see_only_their_countys_enterprises_rows(loaded, users):
    in_county, elsewhere = loaded
    county = users["county_ly"]
    assert county.region_id == in_county.region_id != elsewhere.region_id
    FinancingEvent.objects.update(enterprise=elsewhere)
    assert FinancingEvent.objects.exists()
    assert not FinancingEvent.objects.visible_to(county).exists()
    FinancingEvent.objects.update(enterprise=in_county)
    assert FinancingEvent.objects.visible_to(county).count() == FinancingEvent.objects.count()


def test_api_list_detail_and_export_follow_the_scope(loaded, users, api_client):
    api_client.force_authenticate(users["chief_xcl"])
    listed = api_client.get("/api/v1/talent-demands/").json()["results"]
    mine = set(Link.objects.filter(chain__code="xcl").values_list("pk", flat=True))
    assert listed and {row["link"] for row in listed} <= mine, listed
    other = TalentDemand.objects.get(link__chain__code="tzz")
    assert api_client.get(f"/api/v1/talent-demands/{other.pk}/").status_code == 404
    platforms = api_client.get("/api/v1/platforms/").json()["results"]
    assert [p["name"] for p in platforms] == ["氟硅研究院"]
    exported = list(registry.get("talent-demand").export_objects(users["chief_xcl"]))
    assert exported and all(d.link.chain.code == "xcl" for d in exported)


def test_page_lists_only_visible_platforms(loaded, users, client):
    client.force_login(users["chief_xcl"])
    html = client.get("/fusion/platforms/").content.decode()
    assert "氟硅研究院" in html and "特种纸中试平台" not in html


def test_chain_office_cannot_write_on_another_chains_link(loaded, users, api_client):
    before = TalentDemand.objects.count()
    api_client.force_authenticate(users["chief_xcl"])
    body = {"link": "tzz/pulp", "position": "技工", "count": 3, "level": "skilled", "year": 2025}
    refused = api_client.post("/api/v1/talent-demands/", body, format="json")
    assert refused.status_code == 400
    assert "特种纸·木浆" in str(refused.json()) and "不在其中" in str(refused.json())
    shared = {"name": "共享平台", "kind": "institute", "links": "新材料·含氟聚合物、特种纸·木浆"}
    assert api_client.post("/api/v1/platforms/", shared, format="json").status_code == 400
    dataset = registry.get("talent-demand")
    rows = [
        ["新材料·含氟聚合物", None, "工程师", 2, "本科", 2026],
        ["特种纸·木浆", None, "技工", 5, "本科", 2026],
    ]
    report = dataset.run(actor=users["chief_xcl"], data=fill_template(dataset, rows))
    assert not report.ok and [(e.row, e.column) for e in report.errors] == [(3, "环节")]
    assert TalentDemand.objects.count() == before
    # The same file from a leader goes in.
    assert dataset.run(actor=users["leader"], data=fill_template(dataset, rows)).ok
    assert TalentDemand.objects.count() == before + 2
