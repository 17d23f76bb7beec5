"""运行监测预警: rules fire on falls, refresh and clear with new months, scoped, acted upon."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from wulian.core.datasets import registry
from wulian.core.tests.roundtrip import fill_template
from wulian.enterprises.early_warning import (
    dismiss_flag,
    ensure_default_rules,
    evaluate_warnings,
    plan_visit_for_flag,
)
from wulian.enterprises.models import EnterpriseMonth, Visit, WarningFlag
from wulian.enterprises.services import import_enterprises, set_chain_codes
from wulian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _months(enterprise, output_by_month: dict[str, float], staff=100):
    EnterpriseMonth.objects.bulk_create(
        EnterpriseMonth(
            enterprise=enterprise,
            month=dt.date.fromisoformat(f"{m}-01"),
            output_wan=Decimal(v),
            tax_wan=Decimal(v) / 20,
            electricity_wkwh=Decimal(v) / 10,
            employees=staff,
        )
        for m, v in output_by_month.items()
    )


def _year_then(values_2025: list[float]) -> dict[str, float]:
    """2024-06…2024-10 at 1000, then 2025-06… at the given values."""
    out = {f"2024-{m:02d}": 1000.0 for m in range(6, 11)}
    out.update({f"2025-{6 + i:02d}": v for i, v in enumerate(values_2025)})
    return out


@pytest.fixture
def world(base_config):
    ensure_default_rules()
    falling = EnterpriseFactory(region_id="330825", chain_code="xcl", name="下滑企业")
    _months(falling, _year_then([900, 750, 700, 650, 600]))  # three months ≤ -20%
    brief = EnterpriseFactory(region_id="330803", chain_code="tzz", name="短暂下滑企业")
    _months(brief, _year_then([1000, 1000, 1000, 700, 700]))  # only two months
    steady = EnterpriseFactory(region_id="330803", chain_code="xcl", name="平稳企业")
    _months(steady, _year_then([1050, 1040, 1060, 1030, 1070]))
    evaluate_warnings()
    return falling, brief, steady


def test_three_months_of_falls_raise_flags_with_evidence(world):
    falling, brief, steady = world
    flags = WarningFlag.objects.filter(enterprise=falling)
    assert {f.rule.metric for f in flags} == {"output_wan", "tax_wan", "electricity_wkwh"}
    output = flags.get(rule__metric="output_wan")
    assert output.month == dt.date(2025, 10, 1)
    assert [e["month"] for e in output.evidence] == ["2025-08", "2025-09", "2025-10"]
    assert [e["change_pct"] for e in output.evidence] == [-30.0, -35.0, -40.0]
    assert output.change_pct == Decimal("-35.0")
    assert not WarningFlag.objects.filter(enterprise__in=[brief, steady]).exists()


def test_staff_drop_rule_compares_with_three_months_before(base_config):
    ensure_default_rules()
    enterprise = EnterpriseFactory()
    _months(enterprise, {"2025-07": 1000}, staff=200)
    _months(enterprise, {"2025-10": 1000}, staff=150)
    evaluate_warnings()
    flag = WarningFlag.objects.get(enterprise=enterprise)
    assert flag.rule.metric == "employees" and flag.change_pct == Decimal("-25.0")


def test_an_import_refreshes_and_clears_flags_at_once(world, users):
    falling, _brief, _steady = world
    dataset = registry.get("enterprise-months")
    # October re-reported even lower: the live flag is refreshed, not doubled
    worse = [[falling.uscc, "2025-10", 500, None, 10, 20, 100, None]]
    assert dataset.run(actor=users["econ"], data=fill_template(dataset, worse)).ok
    output = WarningFlag.objects.get(enterprise=falling, rule__metric="output_wan")
    assert output.evidence[-1]["change_pct"] == -50.0 and output.status == "open"
    # October recovered: the flag (Aug–Oct) no longer fires and is cleared at once
    recovered = [[falling.uscc, "2025-10", 1100, None, 60, 110, 100, None]]
    assert dataset.run(actor=users["econ"], data=fill_template(dataset, recovered)).ok
    output.refresh_from_db()
    assert output.status == "cleared"
    assert not WarningFlag.objects.live().filter(enterprise=falling).exists()


def test_flags_are_scoped_like_the_users(world, users, client, api_client):
    client.force_login(users["chief_xcl"])
    page = client.get("/enterprises/warnings/").content.decode()
    assert "下滑企业" in page
    users["chief_xcl"].chain_code = "tzz"
    users["chief_xcl"].save()
    assert "下滑企业" not in client.get("/enterprises/warnings/").content.decode()
    api_client.force_authenticate(users["county_ly"])
    rows = api_client.get("/api/v1/warnings/").json()["results"]
    assert {r["name"] for r in rows} == {"下滑企业"} and len(rows) == 3
    output = next(r for r in rows if r["metric"] == "output_wan")
    assert output["evidence"][0]["base"] == 1000.0 and output["region"] == "330825"
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get("/api/v1/warnings/").status_code == 403


def test_plan_a_visit_or_dismiss_and_the_flag_remembers(world, users, api_client):
    falling, _brief, _steady = world
    flags = list(WarningFlag.objects.filter(enterprise=falling).order_by("id"))
    today = dt.date.today()
    flag = plan_visit_for_flag(actor=users["county_ly"], flag=flags[0], planned_for=today)
    assert flag.status == "visit" and flag.acted_by == users["county_ly"]
    visit = Visit.objects.get(enterprise=falling)
    assert visit.is_planned and visit.planned_for == today and "预警" in visit.purpose
    with pytest.raises(ValidationError):
        dismiss_flag(actor=users["county_ly"], flag=flags[1], reason="  ")
    api_client.force_authenticate(users["county_ly"])
    done = api_client.post(
        f"/api/v1/warnings/{flags[1].pk}/dismiss/", {"reason": "计划停产检修"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    again = api_client.post(f"/api/v1/warnings/{flags[1].pk}/dismiss/", {"reason": "x"})
    assert again.status_code == 400
    visit_api = api_client.post(
        f"/api/v1/warnings/{flags[2].pk}/visit/", {"planned_for": "2000-01-01"}, format="json"
    )
    assert visit_api.status_code == 400 and "不能早于今天" in str(visit_api.json())


def test_rules_are_edited_by_leaders_and_rechecked(world, users, api_client):
    api_client.force_authenticate(users["chief_xcl"])
    rules = api_client.get("/api/v1/warning-rules/").json()["results"]
    assert len(rules) == 4
    output = next(r for r in rules if r["metric"] == "output_wan")
    denied = api_client.patch(f"/api/v1/warning-rules/{output['id']}/", {"months": 2})
    assert denied.status_code == 403
    api_client.force_authenticate(users["leader"])
    changed = api_client.patch(
        f"/api/v1/warning-rules/{output['id']}/", {"months": 2}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["text"].startswith("工业总产值连续2个月")
    # with two months enough, the brief slide is flagged too
    assert WarningFlag.objects.filter(
        enterprise__name="短暂下滑企业", rule__metric="output_wan"
    ).exists()


def _joined_counts() -> dict:
    """The live flags by county and by chain as the page used to count them: joined to the
    registry, which is what the flag's own copies must always agree with."""
    live = WarningFlag.objects.live()
    by_county = live.values_list("enterprise__region_id").annotate(n=Count("id"))
    by_chain = live.values_list("enterprise__chain_code").annotate(n=Count("id"))
    return {"county": dict(by_county), "chain": dict(by_chain)}


def _own_counts() -> dict:
    live = WarningFlag.objects.live()
    by_county = live.values_list("region_id").annotate(n=Count("id"))
    by_chain = live.values_list("chain_code").annotate(n=Count("id"))
    return {"county": dict(by_county), "chain": dict(by_chain)}


def test_flag_counts_by_county_and_chain_follow_every_write(world, users, client):
    falling, brief, steady = world
    # raised: three flags of 下滑企业 in 龙游 on 新材料
    assert _own_counts() == _joined_counts()
    assert _own_counts() == {"county": {"330825": 3}, "chain": {"xcl": 3}}
    # handled: a dismissed flag leaves the live counts
    flag = WarningFlag.objects.filter(enterprise=falling).order_by("id").first()
    dismiss_flag(actor=users["county_ly"], flag=flag, reason="计划停产检修")
    assert _own_counts() == _joined_counts() == {"county": {"330825": 2}, "chain": {"xcl": 2}}
    # moved to another county by an import: every flag of the enterprise follows
    csv = f"统一社会信用代码,企业名称,所属区县\n{falling.uscc},下滑企业,柯城区\n".encode()
    assert import_enterprises(actor=users["leader"], data=csv).ok
    moved = WarningFlag.objects.filter(enterprise=falling).values_list("region_id", flat=True)
    assert set(moved) == {"330802"}
    assert _own_counts() == _joined_counts() == {"county": {"330802": 2}, "chain": {"xcl": 2}}
    # moved to another main chain by the chains' placements
    set_chain_codes({falling.pk: "tzz", brief.pk: "tzz", steady.pk: "xcl"})
    assert _own_counts() == _joined_counts() == {"county": {"330802": 2}, "chain": {"tzz": 2}}
    # a flag raised after the move carries the new county and chain
    _months(brief, {"2025-11": 650, "2025-12": 600}, staff=100)
    _months(brief, {"2024-11": 1000, "2024-12": 1000}, staff=100)
    evaluate_warnings()
    assert WarningFlag.objects.live().filter(enterprise=brief).exists()
    assert _own_counts() == _joined_counts()
    # and the page shows these counts (county and chain names)
    client.force_login(users["leader"])
    page = client.get("/enterprises/warnings/")
    joined = _joined_counts()
    assert sorted(n for _name, n in page.context["by_county"]) == sorted(joined["county"].values())
    assert sorted(n for _name, n in page.context["by_chain"]) == sorted(joined["chain"].values())
    assert ("柯城区", joined["county"]["330802"]) in page.context["by_county"]


def test_the_migration_backfill_copies_county_and_chain(world):
    from importlib import import_module

    from django.apps import apps

    WarningFlag.objects.update(region_id=None, chain_code="")
    migration = import_module("wulian.enterprises.migrations.0009_warning_flag_scope")
    migration.copy_scope(apps, None)
    assert _own_counts() == _joined_counts() == {"county": {"330825": 3}, "chain": {"xcl": 3}}


def test_a_flag_is_synthetic_exactly_when_its_enterprise_is(base_config):
    ensure_default_rules()
    real = EnterpriseFactory(region_id="330825", is_synthetic=False)
    made_up = EnterpriseFactory(region_id="330825", is_synthetic=True)
    for enterprise in (real, made_up):
        _months(enterprise, _year_then([700, 700, 700]))
    evaluate_warnings([real.pk, made_up.pk])
    assert {f.is_synthetic for f in WarningFlag.objects.filter(enterprise=real)} == {False}
    assert {f.is_synthetic for f in WarningFlag.objects.filter(enterprise=made_up)} == {True}
