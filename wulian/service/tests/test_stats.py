"""Statistics from the rollup: the rates' definitions, the functions other apps call, export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from wulian.chains.models import Chain, Link
from wulian.service import stats
from wulian.service.models import ServiceCategory, ServiceRequest, ServiceRollup
from wulian.service.services import submit_request

from .factories import ANSWERED, file_request, setup_loop, walk


@pytest.fixture
def loop(users):
    setup_loop(users)
    return users


def test_on_time_rate_counts_open_overdue_against_it(loop):
    # closed on time
    walk(file_request(loop), loop, [*ANSWERED, ("confirm", "ent_demo", {"rating": 5})])
    # closed late: answered after its deadline
    late = walk(file_request(loop), loop, ANSWERED[:3])
    ServiceRequest.objects.filter(pk=late.pk).update(
        answer_due_at=timezone.now() - dt.timedelta(days=1)
    )
    late.refresh_from_db()
    late_steps = [("answer", "econ", {"answer": "迟复"}), ("confirm", "ent_demo", {"rating": 3})]
    walk(late, loop, late_steps)
    # open and overdue
    stuck = walk(file_request(loop), loop, ANSWERED[:2])
    ServiceRequest.objects.filter(pk=stuck.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    # open, not overdue
    file_request(loop)
    # rejected
    walk(file_request(loop), loop, [("reject", "dispatcher", {"reason": "不受理"})])

    figures = stats.overview()
    assert figures["total"] == 5 and figures["closed"] == 2
    assert figures["overdue"] == 1
    assert figures["closed_rate"] == pytest.approx(2 / 4)  # rejected are not taken on
    assert figures["on_time_rate"] == pytest.approx(1 / 3)  # 1 on time ÷ (2 closed + 1 overdue)
    assert figures["satisfaction"] == pytest.approx(4.0)
    dept = next(r for r in stats.table("department") if r.label == "市经信局")
    assert (dept.closed, dept.closed_on_time, dept.open_overdue) == (2, 1, 1)
    assert stats.league()[0].label == "市经信局"


def test_p90_and_mean_from_the_histogram():
    row = stats.StatRow(key="", answered=10, answer_days_sum=30, hist={"1": 5, "3": 4, "12": 1})
    assert row.mean_answer_days == 3.0
    assert row.p90_answer_days == 3
    row.hist = {"1": 5, "3": 3, "12": 2}
    assert row.p90_answer_days == 12


def test_functions_other_apps_call(loop):
    chain = Chain.objects.create(code="xcl", name="新材料")
    link = Link.objects.create(chain=chain, code="f", name="含氟聚合物", segment="mid")
    request = submit_request(
        actor=loop["ent_demo"],
        category=ServiceCategory.objects.get(code="policy"),
        title="链上企业诉求",
        description="x",
        link=link,
    )
    walk(request, loop, [*ANSWERED, ("confirm", "ent_demo", {"rating": 4})])
    summary = stats.link_service_summary()
    assert summary == {link.pk: {"total": 1, "closed": 1, "on_time": 1, "satisfaction": 4.0}}
    overdue = file_request(loop)
    ServiceRequest.objects.filter(pk=overdue.pk).update(
        due_at=timezone.now() - dt.timedelta(days=30)
    )
    items = stats.overdue_requests(limit=5)
    assert [i["id"] for i in items] == [overdue.pk]
    assert items[0]["escalation"] == 3 and items[0]["escalation_label"] == "市领导关注"
    assert stats.overdue_requests(limit=5, user=loop["econ"]) == []  # not routed to 经信局 yet
    assert {"total", "open", "overdue", "closed_rate", "on_time_rate", "satisfaction"} <= set(
        stats.overview()
    )


def test_stats_export_has_a_sheet_per_dimension(client, loop):
    walk(file_request(loop), loop, [*ANSWERED, ("confirm", "ent_demo", {"rating": 5})])
    client.force_login(loop["leader"])
    response = client.get("/service/stats/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["部门", "诉求类别", "区县", "产业链环节", "按月"]
    rows = list(book["部门"].iter_rows(values_only=True))
    assert rows[0][0] == "名称" and rows[1][0] == "市经信局" and rows[1][4] == 100.0


def test_demo_is_deterministic_and_covers_every_state(loop):
    from wulian.enterprises.tests.factories import EnterpriseFactory
    from wulian.service import demo

    for i in range(20):
        EnterpriseFactory(name=f"合成{i}", is_synthetic=True)
    demo.load_rules(demo.load_categories())
    now = timezone.make_aware(dt.datetime(2026, 6, 15, 10, 0))
    demo.synthesize(count=1500, now=now)
    first = list(ServiceRequest.objects.order_by("id").values_list("title", "status", "due_at"))
    states = {s for _t, s, _d in first}
    assert states == {
        "submitted",
        "accepted",
        "routed",
        "in_progress",
        "awaiting_material",
        "answered",
        "closed",
        "rejected",
    }
    assert ServiceRequest.objects.filter(enterprise__accounts=loop["ent_demo"]).exists()
    kept = sorted(ServiceRollup.objects.values_list("dimension", "key", "total", "closed"))
    call_command("rebuild_service_rollups", verbosity=0)
    assert sorted(ServiceRollup.objects.values_list("dimension", "key", "total", "closed")) == kept
    ServiceRequest.objects.all().delete()
    demo.synthesize(count=1500, now=now)
    again = list(ServiceRequest.objects.order_by("id").values_list("title", "status", "due_at"))
    assert again == first


def test_sweep_command_closes_silent_requests(loop):
    request = walk(file_request(loop), loop, ANSWERED)
    ServiceRequest.objects.filter(pk=request.pk).update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("service_sweep", stdout=out)
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_by_silence
    assert "1" in out.getvalue()


def test_inbox_filters(client, loop):
    a = file_request(loop, title="用电扩容申请")
    b = file_request(loop, title="融资对接")
    ServiceRequest.objects.filter(pk=b.pk).update(due_at=timezone.now() - dt.timedelta(days=20))
    client.force_login(loop["dispatcher"])
    page = client.get("/service/inbox/?q=用电").content.decode()
    assert "用电扩容申请" in page and "融资对接" not in page
    page = client.get("/service/inbox/?overdue=true").content.decode()
    assert "融资对接" in page and "用电扩容申请" not in page
    page = client.get("/service/inbox/?escalation=3").content.decode()
    assert "融资对接" in page and "用电扩容申请" not in page
    page = client.get(f"/service/inbox/?q=%23{a.pk}").content.decode()
    assert "用电扩容申请" in page and "融资对接" not in page


def test_rules_page_edit_by_dispatcher_only(client, loop):
    land = ServiceCategory.objects.get(code="land")
    from wulian.core.models import Department

    zrzy = Department.objects.get(code="zrzy")
    client.force_login(loop["econ"])
    response = client.post(
        "/service/rules/", {"category": land.pk, "department": zrzy.pk, "priority": 5}
    )
    assert response.status_code == 403
    client.force_login(loop["dispatcher"])
    response = client.post(
        "/service/rules/", {"category": land.pk, "department": zrzy.pk, "priority": 5}
    )
    assert response.status_code == 302
    assert "市自然资源和规划局" in client.get("/service/rules/").content.decode()


def test_chain_office_sees_what_escalated_to_it(client, loop):
    chain = Chain.objects.create(code="xcl", name="新材料")
    link = Link.objects.create(chain=chain, code="f", name="含氟聚合物", segment="mid")
    request = submit_request(
        actor=loop["ent_demo"],
        category=ServiceCategory.objects.get(code="policy"),
        title="链上超期诉求",
        description="x",
        link=link,
    )
    client.force_login(loop["chief_xcl"])
    assert b"escalation-notice" not in client.get("/service/inbox/").content
    ServiceRequest.objects.filter(pk=request.pk).update(
        due_at=timezone.now() - dt.timedelta(days=10)
    )
    page = client.get("/service/inbox/").content.decode()
    assert "escalation-notice" in page and "链办督办" in page


def test_stats_by_month(client, loop):
    from .factories import aware

    nov_request = file_request(loop, when=aware(2025, 11, 3, 9, 0))
    walk(nov_request, loop, [("accept", "dispatcher", {})], when=aware(2025, 11, 3, 10, 0))
    file_request(loop, when=aware(2025, 12, 1, 9, 0))
    file_request(loop, when=aware(2025, 12, 31, 23, 0))
    nov = stats.table("category", month=dt.date(2025, 11, 1))
    dec = stats.table("category", month=dt.date(2025, 12, 1))
    assert [r.total for r in nov] == [1] and [r.total for r in dec] == [2]
    assert [r.open_overdue for r in nov] == [1]  # its answer deadline passed long ago
    client.force_login(loop["leader"])
    page = client.get("/service/stats/?dimension=category&month=2025-12").content.decode()
    assert 'value="2025-12" selected' in page and "政策兑现" in page


def test_a_routing_rule_is_retired_not_deleted_and_can_come_back(client, api_client, users):
    # given a rule that sends policy requests to 经信局
    from wulian.core.models import AuditEvent
    from wulian.service.models import RoutingRule
    from wulian.service.services import resolve_department

    from .factories import file_request, setup_loop

    setup_loop(users)
    rule = RoutingRule.objects.get()
    request = file_request(users)
    assert resolve_department(request).code == "jxj"

    # when 营商办 retires it on the page (the page asks first)
    client.force_login(users["dispatcher"])
    assert "将停用这条派给" in client.get("/service/rules/").content.decode()
    client.post("/service/rules/", {"retire": rule.pk})
    client.post("/service/rules/", {"retire": rule.pk})  # a double click

    # then the rule is still there, retired, routes nothing, and one audit row says so
    rule.refresh_from_db()
    assert rule.is_active is False
    assert resolve_department(request) is None
    assert AuditEvent.objects.filter(model="service.routingrule", note="停用派单规则").count() == 1
    assert 'data-testid="retired-rule"' in client.get("/service/rules/").content.decode()

    # it comes back on the page; the API's DELETE retires again and keeps the row
    client.post("/service/rules/", {"restore": rule.pk})
    rule.refresh_from_db()
    assert rule.is_active is True
    api_client.force_authenticate(users["dispatcher"])
    assert api_client.delete(f"/api/v1/service-routing-rules/{rule.pk}/").status_code == 204
    rule.refresh_from_db()
    assert rule.is_active is False
